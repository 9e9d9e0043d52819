"""Lettered blocks (A., B., …) as the 費目・用途 (`expense`) and 支出先上位リスト
(`recipients`) sections print them, and the warning both give for amounts they could not
place under a header row."""

from __future__ import annotations

import re

from transforms.normalize import parse_number
from transforms.read import Row
from transforms.sections.context import SheetContext

# A block title cell: `A.`, `B.` … and, past Z, `a.`; `AA.` in very long lists; the
# block's recipient may follow the letter (`A.日本電気株式会社`, `Bブロック`).
# The letter may stand in brackets (`【A】`, `(A)`, `[A]`); two letters are a doubled one
# (`AA`) or end in `.`: a payee named `JV` opens no block.
_BLOCK = re.compile(r"[【(\[]?\s*(?P<letter>[A-Za-z]{1,2})\s*[】)\]]?(?P<rest>\s*\.(?:\s*\S.*)?|\s*ブロック)?", re.S)


def block_letter(text: str) -> str | None:
    """The letter of a block title cell, or None.

    >>> block_letter("A."), block_letter("B.株式会社NTTデータ"), block_letter("Cブロック"), block_letter("NTT")
    ('A', 'B', 'C', None)
    >>> block_letter("【A】"), block_letter("(B)"), block_letter("AA."), block_letter("AA"), block_letter("JV")
    ('A', 'B', 'AA', 'AA', None)
    """
    match = _BLOCK.fullmatch(text)
    if match is None:
        return None
    letter = match.group("letter")
    if len(letter) == 2 and letter[0] != letter[1] and not match.group("rest"):
        return None
    if text[:1] in "【([" and not text.rstrip(".").endswith(("】", ")", "]")) and not match.group("rest"):
        return None  # an opening bracket without its closing one
    return letter


def block_starts(row: Row) -> list[tuple[int, str]]:
    """The block titles of a row that holds nothing else (a name may sit in the cell
    after its letter: `A. ⇥ 日本電気株式会社`), else []."""
    starts, after_title = [], False
    for i, cell in row.filled():
        letter = block_letter(cell.text)
        if letter:
            starts.append((i, letter))
            after_title = len(cell.text.rstrip(".")) <= 2
        elif after_title:
            after_title = False  # the name of the block just opened
        else:
            return []
    return starts


def has_amount(row: Row) -> bool:
    return any(parse_number(c.raw) is not None for _, c in row.filled())


def report_unread(unread: int, section: str, header: str, rows: list[Row], ctx: SheetContext) -> None:
    """Rows with amounts but no header row above them: the section could not be read."""
    if unread:
        ctx.warn("section_unreadable", f"{ctx.source_path}: section {section} (line {rows[0].number}): {unread} row(s) "
                 f"with amounts but no {header} header row above them; not loaded", section)


def letter_after_repeated_header(letter: str, rank: int) -> str:
    """The block of the first ranked row under a header row printed again without a block
    letter: ranks restarting at 1 are the next block, its title row left out (blocks are
    printed in order, so the letter after the current one); other ranks (`4` after `3`:
    the header repeated at the top of a page) go on with the current block.

    >>> letter_after_repeated_header("A", 1), letter_after_repeated_header("B", 1), letter_after_repeated_header("A", 4)
    ('B', 'C', 'A')
    """
    if rank != 1 or letter[-1] == "Z":
        return letter
    return letter[:-1] + chr(ord(letter[-1]) + 1)
