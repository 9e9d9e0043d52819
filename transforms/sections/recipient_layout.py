"""The header rows of the 支出先上位10者リスト (`recipients`) and the layout of its blocks.

A block's header row names its columns (支出先 … 支出額 …; the forms differ by year:
2010-13 `支出先 | 業務概要 | 支出額 | 契約方式`, 2014 adds 入札者数 and 落札率, 2016 法人番号,
2018 the 一者応札 reason).  Before the rows are read, a header whose labels the export
split over two rows is joined (`join_split_headers`), and blocks printed side by side are
laid out one after the other (`unstack_side_by_side`), as most sheets print them.
"""

from __future__ import annotations

from functools import lru_cache

from transforms.labels import labels_of, lookup
from transforms.normalize import parse_amount
from transforms.read import Cell, Row
from transforms.sections.blocks import block_letter, block_starts
from transforms.sections.context import SheetContext


def rank_offset(row: Row, columns: dict[str, int]) -> int:
    """Shift of a ranked row against its block header: the rank sits left of 支出先 (also
    when the header starts with 支出先 in the first column, its empty rank cell collapsed)."""
    first = row.first()
    if first is None:
        return 0
    index, cell = first
    if index != columns["name"] - 1 and cell.text.isdigit() and len(cell.text) <= 3 and row[index + 1].text:
        return index - (columns["name"] - 1)
    return 0


@lru_cache(maxsize=1)
def _header_starts() -> frozenset[str]:
    """First two characters of every recipient column label: a cheap test for header rows."""
    return frozenset(label[:2] for label in labels_of("recipient"))


def _may_be_header(row: Row) -> bool:
    """Whether a cell of the row starts like a column label (most rows are payees: no further test)."""
    starts = _header_starts()
    for cell in row.cells:
        if cell.text[:2] in starts:
            return True
    return False


def _recipient_header(row: Row) -> dict[str, int]:
    """Column positions of a block's header row (支出先 … 支出額 …), or {} for other rows."""
    if not _may_be_header(row):
        return {}
    found: dict[str, int] = {}
    for i, cell in row.filled():
        column = lookup("recipient", cell.text) if len(cell.text) < 80 else None
        if column is not None and column not in found:
            found[column] = i
    if "name" not in found or "amount" not in found:
        return {}
    return found


def report_unknown_columns(header: Row, ctx: SheetContext) -> None:
    """Report each cell of a header row that is no known column label (nor a block letter)."""
    for _, cell in header.filled():
        text = cell.text
        if (len(text) >= 80 or lookup("recipient", text) is None) and not block_letter(text):
            ctx.warn("unknown_label", f"{ctx.source_path}: unknown column '{text}' in section recipient "
                     f"(line {header.number}); the column was not loaded", "recipient", observed=text)


def join_split_headers(rows: list[Row]) -> list[Row]:
    """The rows with each payee header whose labels the export split over two rows
    (`法人` / `番号`, `支出` / `額(百万円)`) joined into one header row."""
    joined: list[Row] = []
    k = 0
    while k < len(rows):
        row = rows[k]
        below = rows[k + 1] if k + 1 < len(rows) else None
        if below is not None and _header_rest(row, below) and _may_be_header(row):
            merged = Row(row.number, [Cell(c.raw + below[i].raw, c.text + below[i].text, c.bold) if below[i].text else c
                                      for i, c in enumerate(row.cells)])
            if len(_recipient_header(merged)) > len(_recipient_header(row)) or _unknown_columns(merged) < _unknown_columns(row):
                joined.append(merged)
                k += 2
                continue
        joined.append(row)
        k += 1
    return joined


def unstack_side_by_side(rows: list[Row]) -> list[tuple[Row, dict[str, int]]]:
    """The rows with payee blocks printed side by side (one header row naming 支出先 …
    支出額 once per block, `A.` … `B.` above it) laid out one block after the other, as
    most sheets print them: per block a row with its letter, its part of the header and
    its part of each row below, up to the next block title or header row.  Each row
    comes with its header columns (`_recipient_header`, {} for other rows): found once
    per row here, read by `parse_recipients`."""
    headers = [_recipient_header(row) for row in rows]
    out: list[tuple[Row, dict[str, int]]] = []
    k = 0
    while k < len(rows):
        starts = _side_by_side_starts(rows[k], headers[k])
        if not starts:
            out.append((rows[k], headers[k]))
            k += 1
            continue
        titles = _title_row_above(out)
        end = next((j for j in range(k + 1, len(rows)) if block_starts(rows[j]) or headers[j]), len(rows))
        shift = _rank_shift(rows[k + 1:end], rows[k], starts)
        band: list[Row] = []
        for n, letter in enumerate(_band_letters(starts, titles)):
            stop = starts[n + 1] if n + 1 < len(starts) else len(rows[k])
            band.append(Row(rows[k].number, [Cell(f"{letter}.", f"{letter}.")]))
            band.append(Row(rows[k].number, rows[k].cells[starts[n]:stop]))
            first = starts[n] + shift if n else 0  # the rows' cells of this block
            last = stop + shift if n + 1 < len(starts) else None
            band.extend(Row(row.number, row.cells[first:last]) for row in rows[k + 1:end])
        out.extend((row, _recipient_header(row)) for row in band)
        k = end
    return out


def _side_by_side_starts(row: Row, header: dict[str, int]) -> list[int]:
    """Where each block of a header row printing two or more payee blocks side by side
    begins (the rank column left of its 支出先; the first at 0), else [].  `header`: the
    row's `_recipient_header`."""
    if not header:
        return []
    columns = [(i, lookup("recipient", c.text)) for i, c in row.filled() if len(c.text) < 80]
    names = [i for i, column in columns if column == "name"]
    if len(names) < 2:
        return []
    ends = names[1:] + [len(row)]
    if not all(any(name < i < end and column == "amount" for i, column in columns) for name, end in zip(names, ends)):
        return []
    return [0] + [i - 1 for i in names[1:]]


def _title_row_above(out: list[tuple[Row, dict[str, int]]]) -> list[tuple[int, str]]:
    """The block titles (`A.` … `B.`) of the last filled row of `out`, taken out of it."""
    at = next((n for n in range(len(out) - 1, 0, -1) if out[n][0].filled_count()), None)
    if at is None or not (titles := block_starts(out[at][0])):
        return []
    del out[at]
    return titles


def _band_letters(starts: list[int], titles: list[tuple[int, str]]) -> list[str]:
    """The letter of each side-by-side block: a title printed over its columns (the first
    block's also left of them), else the letter after the block to its left (A first)."""
    letters: list[str] = []
    for n, start in enumerate(starts):
        stop = starts[n + 1] if n + 1 < len(starts) else None
        own = [letter for i, letter in titles if (n == 0 or i >= start) and (stop is None or i < stop)]
        if own:
            letters.append(own[0])
        else:
            letters.append(chr(ord(letters[-1][-1]) + 1) if letters else "A")
    return letters


def _rank_shift(band: list[Row], header: Row, starts: list[int]) -> int:
    """How far the rows below a side-by-side header sit right of it: 1 when its first
    block's empty rank cell collapsed (`支出先` in the first column), else 0."""
    first_block = _recipient_header(Row(header.number, header.cells[:starts[1]]))
    row = next((r for r in band if r.filled_count()), None)
    if row is None or row.first()[0] >= starts[1]:
        return 0
    return rank_offset(row, first_block)


def _header_rest(row: Row, below: Row) -> bool:
    """Whether `below` can hold the second lines of `row`'s header cells: short texts,
    no amount, each under a header cell of its own."""
    if not 0 < below.filled_count() <= 3 or row.filled_count() < 3:
        return False
    filled = below.filled()
    return all(
        len(c.text) < 20 and row[i].text and parse_amount(c.raw) is None and not block_letter(c.text) for i, c in filled)


def _unknown_columns(row: Row) -> int:
    return sum(1 for _, c in row.filled() if len(c.text) < 80 and lookup("recipient", c.text) is None)

