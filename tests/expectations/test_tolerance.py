"""Rounding-aware tolerance: table-driven, and the SQL twin agrees with Python."""

from __future__ import annotations

import doctest
from decimal import Decimal

import duckdb
import pytest

from expectations import tolerance
from expectations.tolerance import half_unit, half_unit_sql, holds, printed_number, ratio_holds

HALF_UNITS = [
    # raw_text, stored value, scale, half-unit
    ("4", None, "1", "0.5"),
    ("0", None, "1", "0.5"),
    ("0.7", None, "1", "0.05"),
    ("0.30", None, "1", "0.005"),
    ("1,770", None, "1", "0.5"),
    ("▲ 356,601", None, "1", "0.5"),
    ("△5", None, "1", "0.5"),
    ("１，２３４．５", None, "1", "0.05"),
    ("50%", None, "0.01", "0.005"),
    ("94.6", None, "0.01", "0.0005"),
    ("100.4%", None, "0.01", "0.0005"),
    ("-", None, "1", "0"),
    ("#DIV/0!", None, "1", "0.5"),  # holds a digit; such cells have a NULL value and are never compared
    (None, "0.700000", "1", "0.05"),
    (None, "4.000000", "1", "0.5"),
    (None, "0.250000", "0.01", "0.005"),
]


@pytest.mark.parametrize("raw, value, scale, expected", HALF_UNITS)
def test_half_unit(raw, value, scale, expected):
    assert half_unit(raw, Decimal(value) if value else None, scale) == Decimal(expected)


@pytest.mark.parametrize("raw, value, scale, expected", HALF_UNITS)
def test_half_unit_sql_agrees_with_python(raw, value, scale, expected):
    raw_sql = "NULL" if raw is None else "'" + raw.replace("'", "''") + "'"
    value_sql = "CAST(NULL AS DECIMAL(20,6))" if value is None else f"CAST({value} AS DECIMAL(20,6))"
    (result,) = duckdb.connect().execute(f"select {half_unit_sql(raw_sql, value_sql, scale)}").fetchone()
    assert result == pytest.approx(float(expected))


SUMS = [
    # printed total, printed terms, holds?
    ("4", ["1", "1", "0.7", "0.3"], True),  # seed 予算内訳: |4 - 3| = 1 <= 0.5 + 0.5 + 0.5 + 0.05 + 0.05
    ("9", ["4"], False),  # |9 - 4| = 5 > 1
    ("4", ["4", "0", "0", "0", "0"], True),
    ("9", ["4", "0", "0", "0", "0"], False),  # 2018 計 mutated: 5 > 3
    ("1.2", ["1.2"], True),
    ("1", ["0.8", "0.2"], True),
    ("1.3", ["1.2"], True),  # |0.1| = 0.05 + 0.05: the boundary holds
    ("1.4", ["1.2"], False),
    ("1.25", ["1.2"], True),  # |0.05| <= 0.005 + 0.05
    ("32", ["4"], False),
    ("▲ 1", ["-1"], True),
    ("10", ["4", "4", "4"], True),  # |10 - 12| = 2 = 0.5 * 4: exactly at the boundary holds
    ("10", ["4", "4", "4.1"], False),
]


@pytest.mark.parametrize("printed, terms, expected", SUMS)
def test_sum_relation(printed, terms, expected):
    assert holds(printed, terms) is expected


RATIOS = [
    # printed rate, numerator, denominator, scale of the printed rate, holds?
    ("50%", "2", "4", "0.01", True),  # seed 執行率: 2 / 4 lies in [1.5 / 4.5, 2.5 / 3.5]
    ("80%", "2", "4", "0.01", False),
    ("50%", "2", "9", "0.01", False),
    ("94.6", "946", "1,000", "0.01", True),
    ("94.6", "950", "1,000", "0.01", False),
    ("37.7", "1,770", "47", "1", True),  # 単位当たりコスト vs its 計算式
    ("60", "1,770", "47", "1", False),
]


@pytest.mark.parametrize("rate, numerator, denominator, scale, expected", RATIOS)
def test_ratio_relation(rate, numerator, denominator, scale, expected):
    assert ratio_holds(rate, numerator, denominator, scale) is expected


def test_printed_number_keeps_sign_and_ignores_placeholders():
    assert printed_number("▲ 356,601") == Decimal("-356601")
    assert printed_number("△5") == Decimal("-5")
    assert printed_number("１，２３４") == Decimal("1234")
    for placeholder in ("-", "―", "ー", "集計中", "", None):
        assert printed_number(placeholder) is None


def test_module_doctests():
    assert doctest.testmod(tolerance).failed == 0


def test_negative_ratios_are_bounded_on_the_right_side():
    """A refund makes 執行額 negative: -991 / 2874 printed -34.5% holds, -50% does not."""
    from expectations.tolerance import ratio_holds

    assert ratio_holds("-34.5%", "-991", "2874")
    assert ratio_holds("-713.4%", "-1434", "201")
    assert not ratio_holds("-50%", "-991", "2874")
    assert ratio_holds("-50", "-16", "32")  # 達成度 printed as a percent
