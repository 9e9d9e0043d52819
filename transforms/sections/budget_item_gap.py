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

A cell merged over two columns among the amounts puts an empty cell between them, in the
line (`\\t職員旅費\\t5.9\\t\\t125\\t理由`, `\\t庁費\\t12.8\\t267\\t\\t理由`) or in the
header (`4年度当初予算 | | 5年度要求`): the columns past it stand one cell further right, or
left, in the line (`Placement.gaps`, `_past_inner_gap`); a line may have several such
cells (`\\t庁費\\t12.8\\t\\t267\\t\\t理由`), or one merged over three columns (two empty
cells).
"""

from __future__ import annotations

from typing import NamedTuple

from transforms.normalize import parse_amount
from transforms.read import Row
from transforms.sections.budget_item_header import ItemHeader
from transforms.sections.merged_cells import best_readings, is_amount


class Placement(NamedTuple):
    """Where a line's amounts stand (a named tuple: one is made for every line)."""

    offset: int  # cells right of the header's amount columns (its label's offset plus `shift`)
    shift: int = 0  # of which: the empty cells after its label skipped (a merged cell)
    tied: tuple[int, ...] = ()  # the shifts fitting the line as well as `shift`, when several do
    gaps: tuple[tuple[int, int], ...] = ()  # (header position, step): the columns from there on stand `step` more right
    unsure: bool = False  # two gapped readings fit the line equally and read it differently
    doubt: bool = False  # read as printed, but a gap fits the line as well and reads it differently

    def at(self, position: int) -> int:
        """Where the line's cell of the header's column at `position` stands."""
        at = position + self.offset
        for start, step in self.gaps:
            if position >= start:
                at += step
        return at


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
    Placement(offset=1, shift=1, tied=(), gaps=(), unsure=False, doubt=False)
    >>> placed(line("", "新規", "", "50"), 1, 0, head)[:3], placed(line("", "庁費", "12.8", "267"), 1, 0, head)[:3]
    ((0, 0, (0, 1)), (0, 0, ()))
    >>> wide = ItemHeader(Row(1, []), 1, 5, None, [YearColumn(3, 2022, False), YearColumn(4, 2023, True)], 1)
    >>> placed(line("", "庁費", "12.8", "267", "増"), 1, 0, wide)[:3]
    (-1, -1, ())
    """
    start = header.columns[0].position + offset
    if label_at + 1 == start and row[start].text:
        return _past_inner_gap(row, Placement(offset), header)  # the usual line: a cell right after its label
    first = next((i for i in range(label_at + 1, len(row)) if row[i].text), None)
    if first is None or first == start:
        return _past_inner_gap(row, Placement(offset), header)
    shifts = range(first - start, 1) if first < start else range(first - start + 1)
    # each shift read past the empty cells among its amounts too (`\t庁費\t\t12.8\t\t267`:
    # the name and the budget cell merged)
    readings = {shift: _past_inner_gap(row, Placement(offset + shift, shift), header) for shift in shifts}
    scores = {shift: _fit(row, reading, header) for shift, reading in readings.items()}
    best = max(scores.values())
    tied = sorted((shift for shift, score in scores.items() if score == best), key=abs)
    return readings[tied[0]]._replace(tied=tuple(tied) if len(tied) > 1 else ())


def _fit(row: Row, placement: Placement, header: ItemHeader) -> int:
    """The cells of `row` standing, at `placement`, in a column that can hold them: an
    amount under an amount column, a text other than a number under 主な増減理由."""
    score = sum(1 for col in header.columns if (cell := row[placement.at(col.position)]).text and is_amount(cell))
    if header.reason_pos is not None and (reason := row[placement.at(header.reason_pos)]).text \
            and parse_amount(reason.raw) is None:
        score += 1
    return score


def _past_inner_gap(row: Row, placement: Placement, header: ItemHeader) -> Placement:
    """`placement` with the columns from one of the header's on read one cell right, past
    an empty cell of the line where that column's cell should stand (the cell before it
    merged: `\\t職員旅費\\t5.9\\t\\t125\\t理由`), two past two (merged over three columns),
    or one cell left, where the header has an empty cell before that column
    (`4年度当初予算 | | 5年度要求` over `\\t庁費\\t12.8\\t267`), when that fits more of the
    line's cells (`_fit`); past one more such cell further right while that leaves some
    unread (`\\t庁費\\t12.8\\t\\t267\\t\\t理由`).  Two such readings fitting it best and
    reading it differently: `unsure`.  A line read as printed that one such reading fits as
    well (`5 | | 5.9` under three amount columns: a blank 4年度 budget, or a 3年度 cell merged
    and a blank request): `doubt`.  (The search of `merged_cells.realigned`, with the
    year columns moved by an offset and the gaps kept in the `Placement`.)

    >>> from transforms.read import clean_cell
    >>> from transforms.sections.budget import YearColumn
    >>> head = ItemHeader(Row(1, []), 1, 4, None, [YearColumn(2, 2022, False), YearColumn(3, 2023, True)], 1)
    >>> def line(*texts): return Row(2, [clean_cell(t) for t in texts])
    >>> _past_inner_gap(line("", "旅費", "5.9", "", "125", "増"), Placement(0), head)
    Placement(offset=0, shift=0, tied=(), gaps=((3, 1),), unsure=False, doubt=False)
    >>> _past_inner_gap(line("", "旅費", "5.9", "", "125", "", "増"), Placement(0), head).gaps
    ((3, 1), (4, 1))
    >>> _past_inner_gap(line("", "旅費", "5.9", "", "増"), Placement(0), head)[3:]  # a blank request
    ((), False, False)
    >>> three = ItemHeader(Row(1, []), 1, 5, None, [YearColumn(2, 2021, False), YearColumn(3, 2022, False),
    ...                                             YearColumn(4, 2023, True)], 1)
    >>> _past_inner_gap(line("", "旅費", "5", "", "5.9"), Placement(0), three)[3:]
    ((), False, True)
    """
    if not header.gaps:
        filled = row.filled()
        if filled[-1][0] - filled[0][0] + 1 == len(filled):
            return placement  # the usual line: no empty cell among its cells, none in its header
    fields = header.fields()
    best = _fit(row, placement, header)
    gapped = _gapped(row, placement, header, fields[1:])
    if best >= _spread(row, placement, fields):
        if not gapped:
            return placement  # each of its cells in a column that holds it
        printed = _reading(row, placement, fields)
        doubt = any(_fit(row, other, header) == best and _reading(row, other, fields) != printed for other in gapped)
        return placement._replace(doubt=True) if doubt else placement
    found, readings = best_readings(gapped, lambda other: _fit(row, other, header), best), gapped
    while readings and (not found or _fit(row, found[0], header) < _spread(row, found[0], fields)):
        # some of its cells still unread: past one more empty cell, right of the last
        readings = [more for one in readings
                    for more in _gapped(row, one, header, [f for f in fields if f > one.gaps[-1][0]])]
        found = best_readings(readings, lambda other: _fit(row, other, header),
                              _fit(row, found[0], header) if found else best) or found
    if not found:
        return placement
    return found[0]._replace(unsure=len({_reading(row, p, fields) for p in found}) > 1)


def _gapped(row: Row, placement: Placement, header: ItemHeader, positions: list[int]) -> list[Placement]:
    """`placement` read past one more gap, at each of the header's `positions` where one may stand."""
    return [placement._replace(gaps=(*placement.gaps, (position, step))) for position in positions
            for step in _steps(row, placement.at(position), position in header.gaps)]


def _spread(row: Row, placement: Placement, fields: list[int]) -> int:
    """How many cells of `row` stand from its first field on, at `placement`: all should
    stand in a field (a text past the 主な増減理由 is a reason printed past empty cells)."""
    first = placement.at(fields[0])
    return sum(1 for i, _ in row.filled() if first <= i)


def _reading(row: Row, placement: Placement, fields: list[int]) -> tuple[str, ...]:
    """The raw texts `placement` reads in the header's `fields` (its amount and reason columns)."""
    return tuple(row[placement.at(position)].raw for position in fields)


def _steps(row: Row, at: int, header_gap: bool) -> list[int]:
    """How far the cells from `at` on may stand from where the header puts them: one cell
    right past an empty cell of the line, two past two (a cell merged over three columns),
    one left where the header has an empty cell."""
    steps = [1] if not row[at].text and row[at + 1].text else \
        [2] if not row[at].text and not row[at + 1].text and row[at + 2].text else []
    if header_gap and row[at - 1].text:
        steps.append(-1)
    return steps


def unsure_placements(placements: list[Placement | None]) -> list[bool]:
    """For the placements of a table's lines (None: a line without amounts), whether
    each is unsure: tied, in a table where another line stands past an empty cell after
    its label for sure, or in `doubt`, in a table where another line stands past an empty
    cell among its amounts for sure.  A blank amount and a merged cell's empty part cannot
    be told apart there.  In a table whose other lines stand under the header's columns,
    a tied line or one in doubt is read as printed (`\\t新規\\t\\t50`: a new item's
    request), as it is when all are.

    >>> sure, tied = Placement(1, 1), Placement(0, 0, (0, 1))
    >>> unsure_placements([sure, tied, None]), unsure_placements([Placement(0), tied])
    ([False, True, False], [False, False])
    >>> gapped, doubt = Placement(0, gaps=((3, 1),)), Placement(0, doubt=True)
    >>> unsure_placements([gapped, doubt, tied]), unsure_placements([sure, doubt])
    ([False, True, False], [False, False])
    """
    shifted = any(p is not None and p.shift and not p.tied for p in placements)
    gapped = any(p is not None and p.gaps and not p.unsure for p in placements)
    return [p is not None and (p.unsure or shifted and bool(p.tied) or gapped and p.doubt) for p in placements]
