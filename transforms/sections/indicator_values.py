"""The values of an indicator's measure cells (`add_values`: a number, also with a
bracketed repeat or note after it; 平成24's `47 (47)` holding the actual and the
planned value), and the 2010-2013 unit cost printed on one row
(`parse_single_unit_cost`).  `indicators` reads the blocks."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from transforms.normalize import indicator_value, nfkc, parse_printed_value, without_notes
from transforms.read import Row
from transforms.sections.context import SheetContext
from transforms.sections.indicator_header import ValueColumn, header_field
from transforms.sections.text import text_value

_COMBINED = re.compile(r"^(?P<actual>.*?)\s*\((?P<planned>[^()]*)\)\s*$")
_VALUE_WITH_UNIT = re.compile(r"^(?P<number>[▲△+-]?\s*[\d,]*\.?\d+)\s*(?P<unit>[^\d\s].*)?$")
_BRACKETED_AFTER = re.compile(r"^(?P<value>[^\[\]]+?)\s*\[[^\[\]]*\]$")  # `12 [12]`, `47 [注1]`


def add_values(rows: list[dict], measure: str, column: ValueColumn, raw: str, text: str, unit: str | None) -> None:
    """The value rows of one measure cell appended to `rows`."""
    if measure == "actual_planned":
        # 平成24: `47 (47)` holds the actual and, in brackets, the planned value; `(47)` the
        # planned value alone (a blank part, like a blank cell, is no row).
        match = _COMBINED.match(text)
        if match:
            for part in ("actual", "planned"):
                if match.group(part).strip():
                    rows.append(_value_row(column, unit, part, indicator_value(match.group(part), unit), raw))
            return
        measure = "actual"
    value = None if measure == "formula" else _cell_value(raw, unit)
    rows.append(_value_row(column, unit, measure, value, raw))


def _value_row(column: ValueColumn, unit: str | None, measure: str, value: Decimal | None, raw: str) -> dict:
    """One value of a measure row (`indicators._finish` adds kind, name and goal)."""
    return {"fiscal_year": column.fiscal_year, "period": column.period, "unit": unit, "measure": measure,
            "value": value, "raw_text": raw}


@lru_cache(maxsize=4096)
def _cell_value(raw: str, unit: str | None) -> Decimal | None:
    """A measure cell's number (`normalize.indicator_value`), also when a bracketed
    repeat or footnote number follows it: `12 [12]`, `１２［１２］`, `47 [注1]` are 12, 12
    and 47 (raw_text keeps the print).  Memoised: a dash (`-`) or a number printed on
    many rows would be read through every fallback each time.

    >>> [_cell_value(t, "件") for t in ["12 [12]", "１２［１２］", "47件[注1]", "- [1]", "[1]"]]
    [Decimal('12'), Decimal('12'), Decimal('47'), None, None]
    """
    value = indicator_value(raw, unit)
    if value is None and (match := _BRACKETED_AFTER.match(nfkc(raw))):
        return indicator_value(match.group("value"), unit)
    return value


def parse_single_unit_cost(rows: list[Row], ctx: SheetContext) -> list[dict]:
    """2010-2013: `単位当たりコスト | 37.7千円 | 算出根拠 | text` on one row (last year's cost);
    the unit may stand in a cell of its own or in the label (`単位当たりコスト(千円)`), and the
    算出根拠 may go on in its column on the rows below.  A label alone on its row (its cell
    merged over a row above) has its value and 算出根拠 on the next row."""
    filled = rows[0].filled()
    if len(filled) == 1 and len(rows) > 1:
        rows = rows[1:]
        filled = filled + rows[0].filled()
    value_cell = goal = goal_at = unit = None
    for k, (_, cell) in enumerate(filled[1:], start=1):
        if header_field(cell.text) == "goal":
            if k + 1 < len(filled):
                goal_at, goal = filled[k + 1][0], text_value(filled[k + 1][1].raw)
            break
        if value_cell is None:
            value_cell = cell
        elif unit is None and len(cell.text) <= 8 and parse_printed_value(cell.raw) is None:
            unit = cell.text  # `100,646 ⇥ 千円`
    if value_cell is None:
        return []
    for row in rows[1:]:  # the rest of a 算出根拠 the export split over rows
        lines = row.filled()
        if goal is None or [i for i, _ in lines] != [goal_at]:
            break
        goal = f"{goal}\n{text_value(lines[0][1].raw)}"
    match = _VALUE_WITH_UNIT.match(without_notes(value_cell.text.replace(" ", "")))  # also `約100,646千円`
    value = parse_printed_value(match.group("number")) if match else parse_printed_value(value_cell.raw)
    unit = (match.group("unit") if match else None) or unit or _bracketed(filled[0][1].text)
    unit = _YEAR_NOTE.sub("", unit) if unit else None  # `千円(23年度)`
    year = ctx.review_year - 1 if ctx.review_year else None
    return [{"kind": "unit_cost", "name": None, "goal": goal, "unit": unit, "fiscal_year": year, "period": "year",
             "measure": "actual", "value": value, "raw_text": value_cell.raw}]


_YEAR_NOTE = re.compile(r"\([^()]*年度?\)$")


def _bracketed(text: str) -> str | None:
    """The unit a label names in brackets (`単位当たりコスト(千円)` -> 千円)."""
    match = re.search(r"\(([^()]{1,6})\)$", text)
    return match.group(1) if match else None
