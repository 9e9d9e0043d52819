"""The header of an indicator block: which columns hold the name, goal, unit, years
and targets (`parse_layout`), the row of target years under 中間目標 / 目標最終年度
(`apply_target_years`), and where each block starts (`blocks`, also when the export
split a header over two rows).  `indicators` reads the measure rows below a header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from transforms.labels import labels_of, lookup
from transforms.normalize import nfkc
from transforms.read import EMPTY, Cell, Row
from transforms.sections.budget import era_context
from transforms.sections.context import SheetContext
from transforms.sections.text import text_value
from transforms.years import EraReader, spelled_year

# A year inside a column header: `平成29年度`, `2年度`, `- 年度`, `32 年度` (never the
# bare 年度 of 目標最終年度).
_YEAR_PART = re.compile(r"(?:明治|大正|昭和|平成|令和|(?<![A-Za-z])[MTSHR](?=\s*(?:\d|元)))?\s*(?:\d{1,4}|元|[-―ー－])\s*年度?")
_BARE_YEAR = re.compile(r"\s*(?:\d{1,2}|元)\s*年")
_TARGET_YEAR_CELL = re.compile(r"^(?:(?:昭和|平成|令和|[SHR])?\s*(?:\d{1,2}|元)|(?:19|20)\d{2}|[-―ー－])?\s*年度$")
_NO_TARGET_YEAR = frozenset({"-", "―", "ー", "－", "未定"})  # a target-year cell printed without 年度

TARGET_PERIODS = ("interim_target", "final_target")


@dataclass
class ValueColumn:
    position: int
    period: str
    fiscal_year: int | None


@dataclass
class Layout:
    """What a header row says about the rows below it."""

    unit: int | None = None
    name: int | None = None  # column of the name in the measure rows
    goal: int | None = None
    columns: list[ValueColumn] = field(default_factory=list)
    header_name: str | None = None  # a name printed in the header row itself (測定指標)
    header_name_at: int | None = None  # its column (its next lines may follow there)
    era: str | None = None  # era of the last year column, inherited by target years
    last_year: int | None = None  # the last column before target columns that end the header (an actual row's last)
    text_gap: int | None = None  # an empty header cell merged among the name and goal columns (`_text_gap`)
    review_year: int | None = None

    @property
    def last_text_column(self) -> int | None:
        """The rightmost of the name and goal columns (None when there is neither)."""
        if self.name is None or self.goal is None:
            return self.goal if self.name is None else self.name
        return max(self.name, self.goal)



def column_word(text: str) -> str:
    """A column header without its year: `2年度活動見込` -> `活動見込`, `目標値(23年度)` -> `目標値`.

    >>> column_word("令和元年度"), column_word("中間目標 -年度"), column_word("目標値(23年度)"), column_word("目標最終年度")
    ('', '中間目標', '目標値', '目標最終年度')
    """
    word = _YEAR_PART.sub("", nfkc(text)) if "年" in text else nfkc(text)
    return word.replace("()", "").replace(" ", "")


@lru_cache(maxsize=4096)
def column_period(cell_text: str) -> str | None:
    """The period of a header cell after 単位, `skip`, or None when it is no column."""
    if len(cell_text) > 30:
        return None
    cell_text = spelled_year(cell_text)  # `H29`, `R元`, `2019(R1)年度`
    word = column_word(cell_text)
    period = lookup("indicator_column", word)
    if period == "year" and not _YEAR_PART.search(cell_text):
        return None
    return period


@lru_cache(maxsize=4096)
def header_field(text: str) -> str | None:
    return lookup("indicator_header", text) if len(text) <= 20 else None


def is_header(row: Row) -> bool:
    """A header row: a 単位 cell followed by at least one year or period column."""
    unit_at = _unit_index(row)
    if unit_at is None:
        return False
    for cell in row.cells[unit_at + 1:]:
        if cell.text and column_period(cell.text) not in (None, "skip"):
            return True
    return False


def _unit_index(row: Row) -> int | None:
    """Index of the row's 単位 cell (also printed `単 位`), or None.  (Every row of an
    indicator section is asked: a plain loop over its filled cells, spaces removed only
    from a text that has one.)"""
    units = unit_labels()
    for i, cell in row.filled():
        text = cell.text
        if text in units or (" " in text and text.replace(" ", "") in units):
            return i
    return None


@lru_cache(maxsize=1)
def unit_labels() -> frozenset[str]:
    return frozenset(label for label in labels_of("indicator_header") if lookup("indicator_header", label) == "unit")


def parse_layout(header: Row, review_year: int | None, ctx: SheetContext | None = None, section: str = "") -> Layout:
    layout = Layout(review_year=review_year)
    reader = EraReader(era_context(review_year))
    inline_label = False
    for i, cell in header.filled():
        if layout.unit is None:
            found = header_field(cell.text)
            if found == "unit":
                layout.unit = i
            elif found in ("name", "goal"):
                setattr(layout, found, i)
            elif found == "name_inline":
                inline_label = True
            elif found == "template":
                inline_label = False  # the name cell holds the form's template text: no name
            elif found is None and layout.header_name is None and (
                    inline_label or (section == "policy" and not cell.bold and i > 0)):
                # after 測定指標; or, in a policy table whose merged 測定指標 cell was printed once
                # (above), the name alone before 単位
                layout.header_name, layout.header_name_at = text_value(cell.raw), i
                inline_label = False
            elif found is None and cell.bold and i != header.first()[0] and ctx is not None:
                ctx.warn("unknown_label", f"{ctx.source_path}: unknown column '{cell.text}' in section {section} "
                         f"(line {header.number}); the column was not loaded", "indicator", observed=cell.text)
            continue
        period = column_period(cell.text)
        if period is None and ctx is not None:
            ctx.warn("unknown_label", f"{ctx.source_path}: unknown column '{cell.text}' in section {section} "
                     f"(line {header.number}); the column was not loaded", "indicator", observed=cell.text)
        if period is None or period == "skip":
            continue  # 計画開始時 (a baseline) has no contract period
        text = spelled_year(cell.text)
        if period in TARGET_PERIODS:
            year = target_year(text, reader.era, review_year)
        else:
            year = reader.read(text)
            if year is None and period == "outlook" and layout.columns and layout.columns[-1].fiscal_year:
                year = layout.columns[-1].fiscal_year + 1  # `-年度活動見込`: the year after the column before
        layout.columns.append(ValueColumn(i, period, year))
    layout.era = reader.era
    layout.text_gap = _text_gap(header, layout)
    if layout.columns and layout.columns[-1].period in TARGET_PERIODS:
        layout.last_year = next((c.position for c in reversed(layout.columns) if c.period not in TARGET_PERIODS), None)
    return layout


def _text_gap(header: Row, layout: Layout) -> int | None:
    """The first empty header cell after the first name or goal column when two or more
    stand between it and 単位 (one is the measure labels' column): a cell merged over two
    columns among the text columns (`定量的な成果目標 | | 成果指標 | | 単位`).  The text
    columns left of it stand where the rows print them; those right of it, one column
    left."""
    first = min((i for i in (layout.name, layout.goal) if i is not None), default=None)
    if first is None or layout.unit is None:
        return None
    empty = [i for i in range(first + 1, layout.unit) if not header[i].text]
    return empty[0] if len(empty) > 1 else None


@lru_cache(maxsize=4096)
def target_year(text: str, era: str | None, review_year: int | None) -> int | None:
    """Year of a target column or cell (memoised: it depends on its arguments only, and
    the same target cells and columns print on sheet after sheet).  A bare year inherits the era of the year
    columns unless that reading lies more than 15 years before the review year:
    `2 年度` on a 平成31 sheet is 令和2.  A later year is kept as read (`33 年度` on a
    令和2 sheet is 令和33 = 2051, as the official database records it, although the
    goal text may say 平成33).

    >>> [target_year(t, era, y) for t, era, y in [("2 年度", "平成", 2019), ("33 年度", "令和", 2020),
    ...                                            ("3 年度", "令和", 2020), ("28 年度", "平成", 2019)]]
    [2020, 2051, 2021, 2016]
    """
    match = _YEAR_PART.search(nfkc(text))
    if match is None:
        return None
    part = match.group(0)
    year = EraReader(era_context(review_year), era).read(part)
    if year is None or review_year is None or not _BARE_YEAR.match(part):
        return year
    plausible = [y for y in [year] + [EraReader(None, other).read(part) for other in ("平成", "令和")]
                 if y is not None and y >= review_year - 15]
    return plausible[0] if plausible else year


def apply_target_years(row: Row, layout: Layout) -> list[tuple[int, Cell]] | None:
    """A row of `- 年度` / `2 年度` cells under 中間目標 / 目標最終年度 sets their years
    (each cell the year of the column it sits under, see `_target_columns`).  Returns
    the row's cells under the name and goal columns (a name or goal printed at the top
    of its merged cell, on this row), or None when the row is no target-year row.  A
    cell in the name or goal column is text even when it reads as a year: a name's
    line `（令和元年度）` on a row of its own is no target year (the target columns stand
    right of 単位, the name and goal columns left of it)."""
    years: list[tuple[int, str]] = []
    texts: list[tuple[int, Cell]] = []
    for i, cell in row.filled():
        if i in (layout.name, layout.goal):
            texts.append((i, cell))
        elif (text := _target_year_text(cell.text)) is not None:
            years.append((i, text))
        else:
            return None  # most rows: a cell that is neither a target year nor a name or goal
    if all(text in _NO_TARGET_YEAR for _, text in years):
        return None
    targets = {c.position: c for c in layout.columns if c.period in TARGET_PERIODS}
    under = _target_columns([i for i, _ in years], sorted(targets))
    for i, text in years:
        column = targets.get(under[i])
        if column is not None:
            column.fiscal_year = target_year(text, layout.era, layout.review_year)
    return texts


@lru_cache(maxsize=4096)
def _target_year_text(text: str) -> str | None:
    """A cell's text as a target year (`target_cell_text`) when it prints one (`2 年度`,
    `R3`, `-`), else None.  Memoised: every cell of every row under a header is asked.

    >>> [_target_year_text(t) for t in ["R3", "- 年度", "-", "成果実績", "12"]]
    ['R3年度', '- 年度', '-', None, None]
    """
    if len(text) > 16:
        return None
    text = target_cell_text(text)
    return text if text and (_TARGET_YEAR_CELL.match(text) or text in _NO_TARGET_YEAR) else None


def target_cell_text(text: str) -> str:
    """A target-year cell as `_TARGET_YEAR_CELL` reads it: `R3`, `2021`, `2021(R3)年度`,
    `(3年度)` and `3年度末` are spelled `R3年度`, `2021年度`, `2021年度`, `3年度`, `3年度`.

    >>> [target_cell_text(t) for t in ["R3", "2021(R3)年度", "(3年度)", "令和3年度末", "- 年度"]]
    ['R3年度', '2021年度', '3年度', '令和3年度', '- 年度']
    """
    text = spelled_year(text.strip())
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    return text[:-1] if text.endswith("年度末") else text


def _target_columns(cells: list[int], targets: list[int]) -> dict[int, int]:
    """The target column (its index) each target-year cell (its index) sits under: as
    many cells as target columns and at most one cell more or less apart (a cell merged
    over two columns in the row or in the header: `- 年度 | | 32 年度` under `中間目標 |
    目標最終年度`) go under them in order; else by `_target_shift`.

    >>> _target_columns([8, 10], [8, 9]), _target_columns([8, 9], [8, 10]), _target_columns([8], [8, 9])
    ({8: 8, 10: 9}, {8: 8, 9: 10}, {8: 8})
    """
    if len(cells) == len(targets) > 1 and abs((cells[-1] - cells[0]) - (targets[-1] - targets[0])) <= 1:
        return dict(zip(cells, targets))
    shift = _target_shift(cells, targets)
    return {i: i - shift for i in cells}


def _target_shift(cells: list[int], targets: list[int]) -> int:
    """How far a row of target-year cells (their indexes) sits right of the header's
    target columns: none, unless the row's last cell under the last target column
    puts more cells under target columns (a merged cell before them collapsed).

    >>> _target_shift([8], [8, 9]), _target_shift([8, 9], [8, 9]), _target_shift([7, 8], [8, 9])
    (0, 0, -1)
    """
    if not cells or not targets:
        return 0
    return max((0, cells[-1] - targets[-1]), key=lambda shift: sum(1 for i in cells if i - shift in targets))


def header_blocks(rows: list[Row]) -> list[list[Row]]:
    """Rows from each header row to the next (rows before the first header are not a block)."""
    blocks: list[list[Row]] = []
    merged: dict[int, Row] = {}  # a header whose year columns stand on the next row, with them
    for k, row in enumerate(rows[:-1]):
        if (header := _columns_below(row, rows[k + 1])) is not None:
            merged[k] = header
    for k, row in enumerate(rows):
        if k - 1 in merged:
            continue  # the year columns of the header above
        if k in merged:
            blocks.append([merged[k]])
        elif is_header(row):
            blocks.append([row])
        elif blocks:
            if len(blocks[-1]) == 1 and (joined := _header_continued(blocks[-1][0], row)) is not None:
                blocks[-1][0] = joined
                continue
            blocks[-1].append(row)
    return blocks


def _columns_below(row: Row, below: Row) -> Row | None:
    """A header row (its 単位 cell) with the year and period columns printed on the row
    below it merged in, else None."""
    first = below.first()
    if first is None or row[first[0]].text or column_period(first[1].text) in (None, "skip"):
        return None  # (most rows: a quick no)
    filled = below.filled()
    if any(row[i].text or column_period(c.text) in (None, "skip") for i, c in filled):
        return None
    unit_at = _unit_index(row)
    if unit_at is None or filled[0][0] <= unit_at:
        return None
    if any(column_period(c.text) == "year" for c in row.cells[unit_at + 1:] if c.text) \
            and all(_TARGET_YEAR_CELL.match(target_cell_text(c.text)) for _, c in filled):
        return None  # the target years under a header with year columns of its own (its merged cell collapsed)
    cells = list(row.cells) + [EMPTY] * max(0, filled[-1][0] + 1 - len(row.cells))
    for i, cell in filled:
        cells[i] = cell
    merged = Row(row.number, cells)
    return merged if is_header(merged) else None


def _header_continued(header: Row, row: Row) -> Row | None:
    """The header with its two-line cells joined, when `row` holds only their second
    lines (`2年度` / `活動見込` under each other: the export split the cells), else None."""
    filled = row.filled()
    if not filled or any(not header[i].text or len(c.text) > 12 for i, c in filled):
        return None
    joined = list(header.cells)
    for i, cell in filled:
        top = header[i]
        text = top.text + cell.text
        if column_period(text) in (None, "skip", "year") or column_period(top.text) == column_period(text):
            return None  # the second line must turn the cell into another column (year -> outlook)
        joined[i] = Cell(top.raw + cell.raw, text, top.bold)
    return Row(header.number, joined)
