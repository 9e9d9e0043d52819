"""Japanese era years and the fiscal years a cell prints.

Era years (昭和/平成/令和, 元年, era letters `H29`, an era inherited from the cell before,
平成32 for FY2020), dates read by their fiscal year (April-March), year header cells
spelled without 年度, and combined start-end cells (`平成20年度~平成24年度`).

Every function is pure and total on junk: it returns None for a cell that prints no
year, so a bad cell never stops a sheet.  Text is NFKC-normalised with
`transforms.normalize.nfkc` first.
"""

from __future__ import annotations

import re
from functools import lru_cache

from transforms.normalize import nfkc

# Era name -> Gregorian year of its 元年 minus one (平成n -> 1988 + n).
ERA_OFFSETS = {"明治": 1867, "大正": 1911, "昭和": 1925, "平成": 1988, "令和": 2018}
ERA_ORDER = ("昭和", "平成", "令和")

# (?<!\d): the "15年" inside "2015年" is no era year (Western years: `_WESTERN_YEAR`)
_ERA_YEAR = re.compile(r"(?P<era>明治|大正|昭和|平成|令和|(?<![A-Za-z])[MTSHR](?=\s*(?:\d|元)))?\s*(?<!\d)(?P<num>\d{1,2}|元)\s*年")
_ERA_LETTERS = {"M": "明治", "T": "大正", "S": "昭和", "H": "平成", "R": "令和"}
# `31(元)年度`, `令和元(平成31)年度`, `2019(R1)年度`: the reading in brackets is dropped
_ALTERNATIVE_READING = re.compile(r"\([^()年]*\)(?=\s*年)")
_WESTERN_YEAR = re.compile(r"(?<!\d)(?P<year>(?:19|20)\d{2})\s*年")


def era_to_year(era: str, num: str | int) -> int:
    """Gregorian year of an era year.

    >>> era_to_year("令和", "元"), era_to_year("平成", 32), era_to_year("昭和", 62)
    (2019, 2020, 1987)
    """
    n = 1 if num == "元" else int(num)
    return ERA_OFFSETS[era] + n


def year_to_era(year: int) -> tuple[str, int]:
    """The era and era year of a Gregorian fiscal year (2019 -> 令和1).

    >>> year_to_era(2019), year_to_era(2018), year_to_era(1987)
    (('令和', 1), ('平成', 30), ('昭和', 62))
    """
    if year >= 2019:
        return "令和", year - 2018
    if year >= 1989:
        return "平成", year - 1988
    return "昭和", year - 1925


def era_label(year: int) -> str:
    """``令和元年度`` / ``平成30年度`` for a fiscal year.

    >>> era_label(2019), era_label(2018)
    ('令和元年度', '平成30年度')
    """
    era, n = year_to_era(year)
    return f"{era}{'元' if n == 1 else n}年度"


def _bare_era(num: str, review_year: int | None) -> str:
    """The era of a first year printed without one.

    The contract's rule: 平成 on sheets before 2020 (and when the review year is
    unknown).  From 2020 on both eras occur, so the reading closest to the review year
    wins (`29年度` is 平成29 = 2017, `2年度` is 令和2 = 2020).  `元年度` alone is 令和元年度:
    the only 元年 a budget column of these sheets can mean.

    >>> _bare_era("2", 2019), _bare_era("2", 2021), _bare_era("29", 2021), _bare_era("元", 2019)
    ('平成', '令和', '平成', '令和')
    """
    if num == "元":
        return "令和"
    if review_year is None or review_year < 2020:
        return "平成"
    candidates = [(abs(era_to_year(era, num) - review_year), era) for era in ("平成", "令和")]
    return min(candidates)[1]


class EraReader:
    """Reads a run of year cells left to right, inheriting the era of the cell before.

    ``平成29年度 30年度 令和元年度 2年度 3年度要求`` -> 2017 … 2021; ``31年度, 32年度要求``
    stays in 平成 (平成32 never existed but means FY2020).  A first cell without an era
    is 平成 on sheets before 2020, else the reading closest to the review year (`_bare_era`).

    >>> r = EraReader(review_year=2020)
    >>> [r.read(c) for c in ["平成29年度", "30年度", "令和元年度", "2年度", "3年度要求"]]
    [2017, 2018, 2019, 2020, 2021]
    >>> r = EraReader()
    >>> [r.read(c) for c in ["28年度", "29年度", "30年度", "31年度", "32年度要求"]]
    [2016, 2017, 2018, 2019, 2020]
    """

    def __init__(self, review_year: int | None = None, era: str | None = None):
        self.review_year = review_year
        self.era = era
        self.previous: int | None = None

    def read(self, cell: str) -> int | None:
        printed = _printed_year(cell)
        if printed is None:
            return None
        printed_era, num, western = printed
        if num is None:
            self.previous = western
            return western
        era = printed_era
        if era is None:
            era = "令和" if num == "元" else (self.era or _bare_era(num, self.review_year))
        year = era_to_year(era, num)
        if self.previous is not None and year < self.previous and era != "令和" and printed_era is None \
                and era_to_year("令和", num) <= self.previous + 2:
            # An inherited era that runs backwards means the era changed (平成31 -> 2年度); not
            # when that reading is years ahead (a request column printed first: 27年度要求, 26年度).
            year = era_to_year("令和", num)
            era = "令和"
        self.era, self.previous = era, year
        return year


@lru_cache(maxsize=4096)
def _printed_year(cell: str) -> tuple[str | None, str | None, int | None] | None:
    """What a year cell prints, before the era of the cells around it is known: (era or
    None when printed without one, era year number, None) for an era year, (None, None,
    year) for a Western year alone, None when the cell prints no year.  A cell's reading
    depends on its text only, and header cells repeat from sheet to sheet: memoised.

    >>> _printed_year("H29年度"), _printed_year("元年度"), _printed_year("2017年度"), _printed_year("目標値")
    (('平成', '29', None), (None, '元', None), (None, None, 2017), None)
    """
    text = nfkc(cell)
    if "(" in text:
        text = _ALTERNATIVE_READING.sub("", text)
    match = _ERA_YEAR.search(text)
    if match is not None:
        era = match.group("era")
        return _ERA_LETTERS.get(era, era), match.group("num"), None
    western = _WESTERN_YEAR.search(text)
    return (None, None, int(western.group("year"))) if western else None


def parse_fiscal_year(cell: str, review_year: int | None = None) -> int | None:
    """One year cell on its own (``平成22年度`` -> 2010, ``- 年度`` -> None).

    >>> parse_fiscal_year("平成22年度"), parse_fiscal_year("- 年度"), parse_fiscal_year("2 年度", 2020)
    (2010, None, 2020)
    """
    return EraReader(review_year).read(cell)


_WESTERN_DATE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*(?:年|/|-|\.)\s*(\d{1,2})\s*(?:月|/|-|\.)\s*\d{1,2}")


def date_fiscal_year(text: str) -> int | None:
    """Fiscal year (April-March) of a printed date such as ``平成25年3月31日``.

    >>> date_fiscal_year("平成25年3月31日"), date_fiscal_year("平成24年4月1日")
    (2012, 2012)
    >>> date_fiscal_year("2017/4/1"), date_fiscal_year("2018年3月31日"), date_fiscal_year("2018-03-31"), date_fiscal_year("2017")
    (2017, 2017, 2017, None)
    """
    text = nfkc(text)
    m = re.search(r"(昭和|平成|令和)\s*(\d{1,2}|元)\s*年\s*(\d{1,2})\s*月", text)
    if m:
        year, month = era_to_year(m.group(1), m.group(2)), int(m.group(3))
    else:
        m = _WESTERN_DATE.search(text)
        if not m:
            return None
        year, month = int(m.group(1)), int(m.group(2))
    return year - 1 if month <= 3 else year


# an era year in kanji numerals (`令和二年度`, `平成三十一年`), as some titles print it
_KANJI_ERA_YEAR = re.compile(r"(?<=明治|大正|昭和|平成|令和)(?=[一二三四五六七八九十])"
                             r"(?P<tens>[一二三四五六七八九]?十)?(?P<units>[一二三四五六七八九])?(?=\s*[年(])")
_KANJI_DIGITS = "一二三四五六七八九"
_KANJI_DIGIT = re.compile(r"[一二三四五六七八九十]")


def kanji_era_years(text: str) -> str:
    """`text` with its era years printed in kanji numerals in digits (元 stays 元).

    >>> [kanji_era_years(t) for t in ("令和二年度", "平成三十一年", "平成十年度", "令和元年度", "十年")]
    ['令和2年度', '平成31年', '平成10年度', '令和元年度', '十年']
    """
    if "年" not in text or not _KANJI_DIGIT.search(text):
        return text
    return _KANJI_ERA_YEAR.sub(_kanji_number, text)


def _kanji_number(found: re.Match) -> str:
    tens, units = found.group("tens"), found.group("units")
    value = (_KANJI_DIGITS.index(tens[0]) + 1 if len(tens) == 2 else 1) * 10 if tens else 0
    return str(value + (_KANJI_DIGITS.index(units) + 1 if units else 0))


# --- year header cells ----------------------------------------------------------

# a year header cell printed without 年: `H29`, `R元`, `H.29`, `2017`, `FY2017`, `R3要求`, `2021要求`
YEAR_WITHOUT_NEN = re.compile(r"^(?:FY)?(?P<year>[HRS]\.?(?:\d{1,2}|元)|(?:19|20)\d{2})(?P<rest>(?:要求\S*)?)$")
_ERA_LETTER_DOT = re.compile(r"(?<![A-Za-z])([MTSHR])\.(?=\s*(?:\d|元))")


@lru_cache(maxsize=4096)
def spelled_year(text: str) -> str:
    """A year header cell (NFKC) spelled as the readers expect: with 年度, without a second
    reading in brackets or a dot after an era letter; other text as it is.

    >>> [spelled_year(t) for t in ["H29", "R元", "FY2017", "H.29年度", "2017(H29)年度", "R3要求", "目標値"]]
    ['H29年度', 'R元年度', '2017年度', 'H29年度', '2017年度', 'R3年度要求', '目標値']
    """
    if "(" in text and "年" in text:
        text = _ALTERNATIVE_READING.sub("", text)
    if "." in text:
        text = _ERA_LETTER_DOT.sub(r"\1", text)
    if "年" not in text and (bare := YEAR_WITHOUT_NEN.match(text.replace(" ", ""))):
        return f"{bare.group('year').replace('.', '')}年度{bare.group('rest')}"
    return text


# --- start and end years ----------------------------------------------------------

# `~`, `から`, or a dash after a year (`平成23年度-平成27年度`; a dash alone is "not printed")
_RANGE_SEPARATORS = re.compile(r"\s*[~〜～]\s*|\s+-\s+|(?<=年度)\s*[-‐―—]\s*|から")


def is_range(text: str) -> bool:
    """Whether a cell prints a start-end range with a separator (`~`, `から`, a dash after a year).

    >>> is_range("平成23年度-平成27年度"), is_range("平成14年度~"), is_range("平成15年度")
    (True, True, False)
    """
    return bool(_RANGE_SEPARATORS.search(nfkc(text)))


# a year expression on its own: era year (with or without its era) or Western year
_ANY_YEAR = re.compile(f"{_ERA_YEAR.pattern}|{_WESTERN_YEAR.pattern}")


def is_closed_range(text: str) -> bool:
    """A range that prints its end year after the separator (`平成20年度~平成24年度`), not
    an open one (`平成20年度~`).

    >>> is_closed_range("平成20年度~平成24年度"), is_closed_range("平成20年度~"), is_closed_range("平成20年度")
    (True, False, False)
    """
    parts = _RANGE_SEPARATORS.split(nfkc(text), maxsplit=1)
    return len(parts) > 1 and _ANY_YEAR.search(parts[1]) is not None


# an era year printed without 年 (`平成17`); words that say no end year is set
_BARE_ERA_NUMBER = re.compile(r"\s*(?:明治|大正|昭和|平成|令和)\s*(?:\d{1,2}|元)\s*")
_NO_YEAR = ("予定なし", "未定")


def cell_year(text: str, reader: EraReader | None = None) -> int | None:
    """The fiscal year one start or end cell prints: a year (`平成20年度`, `2015年度`), a
    date by its fiscal year (`平成29年3月31日` -> 2016), None for `終了予定なし` / `未定`.
    `reader` carries the era between the cells of one sheet.

    >>> cell_year("平成29年3月31日"), cell_year("平成20年度開始・終了予定なし"), cell_year("終了予定なし")
    (2016, 2008, None)
    >>> cell_year("2017/4/1"), cell_year("2018.3.31")
    (2017, 2017)
    """
    reader = reader if reader is not None else EraReader()
    if "月" in text or "/" in text or "." in text:  # `平成29年3月31日`, `2017/4/1`
        year = date_fiscal_year(text)
        if year is not None:
            reader.previous = year
            return year
    if any(word in text for word in _NO_YEAR) and not _ANY_YEAR.search(text):
        return None
    return reader.read(text)


def parse_start_end(text: str | None, review_year: int | None = None) -> tuple[int | None, int | None]:
    """Start and end fiscal years of a combined 事業開始・終了(予定)年度 cell.

    >>> parse_start_end("平成20年度~平成24年度"), parse_start_end("昭和62年度開始")
    ((2008, 2012), (1987, None))
    >>> parse_start_end("平成14年度~"), parse_start_end("22年度 ~ 27年度"), parse_start_end("別紙参照")
    ((2002, None), (2010, 2015), (None, None))
    >>> parse_start_end("平成24年4月1日~平成25年3月31日"), parse_start_end("平成23年度~平成56年度")
    ((2012, 2012), (2011, 2044))
    >>> parse_start_end("平成24年度単年度"), parse_start_end("平成24年度のみ"), parse_start_end("平成24年度限り")
    ((2012, 2012), (2012, 2012), (2012, 2012))
    >>> parse_start_end("H5~H25"), parse_start_end("S62~")
    ((1993, 2013), (1987, None))
    >>> parse_start_end("平成25年度終了予定"), parse_start_end("平成20年度開始・平成25年度終了")
    ((None, 2013), (2008, 2013))
    """
    norm = nfkc(text)
    if not norm:
        return None, None
    parts = _RANGE_SEPARATORS.split(norm, maxsplit=1)
    separated = len(parts) > 1
    if not separated:  # `(開始)平成20年度 (終了)平成24年度`, `平成20年度/平成24年度`
        years = list(_ANY_YEAR.finditer(norm))
        if len(years) >= 2:
            parts = [norm[: years[1].start()], norm[years[1].start():]]
    reader = EraReader(review_year)
    parts = [spelled_year_cell(part) for part in parts]  # `平成5~25年度`, `H5~H25`, `S62~`
    start = cell_year(parts[0], reader) if parts[0] else None
    end = cell_year(parts[1], reader) if len(parts) > 1 and parts[1] else None
    if not separated and end == start:  # `平成20年度(2008年度)`: one year written twice
        end = None
    if end is None and start is not None and _SINGLE_YEAR.search(norm):  # `平成24年度単年度`, `…のみ`
        end = start
    elif end is None and _END_ONLY.search(norm) and "開始" not in norm:  # `平成25年度終了予定` alone
        start, end = None, start
    return start, end


def spelled_year_cell(text: str) -> str:
    """A start or end year printed without 年度 spelled with it, for `cell_year`: an era
    year (`平成17`), an era letter (`H17`, `R5`) or a Gregorian year (`2005`).

    >>> [spelled_year_cell(t) for t in ("平成17", "R5", "2005", "平成17年度", "終了予定なし")]
    ['平成17年', 'R5年度', '2005年度', '平成17年度', '終了予定なし']
    """
    text = text.strip()
    if _BARE_ERA_NUMBER.fullmatch(text):
        return text + "年"
    return spelled_year(text) if "年" not in text else text


_SINGLE_YEAR = re.compile(r"年度?\s*(?:単年度|のみ|限り)")
# a year said to be the end (`平成25年度終了予定`, `平成25年度末で終了`), in a cell printing no start
_END_ONLY = re.compile(r"年度?\s*(?:末)?\s*(?:で|に)?\s*終了")
