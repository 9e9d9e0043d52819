"""Aligning a data row with its header by the row's own label.

Merged cells collapse in the text export, and single rows may be shifted a cell
left or right (the seed's 達成度 row).  A header gives the columns' positions; a row
gives its label position.  `row_offset` finds how far the row is shifted against the
header so that cell `p + offset` of the row holds the value of header column `p`.
"""

from __future__ import annotations

from transforms.read import Row


def row_offset(row: Row, label_index: int, first_value_col: int, anchor: tuple[int, int] | None = None) -> int:
    """Shift of `row` against its header.

    With an `anchor` (header position of a column that always follows the label, such
    as 単位, and the row index where that column's cell sits) the offset is exact.
    Otherwise: a row whose label sits at or right of the first value column is
    shifted right; a row with a value between its label and the first value column is
    shifted left to where its values start.
    """
    if anchor is not None:
        header_pos, row_pos = anchor
        return row_pos - header_pos
    if label_index >= first_value_col:
        first_value = _first_filled_after(row, label_index)
        return (first_value if first_value is not None else label_index + 1) - first_value_col
    for i in range(label_index + 1, first_value_col):
        if row[i].text:
            return i - first_value_col
    return 0


def _first_filled_after(row: Row, index: int) -> int | None:
    for i in range(index + 1, len(row)):
        if row[i].text:
            return i
    return None
