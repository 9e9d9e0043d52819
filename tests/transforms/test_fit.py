"""`fit_contract`: every fact row loadable, the rest reported, order kept."""

from __future__ import annotations

from decimal import Decimal

from transforms.sections.context import SheetContext
from transforms.sections.fit import fit_contract


def _line(year, amount, line="total"):
    return {"fiscal_year": year, "is_request": False, "line": line, "amount_million_yen": amount,
            "raw_text": str(amount), "label_ja": "計"}


def test_out_of_range_becomes_null_and_incomplete_rows_are_dropped_in_order():
    ctx = SheetContext("s.txt", 2020)
    huge = Decimal("9" * 30)
    tables = {"budget_line": [_line(2017, Decimal(4)), _line(2018, huge), _line(None, Decimal(5)),
                              _line(2019, Decimal(6)), _line(2020, Decimal(7), line=None)]}
    fit_contract(tables, ctx)
    kept = tables["budget_line"]
    assert [(r["fiscal_year"], r["amount_million_yen"]) for r in kept] == [
        (2017, Decimal(4)), (2018, None), (2019, Decimal(6))]
    assert [i.check_name for i in ctx.issues] == ["value_out_of_range", "row_incomplete", "row_incomplete"]
    assert "budget_line.amount_million_yen" in ctx.issues[0].message and "s.txt" in ctx.issues[0].message


def test_clean_tables_are_left_alone():
    ctx = SheetContext("s.txt", 2020)
    rows = [_line(2017, Decimal(4)), _line(2018, Decimal("-3.5"))]
    tables = {"budget_line": list(rows), "project": [{"project_name": None}]}
    fit_contract(tables, ctx)
    assert tables["budget_line"] == rows and tables["project"] == [{"project_name": None}] and not ctx.issues
