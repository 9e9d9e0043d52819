"""Outcome, activity, unit-cost and policy indicator blocks -> `indicator` rows.

A block is a header row (name / goal columns, 単位, year columns, 中間目標,
目標最終年度 or ○年度活動見込) followed by measure rows (成果実績 / 目標値 / 達成度,
活動実績 / 当初見込み, 単位当たりコスト / 計算式, 実績値 / 目標値).  Header words,
column words and measure labels are data (labels.csv sections ``indicator_header``,
``indicator_column``, ``indicator``, ``indicator_note``); `indicator_header` reads a
block's header and `indicator_rows` the measure label of each row below it.  A
measure row is aligned with its header by its own label (see `align.measure_offset`);
a new indicator starts when a measure repeats, an actual row follows other measures
or a new header row appears, and the name lines printed on the rows of one indicator
are joined with a newline.  Page-break artefacts inside a block (the header printed again, a
bare page number) and `※` / `(注)` notes under it add no indicator, row or value.  A cell
merged over two columns in a measure row and not in its header, or in the header and not
in the row, is read past (`indicator_gaps`).

Old layouts (2010-2013) print the final target in the header (`目標値(23年度)`) and
the unit cost as one cell (`単位当たりコスト | 37.7千円 | 算出根拠 | …`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache

from transforms.labels import lookup
from transforms.normalize import indicator_value, nfkc, parse_printed_value, without_notes
from transforms.read import Row
from transforms.sections.align import measure_offset
from transforms.sections.context import SheetContext
from transforms.sections.indicator_gaps import dash_unit_or_value, header_gap, with_header_gap, without_merged_gap
from transforms.sections.indicator_header import (TARGET_PERIODS, Layout, ValueColumn, apply_target_years, header_blocks,
                                                   header_field, parse_layout)
from transforms.sections.indicator_rows import NOTE_MARK, add_unit_line, continues_unit, is_value, measure_rows
from transforms.sections.text import one_line, text_value

_COMBINED = re.compile(r"^(?P<actual>.*?)\s*\((?P<planned>[^()]*)\)\s*$")
_VALUE_WITH_UNIT = re.compile(r"^(?P<number>[▲△+-]?\s*[\d,]*\.?\d+)\s*(?P<unit>[^\d\s].*)?$")
_BRACKETED_AFTER = re.compile(r"^(?P<value>[^\[\]]+?)\s*\[[^\[\]]*\]$")  # `12 [12]`, `47 [注1]`
_OPENING = frozenset({"actual", "actual_planned"})  # the measures an indicator's first row holds
# a printed page's number alone on its line (`- 2 -` and `2/3` never reach the blocks:
# `locate.is_page_artefact`); no value row is a lone number without a label
_PAGE_NUMBER = re.compile(r"^\d{1,3}$")
SECTIONS = (("outcome", "outcome"), ("activity", "activity"), ("unit_cost", "unit_cost"), ("policy", "policy"))


@dataclass
class Indicator:
    name_lines: list[str] = field(default_factory=list)
    goal_lines: list[str] = field(default_factory=list)
    measures: set[str] = field(default_factory=set)
    rows: list[dict] = field(default_factory=list)


def parse_indicator_block(rows: list[Row], kind: str, ctx: SheetContext) -> list[Indicator]:
    """Indicators of one block (its header row, then rows up to the next header); a name
    on a target-year row with no measure rows below is none."""
    layout = parse_layout(rows[0], ctx.review_year, ctx, kind)
    positions = [c.position for c in layout.columns]
    gap = header_gap(rows[0], layout, positions)
    indicators: list[Indicator] = []
    current: Indicator | None = None
    note_at: int | None = None  # the column of a note's text (根拠として用いた統計…): its next lines
    unit_at: int | None = None  # the column of the unit cell of the last measure row, as printed
    added = 0  # the index of that row's first value in current.rows
    between = _LinesBetween(layout)
    for row, found in measure_rows(rows[1:], kind):
        if found is None and note_at is not None and [i for i, _ in row.filled()] == [note_at]:
            continue  # the note's text continued on a row of its own
        if found is None and unit_at is not None and continues_unit(row, unit_at, kind):
            add_unit_line(current.rows[added:], row[unit_at].raw)  # `千円/都` then `道府県数`
            continue
        unit_at = None
        note_at = _note_text_column(row) if found is None else None
        # (a measure label is no target year: a measure row is none, unless its label sits in the name or goal column)
        named_above = apply_target_years(row, layout) if found is None or found[0] in (layout.name, layout.goal) else None
        if named_above is not None:
            if named_above:  # a name or goal atop its merged cell: the measure rows below continue it
                current = _new_indicator(indicators, layout)
                _add_names(current, row, layout, 0, len(row))  # its other cells are target years
            continue
        if found is None:
            before, first = current, not indicators
            lines = (len(current.name_lines), len(current.goal_lines)) if current is not None else (0, 0)
            current = _other_row(row, layout, current, kind, ctx, indicators)
            between.other_row(before, first, current, lines)
            continue
        label_index, measure = found
        above = None
        if _opens_indicator(measure, current):
            above, current = current, _new_indicator(indicators, layout)
        current.measures.update(("actual", "planned") if measure == "actual_planned" else (measure,))
        # (a cell merged over two columns in the header and not in the row, or the reverse)
        printed = row
        row = with_header_gap(row, label_index, layout, gap) if gap is not None \
            else without_merged_gap(row, label_index, layout, positions, measure)
        offset, unit_at = _row_offset(row, label_index, layout, positions)
        # (a row read without its unit cell has its values a cell left, not its name and goal)
        by_label = offset if unit_at is not None or layout.unit is None else label_index + 1 - layout.unit
        _add_names(current, row, layout, by_label, label_index)
        between.place(above, current, row, kind, ctx)
        if unit_at is not None and dash_unit_or_value(row, positions, offset, unit_at):
            ctx.warn("ambiguous_amounts", f"{ctx.source_path}: {kind} line {row.number} '{row[label_index].text}': the "
                     "'-' after the label may be its unit or its first value (a blank unit cell merged away); its "
                     "values were not loaded", "indicator", observed=row[unit_at].text)
            unit_at = None
            continue
        unit = one_line(row[unit_at].raw) if unit_at is not None and unit_at > label_index else None
        if unit is None or row is not printed:
            unit_at = None  # (no unit, or not in its printed column: a row below cannot continue it)
        added = len(current.rows)
        for column in layout.columns:
            cell = row[column.position + offset]
            if cell.text:
                _add_values(current.rows, measure, column, cell.raw, cell.text, unit)
    measured = [indicator for indicator in indicators if indicator.measures]
    _share_goals(measured)
    return measured


class _LinesBetween:
    """Name or goal lines on rows of their own between two indicators' measure rows: the
    rest of the cell above (split over rows), or the top of the next indicator's cell,
    printed above its first measure row (平成24's one-row activity indicators).  The
    block tells when its first indicator's lines start above its measure rows (the next
    one's then too), or when the next indicator prints a line of its own in that column
    on its first row (they are the one above's); otherwise they stay the one above's,
    reported (`ambiguous_indicator`)."""

    def __init__(self, layout: Layout) -> None:
        self.header_lines = 1 if layout.header_name else 0  # the name lines every indicator starts with
        self.tells_above = layout.header_name_at is None  # (else a line above the rows may be the header's name)
        self.names_above = False  # the block's first indicator took lines before its first measure row
        self.kept: tuple[Indicator, int, int] | None = None  # (the indicator above, its name and goal lines before them)

    def other_row(self, before: Indicator | None, first: bool, after: Indicator | None, lines: tuple[int, int]) -> None:
        """Note what a row without measure label did: `before` and `after` the indicator
        before and after it, `first` whether the block had none before, `lines` the
        number of name and goal lines of `before` before the row."""
        if before is None:
            self.names_above |= first and after is not None and self.tells_above
        elif after is not before:
            self.kept = None  # (a note ended the indicator)
        elif after.measures and self.kept is None and (len(after.name_lines), len(after.goal_lines)) != lines:
            self.kept = (after, *lines)

    def place(self, above: Indicator | None, current: Indicator, row: Row, kind: str, ctx: SheetContext) -> None:
        """After the first measure row of `current` (`above`: the indicator before it, None
        when the row opened none): move the lines between to it, or report them."""
        kept, self.kept = self.kept, None
        if above is None or kept is None or kept[0] is not above:
            return
        for lines, since, own, start in ((above.name_lines, kept[1], current.name_lines, self.header_lines),
                                         (above.goal_lines, kept[2], current.goal_lines, 0)):
            between = lines[since:]
            if not between:
                continue
            if self.names_above:
                del lines[since:]
                own[start:start] = between
            elif len(own) == start:
                ctx.warn("ambiguous_indicator", f"{ctx.source_path}: {kind} line {row.number}: '{between[0][:40]}' "
                         "on a row of its own above may end the indicator above or begin this one, which prints no "
                         "line in its column; read as the one above's", "indicator", observed=between[0][:80])


def _share_goals(indicators: list[Indicator]) -> None:
    """A goal cell merged over the rows of several stacked indicators prints once, on
    the first one's first row: an indicator of the block that prints no goal lines
    has the goal of the one above (定量的な成果目標 / 算出根拠 is the goal of each)."""
    for above, below in zip(indicators, indicators[1:]):
        if above.goal_lines and not below.goal_lines:
            below.goal_lines = list(above.goal_lines)


def _opens_indicator(measure: str, current: Indicator | None) -> bool:
    """Whether a measure row starts a new indicator: its measure was seen already, or it
    is an actual row (`_OPENING`) after other measures.  The form prints an indicator's
    actual row first (成果実績 / 活動実績 / 単位当たりコスト / 実績値), so when the first
    of stacked indicators lacks it, the next one's actual row still opens that one."""
    if current is None or measure in current.measures:
        return True
    return measure in _OPENING and bool(current.measures)


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
    """The name and goal lines printed on `row` (shifted by `offset`) left of cell `before`.

    The header's name cell is merged over the name and label columns of the rows below;
    an export that prints it once shifts the header's 単位 and years one cell left, not
    its name or goal: a text column the shift would move onto the label stays left of it.
    """
    last_text = layout.last_text_column
    if last_text is None:
        return  # (no name or goal column)
    offset = min(offset, before - 1 - last_text)
    # a cell merged over two columns among the text columns (of the header, or of the row):
    # the text columns left of it are not shifted
    split = None
    if offset:  # (most rows: not shifted)
        split = layout.text_gap if offset < 0 else _row_text_gap(row, layout, before) if offset == 1 else None
    for column_at, lines in ((layout.name, indicator.name_lines), (layout.goal, indicator.goal_lines)):
        if column_at is None:
            continue
        at = column_at if split is not None and column_at < split else column_at + offset
        if 0 <= at < before:
            cell = row[at]
            if cell.text:  # (most rows: the name printed on an indicator's first row only)
                _add_line(lines, cell.raw)


def _row_text_gap(row: Row, layout: Layout, before: int) -> int | None:
    """The one empty cell of a row shifted one cell right (its label at `before`) between
    its first text column and its label (`| goal | | name | 成果実績`: a cell merged over
    two columns), else None: with more, which one is merged the row does not tell."""
    first = min(i for i in (layout.name, layout.goal) if i is not None)
    empty = [i for i in range(first, before) if not row[i].text]
    return empty[0] if len(empty) == 1 else None


def _row_offset(row: Row, label_index: int, layout: Layout, positions: list[int]) -> tuple[int, int | None]:
    """Shift of a measure row against the header (`align.measure_offset`; `positions`:
    those of the layout's columns) and the index of its unit cell.  A row printed
    without its unit cell (`達成度 | 99.3 | 97 …`) would read its first value as the
    unit: when the unit cell holds a number and the values fit the columns without it
    (no filled cell left beyond the last column), the row is aligned by its values and
    has no unit cell.

    >>> from transforms.read import clean_cell
    >>> layout = Layout(unit=3, columns=[ValueColumn(p, "year", None) for p in (4, 5, 6)])
    >>> _row_offset(Row(1, [clean_cell(t) for t in ["", "", "達成度", "%", "99.3", "97", "-"]]), 2, layout, [4, 5, 6])
    (0, 3)
    >>> _row_offset(Row(1, [clean_cell(t) for t in ["", "", "達成度", "99.3", "97", "-"]]), 2, layout, [4, 5, 6])
    (-1, None)
    """
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
    """A row without a measure label: a known note (ends the indicator), a page number
    or a `※` note (skipped), name and goal lines (a multi-line cell split over rows:
    they continue the indicator above, or start the first one when they come before
    its measure rows), or an unknown label reported as a warning."""
    filled = row.filled()
    if any(lookup("indicator_note", c.text) for _, c in filled[:2] if len(c.text) <= 40):
        return None
    if len(filled) == 1 and _PAGE_NUMBER.match(filled[0][1].text):
        return current
    if layout.header_name_at is not None and (current is None or not current.measures) and len(filled) == 1 \
            and filled[0][0] <= layout.header_name_at and not is_value(filled[0][1], kind):
        # the header's name (測定指標) continued on the next row, in its column or left of it
        if current is None:
            current = _new_indicator(indicators, layout)
        _add_line(current.name_lines, filled[0][1].raw)
        return current
    text_columns = {layout.name, layout.goal} - {None}
    text_lines = all(i in text_columns and not is_value(c, kind) for i, c in filled)
    if NOTE_MARK.match(filled[0][1].text) and not text_lines:
        # a note under or inside the block (`※…`, `(注)…`): no contract column holds it.  In the
        # name or goal column it is a line of that cell (the official database keeps such lines)
        return current
    if text_lines:
        if current is None:  # lines before the block's first measure row: its first indicator's
            current = _new_indicator(indicators, layout)
        for i, cell in filled:
            _add_line(current.name_lines if i == layout.name else current.goal_lines, cell.raw)
        return current
    values = [c for _, c in filled if is_value(c, kind)]
    if not values:
        return current
    # The label cell sits right before the unit (`成果実績 | 点数 | 3 …`); else the first short text.
    labelled = row[layout.unit - 1] if layout.unit else None
    if labelled is None or not labelled.text or is_value(labelled, kind):
        labelled = next((c for _, c in filled if not is_value(c, kind) and len(c.text) <= 40), None)
    if labelled is not None:
        ctx.unknown_label(kind, labelled.text, row.number, "indicator")
    return None


def _finish(indicators: list[Indicator], kind: str) -> list[list[dict]]:
    result = []
    for indicator in indicators:
        name = "\n".join(indicator.name_lines) or None
        goal = "\n".join(indicator.goal_lines) or None
        if kind == "policy" and name is None and not any(r["value"] is not None for r in indicator.rows):
            continue  # the form's empty template (定量的指標 / KPI, all '-') is no indicator
        fields = {"kind": kind, "name": name, "goal": goal}  # (built once: every row of the indicator takes them)
        for r in indicator.rows:
            r.update(fields)
        result.append(indicator.rows)
    return result


def _add_line(lines: list[str], raw: str) -> None:
    text = text_value(raw)
    if text:
        lines.append(text)


def _add_values(rows: list[dict], measure: str, column: ValueColumn, raw: str, text: str, unit: str | None) -> None:
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
    """One value of a measure row (`_finish` adds kind, name and goal)."""
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


def parse_indicators(sections, ctx: SheetContext) -> list[dict]:
    """All indicator rows of a sheet with kind and 1-based indicator_no."""
    out: list[dict] = []
    for section, kind in SECTIONS:
        rows = sections.get(section)
        if not rows:
            continue
        blocks = header_blocks(rows)
        if kind == "unit_cost" and not blocks:
            single = parse_single_unit_cost(rows, ctx)
            indicators = [single] if single else []
        else:
            indicators = _finish(_blocks_joined(blocks, kind, ctx), kind)
        if not blocks and kind in ("outcome", "activity"):
            ctx.warn("section_unreadable", f"{ctx.source_path}: no header row (単位 and year columns) in section {section} (line {rows[0].number})", "indicator")
        for number, indicator_rows in enumerate(indicators, start=1):
            for r in indicator_rows:
                r["indicator_no"] = number
            out.extend(indicator_rows)
    return out


def _blocks_joined(blocks: list[list[Row]], kind: str, ctx: SheetContext) -> list[Indicator]:
    """The indicators of a section's blocks, a block's first indicator joined to the
    previous block's last one when it continues it (`_continues`)."""
    indicators: list[Indicator] = []
    for block in blocks:
        parsed = parse_indicator_block(block, kind, ctx)
        if parsed and indicators and _continues(indicators[-1], parsed[0]):
            _join(indicators[-1], parsed.pop(0))
        indicators.extend(parsed)
    return indicators


def _continues(previous: Indicator, first: Indicator) -> bool:
    """Whether a block's first indicator is the rest of the previous block's last one:
    the header printed again at a page break, inside one indicator.  The rows after it
    hold no actual row (which opens an indicator) and no measure seen already; name
    and goal lines on them continue the indicator's cells split over the break."""
    return not first.measures & (previous.measures | _OPENING)


def _join(previous: Indicator, rest: Indicator) -> None:
    """`rest` appended to `previous`; a target column the repeated header left without
    its year row takes the year read before the break, and a name the header prints
    (測定指標) is not added again."""
    targets = {r["period"]: r["fiscal_year"] for r in previous.rows if r["period"] in TARGET_PERIODS}
    for row in rest.rows:
        if row["period"] in targets and row["fiscal_year"] is None:
            row["fiscal_year"] = targets[row["period"]]
    repeated = rest.name_lines[:1] == previous.name_lines[:1]  # (the header's name starts both)
    previous.name_lines += rest.name_lines[1:] if repeated else rest.name_lines
    previous.goal_lines += rest.goal_lines
    previous.measures |= rest.measures
    previous.rows += rest.rows
