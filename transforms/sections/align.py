"""Aligning a data row with its header by the row's own label.

Merged cells collapse in the text export, and single rows may be shifted a cell
left or right (the seed's 達成度 row).  A header gives the columns' positions; a row
gives its label position.  The functions here find how far the row is shifted
against the header so that cell `p + offset` of the row holds the value of header
column `p`.
"""

from __future__ import annotations

from transforms.normalize import NOT_A_NUMBER
from transforms.read import Row


def row_offset(row: Row, label_index: int, first_value_col: int, anchor: tuple[int, int] | None = None) -> int:
    """Shift of `row` against its header (budget-style rows: label, then values).

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


def value_offset(row: Row, label_index: int, value_cols: list[int]) -> int:
    """Shift of a label-then-values row (the budget table) against its header.

    `row_offset` reads the shift from the cells between label and first column; the
    alternatives one cell either way are checked too (no value beyond the last column,
    most columns holding a value, the first reading winning a tie), a shift to the
    right only when the first column is empty at the first reading.  Only value cells
    count (numbers, dashes, percents): a note such as `注` after the last column is
    no sign of a shift.

    >>> from transforms.read import clean_cell
    >>> row = Row(1, [clean_cell(t) for t in ["", "", "計", "", "4", "4", "4", "4", "4"]])
    >>> value_offset(row, 2, [3, 4, 5, 6, 7])
    1
    """
    if not value_cols:
        return 0
    first = row_offset(row, label_index, value_cols[0])
    candidates = [first, first - 1]
    if not row[value_cols[0] + first].text:
        candidates.append(first + 1)
    best, best_score = first, None
    for offset in dict.fromkeys(candidates):
        score = _fit(row, label_index, offset, value_cols[0], value_cols, values_only=True)
        if best_score is None or score > best_score:
            best, best_score = offset, score
        if best_score == len(value_cols):
            break  # a value in every column, none beyond: no other offset can score higher
    return best


def header_shift(labelled: list[tuple[Row, int]], value_cols: list[int]) -> int:
    """1 when a label-then-values table's header stands one cell left of the values
    under it, else 0.  A title cell merged over one column fewer on the header row than
    the label cells below it collapses the header's year cells a cell short of the
    values, on every column at once.  The header is moved when its columns moved one
    cell right hold more of the rows' values (each row aligned by its own label,
    `row_offset`; a value left beyond the last column costs 100).
    `labelled`: each data row and its label's index.

    >>> from transforms.read import clean_cell
    >>> rows = [Row(n, [clean_cell(t) for t in cells]) for n, cells in enumerate([
    ...     ["", "", "当初予算", "70", "109", "193"], ["", "計", "", "70", "109", "181"], ["", "執行額", "", "54", "109", ""]])]
    >>> header_shift([(rows[0], 2), (rows[1], 1), (rows[2], 1)], [2, 3, 4])
    1
    """
    def score(shift: int) -> int:
        first = value_cols[0] + shift
        columns = [p + shift for p in value_cols]
        return sum(_fit(row, index, row_offset(row, index, first), first, columns, values_only=True)
                   for row, index in labelled)

    return 1 if score(1) > score(0) else 0


def measure_offset(row: Row, label_index: int, unit_col: int | None, value_cols: list[int]) -> int:
    """Shift of an indicator row (label, 単位, values) against its header.

    The usual row prints its unit right after its label (`成果実績 | 点数 | 3 …`), which
    fixes the offset.  Some blocks leave merged cells between label and unit (the
    policy 測定指標 table), and a value may be blank; so the offsets suggested by the
    label, by the first cell after it and by the last cell are each checked: no
    filled cell may sit between the label and the unit or beyond the last column,
    and the most filled value columns win (the label's own suggestion on a tie).

    >>> from transforms.read import clean_cell
    >>> row = Row(1, [clean_cell(t) for t in ["", "", "実績値", "", "", "", "件", "1", "2", "3", "-", "-"]])
    >>> measure_offset(row, 2, 7, [8, 9, 10, 11, 12])
    -1
    >>> row = Row(1, [clean_cell(t) for t in ["", "goal", "name", "成果実績", "", "1", "2", "3"]])
    >>> measure_offset(row, 3, 4, [5, 6, 7])
    0
    """
    if not value_cols:
        return 0 if unit_col is None else label_index + 1 - unit_col
    first_col = unit_col if unit_col is not None else value_cols[0]
    by_label = label_index + 1 - first_col
    best, best_score = by_label, _fit(row, label_index, by_label, first_col, value_cols)
    if best_score == len(value_cols):
        return best  # every column filled, nothing skipped: no other offset can score higher
    after = _first_filled_after(row, label_index)
    last = _last_filled(row)
    candidates = []
    if after is not None:
        candidates += [after - first_col, after - value_cols[0]]
    if last is not None and last > label_index:
        candidates.append(last - value_cols[-1])
    for offset in dict.fromkeys(candidates):
        if offset == by_label:
            continue
        score = _fit(row, label_index, offset, first_col, value_cols)
        if score > best_score:
            best, best_score = offset, score
        if best_score == len(value_cols):
            break  # (as above)
    return best


def _fit(row: Row, label_index: int, offset: int, first: int, columns: list[int], values_only: bool = False) -> int:
    """How well the row fits the header's `columns` shifted by `offset`: the columns
    filled, minus 100 per filled cell left beyond the last column or (unless
    `values_only`) skipped between the label and the header's `first` column after it.
    `values_only`: only value cells (`_is_value_cell`) count.  (Plain loops rather than
    generators: this runs for every measure and budget row.)"""
    if first + offset <= label_index:
        return -1000
    cells = row.cells
    score = 0
    if values_only:
        for p in columns:
            if 0 <= p + offset < len(cells) and _is_value_cell(cells[p + offset]):
                score += 1
        for cell in cells[columns[-1] + offset + 1:]:
            if _is_value_cell(cell):
                score -= 100
        return score
    for p in columns:
        if 0 <= p + offset < len(cells) and cells[p + offset].text:
            score += 1
    for cell in cells[label_index + 1:first + offset] + cells[columns[-1] + offset + 1:]:
        if cell.text:
            score -= 100
    return score


def _is_value_cell(cell) -> bool:
    """A cell that can be a table value: it prints a digit or is a dash / error mark."""
    text = cell.text
    return text.isdigit() or text in NOT_A_NUMBER or any(map(str.isdigit, text))  # (most values: digits only)


def _first_filled_after(row: Row, index: int) -> int | None:
    for i in range(index + 1, len(row)):
        if row[i].text:
            return i
    return None


def _last_filled(row: Row) -> int | None:
    for i in range(len(row) - 1, -1, -1):
        if row[i].text:
            return i
    return None
