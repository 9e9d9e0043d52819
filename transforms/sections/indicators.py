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

Names and goals are read by `indicator_names`, the values of the measure cells and
the old one-row unit cost by `indicator_values`.
"""

from __future__ import annotations

import re

from transforms.labels import lookup
from transforms.normalize import parse_printed_value
from transforms.read import Row
from transforms.sections.align import measure_offset
from transforms.sections.context import SheetContext
from transforms.sections.indicator_gaps import dash_unit_or_value, header_gap, with_header_gap, without_merged_gap
from transforms.sections.indicator_header import (TARGET_PERIODS, Layout, apply_target_years, header_blocks,
                                                   parse_layout)
from transforms.sections.indicator_names import Indicator, LinesBetween, add_line, add_names, new_indicator, share_goals
from transforms.sections.indicator_rows import NOTE_MARK, add_unit_line, continues_unit, is_value, measure_rows
from transforms.sections.indicator_values import add_values, parse_single_unit_cost
from transforms.sections.text import one_line

__all__ = ["SECTIONS", "Indicator", "parse_indicator_block", "parse_indicators", "parse_single_unit_cost"]

_OPENING = frozenset({"actual", "actual_planned"})  # the measures an indicator's first row holds
# a printed page's number alone on its line (`- 2 -` and `2/3` never reach the blocks:
# `locate.is_page_artefact`); no value row is a lone number without a label
_PAGE_NUMBER = re.compile(r"^\d{1,3}$")
SECTIONS = (("outcome", "outcome"), ("activity", "activity"), ("unit_cost", "unit_cost"), ("policy", "policy"))


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
    between = LinesBetween(layout)
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
                current = new_indicator(indicators, layout)
                add_names(current, row, layout, 0, len(row))  # its other cells are target years
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
            above, current = current, new_indicator(indicators, layout)
        current.measures.update(("actual", "planned") if measure == "actual_planned" else (measure,))
        # (a cell merged over two columns in the header and not in the row, or the reverse)
        printed = row
        row = with_header_gap(row, label_index, layout, gap) if gap is not None \
            else without_merged_gap(row, label_index, layout, positions, measure)
        offset, unit_at = _row_offset(row, label_index, layout, positions)
        # (a row read without its unit cell has its values a cell left, not its name and goal)
        by_label = offset if unit_at is not None or layout.unit is None else label_index + 1 - layout.unit
        add_names(current, row, layout, by_label, label_index)
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
                add_values(current.rows, measure, column, cell.raw, cell.text, unit)
    measured = [indicator for indicator in indicators if indicator.measures]
    share_goals(measured)
    return measured


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


def _row_offset(row: Row, label_index: int, layout: Layout, positions: list[int]) -> tuple[int, int | None]:
    """Shift of a measure row against the header (`align.measure_offset`; `positions`:
    those of the layout's columns) and the index of its unit cell.  A row printed
    without its unit cell (`達成度 | 99.3 | 97 …`) would read its first value as the
    unit: when the unit cell holds a number and the values fit the columns without it
    (no filled cell left beyond the last column), the row is aligned by its values and
    has no unit cell.

    >>> from transforms.read import clean_cell
    >>> from transforms.sections.indicator_header import ValueColumn
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
            current = new_indicator(indicators, layout)
        add_line(current.name_lines, filled[0][1].raw)
        return current
    text_columns = {layout.name, layout.goal} - {None}
    text_lines = all(i in text_columns and not is_value(c, kind) for i, c in filled)
    if NOTE_MARK.match(filled[0][1].text) and not text_lines:
        # a note under or inside the block (`※…`, `(注)…`): no contract column holds it.  In the
        # name or goal column it is a line of that cell (the official database keeps such lines)
        return current
    if text_lines:
        if current is None:  # lines before the block's first measure row: its first indicator's
            current = new_indicator(indicators, layout)
        for i, cell in filled:
            add_line(current.name_lines if i == layout.name else current.goal_lines, cell.raw)
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
