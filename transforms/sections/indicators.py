"""Outcome, activity, unit-cost and policy indicator blocks -> `indicator` rows.

A block is a header row (name / goal columns, 単位, year columns, 中間目標,
目標最終年度 or ○年度活動見込) followed by measure rows (成果実績 / 目標値 / 達成度,
活動実績 / 当初見込み, 単位当たりコスト / 計算式, 実績値 / 目標値).  Header words,
column words and measure labels are data (labels.csv sections ``indicator_header``,
``indicator_column``, ``indicator``, ``indicator_note``).  A measure row is aligned
with its header by its own label (see `align.measure_offset`); a new indicator
starts when a measure repeats or a new header row appears, and the name lines
printed on the rows of one indicator are joined with a newline.

Old layouts (2010-2013) print the final target in the header (`目標値(23年度)`) and
the unit cost as one cell (`単位当たりコスト | 37.7千円 | 算出根拠 | …`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from transforms.labels import compact, labels_of, lookup
from transforms.normalize import NOT_A_NUMBER, EraReader, indicator_value, nfkc, parse_printed_value, spelled_year, without_notes
from transforms.read import EMPTY, Cell, Row
from transforms.sections.align import measure_offset
from transforms.sections.budget import era_context
from transforms.sections.context import SheetContext
from transforms.sections.text import one_line, text_value

# A year inside a column header: `平成29年度`, `2年度`, `- 年度`, `32 年度` (never the
# bare 年度 of 目標最終年度).
_YEAR_PART = re.compile(r"(?:明治|大正|昭和|平成|令和|(?<![A-Za-z])[MTSHR](?=\s*(?:\d|元)))?\s*(?:\d{1,4}|元|[-―ー－])\s*年度?")
_BARE_YEAR = re.compile(r"\s*(?:\d{1,2}|元)\s*年")
_TARGET_YEAR_CELL = re.compile(r"^(?:(?:昭和|平成|令和|[SHR])?\s*(?:\d{1,2}|元)|(?:19|20)\d{2}|[-―ー－])?\s*年度$")
_NO_TARGET_YEAR = frozenset({"-", "―", "ー", "－", "未定"})  # a target-year cell printed without 年度
_COMBINED = re.compile(r"^(?P<actual>.*?)\s*\((?P<planned>[^()]*)\)\s*$")
_VALUE_WITH_UNIT = re.compile(r"^(?P<number>[▲△+-]?\s*[\d,]*\.?\d+)\s*(?P<unit>[^\d\s].*)?$")
TARGET_PERIODS = ("interim_target", "final_target")
SECTIONS = (("outcome", "outcome"), ("activity", "activity"), ("unit_cost", "unit_cost"), ("policy", "policy"))


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
    review_year: int | None = None


@dataclass
class Indicator:
    name_lines: list[str] = field(default_factory=list)
    goal_lines: list[str] = field(default_factory=list)
    measures: set[str] = field(default_factory=set)
    rows: list[dict] = field(default_factory=list)


def column_word(text: str) -> str:
    """A column header without its year: `2年度活動見込` -> `活動見込`, `目標値(23年度)` -> `目標値`.

    >>> column_word("令和元年度"), column_word("中間目標 -年度"), column_word("目標値(23年度)"), column_word("目標最終年度")
    ('', '中間目標', '目標値', '目標最終年度')
    """
    word = _YEAR_PART.sub("", nfkc(text)) if "年" in text else nfkc(text)
    return word.replace("()", "").replace(" ", "")


@lru_cache(maxsize=4096)
def _column(cell_text: str) -> str | None:
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
def _header_field(text: str) -> str | None:
    return lookup("indicator_header", text) if len(text) <= 20 else None


def is_header(row: Row) -> bool:
    """A header row: a 単位 cell followed by at least one year or period column."""
    units = _unit_labels()
    unit_at = next((i for i, c in enumerate(row.cells) if c.text and c.text.replace(" ", "") in units), None)
    if unit_at is None:
        return False
    return any(c.text and _column(c.text) not in (None, "skip") for c in row.cells[unit_at + 1:])


@lru_cache(maxsize=1)
def _unit_labels() -> frozenset[str]:
    return frozenset(label for label in labels_of("indicator_header") if lookup("indicator_header", label) == "unit")


def parse_layout(header: Row, review_year: int | None, ctx: SheetContext | None = None, section: str = "") -> Layout:
    layout = Layout(review_year=review_year)
    reader = EraReader(era_context(review_year))
    inline_label = False
    for i, cell in header.filled():
        if layout.unit is None:
            found = _header_field(cell.text)
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
        period, text = _column(cell.text), spelled_year(cell.text)
        if period is None and ctx is not None:
            ctx.warn("unknown_label", f"{ctx.source_path}: unknown column '{cell.text}' in section {section} "
                     f"(line {header.number}); the column was not loaded", "indicator", observed=cell.text)
        if period is None or period == "skip":
            continue  # 計画開始時 (a baseline) has no contract period
        if period in TARGET_PERIODS:
            year = _target_year(text, reader.era, review_year)
        else:
            year = reader.read(text)
            if year is None and period == "outlook" and layout.columns and layout.columns[-1].fiscal_year:
                year = layout.columns[-1].fiscal_year + 1  # `-年度活動見込`: the year after the column before
        layout.columns.append(ValueColumn(i, period, year))
    layout.era = reader.era
    return layout


def _target_year(text: str, era: str | None, review_year: int | None) -> int | None:
    """Year of a target column or cell.  A bare year inherits the era of the year
    columns unless that reading lies more than 15 years before the review year:
    `2 年度` on a 平成31 sheet is 令和2.  A later year is kept as read (`33 年度` on a
    令和2 sheet is 令和33 = 2051, as the official database records it, although the
    goal text may say 平成33).

    >>> [_target_year(t, era, y) for t, era, y in [("2 年度", "平成", 2019), ("33 年度", "令和", 2020),
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


def _apply_target_years(row: Row, layout: Layout) -> list[tuple[int, Cell]] | None:
    """A row of `- 年度` / `2 年度` cells under 中間目標 / 目標最終年度 sets their years
    (each cell the year of the column it sits under, see `_target_shift`).  Returns
    the row's cells under the name and goal columns (a name or goal printed at the top
    of its merged cell, on this row), or None when the row is no target-year row."""
    years: list[tuple[int, str]] = []
    texts: list[tuple[int, Cell]] = []
    for i, cell in row.filled():
        text = target_cell_text(cell.text) if len(cell.text) <= 16 else ""
        if text and (_TARGET_YEAR_CELL.match(text) or text in _NO_TARGET_YEAR):
            years.append((i, text))
        elif i in (layout.name, layout.goal):
            texts.append((i, cell))
        else:
            return None  # most rows: a cell that is neither a target year nor a name or goal
    if all(text in _NO_TARGET_YEAR for _, text in years):
        return None
    targets = {c.position: c for c in layout.columns if c.period in TARGET_PERIODS}
    shift = _target_shift([i for i, _ in years], sorted(targets))
    for i, text in years:
        column = targets.get(i - shift)
        if column is not None:
            column.fiscal_year = _target_year(text, layout.era, layout.review_year)
    return texts


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


def _measure(row: Row) -> tuple[int, str] | None:
    """(index, measure) of the row's measure label: the rightmost (a name line may read
    `計算式`), and an exact label before one matched without its bracketed note (a
    name such as `達成度(%)` is no label)."""
    exact = keyed = None
    measures = labels_of("indicator")
    for i, cell in row.filled():
        if len(cell.text) > 20:
            continue
        found = lookup("indicator", cell.text)
        if found:
            if compact(cell.text) in measures:
                exact = (i, found)
            else:
                keyed = (i, found)
    return exact or keyed


def _measure_rows(rows: list[Row]) -> Iterator[tuple[Row, tuple[int, str] | None]]:
    """Each row with its measure label (`_measure`).  A label the export split over
    two rows (a two-line cell: `活動実績` on the row with the `1 (1)` cells, then
    `(当初見込み)` alone below) counts once, on the upper row, as the whole label."""
    k = 0
    while k < len(rows):
        found = _measure(rows[k])
        joined = _joined_measure(rows[k], found, rows[k + 1]) if found and k + 1 < len(rows) else None
        yield rows[k], (found[0], joined) if joined else found
        k += 2 if joined else 1


def _joined_measure(row: Row, found: tuple[int, str], below: Row) -> str | None:
    """The measure of `row`'s label continued by the one cell of the row below, when
    that cell is no label itself and the two read as another label.

    >>> from transforms.read import clean_cell
    >>> upper = Row(1, [clean_cell(t) for t in ["", "name", "活動実績", "件", "1 (1)"]])
    >>> _joined_measure(upper, (2, "actual"), Row(2, [clean_cell(t) for t in ["", "", "(当初見込み)"]]))
    'actual_planned'
    >>> _joined_measure(upper, (2, "actual"), Row(2, [clean_cell(t) for t in ["", "name", "当初見込み", "件", "1"]])) is None
    True
    """
    filled = below.filled()
    if len(filled) != 1 or lookup("indicator", filled[0][1].text):
        return None
    joined = lookup("indicator", row[found[0]].text + filled[0][1].text)
    return joined if joined != found[1] else None


def parse_indicator_block(rows: list[Row], kind: str, ctx: SheetContext) -> list[list[dict]]:
    """Indicators of one block: its header row, then rows up to the next header."""
    layout = parse_layout(rows[0], ctx.review_year, ctx, kind)
    indicators: list[Indicator] = []
    current: Indicator | None = None
    note_at: int | None = None  # the column of a note's text (根拠として用いた統計…): its next lines
    for row, found in _measure_rows(rows[1:]):
        if found is None and note_at is not None and [i for i, _ in row.filled()] == [note_at]:
            continue  # the note's text continued on a row of its own
        note_at = _note_text_column(row) if found is None else None
        named_above = _apply_target_years(row, layout)
        if named_above is not None:
            if named_above:  # a name or goal atop its merged cell: the measure rows below continue it
                current = _new_indicator(indicators, layout)
                _add_names(current, row, layout, 0, len(row))  # its other cells are target years
            continue
        if found is None:
            current = _other_row(row, layout, current, kind, ctx, indicators)
            continue
        label_index, measure = found
        if current is None or measure in current.measures or (measure == "actual_planned" and current.measures):
            current = _new_indicator(indicators, layout)
        current.measures.update(("actual", "planned") if measure == "actual_planned" else (measure,))
        offset, unit_at = _row_offset(row, label_index, layout)
        _add_names(current, row, layout, offset, label_index)
        unit = one_line(row[unit_at].raw) if unit_at is not None and unit_at > label_index else None
        for column in layout.columns:
            cell = row[column.position + offset]
            if cell.text:
                current.rows.extend(_values(measure, column, cell.raw, cell.text, unit))
    return _finish(indicators, kind)


def _note_text_column(row: Row) -> int | None:
    """The column of the text after a note label (`根拠として用いた統計・データ名(出典) | text`)."""
    filled = row.filled()
    for k, (_, cell) in enumerate(filled[:2]):
        if len(cell.text) <= 40 and lookup("indicator_note", cell.text):
            return filled[k + 1][0] if k + 1 < len(filled) else None
    return None


def _new_indicator(indicators: list[Indicator], layout: Layout) -> Indicator:
    indicator = Indicator(name_lines=[layout.header_name] if layout.header_name else [])
    indicators.append(indicator)
    return indicator


def _add_names(indicator: Indicator, row: Row, layout: Layout, offset: int, before: int) -> None:
    """The name and goal lines printed on `row` (shifted by `offset`) left of cell `before`."""
    for column_at, lines in ((layout.name, indicator.name_lines), (layout.goal, indicator.goal_lines)):
        if column_at is not None and 0 <= column_at + offset < before:
            _add_line(lines, row[column_at + offset].raw)


def _row_offset(row: Row, label_index: int, layout: Layout) -> tuple[int, int | None]:
    """Shift of a measure row against the header (`align.measure_offset`) and the index
    of its unit cell.  A row printed without its unit cell (`達成度 | 99.3 | 97 …`)
    would read its first value as the unit: when the unit cell holds a number and the
    values fit the columns without it (no filled cell left beyond the last column),
    the row is aligned by its values and has no unit cell.

    >>> from transforms.read import clean_cell
    >>> layout = Layout(unit=3, columns=[ValueColumn(p, "year", None) for p in (4, 5, 6)])
    >>> _row_offset(Row(1, [clean_cell(t) for t in ["", "", "達成度", "%", "99.3", "97", "-"]]), 2, layout)
    (0, 3)
    >>> _row_offset(Row(1, [clean_cell(t) for t in ["", "", "達成度", "99.3", "97", "-"]]), 2, layout)
    (-1, None)
    """
    positions = [c.position for c in layout.columns]
    offset = measure_offset(row, label_index, layout.unit, positions)
    if layout.unit is None:
        return offset, None
    if positions and parse_printed_value(row[layout.unit + offset].raw) is not None:
        by_values = measure_offset(row, label_index, None, positions)
        if not any(row[i].text for i in range(positions[-1] + by_values + 1, len(row))):
            return by_values, None
    return offset, layout.unit + offset


def _other_row(row: Row, layout: Layout, current: Indicator | None, kind: str, ctx: SheetContext,
               indicators: list[Indicator]) -> Indicator | None:
    """A row without a measure label: a known note (ends the indicator), name and goal
    lines (a multi-line cell split over rows: they continue the indicator above, or
    start the first one when they come before its measure rows), or an unknown label
    reported as a warning."""
    filled = row.filled()
    if any(lookup("indicator_note", c.text) for _, c in filled[:2] if len(c.text) <= 40):
        return None
    if layout.header_name_at is not None and (current is None or not current.measures) and len(filled) == 1 \
            and filled[0][0] <= layout.header_name_at and not _is_value(filled[0][1], kind):
        # the header's name (測定指標) continued on the next row, in its column or left of it
        if current is None:
            current = _new_indicator(indicators, layout)
        _add_line(current.name_lines, filled[0][1].raw)
        return current
    text_columns = {layout.name, layout.goal} - {None}
    if filled and all(i in text_columns and not _is_value(c, kind) for i, c in filled):
        if current is None:  # lines before the block's first measure row: its first indicator's
            current = _new_indicator(indicators, layout)
        for i, cell in filled:
            _add_line(current.name_lines if i == layout.name else current.goal_lines, cell.raw)
        return current
    values = [c for _, c in filled if _is_value(c, kind)]
    if not values:
        return current
    # The label cell sits right before the unit (`成果実績 | 点数 | 3 …`); else the first short text.
    labelled = row[layout.unit - 1] if layout.unit else None
    if labelled is None or not labelled.text or _is_value(labelled, kind):
        labelled = next((c for _, c in filled if not _is_value(c, kind) and len(c.text) <= 40), None)
    if labelled is not None:
        ctx.unknown_label(kind, labelled.text, row.number, "indicator")
    return None


def _is_value(cell, kind: str) -> bool:
    """A number, or (outside the policy block's free-text rows) a printed `-`."""
    return parse_printed_value(cell.raw) is not None or (kind != "policy" and cell.text in NOT_A_NUMBER)


def _finish(indicators: list[Indicator], kind: str) -> list[list[dict]]:
    result = []
    for indicator in indicators:
        if not indicator.measures:
            continue  # a name on a target-year row without measure rows below
        name = "\n".join(indicator.name_lines) or None
        goal = "\n".join(indicator.goal_lines) or None
        if kind == "policy" and name is None and not any(r["value"] is not None for r in indicator.rows):
            continue  # the form's empty template (定量的指標 / KPI, all '-') is no indicator
        for r in indicator.rows:
            r.update(kind=kind, name=name, goal=goal)
        result.append(indicator.rows)
    return result


def _add_line(lines: list[str], raw: str) -> None:
    text = text_value(raw)
    if text:
        lines.append(text)


def _values(measure: str, column: ValueColumn, raw: str, text: str, unit: str | None) -> list[dict]:
    base = {"fiscal_year": column.fiscal_year, "period": column.period, "unit": unit}
    if measure == "actual_planned":
        # 平成24: `47 (47)` holds the actual and, in brackets, the planned value.
        match = _COMBINED.match(text)
        if match:
            return [
                dict(base, measure="actual", value=indicator_value(match.group("actual"), unit), raw_text=raw),
                dict(base, measure="planned", value=indicator_value(match.group("planned"), unit), raw_text=raw),
            ]
        measure = "actual"
    value = None if measure == "formula" else indicator_value(raw, unit)
    return [dict(base, measure=measure, value=value, raw_text=raw)]


def parse_single_unit_cost(rows: list[Row], ctx: SheetContext) -> list[dict]:
    """2010-2013: `単位当たりコスト | 37.7千円 | 算出根拠 | text` on one row (last year's cost);
    the unit may stand in a cell of its own or in the label (`単位当たりコスト(千円)`), and the
    算出根拠 may go on in its column on the rows below."""
    filled = rows[0].filled()
    value_cell = goal = goal_at = unit = None
    for k, (_, cell) in enumerate(filled[1:], start=1):
        if _header_field(cell.text) == "goal":
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


def parse_indicators(sections, ctx: SheetContext) -> list[dict]:
    """All indicator rows of a sheet with kind and 1-based indicator_no."""
    out: list[dict] = []
    for section, kind in SECTIONS:
        rows = sections.get(section)
        if not rows:
            continue
        blocks = _blocks(rows)
        indicators: list[list[dict]] = []
        if kind == "unit_cost" and not blocks:
            single = parse_single_unit_cost(rows, ctx)
            indicators = [single] if single else []
        for block in blocks:
            parsed = parse_indicator_block(block, kind, ctx)
            if parsed and indicators and kind in ("outcome", "activity") and _continues(indicators[-1], parsed[0]):
                # the header printed again at a page break, inside one indicator: the rows
                # after it are that indicator's (no name of their own, measures not yet seen)
                targets = {r["period"]: r["fiscal_year"] for r in indicators[-1] if r["period"] in TARGET_PERIODS}
                for row in parsed[0]:
                    row["name"], row["goal"] = indicators[-1][0]["name"], indicators[-1][0]["goal"]
                    if row["period"] in targets and row["fiscal_year"] is None:
                        row["fiscal_year"] = targets[row["period"]]
                indicators[-1].extend(parsed.pop(0))
            indicators.extend(parsed)
        if not blocks and kind in ("outcome", "activity"):
            ctx.warn("section_unreadable", f"{ctx.source_path}: no header row (単位 and year columns) in section {section} (line {rows[0].number})", "indicator")
        for number, indicator_rows in enumerate(indicators, start=1):
            for r in indicator_rows:
                r["indicator_no"] = number
            out.extend(indicator_rows)
    return out


def _continues(previous: list[dict], first: list[dict]) -> bool:
    """Whether a block's first indicator is the rest of the previous block's last one."""
    if any(r["name"] is not None or r["goal"] is not None for r in first):
        return False
    return not {r["measure"] for r in first} & {r["measure"] for r in previous}


def _blocks(rows: list[Row]) -> list[list[Row]]:
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
    if first is None or row[first[0]].text or _column(first[1].text) in (None, "skip"):
        return None  # (most rows: a quick no)
    filled = below.filled()
    if any(row[i].text or _column(c.text) in (None, "skip") for i, c in filled):
        return None
    units = _unit_labels()
    unit_at = next((i for i, c in enumerate(row.cells) if c.text and c.text.replace(" ", "") in units), None)
    if unit_at is None or filled[0][0] <= unit_at:
        return None
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
        if _column(text) in (None, "skip", "year") or _column(top.text) == _column(text):
            return None  # the second line must turn the cell into another column (year -> outlook)
        joined[i] = Cell(top.raw + cell.raw, text, top.bold)
    return Row(header.number, joined)
