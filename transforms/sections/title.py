"""The sheet title line: review year and ministry (`令和2年度 行政事業レビューシート (総務省)`).

`parse_title` finds the cell holding 行政事業レビューシート and reads the review year and the
ministry from it, its neighbouring cells, or failing that the 担当部局庁 value of the
basic information (`transforms.sections.header`).
"""

from __future__ import annotations

import re

from transforms.normalize import MINISTRY_ENDING
from transforms.read import Row
from transforms.sections.header import parse_basic_info
from transforms.years import kanji_era_years, parse_fiscal_year

_TITLE_WORD = re.compile(r"行政事業レビューシート")
# the ends of the title words that open a cell when the export split them (`レビューシート`, `シート`)
_TITLE_TAILS = tuple("行政事業レビューシート"[i:] for i in range(2, 9))
# the review year of a title (spaces removed, kanji numerals in digits): `令和2年度`, `平成26年`,
# `R2年度`, `H30年度`, `2020年度`, `令和元(平成31)年度` (the reading in brackets is dropped)
_TITLE_YEAR = re.compile(r"(?:(?:平成|令和|[HR])(?:\d{1,2}|元)|(?:19|20)\d{2})(?:\([^()]*\))?年度?")
# a title's year printed in a cell of its own (`平成26年` | `行政事業レビューシート`)
_YEAR_CELL = re.compile(rf"[(\[【]?{_TITLE_YEAR.pattern}[)\]】]?")
# a bracketed part of a title: `(総務省)`, `【経済産業省】`, `<総務省>`, `(内閣府(地方創生推進事務局))`
_BRACKETED = re.compile(r"[(\[【〔<](?P<inner>[^()\[\]【】〔〕<>]+(?:[(\[【〔][^()\[\]【】〔〕]*[)\]】〕])?)[)\]】〕>]")
# a ministry printed without brackets: it ends like the names of 府省庁 do
_MINISTRY = re.compile(rf"[^()\[\]【】〔〕<>:]{{1,30}}?{MINISTRY_ENDING}(?:[(〔][^()〔〕]*[)〕])?")
# a label before the ministry on the title line
_MINISTRY_LABEL = re.compile(r"^(?:府省庁名?|府省名|所管府省庁?)[:：]")
# a ministry and its agency (`国土交通省 観光庁`, `国土交通省・観光庁`; spaces already removed)
_WITH_AGENCY = re.compile(r"(?P<ministry>[^・()]{1,8}?(?:省|府|官房))・?(?P<agency>[^・()]{1,12}(?:庁|委員会))")


def parse_title(rows: list[Row]) -> tuple[int | None, str | None, int | None]:
    """(review_year, ministry, row number) from the sheet title, if printed.

    The ministry is the title's bracketed part (`( 総務省 )`), else a ministry name
    after the title words; when the title cell has none, the next cells of its row,
    then the row below (a title cell split over cells or rows) and the row above.
    A bracketed year (`行政事業レビューシート(令和2年度)`) is the review year, never the
    ministry; so is a year in a neighbouring cell of its own (`平成26年` | `行政事業…`), and a
    ministry may stand in the cell before the title cell.  A 2010 title has no year: the caller infers it from the budget table's
    request column.  平成24-26 titles say 年, not 年度 (`平成24年行政事業レビューシート`); a year
    may also print in kanji numerals (`令和二年度`), with an era letter (`R2年度`), as a
    Western year (`2020年度`) or with a second reading (`令和元(平成31)年度`).
    The title words may be split too (`令和2年度行政事業` | `レビューシート ( 総務省 )`, over
    cells or rows).  A ministry may also open the title cell (`総務省 令和2年度行政事業…`) or, missing from
    the title line, open the 担当部局庁 value (`外務省アジア大洋州局`).
    """
    for r, row in enumerate(rows):
        filled = row.filled()
        for k, (_, cell) in enumerate(filled):
            compact = kanji_era_years(cell.text.replace(" ", ""))  # `令和二年度` -> `令和2年度`
            found = _TITLE_WORD.search(compact)
            if found is None and compact.startswith(_TITLE_TAILS):  # `行政事業` | `レビューシート`
                compact = _split_title_head(rows, r, k, compact) + compact
                found = _TITLE_WORD.search(compact)
            if found is None:
                continue
            before, after = compact[: found.start()], compact[found.end():]
            year_match = _TITLE_YEAR.search(before) or _TITLE_YEAR.search(after)
            year = parse_fiscal_year(year_match.group(0)) if year_match else None
            neighbours = [c.text for _, c in filled[k + 1:k + 3]]
            neighbours += [c.text for _, c in (rows[r + 1].filled()[:2] if r + 1 < len(rows) else [])]
            neighbours += [c.text for _, c in (rows[r - 1].filled()[-1:] if r > 0 else [])]
            neighbours += [c.text for _, c in filled[k - 1:k] if k]  # (a ministry before the title cell)
            if year is None:
                year = _year_beside(neighbours)
            after = _TITLE_YEAR.sub("", after)  # `行政事業レビューシート 令和2年度 総務省`: the year is no ministry
            for text in [after] + [n.replace(" ", "") for n in neighbours]:
                ministry = _ministry_in(text)
                if ministry:
                    return year, _without_agency(ministry), row.number
            before = _TITLE_YEAR.sub("", before).strip("()[]【】")  # `国土交通省 令和2年度行政事業…`
            ministry = _without_agency(before) if _MINISTRY.fullmatch(before) else _ministry_of_bureau(rows)
            return year, ministry, row.number
    return None, None, None


def _split_title_head(rows: list[Row], r: int, k: int, tail: str) -> str:
    """The head of a title whose words the export split over cells or rows, for the cell
    `k` of row `r` opening with the rest of them (`tail`: `レビューシート…`): the cell before
    it (in its row, else the last of the row above) when the two join into the title words
    (`令和2年度行政事業` | `レビューシート`), with the year cell before a head that is only the
    start of the title words (`令和2年度` | `行政事業`); '' when there is none.  The two cells
    may stand on rows of their own above (`令和2年度` / `行政事業` / `レビューシート…`), blank rows
    between them skipped."""
    before = rows[r].filled()[:k]
    for above in reversed(rows[max(0, r - 4):r]):
        if len(before) >= 2:
            break
        before = above.filled() + before
    texts = [kanji_era_years(c.text.replace(" ", "")) for _, c in before[-2:]]
    if not texts or _TITLE_WORD.search(texts[-1] + tail) is None:
        return ""
    if len(texts) == 2 and "行政事業レビューシート".startswith(texts[-1]) and _YEAR_CELL.fullmatch(texts[0]):
        return texts[0] + texts[-1]
    return texts[-1]


# a 府省 name opening a 担当部局庁 value (`外務省アジア大洋州局`); an agency (`観光庁`) names no 府省
_MINISTRY_BEFORE_BUREAU = re.compile(r"[^\s()]{1,8}?(?:省|府|官房)")


def _year_beside(cells: list[str]) -> int | None:
    """The review year printed in a cell of its own next to the title cell (a title cell
    split over cells or rows), if any.

    >>> _year_beside(["(財務省)", "平成26年"]), _year_beside(["令和元年度"]), _year_beside(["事業番号", "0063"])
    (2014, 2019, None)
    """
    for text in cells:
        compact = kanji_era_years(text.replace(" ", ""))
        if _YEAR_CELL.fullmatch(compact):
            return parse_fiscal_year(compact)
    return None


def _without_agency(ministry: str) -> str:
    """The 府省庁 of a title naming a ministry and its agency: the ministry, as the official
    database files the agency's sheets (観光庁's under 国土交通省); 担当部局庁 names the agency.

    >>> _without_agency("国土交通省観光庁"), _without_agency("国土交通省・観光庁"), _without_agency("内閣府本府")
    ('国土交通省', '国土交通省', '内閣府本府')
    """
    found = _WITH_AGENCY.fullmatch(ministry)
    return found.group("ministry") if found else ministry


def _ministry_of_bureau(rows: list[Row]) -> str | None:
    """The 府省 a 担当部局庁 value names before its bureau, for a title that names none."""
    bureau = parse_basic_info(rows).get("bureau")
    found = _MINISTRY_BEFORE_BUREAU.match(bureau[1]) if bureau else None
    return found.group(0) if found else None


def _ministry_in(text: str) -> str | None:
    """The ministry a title part names: its first bracketed part that is no year (one
    that reads like a ministry preferred), else a bare ministry name.

    >>> _ministry_in("(総務省)"), _ministry_in("(令和2年度)(外務省)"), _ministry_in("総務省"), _ministry_in("(令和2年度)")
    ('総務省', '外務省', '総務省', None)
    >>> _ministry_in("府省庁名:総務省")
    '総務省'
    """
    text = _MINISTRY_LABEL.sub("", text)  # `府省庁名:総務省`
    parts = [m.group("inner").strip() for m in _BRACKETED.finditer(text)]
    parts = [p for p in parts if p and not _TITLE_YEAR.search(p) and "年度" not in p]
    for part in parts:
        if _MINISTRY.fullmatch(part):
            return part
    if parts:
        return parts[0]
    bare = _MINISTRY.fullmatch(text)
    return bare.group(0) if bare else None
