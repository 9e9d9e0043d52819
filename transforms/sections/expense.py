"""費目・用途 (expense): blocks A., B., … side by side, each 費目, 用途, 金額, with
their printed 計 (lettered blocks: `blocks`)."""

from __future__ import annotations

import re
from decimal import Decimal

from transforms.labels import lookup, total_kind
from transforms.normalize import money_scale, parse_amount
from transforms.read import EMPTY, Cell, Row
from transforms.sections.blocks import block_starts, has_amount, report_unread
from transforms.sections.context import SheetContext
from transforms.sections.merged_cells import NUMBER_STARTS, header_gaps, is_amount, is_text, realigned
from transforms.sections.text import text_value


def parse_expense(rows: list[Row], ctx: SheetContext) -> dict[str, list[dict]]:
    """費目・用途 blocks A., B., … side by side: 費目, 用途, 金額 per block; 計 -> printed_total."""
    out: dict[str, list[dict]] = {"expense": [], "printed_total": []}
    blocks: list[tuple[int, str]] = []
    columns: list[tuple[str, int, int, int]] = []  # block, 費目, 用途, 金額 positions
    counters: dict[str, int] = {}
    last: dict[str, dict] = {}  # the last expense row of each block
    awaiting: dict[str, dict] = {}  # a block's last row while its amount may follow on the next row
    titled = False  # an A. / B. row came after the last header row
    unread = 0
    title_scale = money_scale(c.text for _, c in rows[0].filled())  # `費目・使途(単位:千円)`
    scales: dict[str, Decimal] = {}  # each block's unit: its own 金額 header's (`block_scales`)
    gaps: frozenset[int] = frozenset()  # the header's columns past an empty cell (`merged_cells`)
    edge, amounts = 0, frozenset()  # the header's last column, its 金額 columns
    for row in rows[1:]:
        starts = block_starts(row)
        if starts:
            blocks, titled = starts, True
            continue
        keys = [(i, lookup("expense", c.text) if len(c.text) < 20 else None) for i, c in row.filled()]
        item_cols = [i for i, k in keys if k == "expense_item"]
        if not item_cols and not columns:
            unread += has_amount(row)
        if item_cols:  # blocks named by an A. / B. row above, else A, B, … in column order
            if columns and not titled and counters:  # a second band of blocks without its titles: C., D., …
                after = max(counters)
                blocks = [(i, chr(ord(after[-1]) + 1 + n)) for n, i in enumerate(item_cols)]
            titled, columns = False, []
            for n, i in enumerate(item_cols):
                end = item_cols[n + 1] if n + 1 < len(item_cols) else None
                letter = _letter_for(blocks, i, n, end)
                purpose = next((j for j, k in keys if j > i and k == "purpose"), i + 1)
                amount = next((j for j, k in keys if j > i and k == "amount"), i + 2)
                columns.append((letter, i, purpose, amount))
            scales.update(block_scales(row, columns, next(reversed(scales.values()), title_scale)))
            gaps = header_gaps(row, [at for block in columns for at in block[1:]])
            edge, amounts = max(block[3] for block in columns), frozenset(block[3] for block in columns)
            continue
        placed = columns
        # a row whose last cell stands right of the last column, or looks like a number in a
        # 費目 or 用途 column or like a text in a 金額 column, may have a merged cell its
        # header has not: read past it (`merged_cells`), a 計 row by its labels
        if columns and (end := row.first() and row.filled()[-1]) and (gaps or end[0] > edge or (
                end[1].text[0] in NUMBER_STARTS) != (end[0] in amounts)):
            if (totals := _printed_totals(row, columns)) is not None:
                for letter, amount in totals:
                    awaiting.pop(letter, None)
                    out["printed_total"].append(_total_row(letter, amount, scales[letter]))
                continue
            if (placed := _realigned(row, columns, gaps)) is None:
                ctx.warn("ambiguous_amounts", f"{ctx.source_path}: 費目・用途 line {row.number}: an empty cell that two "
                         "columns could be (a blank value or a merged cell); the row was not loaded", "expense",
                         observed="\t".join(cell.raw for cell in row.cells).strip()[:80])
                continue
        for letter, item_pos, purpose_pos, amount_pos in placed:
            item, purpose, amount = row[item_pos], row[purpose_pos], row[amount_pos]
            if not (item.text or purpose.text or amount.text):
                continue
            pending = awaiting.pop(letter, None)
            if pending is not None and not item.text and amount.text and not total_kind(purpose.text):
                # the amount of the row above, printed on the last line of its split 用途 cell
                if purpose.text:
                    pending["purpose"] = "\n".join(filter(None, (pending["purpose"], text_value(purpose.raw))))
                pending["amount_million_yen"], pending["raw_text"] = parse_amount(amount.raw, scales[letter]), amount.raw
                continue
            if not amount.text or _UNIT_NOTE.match(amount.text):
                if amount.text:
                    scales[letter] = money_scale([amount.text])
                # a header's unit on the row below it (`金額` / `(百万円)`), or the rest of a
                # 費目 or 用途 cell the export split over rows: no row of its own
                previous = last.get(letter)
                if not (item.text or purpose.text):
                    continue
                if previous is not None and not (item.text and purpose.text) and not total_kind(item.text):
                    for field, cell in (("expense_item", item), ("purpose", purpose)):
                        if cell.text:
                            previous[field] = "\n".join(filter(None, (previous[field], text_value(cell.raw))))
                    if previous["amount_million_yen"] is None and not previous["raw_text"]:
                        awaiting[letter] = previous
                    continue
            kind = total_kind(item.text) or (None if item.text else total_kind(purpose.text))  # 計 in either column
            if kind == "subtotal":
                continue
            if kind == "total":
                if item.text and purpose.text and (previous := last.get(letter)) is not None:
                    # the rest of the 用途 above on the 計 row, whose own 用途 is blank (a split cell)
                    previous["purpose"] = "\n".join(filter(None, (previous["purpose"], text_value(purpose.raw))))
                out["printed_total"].append(_total_row(letter, amount, scales[letter]))
                continue
            counters[letter] = counters.get(letter, 0) + 1
            last[letter] = {
                "block": letter, "row_no": counters[letter], "expense_item": text_value(item.raw),
                "purpose": text_value(purpose.raw), "amount_million_yen": parse_amount(amount.raw, scales[letter]),
                "raw_text": amount.raw or None,
            }
            out["expense"].append(last[letter])
            if not amount.text:
                awaiting[letter] = last[letter]
    report_unread(unread, "expense", "費目 / 用途 / 金額", rows, ctx)
    return out


def _total_row(letter: str, amount: Cell, scale: Decimal) -> dict:
    """The printed_total row of a block's 計."""
    return {"table_name": "expense", "block": letter, "fiscal_year": None, "is_request": None,
            "amount_million_yen": parse_amount(amount.raw, scale), "raw_text": amount.raw or None}


def _printed_totals(row: Row, columns: list[tuple[str, int, int, int]]) -> list[tuple[str, Cell]] | None:
    """(block, amount cell) of a row printing only 計 labels, each followed by its amount or
    not, wherever the export put them (a 計 merged over 費目 and 用途 collapses to one
    cell: `計 | 114 | 計 | 74`).  A label per block: the blocks in order; fewer: each the
    block over whose columns it stands.  None for other rows, and two labels over one block."""
    filled = row.filled()
    labels = [n for n, (_, cell) in enumerate(filled) if total_kind(cell.text) == "total"]
    if not labels or any(n - 1 not in labels or not is_amount(cell) for n, (_, cell) in enumerate(filled)
                         if n not in labels):
        return None  # (a text, or two amounts after one label)
    if len(labels) == len(columns):
        letters = [block[0] for block in columns]
    else:
        letters = [next((block[0] for block in reversed(columns) if block[1] <= filled[n][0]), columns[0][0])
                   for n in labels]
        if len(set(letters)) < len(letters):
            return None
    return [(letter, filled[n + 1][1] if n + 1 < len(filled) and n + 1 not in labels else EMPTY)
            for letter, n in zip(letters, labels)]


_KINDS = {1: is_text, 2: is_text, 3: is_amount}  # 費目, 用途, 金額: what each can hold (`merged_cells`)


def _realigned(row: Row, columns: list[tuple[str, int, int, int]], gaps: frozenset[int]) \
        -> list[tuple[str, int, int, int]] | None:
    """`columns` (block, 費目, 用途, 金額 positions) where `row` prints them, past a merged
    cell (`merged_cells.realigned`); None when two readings fit it equally."""
    placed = realigned(row, {(n, k): block[k] for n, block in enumerate(columns) for k in (1, 2, 3)},
                       {(n, k): _KINDS[k] for n in range(len(columns)) for k in (1, 2, 3)}, gaps)
    if placed is None:
        return None
    return [(block[0], placed[n, 1], placed[n, 2], placed[n, 3]) for n, block in enumerate(columns)]


def block_scales(header: Row, columns: list[tuple[str, int, int, int]], default: Decimal) -> dict[str, Decimal]:
    """The unit of each block's amounts, in 百万円: the one its own 金額 header names
    (`金額 (百万円)`, `金額 (千円)`: blocks side by side may differ), else that of the
    block to its left, else `default` (the section title's, or the last block's of the
    band of blocks above).

    >>> from transforms.read import clean_cell
    >>> header = Row(1, [clean_cell(t) for t in ["費目", "用途", "金額(百万円)", "費目", "用途", "金額(千円)", "費目", "用途", "金額"]])
    >>> block_scales(header, [("A", 0, 1, 2), ("B", 3, 4, 5), ("C", 6, 7, 8)], Decimal(1))
    {'A': Decimal('1'), 'B': Decimal('0.001'), 'C': Decimal('0.001')}
    """
    scales: dict[str, Decimal] = {}
    scale = default
    for letter, _, _, amount_pos in columns:
        text = header[amount_pos].text
        scale = scales[letter] = money_scale([text]) if "円" in text else scale
    return scales


_UNIT_NOTE = re.compile(r"^\(?(?:単位)?[:：]?\s*(?:百万円|千円|円)\)?$")


def _letter_for(blocks: list[tuple[int, str]], position: int, n: int, end: int | None = None) -> str:
    """The letter of the block whose 費目 column is at `position` (the `n`-th, the next one
    at `end`): the title over its columns, a title printed right of its 費目 column (a
    merged cell before it: `A. | | | | B.` over `費目 | 用途 | 金額 | 費目`) included."""
    if n and (inside := [letter for i, letter in blocks if position <= i and (end is None or i < end)]):
        return inside[0]
    at_or_left = [letter for i, letter in blocks if i <= position]
    if at_or_left:
        return at_or_left[-1]
    if blocks and blocks[0][1] > "A" and len(blocks[0][1]) == 1:  # left of the first title: its title left blank
        return chr(ord(blocks[0][1]) - 1)
    return blocks[n][1] if n < len(blocks) else chr(ord("A") + n)
