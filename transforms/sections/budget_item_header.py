"""The 予算内訳 header: where the item names, the 主な増減理由, the 項 and the amount
columns stand (step 1 of `transforms.sections.budget_items`).

Columns are recognised by their printed label (labels.csv, section ``budget_item``); the
amount columns are year columns read as the budget table reads its own (`budget`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from transforms.labels import lookup
from transforms.normalize import money_scale
from transforms.read import Cell, Row
from transforms.sections.budget import YearColumn, year_columns
from transforms.sections.context import SheetContext


@dataclass(frozen=True)
class ItemHeader:
    """Where the 予算内訳 columns stand on its header row."""

    row: Row
    name_pos: int | None  # 歳出予算目 / 予算項目: the item names
    reason_pos: int | None  # 主な増減理由
    section_pos: int | None  # 項, when printed in a column of its own left of the 目
    columns: list[YearColumn]  # the amount columns
    scale: Decimal  # one printed unit in 百万円
    gaps: tuple[int, ...] = ()  # the columns printed past an empty cell after the column before them

    def fields(self) -> list[int]:
        """The positions of the amount columns and the 主な増減理由, left to right."""
        fields = [col.position for col in self.columns]
        return fields if self.reason_pos is None else sorted([*fields, self.reason_pos])


def read_item_header(rows: list[Row], review_year: int | None) -> tuple[ItemHeader, list[Row]]:
    """The header and the rows below it.  The header is the first of the first three rows
    naming the item column (else the first row); a second header line of amount words
    (see `_amount_words_below`) is folded into it."""
    at = next((k for k, row in enumerate(rows[:3]) if any(
        lookup("budget_item", c.text) == "item_name" for _, c in row.filled() if len(c.text) < 30)), 0)
    scale = money_scale(c.text for row in rows[: at + 1] for _, c in row.filled())
    rows = rows[at:]
    header = rows[0]
    fields = {i: lookup("budget_item", c.text) for i, c in header.filled() if len(c.text) < 30}
    name_pos = next((i for i, f in fields.items() if f == "item_name"), None)
    reason_pos = next((i for i, f in fields.items() if f == "change_reason"), None)
    section_pos = next((i for i, f in fields.items() if f == "item_section"), None)
    columns = [_request_after_review_year(c, review_year) for c in year_columns(_years_spelled(header), review_year)
               if c.position not in (name_pos, reason_pos, section_pos)]
    columns = sorted(columns + _columns_without_years(fields, columns, review_year), key=lambda c: c.position)
    body = rows[1:]
    if len(rows) > 1 and (marked := _amount_words_below(rows[1], columns)) is not None:
        columns = [YearColumn(c.position, c.fiscal_year, c.is_request or c.position in marked) for c in columns]
        body = rows[2:]
    item_header = ItemHeader(header, name_pos, reason_pos, section_pos, columns, scale)
    fields = item_header.fields()
    # a merged cell among the columns (`4年度当初予算 | | 5年度要求`), see `budget_item_gap`
    gaps = tuple(after for before, after in zip(fields, fields[1:]) if after - 1 > before and not header[after - 1].text)
    return (item_header if not gaps else replace(item_header, gaps=gaps)), body


# a year printed without 年度 before an amount word, or alone: `R4当初予算`, `令和5要求`,
# `R.4予算額`, `2022当初予算`, `令和4` (NFKC: `Ｒ４` is `R4`)
_YEAR_WITHOUT_NENDO = re.compile(r"^(?P<year>(?:[HRS]\.?|平成|令和)\s?(?:\d{1,2}|元)|(?:19|20)\d{2})\s?(?P<word>[^\d年].*)?$")


def _years_spelled(header: Row) -> Row:
    """`header` with the years printed without 年度 before an amount word spelled with it,
    as `year_columns` reads them (`R4当初予算` -> `R4年度当初予算`, `令和5要求` ->
    `令和5年度要求`, `令和4` -> `令和4年度`); other cells as printed.

    >>> from transforms.read import clean_cell
    >>> row = Row(1, [clean_cell(t) for t in ["歳出予算目", "Ｒ４当初予算", "令和5要求", "H30", "R4年度当初予算", "R4事業"]])
    >>> [c.text for c in _years_spelled(row).cells]
    ['歳出予算目', 'R4年度当初予算', '令和5年度要求', 'H30年度', 'R4年度当初予算', 'R4事業']
    """
    spelled = {}
    for i, cell in header.filled():
        if "年" not in cell.text and (match := _YEAR_WITHOUT_NENDO.match(cell.text)) is not None:
            word = match.group("word") or ""
            if not word or lookup("budget_item", word) in _YEARLESS_AMOUNTS:
                year = match.group("year").replace(".", "").replace(" ", "")
                spelled[i] = Cell(cell.raw, f"{year}年度{word}", cell.bold)
    if not spelled:
        return header  # the usual header: every year printed with 年度
    return Row(header.number, [spelled.get(i, cell) for i, cell in enumerate(header.cells)])


def _request_after_review_year(column: YearColumn, review_year: int | None) -> YearColumn:
    """A 予算内訳 column of a year after the review year is its request, also when headed by
    the year alone (`4年度` / `5年度`): the next year's budget is not decided at review time."""
    if column.is_request or review_year is None or column.fiscal_year <= review_year:
        return column
    return YearColumn(column.position, column.fiscal_year, True)


def report_unknown_columns(header: ItemHeader, ctx: SheetContext) -> None:
    """Header cells naming no column this parser knows: reported, their values not loaded."""
    known = {header.name_pos, header.reason_pos, header.section_pos} | {c.position for c in header.columns}
    for i, cell in header.row.filled():
        if i not in known and "予算内訳" not in cell.text:
            ctx.warn("unknown_label", f"{ctx.source_path}: unknown column '{cell.text}' in section budget_item "
                     f"(line {header.row.number}); the column was not loaded", "budget_item", observed=cell.text)


# 予算内訳 amount columns printed without their year (labels.csv, section budget_item):
# (years after the review year, is a request), as `2年度当初予算` / `3年度要求` print them
_YEARLESS_AMOUNTS = {"budget_amount": (0, False), "request_amount": (1, True)}


def _columns_without_years(fields: dict[int, str | None], columns: list[YearColumn],
                           review_year: int | None) -> list[YearColumn]:
    """The 予算内訳 columns headed `当初予算` / `予算額` and `要求額` without a year: the review
    year's budget and the request for the year after it, the years the budget table of the
    sheet gives them (its review-year column and its `○年度要求` column)."""
    if review_year is None:
        return []
    taken = {c.position for c in columns}
    found = []
    for position, field in fields.items():
        if field in _YEARLESS_AMOUNTS and position not in taken:
            after, is_request = _YEARLESS_AMOUNTS[field]
            found.append(YearColumn(position, review_year + after, is_request))
    return found


def _amount_words_below(row: Row, columns: list[YearColumn]) -> set[int] | None:
    """The positions of the request columns when `row` is the second line of two-line
    header cells (`4年度` / `当初予算`, `5年度` / `要求`): every cell under a year column and
    an amount word without a number; None when `row` is no such line."""
    positions = {c.position for c in columns}
    filled = row.filled()
    if not filled or not all(i in positions and not any(ch.isdigit() for ch in c.text)
                             and lookup("budget_item", c.text) in _YEARLESS_AMOUNTS for i, c in filled):
        return None
    return {i for i, c in filled if _YEARLESS_AMOUNTS[lookup("budget_item", c.text)][1]}
