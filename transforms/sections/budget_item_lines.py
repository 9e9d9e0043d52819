"""The lines of the 予算内訳, each read on its own (step 2 of
`transforms.sections.budget_items`): its label, whether amounts stand beside it, whether
it is an item, a 計, a 小計, a 項 or the header printed again, and where its amounts
stand (`budget_item_gap`); before that, the 計 labels printed apart from their amounts
put together with them (`total_label_above_its_amounts`,
`total_labels_split_over_two_lines`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from transforms.labels import compact, lookup, total_kind
from transforms.normalize import label_key, parse_amount
from transforms.read import Cell, Row
from transforms.sections.budget import YearColumn
from transforms.sections.budget_item_gap import Placement, placed
from transforms.sections.budget_item_header import ItemHeader
from transforms.sections.merged_cells import is_amount
from transforms.sections.text import text_value


class Kind(Enum):
    """What a line is, read with a name (its own label, or the name lines above it)."""

    ITEM = "item"  # a name beside amounts:                  `\t庁費\t12.8\t267`
    TOTAL = "total"  # 計 beside amounts:                      `\t計\t23\t483`
    NAME_ONLY = "name only"  # a label without amounts:         `\t職員旅費`
    SECTION = "section"  # a 項 heading the items below it:    `\t(項)運営費`
    SKIPPED = "skipped"  # 小計, or the header printed again:   `\t小計\t17.1\t358`


@dataclass(frozen=True)
class Reading:
    """A line read with a given name: what it is and where its amounts stand."""

    kind: Kind
    name: str | None
    placement: Placement  # where its amounts stand
    reason_above: str | None = None  # a 主な増減理由 printed on the name lines above


@dataclass(frozen=True)
class Line:
    """One printed line below the header, read without looking at its neighbours."""

    row: Row
    at: int  # position of its label: its first cell, or the 目 after a 項
    label: Cell
    section: Cell | None  # the 項 printed left of the 目, in a column of its own
    own: Reading  # the line read with its own label as its name
    nameless: Placement | None  # when it starts with an amount: where its amounts stand if named above


def read_line(row: Row, header: ItemHeader) -> Line:
    """`row` read on its own: its label, its 項, and what it is with its label as name."""
    at, label = row.first()
    section = None
    if header.section_pos is not None and (named := _section_and_item(row, at, header)):
        section, (at, label) = named
    # a line starting with an amount: its amounts follow the (empty) cell before it
    return Line(row, at, label, section, _own_reading(row, at, label, header),
                 placed(row, at - 1, _nameless_offset(at, header), header) if is_amount(label) else None)


def _own_reading(row: Row, at: int, label: Cell, header: ItemHeader) -> Reading:
    """A line labelled `label` at `at` read with its label as its name."""
    placement = placed(row, at, _label_offset(row, at, label, header), header)
    return Reading(line_kind(label.text, bool(amount_cells(row, header.columns, placement))),
                    text_value(label.raw), placement)


# how a 項 printed in the name column is marked (`(項)運営費` above `(目)庁費`; NFKC turns
# `（項）` into it)
_SECTION_MARK = "(項)"


def line_kind(label: str, has_amounts: bool) -> Kind:
    """The kind of a line named `label` (as printed, or the name lines above it joined)."""
    if total_kind(label) == "subtotal" or lookup("budget_item", label) == "item_name" or "予算内訳" in compact(label):
        return Kind.SKIPPED  # a 小計, or the header printed again (the table continued on a new page)
    if not has_amounts:
        return Kind.SECTION if label.startswith(_SECTION_MARK) else Kind.NAME_ONLY
    return Kind.TOTAL if total_kind(label) == "total" else Kind.ITEM


def _label_offset(row: Row, at: int, label: Cell, header: ItemHeader) -> int:
    """How many cells right of the amount columns the amounts of a line labelled at `at`
    stand: as many as the label stands right of the name column.  A 計 printed in the 項
    column or left of the names (a merged label cell) may keep its amounts under the
    amount columns (`計\\t\\t23\\t483`): then the reading finding more amounts wins, the
    shifted one on a tie."""
    offset = at - header.name_pos
    if (header.section_pos is not None and at == header.section_pos) or (at < header.name_pos and total_kind(label.text)):
        offset = max((offset, 0), key=lambda o: len(amount_cells(row, header.columns, Placement(o))))
    return offset


def _nameless_offset(at: int, header: ItemHeader) -> int:
    """Where the amounts of a line starting with an amount stand when it is named by the
    lines above it: under the amount columns when it starts right of the name column
    (`\\t\\t5.9\\t125`), else shifted left by the empty name cell collapsed (`\\t5.9\\t125`)."""
    return 0 if at > header.name_pos else at - header.columns[0].position


def amount_cells(row: Row, columns: list[YearColumn], placement: Placement) -> list[tuple[YearColumn, Cell]]:
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
            or not amount_cells(row, header.columns, Placement(item_at - header.name_pos)):
        return None
    return section_cell, (item_at, item_cell)


# --- before: 計 labels printed apart from their amounts ------------------------------

def total_label_above_its_amounts(rows: list[Row]) -> list[Row]:
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


def total_labels_split_over_two_lines(lines: list[Line], header: ItemHeader) -> list[Line]:
    """`lines` with a 計 (or 小計) label split over two lines of one column, its amounts
    beside either half, read as one line: `\\t合` then `\\t計\\t23\\t483`, or
    `\\t合\\t23\\t483` then `\\t計` (a two-line label cell).  Else the half without
    amounts would be read as a line of the last item's name, the half with amounts as an
    item."""
    joined: list[Line] = []
    k = 0
    while k < len(lines):
        if k + 1 < len(lines) and (total := _split_total(lines[k], lines[k + 1], header)) is not None:
            joined.append(total)
            k += 2
        else:
            joined.append(lines[k])
            k += 1
    return joined


def _split_total(first: Line, second: Line, header: ItemHeader) -> Line | None:
    """The line of amounts of two adjacent lines, relabelled with both labels, when one
    label is alone on its line, the other beside amounts, both in one column, and together
    they read as a total label; else None.  Halves naming nothing
    (`(謝金)` under `計`: no key once the bracketed note is dropped) are no halves."""
    if first.at != second.at or first.section is not None or second.section is not None:
        return None
    text = first.label.text + second.label.text
    if total_kind(text) is None or not label_key(first.label.text) or not label_key(second.label.text):
        return None
    alone, amounts = (first, second) if first.own.kind is Kind.NAME_ONLY else (second, first)
    if alone.row.filled_count() != 1 or alone.own.kind is not Kind.NAME_ONLY \
            or amounts.own.kind not in (Kind.ITEM, Kind.TOTAL) or amounts.nameless is not None:
        return None
    label = Cell(first.label.raw + second.label.raw, text)
    return Line(amounts.row, amounts.at, label, None, _own_reading(amounts.row, amounts.at, label, header), None)
