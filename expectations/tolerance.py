"""Rounding-aware tolerance for relations between printed numbers (Python + SQL).

Sheets print rounded numbers (the official database holds 2.98 where the sheet
prints 3), so a relation between printed values can only be expected to hold
within the rounding of its terms.  The half-unit of a printed value is half of
the last printed digit, taken from the cell's ``raw_text``:

=========  ===========================  =====================
printed    half-unit                     note
=========  ===========================  =====================
``4``      0.5
``0.7``    0.05
``1,770``  0.5                           commas and ▲ ignored
``50%``    0.005 (as a fraction)         rates are stored as fractions
``94.6``   0.0005 (under 執行率(%))      ``scale=0.01`` for rates
=========  ===========================  =====================

When ``raw_text`` holds no digit, the stored value's own decimal places are used
(``0.700000`` -> 0.05).  A *sum* relation ``a = b + c + ...`` holds when
``|a - (b + c + ...)| <= half(a) + half(b) + half(c) + ...`` - so 4 vs
1 + 1 + 0.7 + 0.3 holds (|4 - 3| = 1 <= 1.6) and 9 vs 4 does not (5 > 1).
A *ratio* relation ``r = n / d`` holds when the interval ``r ± half(r)``
meets ``[(n - half(n)) / (d + half(d)), (n + half(n)) / (d - half(d))]``,
i.e. the same half-units propagated by interval arithmetic; it is not checked
when ``d - half(d) <= 0``.  ``half_unit_sql`` is the SQL twin of ``half_unit``;
a test keeps them in agreement.
"""

from __future__ import annotations

import re
from decimal import Decimal

EPSILON = "1e-9"  # guards float rounding at the exact tolerance boundary
PERCENT = "0.01"  # scale of a rate printed as a percent and stored as a fraction

_FULLWIDTH = str.maketrans("０１２３４５６７８９．，－／÷", "0123456789.,-//")
_NUMBER = re.compile(r"[0-9]+(?:[.][0-9]+)?")
_DECIMALS = re.compile(r"[0-9]+[.]([0-9]+)")


# ---------------------------------------------------------------- tolerance (Python)


def printed_number(raw_text: str | None) -> Decimal | None:
    """The number a cell prints, signed, without scaling (``50%`` -> 50).

    >>> printed_number("▲ 356,601"), printed_number("0.7"), printed_number("-")
    (Decimal('-356601'), Decimal('0.7'), None)
    """
    text = (raw_text or "").translate(_FULLWIDTH).replace(",", "").strip()
    match = _NUMBER.search(text)
    if not match:
        return None
    negative = text[: match.start()].strip()[-1:] in ("▲", "△", "-", "−")
    return -Decimal(match.group()) if negative else Decimal(match.group())


def half_unit(raw_text: str | None, value: Decimal | None = None, scale: Decimal | str = "1") -> Decimal:
    """Half of the last printed digit of a cell, in the stored unit.

    >>> half_unit("4"), half_unit("0.7"), half_unit("50%", scale="0.01")
    (Decimal('0.5'), Decimal('0.05'), Decimal('0.005'))
    """
    text = (raw_text or "").translate(_FULLWIDTH)
    if re.search(r"[0-9]", text):
        match = _DECIMALS.search(text.replace(",", ""))
        decimals = len(match.group(1)) if match else 0
        return Decimal("0.5").scaleb(-decimals) * Decimal(scale)
    if value is not None:
        exponent = Decimal(value).normalize().as_tuple().exponent
        return Decimal("0.5").scaleb(-max(0, -int(exponent)))
    return Decimal(0)


def tolerance(*raw_texts: str | None) -> Decimal:
    """Allowed difference of a sum relation: the sum of the terms' half-units."""
    return sum((half_unit(t) for t in raw_texts), Decimal(0))


def holds(printed: str, terms: list[str]) -> bool:
    """Whether a printed total equals the sum of printed terms, within rounding.

    >>> holds("4", ["1", "1", "0.7", "0.3"]), holds("9", ["4"])
    (True, False)
    """
    numbers = [printed_number(t) or Decimal(0) for t in terms]
    difference = abs((printed_number(printed) or Decimal(0)) - sum(numbers, Decimal(0)))
    return difference <= tolerance(printed, *terms)


def ratio_holds(printed_rate: str, numerator: str, denominator: str, scale: str = PERCENT) -> bool:
    """Whether a printed rate equals numerator / denominator within rounding.

    >>> ratio_holds("50%", "2", "4"), ratio_holds("80%", "2", "4")
    (True, False)
    >>> ratio_holds("-34.5%", "-991", "2874"), ratio_holds("-50%", "-991", "2874")
    (True, False)
    """
    rate = printed_number(printed_rate) * Decimal(scale)
    rate_half = half_unit(printed_rate, scale=scale)
    n, d = printed_number(numerator), printed_number(denominator)
    n_half, d_half = half_unit(numerator), half_unit(denominator)
    if d - d_half <= 0:
        return True  # not checkable
    low = (n - n_half) / (d + d_half if n - n_half >= 0 else d - d_half)
    high = (n + n_half) / (d - d_half if n + n_half >= 0 else d + d_half)
    return rate + rate_half >= low and rate - rate_half <= high


# ---------------------------------------------------------------- SQL helpers


def digits_sql(raw: str) -> str:
    """SQL: the cell with fullwidth digits and separators made ASCII, commas removed."""
    return f"replace(translate(coalesce({raw}, ''), '０１２３４５６７８９．，', '0123456789.,'), ',', '')"


def half_unit_sql(raw: str, value: str, scale: str = "1") -> str:
    """SQL twin of `half_unit` (a DOUBLE expression)."""
    digits = digits_sql(raw)
    raw_decimals = f"length(regexp_extract({digits}, '[0-9]+[.]([0-9]+)', 1))"
    value_decimals = f"length(regexp_extract(CAST({value} AS VARCHAR), '[.]([0-9]*[1-9])', 1))"
    return (
        f"(CASE WHEN regexp_matches({digits}, '[0-9]') THEN 0.5 * power(10, -{raw_decimals}) * {scale}"
        f" WHEN {value} IS NOT NULL THEN 0.5 * power(10, -{value_decimals}) ELSE 0 END)"
    )


def fmt_sql(expr: str, places: int = 6) -> str:
    """SQL: a number as short text (4.000000 -> '4', 0.333333 -> '0.333333')."""
    text = f"CAST(CAST(round({expr}, {places}) AS DECIMAL(38,{places})) AS VARCHAR)"
    return f"(CASE WHEN contains({text}, '.') THEN rtrim(rtrim({text}, '0'), '.') ELSE {text} END)"


def pct_sql(expr: str) -> str:
    """SQL: a fraction as a percent text (0.5 -> '50%')."""
    return f"({fmt_sql(f'({expr}) * 100', 2)} || '%')"


def ratio_bounds_sql(n: str, n_half: str, d: str, d_half: str) -> tuple[str, str]:
    """SQL: the lowest and highest n / d for n ± n_half over d ± d_half (d - d_half > 0).

    A negative numerator is smallest over the smallest denominator, so the bound's
    denominator depends on the numerator's sign (a rate can be negative when a
    refund makes 執行額 negative).
    """
    low = f"(({n}) - ({n_half})) / (CASE WHEN ({n}) - ({n_half}) >= 0 THEN ({d}) + ({d_half}) ELSE ({d}) - ({d_half}) END)"
    high = f"(({n}) + ({n_half})) / (CASE WHEN ({n}) + ({n_half}) >= 0 THEN ({d}) - ({d_half}) ELSE ({d}) + ({d_half}) END)"
    return low, high


def outside_sql(value: str, half: str, low: str, high: str) -> str:
    """SQL: value ± half lies entirely outside [low, high]."""
    return f"({value} + {half} < {low} - {EPSILON} OR {value} - {half} > {high} + {EPSILON})"

