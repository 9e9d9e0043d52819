"""Which measure an indicator row holds (成果実績, 目標値, 達成度, 活動実績, 当初見込み,
単位当たりコスト, 計算式, 実績値 …: labels.csv section ``indicator``), also when the
export split a label over two rows or put two measure rows on one line; and which cells
are values.  `indicators` assembles the rows into indicators.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from transforms.labels import compact, labels_of, lookup
from transforms.normalize import NOT_A_NUMBER, parse_printed_value
from transforms.read import EMPTY, Cell, Row
from transforms.sections.text import one_line

NOTE_MARK = re.compile(r"^(?:※|\(注|注\d*[):])")  # `※…`, `(注)…`, `注1)…` (NFKC text)
# A measure printed in one kind of block only; elsewhere its label is text: a real
# outcome name has the line `計算式` (a formula follows on the next line).
_ONLY_IN = {"formula": "unit_cost"}


def _labels(row: Row, kind: str) -> list[tuple[int, Cell, str]]:
    """(index, cell, measure) of each cell of the row that reads as a measure label of
    a `kind` block.  (A plain loop: every row of every block is asked.)"""
    labels = []
    for i, cell in row.filled():
        found = _label(cell.text)
        if found and _ONLY_IN.get(found, kind) == kind:
            labels.append((i, cell, found))
    return labels


def _measure(labels: list[tuple[int, Cell, str]]) -> tuple[int, str] | None:
    """(index, measure) of a row's measure label among its `_labels`: the rightmost (a
    name line may read `計算式`), and an exact label before one matched without its
    bracketed note (a name such as `達成度(%)` is no label)."""
    exact = keyed = None
    measures = labels_of("indicator")
    for i, cell, found in labels:
        if compact(cell.text) in measures:
            exact = (i, found)
        else:
            keyed = (i, found)
    return exact or keyed


@lru_cache(maxsize=4096)
def _label(text: str) -> str | None:
    """The measure a cell's (NFKC) text labels: a short text, not a note that starts with
    one (`(注)成果実績は速報値` is no 成果実績 row), with a letter (every measure label is
    words: a number, `-` or `10 (10)` is none, without a look-up).  Memoised: every filled
    cell of every indicator row is asked, and a sheet prints the same labels and values
    again and again.

    >>> [_label(t) for t in ["成果実績", "(注)成果実績は速報値", "10 (10)"]]
    ['actual', None, None]
    >>> from transforms.normalize import label_key  # (what the look-up also tries)
    >>> all(any(ch.isalpha() for ch in label_key(label)) for label in labels_of("indicator"))
    True
    """
    if len(text) > 20 or NOTE_MARK.match(text) or not any(map(str.isalpha, text)):
        return None
    return lookup("indicator", text)


def measure_rows(rows: list[Row], kind: str) -> Iterator[tuple[Row, tuple[int, str] | None]]:
    """Each row with its measure label (`_measure`).  A label the export split over
    two rows (a two-line cell: `活動実績` on the row with the `1 (1)` cells, then
    `(当初見込み)` alone below) counts once, on the upper row, as the whole label.  A row
    holding a second measure right of its values is read as two rows (`_split_row`)."""
    parts: list[tuple[Row, list[tuple[int, Cell, str]]]] = []  # each row (or part) with its label cells
    for row in rows:
        labels = _labels(row, kind)
        split = _split_row(row, kind, labels) if len(labels) > 1 else [row]  # (two labels at least to split)
        if len(split) == 1:
            parts.append((row, labels))
        else:
            parts += [(part, _labels(part, kind)) for part in split]
    k = 0
    while k < len(parts):
        row, labels = parts[k]
        found = _measure(labels)
        joined = _joined_measure(row, found, parts[k + 1][0]) if found and k + 1 < len(parts) else None
        yield row, (found[0], joined) if joined else found
        k += 2 if joined else 1


def _split_row(row: Row, kind: str, labels: list[tuple[int, Cell, str]] | None = None) -> list[Row]:
    """The row, or its two measure rows when a second measure label follows its values
    (`目標値 | 人 | 1 | 2 | 40,000 | 達成度 | % | 50 …`: a row the export put on the line
    of another).  The right part's label takes the left label's cell, so both parts
    align with the header alike.  `labels`: the row's `_labels`, when known.

    >>> from transforms.read import clean_cell
    >>> row = Row(1, [clean_cell(t) for t in ["", "", "目標値", "人", "3", "4", "達成度", "%", "75", "-"]])
    >>> [[c.text for c in part.cells] for part in _split_row(row, "outcome")]
    [['', '', '目標値', '人', '3', '4'], ['', '', '達成度', '%', '75', '-']]
    """
    positions = [i for i, _, _ in (_labels(row, kind) if labels is None else labels)]
    for first, second in zip(positions, positions[1:]):
        # (no value between: a name that reads like a label, left of the row's own label)
        if any(is_value(row[i], kind) for i in range(first + 1, second)):
            right = Row(row.number, [EMPTY] * first + row.cells[second:])
            return [Row(row.number, row.cells[:second])] + _split_row(right, kind)
    return [row]


def _joined_measure(row: Row, found: tuple[int, str], below: Row) -> str | None:
    """The measure of `row`'s label continued by the one cell of the row below, when
    that cell is no label itself and the two read as another label.

    >>> from transforms.read import clean_cell
    >>> upper = Row(1, [clean_cell(t) for t in ["", "name", "活動実績", "件", "1 (1)"]])
    >>> _joined_measure(upper, (2, "actual"), Row(2, [clean_cell(t) for t in ["", "", "(当初見込み)"]]))
    'actual_planned'
    >>> _joined_measure(upper, (2, "actual"), Row(2, [clean_cell(t) for t in ["", "name", "当初見込み", "件", "1"]])) is None
    True
    """
    filled = below.filled()
    if len(filled) != 1 or lookup("indicator", filled[0][1].text):
        return None
    joined = lookup("indicator", row[found[0]].text + filled[0][1].text)
    return joined if joined != found[1] else None


def is_value(cell, kind: str) -> bool:
    """A number, or (outside the policy block's free-text rows) a printed `-`."""
    return parse_printed_value(cell.raw) is not None or (kind != "policy" and cell.text in NOT_A_NUMBER)


def continues_unit(row: Row, unit_at: int, kind: str) -> bool:
    """Whether `row` holds nothing but a text in the unit column of the measure row above:
    the rest of its unit cell, split over two rows (`千円/都` / `道府県数`)."""
    filled = row.filled()
    return len(filled) == 1 and filled[0][0] == unit_at and not is_value(filled[0][1], kind) \
        and not NOTE_MARK.match(filled[0][1].text)


def add_unit_line(rows: list[dict], raw: str) -> None:
    """The unit of `rows` (the values of one measure row) with its next line, joined as
    the lines of one unit cell are (`one_line`)."""
    for r in rows:
        r["unit"] = one_line(f"{r['unit']}\n{raw}")
