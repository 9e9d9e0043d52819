"""予算内訳 amounts printed past empty cells: a line whose name cell is merged over two
columns, under a header whose name cell is not, is exported as its name, an empty cell,
then its amounts and reason one cell right of the header's (`\\t庁費\\t\\t12.8\\t267`
under `歳出予算目 | 4年度当初予算 | 5年度要求`).  Read where its label puts them, the
budget would be taken for the request.  The header's name cell may be the merged one
instead, the line's amounts then one cell left of the header's.

An empty cell after the label may also be a blank amount (a new item with a request
only: `\\t新規\\t\\t50`).  So each shift past the empty cells is tried and the one that
puts the most cells where they belong wins (`_fit`); a line that fits two shifts equally
is *tied*: the line alone does not tell, and the table decides (`unsure_placements`).
"""

from __future__ import annotations

from typing import NamedTuple

from transforms.normalize import NOT_A_NUMBER, parse_amount
from transforms.read import Cell, Row
from transforms.sections.budget_item_header import ItemHeader


class Placement(NamedTuple):
    """Where a line's amounts stand (a named tuple: one is made for every line)."""

    offset: int  # cells right of the header's amount columns (its label's offset plus `shift`)
    shift: int = 0  # of which: the empty cells after its label skipped (a merged cell)
    tied: tuple[int, ...] = ()  # the shifts fitting the line as well as `shift`, when several do


def is_amount(cell: Cell) -> bool:
    """A cell printed as an amount: a number, or a mark for none (`-`, `―`)."""
    return parse_amount(cell.raw) is not None or cell.text in NOT_A_NUMBER


def placed(row: Row, label_at: int, offset: int, header: ItemHeader) -> Placement:
    """Where the amounts of `row` stand when its label, at `label_at`, puts them `offset`
    cells right of the header's amount columns: there unless empty cells follow the label
    where its first amount should stand, then the shift past some or all of them that
    fits the line best (`_fit`), the smallest of a tie; likewise left, to its first cell,
    when that stands before the first amount column (the header's name cell merged over
    two columns, the line's not: `歳出予算目 | | 4年度当初予算 | 5年度要求` over
    `\\t庁費\\t12.8\\t267`).

    >>> from transforms.read import clean_cell
    >>> from transforms.sections.budget import YearColumn
    >>> head = ItemHeader(Row(1, []), 1, 4, None, [YearColumn(2, 2022, False), YearColumn(3, 2023, True)], 1)
    >>> def line(*texts): return Row(2, [clean_cell(t) for t in texts])
    >>> placed(line("", "庁費", "", "12.8", "267", "増"), 1, 0, head)
    Placement(offset=1, shift=1, tied=())
    >>> placed(line("", "新規", "", "50"), 1, 0, head), placed(line("", "庁費", "12.8", "267"), 1, 0, head)
    (Placement(offset=0, shift=0, tied=(0, 1)), Placement(offset=0, shift=0, tied=()))
    >>> wide = ItemHeader(Row(1, []), 1, 5, None, [YearColumn(3, 2022, False), YearColumn(4, 2023, True)], 1)
    >>> placed(line("", "庁費", "12.8", "267", "増"), 1, 0, wide)
    Placement(offset=-1, shift=-1, tied=())
    """
    start = header.columns[0].position + offset
    if label_at + 1 == start and row[start].text:
        return Placement(offset)  # the usual line: an amount (or a text) right after its label
    first = next((i for i in range(label_at + 1, len(row)) if row[i].text), None)
    if first is None or first == start:
        return Placement(offset)
    shifts = range(first - start, 1) if first < start else range(first - start + 1)
    scores = {shift: _fit(row, offset + shift, header) for shift in shifts}
    best = max(scores.values())
    tied = sorted((shift for shift, score in scores.items() if score == best), key=abs)
    return Placement(offset + tied[0], tied[0], tuple(tied) if len(tied) > 1 else ())


def _fit(row: Row, offset: int, header: ItemHeader) -> int:
    """The cells of `row` standing, at `offset`, in a column that can hold them: an amount
    under an amount column, a text other than a number under 主な増減理由."""
    score = sum(1 for col in header.columns if (cell := row[col.position + offset]).text and is_amount(cell))
    if header.reason_pos is not None and (reason := row[header.reason_pos + offset]).text \
            and parse_amount(reason.raw) is None:
        score += 1
    return score


def unsure_placements(placements: list[Placement | None]) -> list[bool]:
    """For the placements of a table's lines (None: a line without amounts), whether
    each is unsure: tied, in a table where another line stands past an empty cell for
    sure.  A blank amount and a merged cell's empty part cannot be told apart there.  In
    a table whose other lines stand under the header's columns, a tied line is read as
    printed (`\\t新規\\t\\t50`: a new item's request), as it is when all are tied.

    >>> sure, tied = Placement(1, 1), Placement(0, 0, (0, 1))
    >>> unsure_placements([sure, tied, None]), unsure_placements([Placement(0), tied])
    ([False, True, False], [False, False])
    """
    if not any(p is not None and p.shift and not p.tied for p in placements):
        return [False] * len(placements)
    return [p is not None and bool(p.tied) for p in placements]
