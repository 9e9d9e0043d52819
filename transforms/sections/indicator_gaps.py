"""Indicator measure rows read past a cell merged over two columns (`indicators`).

A cell merged over two columns is exported as its text and an empty cell.  When a
measure row has one and its header does not (`成果実績 | 日 | 365 | | 365 | 365 | - | -`),
its values from the empty cell on stand one column right of their years; when the header
has one and the row does not (`単位 | 令和元年度 | | 2年度 | …`), one column left.  Every
value column holds the same kind of cell (a number or `-`), so the row's cells do not tell
which column a value belongs to: the row is read from its label, and the cell it prints
beyond the header's last column or in the header's empty cell tells the merge.
"""

from __future__ import annotations

from transforms.read import EMPTY, Row
from transforms.sections.indicator_header import Layout
from transforms.sections.indicator_rows import is_value


def header_gap(header: Row, layout: Layout, positions: list[int]) -> int | None:
    """The one empty header cell between the 単位 and the last value column (a header cell
    merged over two columns: `単位 | 令和元年度 | | 2年度 | …`), else None."""
    if layout.unit is None or not positions or positions[-1] - layout.unit == len(positions):
        return None  # (most headers: no column skipped)
    taken = set(positions)
    gaps = [i for i in range(layout.unit + 1, positions[-1]) if i not in taken and not header[i].text]
    return gaps[0] if len(gaps) == 1 else None


def with_header_gap(row: Row, label_index: int, layout: Layout, gap: int) -> Row:
    """The measure row with an empty cell where its header has one (`header_gap`), when
    the row (read from its label) prints a cell there: its own cells merge no two
    columns, and its values from that cell on stand one column left of their years.

    >>> from transforms.read import clean_cell
    >>> from transforms.sections.indicator_header import ValueColumn
    >>> layout = Layout(unit=3, columns=[ValueColumn(p, "year", None) for p in (4, 6, 7)])
    >>> row = Row(1, [clean_cell(t) for t in ["", "", "成果実績", "日", "365", "364", "-"]])
    >>> [c.text for c in with_header_gap(row, 2, layout, 5).cells]
    ['', '', '成果実績', '日', '365', '', '364', '-']
    """
    at = gap + label_index + 1 - layout.unit  # (`layout.unit` is set: see `header_gap`)
    if at >= len(row) or not row.cells[at].text:
        return row  # (the row merges the same two columns, or prints nothing there)
    return Row(row.number, row.cells[:at] + [EMPTY] + row.cells[at:])


def without_merged_gap(row: Row, label_index: int, layout: Layout, positions: list[int]) -> Row:
    """The measure row without the empty cell a cell merged over two columns left in it.

    Read from its label (`成果実績 | 日 | 365 | | 365 | 365 | - | -`), such a row prints one
    value beyond the header's last column and one empty cell among its values: its values
    from the empty cell on stand one column right of their years.  With exactly one empty
    cell between unit and values the row is read without it; with more, which one is the
    merged cell's the row does not tell, and it is read as printed.

    >>> from transforms.read import clean_cell
    >>> from transforms.sections.indicator_header import ValueColumn
    >>> layout = Layout(unit=3, columns=[ValueColumn(p, "year", None) for p in (4, 5, 6)])
    >>> row = Row(1, [clean_cell(t) for t in ["", "", "成果実績", "日", "365", "", "364", "-"]])
    >>> [c.text for c in without_merged_gap(row, 2, layout, [4, 5, 6]).cells]
    ['', '', '成果実績', '日', '365', '364', '-']
    """
    unit = layout.unit
    if unit is None or not positions:
        return row
    offset = label_index + 1 - unit
    beyond = positions[-1] + offset + 1  # the first cell right of the last column
    if len(row) <= beyond or not row.cells[beyond].text:
        return row  # (most rows: nothing beyond the last column)
    if row.filled()[-1][0] != beyond or positions[-1] - positions[0] + 1 != len(positions) or positions[0] != unit + 1:
        return row  # (a header with merged cells of its own: not read here)
    empty = [i for i in range(unit + offset + 1, beyond) if not row[i].text]
    if len(empty) != 1 or not row[unit + offset].text or not is_value(row[beyond], "outcome"):
        return row
    return Row(row.number, row.cells[:empty[0]] + row.cells[empty[0] + 1:])
