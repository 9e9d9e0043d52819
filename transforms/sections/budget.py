"""予算額・執行額 (and the 2010 予算の状況) table.  Its year-column reader serves the
予算内訳 too (`budget_items`); `era_context` serves every section that reads years.

Rows are recognised by their printed label (labels.csv, section ``budget``; see
`budget_labels`), values aligned to the header's year columns by the row's own label
(see `align`).
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import NamedTuple

from transforms.normalize import money_scale, parse_amount, parse_number, parse_percent
from transforms.read import Row
from transforms.sections.align import header_shift, row_offset, value_offset
from transforms.sections.budget_labels import (
    PARTS_OF_TOTAL, find_label, has_values, is_value, lone_label, report_unlabelled, split_labels, values_only,
)
from transforms.sections.context import SheetContext
from transforms.years import EraReader, era_label, spelled_year

# words of a table's title cell, never of a year column (`2年度予算`, `3年度予算要求` are columns)
_TITLE_WORDS = ("内訳", "単位", "執行額", "状況")
RATE_BASIS = {"rate_total": "total", "rate_initial_plus_supplementary": "initial_plus_supplementary"}


class YearColumn(NamedTuple):  # (a tuple: built for every year cell of every header)
    position: int
    fiscal_year: int
    is_request: bool


def era_context(review_year: int | None) -> int | None:
    """The review year to read era-less years with: a first column without an era is
    平成 in sheets made before 2020 (CONTRACT), so those read without a review year.

    >>> from transforms.years import EraReader
    >>> EraReader(era_context(2014)).read("8年度"), EraReader(era_context(2022)).read("2年度")
    (1996, 2020)
    """
    return review_year if review_year is not None and review_year >= 2020 else None


def year_columns(header: Row, review_year: int | None, skip: int = -1) -> list[YearColumn]:
    """The year columns of a header row, eras inherited left to right.

    Title cells (`予算額・執行額(単位:百万円)`, `平成30・31年度予算内訳(単位:百万円)`) are
    not columns: their years must not set the era of the columns after them.  A request
    column printed without its year (`要求`, `概算要求額`) follows the last year.

    >>> from transforms.read import clean_cell
    >>> header = Row(1, [clean_cell(t) for t in ["予算額・執行額", "29年度", "30年度", "元年度", "2年度予算", "概算要求額"]])
    >>> [(c.fiscal_year, c.is_request) for c in year_columns(header, 2020)]
    [(2017, False), (2018, False), (2019, False), (2020, False), (2021, True)]
    """
    reader = EraReader(era_context(review_year))
    columns: list[YearColumn] = []
    for i, cell in header.filled():
        text = _column_text(cell.text)
        if i == skip or text is None:
            continue
        if "年" not in text:
            if "要求" in text and columns and not columns[-1].is_request:
                columns.append(YearColumn(i, columns[-1].fiscal_year + 1, True))
            continue
        year = reader.read(text)
        if year is not None:
            columns.append(YearColumn(i, year, "要求" in text.replace(" ", "")))
    return columns


@lru_cache(maxsize=4096)
def _column_text(text: str) -> str | None:
    """A header cell's text as `year_columns` reads it (`spelled_year`: `H29`, `R3要求`,
    `2021要求`, `2017(H29)年度`), None for a title cell (memoised: header cells repeat
    from sheet to sheet)."""
    return None if any(word in text for word in _TITLE_WORDS) else spelled_year(text)


def infer_review_year(columns: list[YearColumn], executed_years: set[int] = frozenset()) -> int | None:
    """A sheet without a year in its title: the request column's year minus one; with no
    column marked 要求, the first year after the last one with an 執行額 (the review
    year's own budget is not executed yet) when a later column follows it, else the
    last year.

    >>> columns = [YearColumn(i, year, False) for i, year in enumerate(range(2007, 2012))]
    >>> infer_review_year(columns, {2007, 2008, 2009}), infer_review_year(columns)
    (2010, 2011)
    """
    requests = [c.fiscal_year for c in columns if c.is_request]
    if requests:
        return max(requests) - 1
    years = sorted({c.fiscal_year for c in columns})
    if executed_years and (after := [y for y in years if y > max(executed_years)]):
        return after[0]
    return years[-1] if years else None


def executed_years(rows: list[Row]) -> set[int]:
    """The years whose 執行額 the budget table prints (read with no review year)."""
    lines = parse_budget(rows, SheetContext("", None))["budget_line"]
    return {r["fiscal_year"] for r in lines if r["line"] == "executed" and r["amount_million_yen"] is not None}


def header_index(rows: list[Row]) -> int:
    """Index of the budget table's header row in its section: the heading row, or the
    row after a title printed on a row of its own (`予算額・執行額(単位:百万円)`, the
    years on the next row)."""
    if len(year_columns(rows[0], None)) >= 2:
        return 0
    for k in range(1, min(3, len(rows))):
        if len(year_columns(rows[k], None)) >= 2 and find_label(rows[k]) is None:
            return k
    return 0


def budget_columns(rows: list[Row], review_year: int | None, at: int | None = None) -> tuple[list[YearColumn], list[Row]]:
    """The budget table's year columns and its data rows.  A header whose `要求` sits on
    the row below its year (a two-line cell `23年度` / `要求`) marks that column.  `at`:
    the header's index (`header_index`) when the caller has found it already."""
    rows = rows[header_index(rows) if at is None else at:]
    header = rows[0]
    label_pos = next((i for i, c in header.filled() if "予算" in c.text and "年" not in c.text), -1)
    columns = year_columns(header, review_year, skip=label_pos)
    if len(rows) > 1 and columns:
        below = rows[1].filled()
        positions = {c.position for c in columns}
        if below and all(i in positions and "要求" in c.text and not any(ch.isdigit() for ch in c.text) for i, c in below):
            marked = {i for i, _ in below}
            columns = [YearColumn(c.position, c.fiscal_year, c.is_request or c.position in marked) for c in columns]
            rows = [header] + rows[2:]
    if review_year is not None and not any(c.is_request for c in columns):
        # next year's budget is only ever a request at review time: a header printing no
        # 要求 column marks it so (one that prints it names the request itself)
        columns = [c if c.fiscal_year <= review_year else YearColumn(c.position, c.fiscal_year, True) for c in columns]
    return columns, rows


def parse_budget(rows: list[Row], ctx: SheetContext) -> dict[str, list[dict]]:
    """budget_line, budget_line_other and execution_rate rows of one sheet; amounts in
    百万円 whatever unit the title or header names (`money_scale`)."""
    at = header_index(rows)
    scale = money_scale(c.text for row in rows[: at + 1] for _, c in row.filled())
    columns, rows = budget_columns(rows, ctx.review_year, at)
    header = rows[0]
    out: dict[str, list[dict]] = {"budget_line": [], "budget_line_other": [], "execution_rate": []}
    if not columns:
        ctx.warn("section_unreadable", f"{ctx.source_path}: budget table header has no year columns (line {header.number})", "budget_line")
        return out
    _check_request_year(columns, header, ctx)
    emitted: dict[tuple, dict] = {}
    labels = [None] + [find_label(row) for row in rows[1:]]
    split, continuation_rows = split_labels(rows, labels)
    columns = _fit_columns(columns, [(rows[k], found[0]) for k in range(1, len(rows))
                                     if (found := split.get(k) or labels[k]) and k not in continuation_rows])
    previous = None  # the label of the last row read, while it is a part of 計 (PARTS_OF_TOTAL)
    for k, row in enumerate(rows[1:], start=1):
        if k in continuation_rows:
            continue
        found = split.get(k) or labels[k]
        if found is None and values_only(row):
            found = lone_label(rows, split, labels, continuation_rows, k) or previous
        if found is None:
            report_unlabelled(row, ctx)
            if has_values(row):
                previous = None
            continue
        index, field, label = found
        next_of_same = previous is not None and previous[1] == field
        previous = found if field in PARTS_OF_TOTAL else None
        offset = value_offset(row, index, [c.position for c in columns])
        for col in columns:
            cell = row[col.position + offset]
            if not cell.text:
                continue
            key = (field, col.fiscal_year, col.is_request, label if field == "other" else "")
            if key in emitted and next_of_same:
                _add_row(emitted[key], label, cell.raw, scale)
                continue
            if key in emitted:
                ctx.warn("duplicate_cell", f"{ctx.source_path}: budget row '{label}' printed twice for {col.fiscal_year}; first kept", "budget_line", fiscal_year=col.fiscal_year)
                continue
            emitted[key] = _emit(out, field, label, col, cell.raw, scale)
    _rates_printed_as_fractions(out)
    return out


def _add_row(line: dict, label: str, raw: str, scale: Decimal) -> None:
    """Add the next row of a line printed on several rows (PARTS_OF_TOTAL) to the line:
    amounts summed (a `-` adds nothing; all `-`: NULL), every print kept in raw_text
    (`0 + 3`) and each label once in label_ja (`予備費等1 + 予備費等2`)."""
    amount = parse_amount(raw, scale)
    if amount is not None:
        line["amount_million_yen"] = amount + (line["amount_million_yen"] or 0)
    line["raw_text"] = f"{line['raw_text']} + {raw}"
    if label not in line["label_ja"].split(" + "):
        line["label_ja"] = f"{line['label_ja']} + {label}"


def _fit_columns(columns: list[YearColumn], labelled: list[tuple[Row, int]]) -> list[YearColumn]:
    """The year columns moved onto the cells the rows fill.  A header cell merged over two
    columns (`27年度要求` over the request's cell and an empty one) collapses one cell
    short of, or past, the values under it: a column no labelled row fills, beside a
    cell no column claims that some row fills, is that cell.  `labelled`: each row with
    a label and the label's index; rows are aligned by their label (`row_offset`).

    >>> from transforms.read import clean_cell
    >>> row = Row(2, [clean_cell(t) for t in ["", "当初予算", "46", "54", "", "390"]])
    >>> [c.position for c in _fit_columns([YearColumn(2, 2011, False), YearColumn(3, 2012, False),
    ...                                    YearColumn(4, 2013, True)], [(row, 1)])]
    [2, 3, 5]
    """
    if not columns:
        return columns
    offsets = [(row, row_offset(row, index, columns[0].position)) for row, index in labelled]
    last = columns[-1].position
    if any(cell.text and is_value(cell) for row, offset in offsets for cell in row.cells[last + offset + 1:]) \
            and header_shift(labelled, [c.position for c in columns]):  # a value past the last year: the header a cell short
        columns = [YearColumn(c.position + 1, c.fiscal_year, c.is_request) for c in columns]
        offsets = [(row, row_offset(row, index, columns[0].position)) for row, index in labelled]
    positions = {c.position for c in columns}

    def filled(position: int) -> bool:
        return any(is_value(row[position + offset]) for row, offset in offsets)

    fitted = []
    for col in columns:
        position = col.position
        if not filled(position):
            position = next((p for p in (position + 1, position - 1) if p not in positions and filled(p)), position)
            positions.add(position)
        fitted.append(YearColumn(position, col.fiscal_year, col.is_request))
    return fitted


def _check_request_year(columns: list[YearColumn], header: Row, ctx: SheetContext) -> None:
    """The title names the review year (SHEET_FORMAT.md) and the request column is the
    year after it.  A header a year off the title (`4年度要求` under a 令和2年度 title) is
    a misprint of one of the two, and the sheet cannot tell which: the title's year stays
    the review year, the columns keep their printed years, and a warning says so."""
    if ctx.review_year is None:
        return
    expected = ctx.review_year + 1
    off = next((c for c in columns if c.is_request and c.fiscal_year != expected), None)
    if off is not None:
        printed = header[off.position].text
        ctx.warn("review_year_mismatch", f"{ctx.source_path}: the title's review year {ctx.review_year} and the budget "
                 f"table's request column '{printed}' (FY{off.fiscal_year}) are not a year apart; one of them is "
                 "misprinted: the title's year is kept, the columns keep their printed years", "budget_line",
                 fiscal_year=off.fiscal_year, observed=printed, expected=f"{era_label(expected)}要求 (FY{expected})")


def _rates_printed_as_fractions(out: dict) -> None:
    """A rate printed without `%` is read as a percent (`94.6` under 執行率(%)); an export
    that lost Excel's percent format prints the fraction itself (`0.946`).  Such a rate
    is taken as a fraction when that is what 執行額 / 計 (or / (当初 + 補正)) gives.

    >>> out = {"budget_line": [
    ...     {"fiscal_year": 2019, "is_request": False, "line": "total", "amount_million_yen": Decimal("200")},
    ...     {"fiscal_year": 2019, "is_request": False, "line": "executed", "amount_million_yen": Decimal("154.2")}],
    ...     "execution_rate": [{"fiscal_year": 2019, "basis": "total", "rate": Decimal("0.00771"), "raw_text": "0.771"}]}
    >>> _rates_printed_as_fractions(out); out["execution_rate"][0]["rate"]
    Decimal('0.771')
    """
    rates = [r for r in out["execution_rate"] if r["rate"] is not None and "%" not in (r["raw_text"] or "")]
    if not rates:
        return
    amounts = {(r["fiscal_year"], r["line"]): r["amount_million_yen"] for r in out["budget_line"]
               if not r["is_request"] and r["amount_million_yen"] is not None}
    for rate in rates:
        year = rate["fiscal_year"]
        executed = amounts.get((year, "executed"))
        if rate["basis"] == "total":
            base = amounts.get((year, "total"))
        else:
            initial = amounts.get((year, "initial"))
            base = None if initial is None else initial + amounts.get((year, "supplementary"), Decimal(0))
        if executed is None or not base:
            continue
        expected, printed = executed / base, parse_number(rate["raw_text"])
        if printed is not None and abs(printed - expected) < abs(rate["rate"] - expected) / 10:
            rate["rate"] = printed


def _emit(out: dict, field: str, label: str, col: YearColumn, raw: str, scale: Decimal) -> dict:
    """Append the row of one printed cell to its table; returns the row."""
    if field in RATE_BASIS:
        table, row = "execution_rate", {
            "fiscal_year": col.fiscal_year, "basis": RATE_BASIS[field],
            "rate": parse_percent(raw), "raw_text": raw,
        }
    elif field == "other":
        table, row = "budget_line_other", {
            "fiscal_year": col.fiscal_year, "is_request": col.is_request, "label_ja": label,
            "amount_million_yen": parse_amount(raw, scale), "raw_text": raw,
        }
    else:
        table, row = "budget_line", {
            "fiscal_year": col.fiscal_year, "is_request": col.is_request, "line": field,
            "amount_million_yen": parse_amount(raw, scale), "raw_text": raw, "label_ja": label,
        }
    out[table].append(row)
    return row

