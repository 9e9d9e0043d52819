"""予算内訳 (the budget broken down by item): one budget_item row per item and amount
column, the printed 計 as a printed_total row.

The table is read in three steps:

1. `budget_item_header.read_item_header`: the header row and where each column stands;
2. `_read_line`: every line below it on its own (its label, whether amounts stand beside
   it, whether it is an item, a 計, a 小計, a 項 or the header printed again), once the
   計 labels printed apart from their amounts are put together with them
   (`_total_label_above_its_amounts`, `_total_labels_split_over_two_lines`); its amounts
   may stand past an empty cell after its label (`budget_item_gap`);
3. `_ItemTable`: the lines in print order, each given to an item with what came before.
   Real exports split an item over lines (its name above or below its amounts), so a line
   without amounts is held until the next line with amounts tells whose it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from transforms.labels import compact, lookup, total_kind
from transforms.normalize import label_key, parse_amount
from transforms.read import Cell, Row
from transforms.sections.budget import YearColumn
from transforms.sections.budget_item_gap import Placement, placed, unsure_placements
from transforms.sections.budget_item_header import ItemHeader, read_item_header, report_unknown_columns
from transforms.sections.context import SheetContext
from transforms.sections.merged_cells import is_amount
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
    printed = _total_label_above_its_amounts([row for row in body if row.first() is not None])
    lines = _total_labels_split_over_two_lines([_read_line(row, header) for row in printed], header)
    table = _ItemTable(header, ctx, _unsure_lines(lines, ctx))
    for line in lines:
        table.read(line)
    return table.finish()


def _unsure_lines(lines: list[_Line], ctx: SheetContext) -> set[int]:
    """The ids of the lines whose amounts cannot be placed (`budget_item_gap.unsure_placements`):
    reported, not loaded."""
    placements = [line.nameless or (line.own.placement if line.own.kind in (_Kind.ITEM, _Kind.TOTAL) else None)
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


# --- step 2: each line on its own ------------------------------------------------------

class _Kind(Enum):
    """What a line is, read with a name (its own label, or the name lines above it)."""

    ITEM = "item"  # a name beside amounts:                  `\t庁費\t12.8\t267`
    TOTAL = "total"  # 計 beside amounts:                      `\t計\t23\t483`
    NAME_ONLY = "name only"  # a label without amounts:         `\t職員旅費`
    SECTION = "section"  # a 項 heading the items below it:    `\t(項)運営費`
    SKIPPED = "skipped"  # 小計, or the header printed again:   `\t小計\t17.1\t358`


@dataclass(frozen=True)
class _Reading:
    """A line read with a given name: what it is and where its amounts stand."""

    kind: _Kind
    name: str | None
    placement: Placement  # where its amounts stand
    reason_above: str | None = None  # a 主な増減理由 printed on the name lines above


@dataclass(frozen=True)
class _Line:
    """One printed line below the header, read without looking at its neighbours."""

    row: Row
    at: int  # position of its label: its first cell, or the 目 after a 項
    label: Cell
    section: Cell | None  # the 項 printed left of the 目, in a column of its own
    own: _Reading  # the line read with its own label as its name
    nameless: Placement | None  # when it starts with an amount: where its amounts stand if named above


def _read_line(row: Row, header: ItemHeader) -> _Line:
    """`row` read on its own: its label, its 項, and what it is with its label as name."""
    at, label = row.first()
    section = None
    if header.section_pos is not None and (named := _section_and_item(row, at, header)):
        section, (at, label) = named
    # a line starting with an amount: its amounts follow the (empty) cell before it
    return _Line(row, at, label, section, _own_reading(row, at, label, header),
                 placed(row, at - 1, _nameless_offset(at, header), header) if is_amount(label) else None)


def _own_reading(row: Row, at: int, label: Cell, header: ItemHeader) -> _Reading:
    """A line labelled `label` at `at` read with its label as its name."""
    placement = placed(row, at, _label_offset(row, at, label, header), header)
    return _Reading(_kind(label.text, bool(_amount_cells(row, header.columns, placement))),
                    text_value(label.raw), placement)


# how a 項 printed in the name column is marked (`(項)運営費` above `(目)庁費`; NFKC turns
# `（項）` into it)
_SECTION_MARK = "(項)"


def _kind(label: str, has_amounts: bool) -> _Kind:
    """The kind of a line named `label` (as printed, or the name lines above it joined)."""
    if total_kind(label) == "subtotal" or lookup("budget_item", label) == "item_name" or "予算内訳" in compact(label):
        return _Kind.SKIPPED  # a 小計, or the header printed again (the table continued on a new page)
    if not has_amounts:
        return _Kind.SECTION if label.startswith(_SECTION_MARK) else _Kind.NAME_ONLY
    return _Kind.TOTAL if total_kind(label) == "total" else _Kind.ITEM


def _label_offset(row: Row, at: int, label: Cell, header: ItemHeader) -> int:
    """How many cells right of the amount columns the amounts of a line labelled at `at`
    stand: as many as the label stands right of the name column.  A 計 printed in the 項
    column or left of the names (a merged label cell) may keep its amounts under the
    amount columns (`計\\t\\t23\\t483`): then the reading finding more amounts wins, the
    shifted one on a tie."""
    offset = at - header.name_pos
    if (header.section_pos is not None and at == header.section_pos) or (at < header.name_pos and total_kind(label.text)):
        offset = max((offset, 0), key=lambda o: len(_amount_cells(row, header.columns, Placement(o))))
    return offset


def _nameless_offset(at: int, header: ItemHeader) -> int:
    """Where the amounts of a line starting with an amount stand when it is named by the
    lines above it: under the amount columns when it starts right of the name column
    (`\\t\\t5.9\\t125`), else shifted left by the empty name cell collapsed (`\\t5.9\\t125`)."""
    return 0 if at > header.name_pos else at - header.columns[0].position


def _amount_cells(row: Row, columns: list[YearColumn], placement: Placement) -> list[tuple[YearColumn, Cell]]:
    """The filled cells of `row` under the amount columns, where `placement` puts them."""
    if not placement.gaps:  # the usual line: every amount `offset` cells right of its column
        offset = placement.offset
        return [(col, row[col.position + offset]) for col in columns if row[col.position + offset].text]
    return [(col, row[at]) for col in columns if row[at := placement.at(col.position)].text]


def _section_and_item(row: Row, index: int, header: ItemHeader) -> tuple[Cell, tuple[int, Cell]] | None:
    """(項 cell, (position, cell) of the 目) for a 予算内訳 row that starts with its 項 in a
    column of its own: two text cells, the second where the 目 column's amounts follow
    (`\\t防衛本省共通費\\t庁費\\t12.8\\t267`, later items under it `\\t\\t職員旅費\\t5.9\\t125`)."""
    filled = row.filled()
    if len(filled) < 2 or total_kind(filled[0][1].text) or parse_amount(filled[0][1].raw) is not None:
        return None
    (_, section_cell), (item_at, item_cell) = filled[0], filled[1]
    if item_at - index != header.name_pos - header.section_pos or parse_amount(item_cell.raw) is not None \
            or not _amount_cells(row, header.columns, Placement(item_at - header.name_pos)):
        return None
    return section_cell, (item_at, item_cell)


# --- step 2, before it: 計 labels printed apart from their amounts ---------------------

def _total_label_above_its_amounts(rows: list[Row]) -> list[Row]:
    """`rows` with a lone `計` printed on the line below amounts without a name moved above
    them, where a label printed on a line of its own is read (as the name of the amounts
    that follow): `\\t\\t23\\t483` then `\\t計`.  Not when a name-only line is over those
    amounts: they are that item's; except when that line is the first half of the total
    label, the export having put the amounts between the two lines of its cell (`\\t合`,
    `\\t\\t23\\t483`, `\\t計`): then `計` goes under `合`, and the two lines, read as the
    names of the amounts below them, make the 計 (or 小計) line."""
    rows = list(rows)
    for k in range(len(rows) - 1):
        amounts, label = rows[k], rows[k + 1]
        if not is_amount(amounts.first()[1]) or label.filled_count() != 1:
            continue
        lone_total = total_kind(label.first()[1].text) == "total" and not (k and _names_only(rows[k - 1]))
        if lone_total or (k and _total_halves(rows[k - 1], label)):
            rows[k], rows[k + 1] = label, amounts
    return rows


def _total_halves(above: Row, below: Row) -> bool:
    """Whether two rows of one cell each, in one column, hold the two halves of a total or
    subtotal label (`合` / `計`, `合` / `計(百万円)`, `小` / `計`).

    >>> from transforms.read import Cell
    >>> def row(text): return Row(1, [Cell("", ""), Cell(text, text)])
    >>> _total_halves(row("合"), row("計")), _total_halves(row("小"), row("計")), _total_halves(row("計"), row("計"))
    (True, True, False)
    """
    if above.filled_count() != 1 or below.filled_count() != 1 or above.first()[0] != below.first()[0]:
        return False
    first, second = above.first()[1].text, below.first()[1].text
    return total_kind(first) is None and total_kind(first + second) is not None


def _names_only(row: Row) -> bool:
    """A row of text cells, none printed as an amount (an item name on a line of its own)."""
    return not any(is_amount(cell) for _, cell in row.filled())


def _total_labels_split_over_two_lines(lines: list[_Line], header: ItemHeader) -> list[_Line]:
    """`lines` with a 計 (or 小計) label split over two lines of one column, its amounts
    beside either half, read as one line: `\\t合` then `\\t計\\t23\\t483`, or
    `\\t合\\t23\\t483` then `\\t計` (a two-line label cell).  Else the half without
    amounts would be read as a line of the last item's name, the half with amounts as an
    item."""
    joined: list[_Line] = []
    k = 0
    while k < len(lines):
        if k + 1 < len(lines) and (total := _split_total(lines[k], lines[k + 1], header)) is not None:
            joined.append(total)
            k += 2
        else:
            joined.append(lines[k])
            k += 1
    return joined


def _split_total(first: _Line, second: _Line, header: ItemHeader) -> _Line | None:
    """The line of amounts of two adjacent lines, relabelled with both labels, when one
    label is alone on its line, the other beside amounts, both in one column, and together
    they read as a total label; else None.  Halves naming nothing
    (`(謝金)` under `計`: no key once the bracketed note is dropped) are no halves."""
    if first.at != second.at or first.section is not None or second.section is not None:
        return None
    text = first.label.text + second.label.text
    if total_kind(text) is None or not label_key(first.label.text) or not label_key(second.label.text):
        return None
    alone, amounts = (first, second) if first.own.kind is _Kind.NAME_ONLY else (second, first)
    if alone.row.filled_count() != 1 or alone.own.kind is not _Kind.NAME_ONLY \
            or amounts.own.kind not in (_Kind.ITEM, _Kind.TOTAL) or amounts.nameless is not None:
        return None
    label = Cell(first.label.raw + second.label.raw, text)
    return _Line(amounts.row, amounts.at, label, None, _own_reading(amounts.row, amounts.at, label, header), None)


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


class _ItemTable:
    """The items and printed totals of one 予算内訳 table, built line by line."""

    def __init__(self, header: ItemHeader, ctx: SheetContext, unsure: set[int] = frozenset()) -> None:
        self.header = header
        self.ctx = ctx
        self.unsure = unsure  # the ids of the lines not loaded (`_unsure_lines`)
        self.items: list[_Item] = []
        self.totals: list[tuple[YearColumn, Cell]] = []
        self.totalled = False  # the 計 was read: later lines continue no item
        self.section: str | None = None  # the 項 of the items below it (a column of its own)
        self.held: list[_NameLine] = []  # name lines not placed yet

    def read(self, line: _Line) -> None:
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
        if reading.kind is _Kind.SKIPPED:
            self._place_held_names()
        elif reading.kind is _Kind.NAME_ONLY:
            self._hold(line, reading)
        elif reading.kind is _Kind.SECTION:
            self._start_section(reading)
        elif reading.kind is _Kind.TOTAL:
            self._total(line, reading)
        else:
            self._item(line, reading)

    def finish(self) -> dict[str, list[dict]]:
        """The budget_item and printed_total rows, once every line is read."""
        self._place_held_names()
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

    def _continues_reason(self, line: _Line) -> bool:
        """The rest of the last item's 主な増減理由 (a two-line cell split over rows): a
        line of one cell in the reason column of the last item, before the 計.
        `\\t庁費\\t12.8\\t267\\t事業の拡充` then `\\t\\t\\t\\tによる増`."""
        reason_pos = self.header.reason_pos
        if reason_pos is None or not self.items or self.totalled or line.row.filled_count() != 1 \
                or line.at != self.items[-1].placement.at(reason_pos):
            return False
        if more := text_value(line.label.raw):
            self.items[-1].reason = _joined(self.items[-1].reason, more)
        return True

    def _named_above(self, line: _Line) -> _Reading:
        """Amounts without a name of their own under held name lines: the item (or the 計)
        those lines name, with the 主な増減理由 printed beside them.  Uses the lines up.
        `\\t職員旅費` then `\\t\\t5.9\\t125`; `\\t計` then `\\t\\t23\\t483`."""
        names, self.held = self.held, []
        label = "".join(held.name for held in names)
        return _Reading(_kind(label, bool(_amount_cells(line.row, self.header.columns, line.nameless))),
                        "\n".join(held.name for held in names), line.nameless,
                        "\n".join(held.reason for held in names if held.reason) or None)

    def _hold(self, line: _Line, reading: _Reading) -> None:
        """A name without amounts (`\\t職員旅費`): held until the next line with amounts
        tells whether it names them or continues the item above.  A line in another column
        than the held ones ends those first; after the 計 names are dropped."""
        if reading.name and not self.totalled:
            if self.held and self.held[0].at != line.at:
                self._place_held_names()
            self.held.append(_NameLine(line.at, reading.name, self._reason(line.row, reading.placement)))

    def _start_section(self, reading: _Reading) -> None:
        """A 項 printed on a line of its own in the name column, above its `(目)` items
        (`\\t(項)運営費` then `\\t(目)庁費\\t12.8\\t267`): the 項 of the items below it, as a
        項 column gives it (`(項)運営費／(目)庁費`).  Never a line of an item's name: the
        name lines held above it are placed first (the rest of the item above).  A note
        `(項)…` printed as an item name's last line would read the same; nothing printed
        tells the two apart, and the mark is taken for the heading."""
        self._place_held_names()
        self.section = reading.name

    def _total(self, line: _Line, reading: _Reading) -> None:
        """The printed 計 (`\\t計\\t23\\t483`): printed_total rows; later lines continue no item.
        A 主な増減理由 on the 計 row is the last line of the last item's (a two-line cell whose
        rest went on the 計 row: `\\t委託費\\t…\\t事業の見直` then `\\t計\\t…\\tしによる減`);
        when that item has none, the reason of the total's change: the one item's, when
        there is one, else held by no row of the warehouse, and reported."""
        self._place_held_names()
        reason = self._reason(line.row, reading.placement) or reading.reason_above
        if reason and self.items and (self.items[-1].reason or len(self.items) == 1):
            self.items[-1].reason = _joined(self.items[-1].reason, reason)
        elif reason:
            self.ctx.warn("section_unreadable", f"{self.ctx.source_path}: 予算内訳 line {line.row.number} "
                          f"'{line.label.text}': the 主な増減理由 of the total '{reason[:40]}' belongs to no "
                          "item; not loaded", "budget_item", observed=reason[:80])
        self.totalled = True
        self.totals.extend(_amount_cells(line.row, self.header.columns, reading.placement))

    def _item(self, line: _Line, reading: _Reading) -> None:
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
                                _amount_cells(line.row, self.header.columns, reading.placement)))

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
