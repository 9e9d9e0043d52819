"""Rows read past a cell merged over two columns, for the tables whose columns each hold
one kind of value (the 支出先上位10者リスト, the 費目・用途).

A cell merged over two columns is exported as its text and an empty cell.  When a row has
one and its header does not (`1\\t日本電気株式会社\\t\\t1010401022319\\t…` under
`| 支出先 | 法人番号 | …`), its cells from the empty one on stand one column right of
the header's; when the header has one and the row does not (`支出先 | | 法人番号 | …`),
one column left; so too when the export dropped the empty part of the row's own merged
cell (a payee's name spanning its empty 法人番号: `1\t職員A\t旅費\t0.2` under
`| 支出先 | 法人番号 | 業務概要 | 支出額`), the column left of them then blank.  Read under the header as printed, a 法人番号 would be taken for the
業務概要, the amount for the 契約方式.

So a row whose cells do not all fit their columns (`fits`: an amount under an amount
column, a text under a text column) is read past each such empty cell in turn, and the
reading fitting the most of its cells wins (`realigned`).  Two readings fitting it as well
but reading it differently: the row alone does not tell, and it is reported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from transforms.normalize import NOT_A_NUMBER, parse_amount, parse_percent
from transforms.read import Cell, Row

T = TypeVar("T")
Kind = Callable[[Cell], bool]  # whether a (filled) cell can stand in a column


def is_text(cell: Cell) -> bool:
    """A text column's value: not a number nor a percent, nor a mark for none (`-`)."""
    if not looks_numeric(text := cell.text):
        return True  # (most texts: no number parsed)
    return parse_amount(cell.raw) is None and text not in NOT_A_NUMBER and parse_percent(cell.raw) is None


def looks_numeric(text: str) -> bool:
    """Whether a (non-empty) cell text may be a number or a mark for none, by its first
    character: a cheap test before parsing it.

    >>> looks_numeric("12.8"), looks_numeric("▲3"), looks_numeric("-"), looks_numeric("株式会社")
    (True, True, True, False)
    """
    return text[0] in NUMBER_STARTS


# how a printed number or mark for none may begin (a digit, a sign, a bracket, a footnote mark)
NUMBER_STARTS = frozenset("0123456789０１２３４５６７８９▲△-−ー－‐–—―─+.(（※*…#集未")


def is_amount(cell: Cell) -> bool:
    """An amount column's value: a number, or a mark for none (`-`, `―`)."""
    return cell.text in NOT_A_NUMBER or parse_amount(cell.raw) is not None


def header_gaps(header: Row, positions: list[int]) -> frozenset[int]:
    """The columns (their positions) printed right of an empty header cell that stands
    between two columns: the header's own merged cells (`支出先 | | 法人番号`).

    >>> from transforms.read import clean_cell
    >>> header_gaps(Row(1, [clean_cell(t) for t in ["支出先", "", "法人番号", "業務概要"]]), [0, 2, 3])
    frozenset({2})
    """
    ordered = sorted(positions)
    return frozenset(after for before, after in zip(ordered, ordered[1:])
                     if after - 1 > before and not header[after - 1].text)


def realigned(row: Row, columns: dict, kinds: dict[object, Kind], gaps: frozenset[int] = frozenset()) -> dict | None:
    """Where `row` prints each of `columns` (column -> position): as its header does, or
    from one column on one cell right (an empty cell of the row where that column's value
    should stand) or left (one of the header's `gaps`, or a merged cell of the row that
    lost its empty part: the column left of it is read blank, at -1), whichever fits more of its cells
    (`kinds`: column -> whether a cell can stand there); the header's on a tie.  Returns
    `columns` itself when the row is read as its header, None when two other
    readings fit it best and read it differently.

    >>> from transforms.read import clean_cell
    >>> def row(*texts): return Row(2, [clean_cell(t) for t in texts])
    >>> columns, kinds = {"name": 1, "amount": 2, "method": 3}, {"name": is_text, "amount": is_amount, "method": is_text}
    >>> realigned(row("1", "日本電気", "", "12", "一般競争"), columns, kinds)
    {'name': 1, 'amount': 3, 'method': 4}
    >>> realigned(row("1", "日本電気", "", "一般競争"), columns, kinds) is columns  # a blank amount
    True
    >>> realigned(row("1", "日本電気", "12", "一般競争"), {"name": 1, "amount": 3, "method": 4}, kinds, frozenset({3}))
    {'name': 1, 'amount': 2, 'method': 3}
    >>> realigned(row("1", "職員A", "12", "旅費"), {"name": 1, "method": 2, "amount": 3, "note": 4}, kinds | {"note": is_text})
    {'name': 1, 'method': -1, 'amount': 2, 'note': 3}
    """
    best = _fit(row, columns, kinds)
    spread = sum(1 for i, _ in row.filled() if min(columns.values()) <= i <= max(columns.values()) + 1)
    if best >= spread:
        return columns  # the usual row: each of its cells in a column that holds it
    found = best_readings(_moves(row, columns, gaps), lambda moved: _fit(row, moved, kinds), best)
    if not found:
        return columns
    if len({tuple(row[at].raw for at in moved.values()) for moved in found}) > 1:
        return None
    return found[0]


def _moves(row: Row, columns: dict, gaps: frozenset[int]) -> Iterator[dict]:
    """`columns` with those from one position on one cell right (past an empty cell of the
    row where that column's cell should stand) or one left (one of the header's `gaps`, or
    a merged cell of the row whose empty part the export dropped: the column left of them
    is then blank, read at -1, an empty cell)."""
    positions = sorted(set(columns.values()))
    for position in positions:
        steps = [1] if not row[position].text and row[position + 1].text else []
        if position in gaps:
            steps.append(-1)
        for step in steps:
            yield {column: at + step if at >= position else at for column, at in columns.items()}
        if position - 2 in positions and position - 1 in positions and row[position - 1].text:
            # (the merged cell: the one of the column two left, over the column one left)
            yield {column: at - 1 if at >= position else -1 if at == position - 1 else at
                   for column, at in columns.items()}


def best_readings(readings: Iterable[T], score: Callable[[T], int], to_beat: int) -> list[T]:
    """The readings scoring highest, if above `to_beat` (the score of the row as printed):
    one, or several that tie.  (The search of `realigned` and of `budget_item_gap`.)

    >>> best_readings(["a", "bb", "cc", "d"], len, 1), best_readings(["a"], len, 1)
    (['bb', 'cc'], [])
    """
    found: list[T] = []
    for reading in readings:
        value = score(reading)
        if value > to_beat:
            to_beat, found = value, [reading]
        elif value == to_beat and found:
            found.append(reading)
    return found


def _fit(row: Row, columns: dict, kinds: dict[object, Kind]) -> int:
    """How many of the row's cells stand, read at `columns`, in a column that can hold them."""
    return sum(1 for column, at in columns.items() if (cell := row[at]).text and kinds[column](cell))
