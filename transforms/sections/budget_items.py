"""予算内訳 (the budget broken down by item): one budget_item row per item and amount
column, the printed 計 as a printed_total row.

The table is read in three steps:

1. `budget_item_header.read_item_header`: the header row and where each column stands;
2. `budget_item_lines.read_line`: every line below it on its own (its label, whether amounts stand beside
   it, whether it is an item, a 計, a 小計, a 項 or the header printed again), once the
   計 labels printed apart from their amounts are put together with them
   (`total_label_above_its_amounts`, `total_labels_split_over_two_lines`); its amounts
   may stand past an empty cell after its label (`budget_item_gap`);
3. `_ItemTable`: the lines in print order, each given to an item with what came before.
   Real exports split an item over lines (its name above or below its amounts), so a line
   without amounts is held until the next line with amounts tells whose it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from transforms.labels import total_kind
from transforms.normalize import parse_amount
from transforms.read import Cell, Row
from transforms.sections.budget import YearColumn
from transforms.sections.budget_item_gap import Placement, unsure_placements
from transforms.sections.budget_item_header import ItemHeader, read_item_header, report_unknown_columns
from transforms.sections.budget_item_lines import (
    Kind, Line, Reading, amount_cells, line_kind, read_line, total_label_above_its_amounts,
    total_labels_split_over_two_lines,
)
from transforms.sections.context import SheetContext
from transforms.sections.text import text_value


def parse_budget_items(rows: list[Row], ctx: SheetContext) -> dict[str, list[dict]]:
    """予算内訳: one budget_item row per item and amount column; 計 -> printed_total.
    The header is the heading row or, when the title stands on a row of its own, one of
    the next two rows (the one naming the item column)."""
    header, body = read_item_header(rows, ctx.review_year)
    if header.name_pos is None or not header.columns:
        ctx.warn("section_unreadable", f"{ctx.source_path}: 予算内訳 header not understood (line {header.row.number})",
                 "budget_item")
        return {"budget_item": [], "printed_total": []}
    report_unknown_columns(header, ctx)
    printed = total_label_above_its_amounts([row for row in body if row.first() is not None])
    lines = total_labels_split_over_two_lines([read_line(row, header) for row in printed], header)
    table = _ItemTable(header, ctx, _unsure_lines(lines, ctx))
    for line in lines:
        table.read(line)
    return table.finish()


def _unsure_lines(lines: list[Line], ctx: SheetContext) -> set[int]:
    """The ids of the lines whose amounts cannot be placed (`budget_item_gap.unsure_placements`):
    reported, not loaded."""
    placements = [line.nameless or (line.own.placement if line.own.kind in (Kind.ITEM, Kind.TOTAL) else None)
                  for line in lines]
    if not any(p and (p.shift or p.gaps or p.unsure) for p in placements):
        return set()  # the usual table: every line as printed
    unsure = {id(line) for line, is_unsure in zip(lines, unsure_placements(placements)) if is_unsure}
    for line in lines:
        if id(line) in unsure:
            ctx.warn("ambiguous_amounts", f"{ctx.source_path}: 予算内訳 line {line.row.number} '{line.label.text}': "
                     "a blank amount or a merged cell's empty part; its amounts were not loaded", "budget_item",
                     observed="\t".join(cell.raw for cell in line.row.cells).strip()[:80])
    return unsure


# --- step 3: lines to items ------------------------------------------------------------

@dataclass
class _NameLine:
    """A line with a name but no amounts, held until a later line tells whose it is."""

    at: int
    name: str
    reason: str | None  # a 主な増減理由 printed on the same line


@dataclass
class _Item:
    """One item: its name and reason (which later lines may continue) and its amounts."""

    at: int  # position of its label
    placement: Placement  # where its amounts and reason stand
    name: str | None
    reason: str | None
    amounts: list[tuple[YearColumn, Cell]]


@dataclass
class _TotalReason:
    """The 主な増減理由 printed on the 計 row (and below it, in its column): placed once
    every line is read (`_ItemTable._place_total_reason`)."""

    text: str | None
    number: int  # the 計 row's line
    label: str  # the 計 as printed
    at: int | None  # the column of the reason on the 計 row


class _ItemTable:
    """The items and printed totals of one 予算内訳 table, built line by line."""

    def __init__(self, header: ItemHeader, ctx: SheetContext, unsure: set[int] = frozenset()) -> None:
        self.header = header
        self.ctx = ctx
        self.unsure = unsure  # the ids of the lines not loaded (`_unsure_lines`)
        self.items: list[_Item] = []
        self.totals: list[tuple[YearColumn, Cell]] = []
        self.totalled = False  # the 計 was read: later lines continue no item
        self.total_reason: _TotalReason | None = None
        self.section: str | None = None  # the 項 of the items below it (a column of its own)
        self.held: list[_NameLine] = []  # name lines not placed yet

    def read(self, line: Line) -> None:
        """Add one line: a 項 starts a new section; then the line continues the reason
        above, or is read with the held name lines (amounts without a name) or its own."""
        if line.section is not None:
            self.section = text_value(line.section.raw)
        if id(line) in self.unsure:
            self.held = []  # with the name lines above it
            return
        if self._continues_reason(line):
            return
        reading = self._named_above(line) if self.held and line.nameless is not None else line.own
        if reading.kind is Kind.SKIPPED:
            self._place_held_names()
        elif reading.kind is Kind.NAME_ONLY:
            self._hold(line, reading)
        elif reading.kind is Kind.SECTION:
            self._start_section(reading)
        elif reading.kind is Kind.TOTAL:
            self._total(line, reading)
        else:
            self._item(line, reading)

    def finish(self) -> dict[str, list[dict]]:
        """The budget_item and printed_total rows, once every line is read."""
        self._place_held_names()
        self._place_total_reason()
        scale = self.header.scale
        return {
            "budget_item": [{
                "fiscal_year": col.fiscal_year, "is_request": col.is_request, "item_no": item_no,
                "item_name": item.name, "amount_million_yen": parse_amount(cell.raw, scale),
                "change_reason": item.reason, "raw_text": cell.raw,
            } for item_no, item in enumerate(self.items, 1) for col, cell in item.amounts],
            "printed_total": [{
                "table_name": "budget_item", "block": None, "fiscal_year": col.fiscal_year,
                "is_request": col.is_request, "amount_million_yen": parse_amount(cell.raw, scale), "raw_text": cell.raw,
            } for col, cell in self.totals],
        }

    def _continues_reason(self, line: Line) -> bool:
        """The rest of the last item's 主な増減理由 (a two-line cell split over rows): a
        line of one cell in the reason column of the last item, before the 計, or of the
        計 after it.  `\\t庁費\\t12.8\\t267\\t事業の拡充` then `\\t\\t\\t\\tによる増`."""
        reason_pos = self.header.reason_pos
        if reason_pos is None or not self.items or line.row.filled_count() != 1:
            return False
        more = text_value(line.label.raw)
        if self.totalled:
            if self.total_reason is None or line.at != self.total_reason.at:
                return False
            if more:
                self.total_reason.text = _joined(self.total_reason.text, more)
        elif line.at != self.items[-1].placement.at(reason_pos):
            return False
        elif more:
            self.items[-1].reason = _joined(self.items[-1].reason, more)
        return True

    def _named_above(self, line: Line) -> Reading:
        """Amounts without a name of their own under held name lines: the item (or the 計)
        those lines name, with the 主な増減理由 printed beside them.  Uses the lines up.
        `\\t職員旅費` then `\\t\\t5.9\\t125`; `\\t計` then `\\t\\t23\\t483`."""
        names, self.held = self.held, []
        label = "".join(held.name for held in names)
        return Reading(line_kind(label, bool(amount_cells(line.row, self.header.columns, line.nameless))),
                        "\n".join(held.name for held in names), line.nameless,
                        "\n".join(held.reason for held in names if held.reason) or None)

    def _hold(self, line: Line, reading: Reading) -> None:
        """A name without amounts (`\\t職員旅費`): held until the next line with amounts
        tells whether it names them or continues the item above.  A line in another column
        than the held ones ends those first; after the 計 names are dropped."""
        if reading.name and not self.totalled:
            if self.held and self.held[0].at != line.at:
                self._place_held_names()
            self.held.append(_NameLine(line.at, reading.name, self._reason(line.row, reading.placement)))

    def _start_section(self, reading: Reading) -> None:
        """A 項 printed on a line of its own in the name column, above its `(目)` items
        (`\\t(項)運営費` then `\\t(目)庁費\\t12.8\\t267`): the 項 of the items below it, as a
        項 column gives it (`(項)運営費／(目)庁費`).  Never a line of an item's name: the
        name lines held above it are placed first (the rest of the item above).  A note
        `(項)…` printed as an item name's last line would read the same; nothing printed
        tells the two apart, and the mark is taken for the heading."""
        self._place_held_names()
        self.section = reading.name

    def _total(self, line: Line, reading: Reading) -> None:
        """The printed 計 (`\\t計\\t23\\t483`): printed_total rows; later lines continue no
        item.  The 主な増減理由 printed on it (and below it in its column) is placed once
        every line is read (`_place_total_reason`)."""
        self._place_held_names()
        reason = self._reason(line.row, reading.placement) or reading.reason_above
        if self.total_reason is None:
            reason_pos = self.header.reason_pos
            self.total_reason = _TotalReason(reason, line.row.number, reading.name or line.label.text,
                                             reading.placement.at(reason_pos) if reason_pos is not None else None)
        elif reason:  # (the 計 printed again)
            self.total_reason.text = _joined(self.total_reason.text, reason)
        self.totalled = True
        self.totals.extend(amount_cells(line.row, self.header.columns, reading.placement))

    def _place_total_reason(self) -> None:
        """The 主な増減理由 printed on the 計 row: the last lines of the last item's (a
        multi-line cell whose rest went on the 計 row: `\\t委託費\\t…\\t事業の見直` then
        `\\t計\\t…\\tしによる減`); when that item has none, the reason of the total's
        change: the one item's, when there is one, else held by no row of the warehouse,
        and reported."""
        if self.total_reason is None or not self.total_reason.text:
            return
        reason, number, label = self.total_reason.text, self.total_reason.number, self.total_reason.label
        if self.items and (self.items[-1].reason or len(self.items) == 1):
            self.items[-1].reason = _joined(self.items[-1].reason, reason)
        else:
            self.ctx.warn("section_unreadable", f"{self.ctx.source_path}: 予算内訳 line {number} '{label}': the "
                          f"主な増減理由 of the total '{reason[:40]}' belongs to no item; not loaded", "budget_item",
                          observed=reason[:80])

    def _item(self, line: Line, reading: Reading) -> None:
        """A name with amounts (`\\t庁費\\t12.8\\t267\\t事業の拡充による増`): a new item,
        prefixed with its 項 when the table has a 項 column (`項／目`).  Its reason is the
        one beside its amounts, else the one printed on its name lines above."""
        name = reading.name
        if not self.items and name:
            name = _first_name_begun_above(self.held, line.at, name)
        self._place_held_names()
        if self.section:
            name = f"{self.section}／{name}"
        reason = self._reason(line.row, reading.placement) or reading.reason_above
        self.items.append(_Item(line.at, reading.placement, name, reason,
                                amount_cells(line.row, self.header.columns, reading.placement)))

    def _place_held_names(self) -> None:
        """Held name lines that a complete row, a 計, a 小計 or the end follows: the rest of
        the name (and 主な増減理由) of the item above, when printed in its name column
        (`\\t庁費\\t12.8\\t267` then `\\t(一般)`); a lone 計 continues nothing, and before
        the first item or after the 計 the lines are dropped."""
        if self.items and not self.totalled:
            last = self.items[-1]
            for held in self.held:
                if held.at == last.at and not total_kind(held.name):
                    last.name = _joined(last.name, held.name)
                    if held.reason:  # the reason's next line beside the name's
                        last.reason = _joined(last.reason, held.reason)
        self.held = []

    def _reason(self, row: Row, placement: Placement) -> str | None:
        """The 主な増減理由 printed on `row`, where `placement` puts it."""
        reason_pos = self.header.reason_pos
        return text_value(row[placement.at(reason_pos)].raw) if reason_pos is not None else None


def _joined(text: str | None, more: str) -> str:
    """`more` as the next line of `text`."""
    return f"{text}\n{more}" if text else more


def _first_name_begun_above(held: list[_NameLine], at: int, name: str) -> str:
    """The first item's name with the name lines held just above it in its column: with
    no item above for them to continue, they begin its name (a two-line cell whose amounts
    were printed beside the second line: `\\t庁費` then `\\t(一般)\\t12.8\\t267`)."""
    above = [line.name for line in held if line.at == at and not total_kind(line.name)]
    return "\n".join([*above, name])
