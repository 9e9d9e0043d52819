"""Page-break artefacts of a printed sheet, left out of every section by
`transforms.sections.locate.split_sections`: a page number alone on a row (`- 2 -`,
`2/3`) and the sheet's title repeated at the top of a page, printed whole or split over
cells and rows as the title itself may be."""

from __future__ import annotations

import re

from transforms.read import Row
from transforms.years import kanji_era_years

# page-break artefacts of a printed sheet: `- 2 -`, `2/3` alone on a row
_PAGE_NUMBER = re.compile(r"^[-‐―ー－–—]\s*\d{1,3}\s*[-‐―ー－–—]$|^\d{1,3}\s*/\s*\d{1,3}$")
PAGE_NUMBER_START = frozenset("-‐―ー－–—0123456789")


def is_page_artefact(row: Row, first_text: str) -> bool:
    """A row holding only a page number (`- 2 -`, `2/3`): not part of any section.
    `first_text`: the text of the row's first filled cell.  (The sheet's title repeated at
    the top of a printed page: `page_title_rows`.)"""
    return _PAGE_NUMBER.match(first_text) is not None and row.filled_count() == 1


# The sheet's title repeated at the top of a printed page may be split as the title itself
# is (`transforms.sections.title`): a year, the title words (or their head and their end,
# `行政事業` | `レビューシート`) and the ministry over cells or rows of their own.
_TITLE_WORDS = "行政事業レビューシート"
TITLE_TAILS = tuple(_TITLE_WORDS[i:] for i in range(2, 9))  # `事業レビューシート` … `シート`
# how the first cell of a row holding a part of such a title ends when it holds neither the
# whole title words nor their end (…シート, `シート ( 総務省 )`): a year (`令和2年度`, `平成26年`) or
# the head of split title words (`行政`, `行政事業`, `行政事業レビュー`); and the last characters of
# all those cells (a cheap first test)
TITLE_PART_ENDS = ("年度", "年", "行政", "行政事業", "レビュー")
TITLE_PART_LAST = frozenset("ト)度年政業ー")
# a title's year before its words, spaces removed: `令和2年度`, `平成26年`, `R2年度`, `(令和元(平成31)年度)`
_TITLE_YEAR = re.compile(r"[(\[【]?(?:(?:平成|令和|[HR])(?:\d{1,2}|元)|(?:19|20)\d{2})(?:\([^()]*\))?年度?[)\]】]?")


def _title_part(row: Row) -> str | None:
    """The row's cells joined without spaces (kanji era years in digits) when they may be
    (a part of) a title line: at most three short cells."""
    if row.filled_count() > 3:
        return None
    line = "".join(c.text for _, c in row.filled())
    return kanji_era_years(line.replace(" ", "")) if len(line) <= 80 else None


def _is_title_line(line: str) -> bool:
    """A whole title line: a year or nothing before the title words, a short ministry or
    year part after them."""
    before, words, after = line.partition(_TITLE_WORDS)
    return bool(words) and "。" not in after and (not before or _TITLE_YEAR.fullmatch(before) is not None)


def page_title_rows(row: Row, kept: list[Row]) -> int | None:
    """For a row ending the sheet's title repeated at the top of a printed page (past the
    header), how many of the rows `kept` just before it belong to that title too: a year
    or the head of split title words on rows of their own (`令和2年度` / `行政事業` /
    `レビューシート ( 総務省 )`), blank rows between them; None for any other row."""
    line = _title_part(row)
    if line is None or len(line) > 60 or (_TITLE_WORDS not in line and not line.startswith(TITLE_TAILS)):
        return None
    back, n = 0, len(kept)
    for _ in range(4):  # (at most two parts before, and blank rows)
        if n == 0:
            break
        if kept[n - 1].filled_count() == 0:
            n -= 1
            continue
        part = _title_part(kept[n - 1])
        if part is None:
            break
        if _TITLE_WORDS in line:  # only a year may stand before the whole title words
            if not line.startswith(_TITLE_WORDS) or _TITLE_YEAR.fullmatch(part) is None:
                break
        elif _TITLE_WORDS not in part + line and not (_TITLE_WORDS.startswith(part) and line.startswith(TITLE_TAILS)):
            break
        line, n = part + line, n - 1
        back = len(kept) - n
    if _is_title_line(line):
        return back
    return 0 if row.filled_count() == 1 and _TITLE_WORDS in line else None  # (any title line alone in its cell)


def title_split(header: list[Row]) -> bool:
    """Whether the sheet's title, in its `header` rows, is printed split (no first cell of
    a row holds the title words: `令和2年度` | `行政事業レビューシート`, `行政事業` / `レビューシート`):
    a repeat of it at a page break will be split alike.  (Most titles are one cell: their
    repeats need no look at the year and head cells of every row.)"""
    for row in header:
        first = row.first()
        if first is not None and "シート" in first[1].text:
            return "行政事業レビューシート" not in first[1].text
    return True


def is_bracketed_ministry(row: Row) -> bool:
    """A row holding one short bracketed cell (`( 国土交通省 )`): the ministry of a title line
    printed on the row below its words."""
    first = row.first()
    return row.filled_count() == 1 and len(first[1].text) <= 30 and first[1].text[0] in "(【[<" \
        and first[1].text[-1] in ")】]>"
