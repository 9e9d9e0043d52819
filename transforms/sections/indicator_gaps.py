"""Indicator measure rows read past a cell merged over two columns (`indicators`).

A cell merged over two columns is exported as its text and an empty cell.  When a
measure row has one and its header does not (`成果実績 | 日 | 365 | | 365 | 365 | - | -`),
its values from the empty cell on stand one column right of their years; when the header
has one and the row does not (`単位 | 令和元年度 | | 2年度 | …`), one column left.  Every
value column holds the same kind of cell (a number or `-`), so the row's cells do not tell
which column a value belongs to: the row is read from its label, and the cell it prints
beyond the header's last column (beyond its last year for an actual or 達成度 row that
leaves the target column blank, 2010-13) or in the header's empty cell tells the merge.
"""

from __future__ import annotations

import re

from transforms.read import EMPTY, Cell, Row
from transforms.sections.indicator_header import Layout
from transforms.sections.indicator_rows import is_value

_PAIR = re.compile(r"^(.*?)\s*\([^()]*\)$")  # `1 (1)`: an actual and its planned value
_NO_TARGET = frozenset({"actual", "achievement"})  # the measures whose rows leave the target columns blank
_DASHES = frozenset({"-", "―", "ー", "－", "‐", "—", "–", "─"})  # a unit, or a value, printed as none


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
    the row (read from its unit cell, `unit_cell`) prints a cell there: its own cells merge no two
    columns, and its values from that cell on stand one column left of their years.

    >>> from transforms.read import clean_cell
    >>> from transforms.sections.indicator_header import ValueColumn
    >>> layout = Layout(unit=3, columns=[ValueColumn(p, "year", None) for p in (4, 6, 7)])
    >>> row = Row(1, [clean_cell(t) for t in ["", "", "成果実績", "日", "365", "364", "-"]])
    >>> [c.text for c in with_header_gap(row, 2, layout, 5).cells]
    ['', '', '成果実績', '日', '365', '', '364', '-']
    """
    at = gap + unit_cell(row, label_index) - layout.unit  # (`layout.unit` is set: see `header_gap`)
    if at >= len(row) or not row.cells[at].text:
        return row  # (the row merges the same two columns, or prints nothing there)
    return Row(row.number, row.cells[:at] + [EMPTY] + row.cells[at:])


def without_merged_gap(row: Row, label_index: int, layout: Layout, positions: list[int], measure: str) -> Row:
    """The measure row without the empty cell a cell merged over two columns left in it.

    Read from its unit cell (`unit_cell`: `成果実績 | 日 | 365 | | 365 | 365 | - | -`), such a row prints one
    value beyond the last column it fills and one empty cell among its values: its values
    from the empty cell on stand one column right of their years.  The last column a row
    fills is the header's last, or for an actual or 達成度 row of a form that leaves its
    target columns blank (2010-13: `成果実績 | 回 | 0 | 1 | 1 |` under `目標値(23年度)`) its
    last year.  With exactly one empty cell between unit and values the row is read
    without it; with more, which one is the merged cell's the row does not tell, and it is
    read as printed.  An empty unit cell before a unit (`成果実績 | | 回 | 0 | 1 | 1 |`, the
    label's cell merged) is left out too, when the row's cells then end in its columns.

    >>> from transforms.read import clean_cell
    >>> from transforms.sections.indicator_header import ValueColumn
    >>> layout = Layout(unit=3, columns=[ValueColumn(p, "year", None) for p in (4, 5, 6)])
    >>> row = Row(1, [clean_cell(t) for t in ["", "", "成果実績", "日", "365", "", "364", "-"]])
    >>> [c.text for c in without_merged_gap(row, 2, layout, [4, 5, 6], "actual").cells]
    ['', '', '成果実績', '日', '365', '364', '-']
    >>> layout.columns.append(ValueColumn(7, "final_target", None))
    >>> layout.last_year = 6
    >>> row = Row(1, [clean_cell(t) for t in ["", "", "成果実績", "", "回", "0", "1", "1"]])
    >>> [c.text for c in without_merged_gap(row, 2, layout, [4, 5, 6, 7], "actual").cells]
    ['', '', '成果実績', '回', '0', '1', '1']
    >>> row = Row(1, [clean_cell(t) for t in ["", "", "成果実績", "回", "0", "", "1", "1"]])
    >>> [c.text for c in without_merged_gap(row, 2, layout, [4, 5, 6, 7], "actual").cells]
    ['', '', '成果実績', '回', '0', '1', '1']
    """
    unit = layout.unit
    if unit is None or not positions:
        return row
    unit_at = unit_cell(row, label_index)
    if unit_at == label_index + 2:  # `成果実績 | | 回 | 0 | 1 | 1 |`
        return _without_unit_gap(row, unit_at - 1, positions[-1] + unit_at - 1 - unit)
    offset = unit_at - unit
    cells, size = row.cells, len(row.cells)
    if unit_at >= size or not cells[unit_at].text:
        return row
    beyond = positions[-1] + offset + 1  # the first cell right of the last column the row fills
    if beyond >= size or not cells[beyond].text:  # (most rows: nothing beyond the header's last column)
        if layout.last_year is None or measure not in _NO_TARGET:
            return row
        beyond = layout.last_year + offset + 1
        if beyond >= size or not cells[beyond].text:
            return row
    empty = [i for i in range(unit + offset + 1, beyond) if not row[i].text]
    if len(empty) != 1 or row.filled()[-1][0] != beyond or not _is_measure_value(row[beyond]):
        return row
    if positions[-1] - positions[0] + 1 != len(positions) or positions[0] != unit + 1:
        return row  # (a header with merged cells of its own: not read here)
    return Row(row.number, row.cells[:empty[0]] + row.cells[empty[0] + 1:])


def unit_cell(row: Row, label_index: int) -> int:
    """The index of a measure row's unit cell: right after its label, or the first
    filled cell after it when that is no value (the label's cell merged over columns:
    the policy table's `実績値 | | | | 日 | 365 …`, or `成果実績 | | 回 | 0 …`)."""
    cells = row.cells
    for i in range(label_index + 1, len(cells)):
        if cells[i].text:
            return i if i == label_index + 1 or not _is_measure_value(cells[i]) else label_index + 1
    return label_index + 1


def _without_unit_gap(row: Row, unit_at: int, last_at: int) -> Row:
    """`row` without its empty unit cell (`unit_at`) when a unit follows it (a short text
    that is no value) and the row's cells then end at its last column (`last_at`)."""
    after = row[unit_at + 1]
    if row[last_at + 1].text or len(after.text) > 12:
        return row
    return Row(row.number, row.cells[:unit_at] + row.cells[unit_at + 1:])


def _is_measure_value(cell: Cell) -> bool:
    """A value cell of a measure row: a number, `-`, or 平成24's actual and planned pair
    (`1 (1)`, `- (1)`, `(1)`)."""
    if is_value(cell, "outcome"):
        return True
    pair = _PAIR.match(cell.text)
    return pair is not None and (not pair.group(1) or is_value(Cell(pair.group(1), pair.group(1)), "outcome"))


def dash_unit_or_value(row: Row, positions: list[int], offset: int, unit_at: int) -> bool:
    """Whether a measure row's unit cell (`unit_at`, the row read at `offset`) prints a dash
    that may as well be its first value: under `単位 | 22年度 | 23年度 | 24年度 | 目標値(28年度)`,
    `目標値 | - | - | - | 10` is a unit `-` and 10 for 24年度, or (a blank unit cell merged
    away) a blank unit and 10 for the final target.  When the row read with the dash
    under the first value column leaves no cell beyond the last column either, the row
    does not tell.

    >>> from transforms.read import clean_cell
    >>> row = Row(1, [clean_cell(t) for t in ["", "目標値", "-", "-", "-", "10"]])
    >>> dash_unit_or_value(row, [3, 4, 5, 6], 0, 2), dash_unit_or_value(Row(1, row.cells + [clean_cell("1")]), [3, 4, 5, 6], 0, 2)
    (True, False)
    """
    if row[unit_at].text not in _DASHES or not positions:
        return False
    by_values = unit_at - positions[0]  # the dash read under the first value column
    return by_values != offset and not any(row[i].text for i in range(positions[-1] + by_values + 1, len(row)))
