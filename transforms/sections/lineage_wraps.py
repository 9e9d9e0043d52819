"""Lineage numbers wrapped over two lines of their cell.

A spreadsheet wraps a long text at a dash: `新29-0243` printed in a narrow cell becomes
`新29-` and `0243` on two lines, and the export splits such a cell over two rows (the
second line on the row below, in the cell's column) or keeps it in one cell with a line
break (`新29- 0243`: joined by `project_numbers.number_entries`).  The dash ending a line
tells that the number goes on; without it two lines are two numbers (`0062` / `0063`, a
merger), read as before.
"""

from __future__ import annotations

from transforms.read import Cell, Row

_DASHES = "-‐−–—"


def is_cut(text: str) -> bool:
    """Whether a cell or a number ends inside a number, at a dash after a digit or a
    letter (`新29-`, `2019-国交-`): its rest on another line.

    >>> is_cut("新29-"), is_cut("国土交通省 ( 2019-国交-"), is_cut("0243"), is_cut("-"), is_cut("0243 -")
    (True, True, False, False, False)
    """
    return len(text) > 1 and text[-1] in _DASHES and not text[-2].isspace() and any(ch.isdigit() for ch in text)


def join_wrapped_rows(rows: list[Row]) -> list[Row]:
    """`rows` with each row that holds only the second lines of numbers of the row above
    cut at a dash joined into that row; an empty row keeps its place (the grid of
    `lineage._lineage_grid` reads rows by their order)."""
    out: list[Row] = []
    for row in rows:
        first = row.first()  # (most rows start with a year: no continuation)
        joined = _joined(out[-1], row) if out and first is not None and "年" not in first[1].text else None
        if joined is None:
            out.append(row)
        else:
            out[-1] = joined
            out.append(Row(row.number, []))
    return out


def _joined(above: Row, row: Row) -> Row | None:
    """`above` with the cells of `row` appended to the cells they continue, or None when
    `row` is no such continuation: each of its cells (short, with a digit, no year) under
    a cell of `above` cut at a dash, or its one cell after the last one of `above` (merged
    cells collapsed at another index)."""
    filled = row.filled()
    if not all(len(c.text) < 24 and "年" not in c.text and any(ch.isdigit() for ch in c.text) for _, c in filled):
        return None
    targets = [i for i, _ in filled]
    if not all(is_cut(above[i].text) for i in targets):
        last = above.filled()[-1] if above.filled_count() else None
        if len(filled) != 1 or last is None or not is_cut(last[1].text):
            return None
        targets = [last[0]]
    cells = list(above.cells)
    for at, (_, cell) in zip(targets, filled):
        upper = cells[at]
        cells[at] = Cell(upper.raw + cell.raw, upper.text + cell.text, upper.bold)
    return Row(above.number, cells)
