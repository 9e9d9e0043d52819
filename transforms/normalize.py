"""Normalisers for what the sheets print: text, numbers, Japanese era years.

Every function is pure and total on junk: it returns None (or raises nothing) for a
cell that is not what it looks for, so a bad cell never stops a sheet.

`nfkc` and `parse_number` are memoised (bounded LRU): a sheet prints the same labels
and numbers over and over (about 9 calls in 10 repeat an earlier argument).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache

# Era name -> Gregorian year of its 元年 minus one (平成n -> 1988 + n).
ERA_OFFSETS = {"明治": 1867, "大正": 1911, "昭和": 1925, "平成": 1988, "令和": 2018}
ERA_ORDER = ("昭和", "平成", "令和")

# Cells that print "no number here": the row exists with a NULL value.
NOT_A_NUMBER = {"-", "―", "ー", "－", "‐", "—", "–", "─", "集計中", "#DIV/0!", "#VALUE!", "#REF!", "#N/A", "*", "…", "未定"}

_SPACES = re.compile(r"\s+")
_NEGATIVE_MARKS = ("▲", "△", "-", "−", "ー", "－", "‐", "–", "—", "―")
_NUMBER = re.compile(r"^[+]?\d+(?:\.\d+)?$|^[+]?\.\d+$")


@lru_cache(maxsize=1 << 15)
def nfkc(text: str | None) -> str:
    """NFKC-normalise, turn every run of white space into one space, trim.

    >>> nfkc("  （株）１，２３４　円 ")
    '(株)1,234 円'
    """
    if not text:
        return ""
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return " ".join(text.split())


def nfkc_multiline(text: str | None) -> str:
    """Like `nfkc` but keeps line breaks (for long free-text cells)."""
    if not text:
        return ""
    lines = [nfkc(line) for line in unicodedata.normalize("NFKC", text).split("\n")]
    return "\n".join(line for line in lines if line)


def label_key(text: str) -> str:
    """A label reduced to what identifies it: NFKC, no spaces, no bracketed notes.

    >>> label_key("<b>事業の目的(目指す姿を簡潔に。3行程度以内)</b>")
    '事業の目的'
    >>> label_key("事業終了(予定)年度")
    '事業終了年度'
    >>> label_key("執行率（％）")
    '執行率'
    """
    text = nfkc(re.sub(r"</?b>|\*\*", "", text or ""))
    text = re.sub(r"\([^()]*\)", "", text)
    text = re.sub(r"【[^】]*】", "", text)
    return text.replace(" ", "").replace(":", "").strip()


@lru_cache(maxsize=1 << 14)
def parse_number(raw: str | None) -> Decimal | None:
    """A printed number as an exact Decimal, or None when the cell is not a number.

    Handles thousands separators, fullwidth digits, ▲ / △ / - for negatives (with or
    without a space after the mark) and a trailing unit such as ``%``, ``円`` or ``件``
    is NOT accepted (a percent goes through `parse_percent`).

    >>> parse_number("1,234"), parse_number("▲ 356,601"), parse_number("△5")
    (Decimal('1234'), Decimal('-356601'), Decimal('-5'))
    >>> parse_number("０．７"), parse_number("-"), parse_number("#DIV/0!"), parse_number("")
    (Decimal('0.7'), None, None, None)
    """
    text = nfkc(raw).replace(",", "").replace(" ", "")
    if not text or text in NOT_A_NUMBER:
        return None
    sign = 1
    if text[0] in _NEGATIVE_MARKS and len(text) > 1:
        sign, text = -1, text[1:]
    if not _NUMBER.match(text):
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:  # pragma: no cover - the regex guards this
        return None
    return -value if sign < 0 else value


# money units a sheet may print, as multiples of the contract's 百万円 (longest first)
MONEY_UNITS = {"百万円": Decimal(1), "億円": Decimal(100), "千円": Decimal("0.001"), "円": Decimal("0.000001")}
_MONEY_UNIT = re.compile(r"(?:単位\s*[:：]?\s*|[(（]\s*)(百万円|億円|千円|円)")
ONE = Decimal(1)


def money_scale(texts) -> Decimal:
    """What one printed unit of a money table is in 百万円, from its title or header cells
    (`(単位:千円)`, `金額(千円)`); 1 when none names a unit.

    >>> money_scale(["予算額・執行額(単位:百万円)"]), money_scale(["予算内訳(単位:千円)"]), money_scale(["支出額(円)", "x"])
    (Decimal('1'), Decimal('0.001'), Decimal('0.000001'))
    """
    for text in texts:
        if "円" in text and (match := _MONEY_UNIT.search(text)):
            return MONEY_UNITS[match.group(1)]
    return ONE


def parse_amount(raw: str | None, scale: Decimal = ONE) -> Decimal | None:
    """A printed amount of the sheet's money tables in 百万円: a number as `parse_number`
    reads it, times `scale` (the table's unit, `money_scale`); a unit printed after the
    number is that cell's own.

    >>> parse_amount("70"), parse_amount("70百万円"), parse_amount("▲ 1,234 百万円"), parse_amount("70千円")
    (Decimal('70'), Decimal('70'), Decimal('-1234'), Decimal('0.070'))
    >>> parse_amount("1,500", Decimal("0.001")), parse_amount("1.5百万円", Decimal("0.001"))
    (Decimal('1.500'), Decimal('1.5'))
    >>> parse_amount("(12)"), parse_amount("（3,500）"), parse_amount("12▲"), parse_amount("▲(12)"), parse_amount("(注)")
    (Decimal('-12'), Decimal('-3500'), Decimal('-12'), Decimal('-12'), None)
    """
    value = parse_number(raw)
    if value is None:
        if not raw or raw in NOT_A_NUMBER:
            return None
        if (bare := without_footnote_mark(nfkc(raw))) != nfkc(raw):  # `※18,068`, `※1 8,068`
            return parse_amount(bare, scale)
        text = nfkc(raw).replace(" ", "")
        if "円" in text:
            text = text[:-1].replace("(", "", 1) if text.endswith("円)") else text  # `194(百万円)`
            for unit, unit_scale in MONEY_UNITS.items():
                if text.endswith(unit):
                    value = parse_number(text[: -len(unit)])
                    return None if value is None else value * unit_scale
        match = _ACCOUNTING_NEGATIVE.match(text)
        value = parse_number(match.group(1) or match.group(2)) if match else None
        if value is not None:
            value = -abs(value)
        elif (bare := without_notes(text)) != text:  # `194※`, `約194`, `194(注)`
            return parse_amount(bare, scale)
        else:
            return None
    return value if scale == ONE else value * scale


# negatives as accountants print them: `(12)`, `(▲12)`, `▲(12)`, `12▲`
_ACCOUNTING_NEGATIVE = re.compile(r"^[▲△]?\([▲△]?([\d,.]+)\)$|^([\d,.]+)[▲△]$")


def parse_percent(raw: str | None) -> Decimal | None:
    """A printed rate as a fraction: ``50%`` -> 0.5, ``94.6`` (column in %) -> 0.946.

    >>> parse_percent("50%"), parse_percent("94.6"), parse_percent("100.4%"), parse_percent("#DIV/0!")
    (Decimal('0.5'), Decimal('0.946'), Decimal('1.004'), None)

    A footnote mark before the rate as before an amount (`without_footnote_mark`):

    >>> parse_percent("※1 91.7%"), parse_percent("※91.7%"), parse_percent("※1")
    (Decimal('0.917'), Decimal('0.917'), None)
    """
    text = without_footnote_mark(nfkc(raw)).replace(" ", "")  # before the spaces go: `※1 91.7%`
    if text.endswith("%"):
        text = text[:-1]
    value = parse_number(text)
    if value is None and text not in NOT_A_NUMBER and (bare := without_notes(text)) != text:  # `約91.7%`, `91.7%(見込)`
        return parse_percent(bare)
    return None if value is None else value / 100


def parse_printed_value(raw: str | None) -> Decimal | None:
    """An indicator cell: a number, optionally followed by ``%``, kept as printed.

    >>> parse_printed_value("99.3"), parse_printed_value("97%"), parse_printed_value("-")
    (Decimal('99.3'), Decimal('97'), None)
    """
    text = nfkc(raw).replace(" ", "")
    if text.endswith("%"):
        text = text[:-1]
    return parse_number(text)


_APPROXIMATE = ("約", "概ね", "およそ")
# a note after a number that keeps it a number: `85(見込)`, `1,200(速報値)`, `194見込`, a
# footnote mark (`194※`, `194※1`, `194*`, `194(注)`, `194(注1)`), a stray final dot
_ESTIMATE_NOTE = re.compile(r"(?:\((?:見込み?|速報値?|暫定値?|推計値?|概数|予定|注\d*)\)|見込み?|※\d*|\*+|(?<=\d)\.)$")


def without_notes(text: str) -> str:
    """A number's print (NFKC, no spaces) without `約` before it or a note after it.

    >>> [without_notes(t) for t in ("約194", "194※1", "194(注)", "91.7%(見込)", "194.", "194見込")]
    ['194', '194', '194', '91.7%', '194', '194']
    """
    text = _ESTIMATE_NOTE.sub("", text)
    for word in _APPROXIMATE:
        if text.startswith(word):
            return text[len(word):]
    return text


def indicator_value(raw: str | None, unit: str | None) -> Decimal | None:
    """An indicator cell as a number: as `parse_printed_value` reads it, or with the
    row's own unit printed after it, `約` before it or an estimate note after it
    (raw_text keeps the print).  Other words keep the value NULL.

    >>> [indicator_value(t, "県") for t in ("47", "47県", "約47", "47(見込)", "47 県 (速報値)")]
    [Decimal('47'), Decimal('47'), Decimal('47'), Decimal('47'), Decimal('47')]
    >>> [indicator_value(t, "県") for t in ("47以上", "2割", "R5", "約", "-", "47件")]
    [None, None, None, None, None, None]
    """
    value = parse_printed_value(raw)
    if value is not None or not raw:
        return value
    text = without_notes(nfkc(raw).replace(" ", ""))
    own_unit = nfkc(unit).replace(" ", "") if unit else ""
    if own_unit and text.endswith(own_unit) and len(text) > len(own_unit):
        text = text[: -len(own_unit)]
    return parse_printed_value(text)


def parse_int(raw: str | None) -> int | None:
    """A printed whole number (bidder counts, ranks) or None.

    >>> parse_int("3"), parse_int("３者"), parse_int("-")
    (3, 3, None)
    """
    match = re.match(r"^\s*(\d+)", nfkc(raw).replace(",", ""))
    return int(match.group(1)) if match else None


# --- era years ----------------------------------------------------------------

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
        text = nfkc(cell)
        if "(" in text:
            text = _ALTERNATIVE_READING.sub("", text)
        western = _WESTERN_YEAR.search(text)
        match = _ERA_YEAR.search(text)
        if match is None:
            if western:
                year = int(western.group("year"))
                self.previous = year
                return year
            return None
        era, num = _ERA_LETTERS.get(match.group("era"), match.group("era")), match.group("num")
        if era is None:
            era = "令和" if num == "元" else (self.era or _bare_era(num, self.review_year))
        year = era_to_year(era, num)
        if self.previous is not None and year < self.previous and era != "令和" and match.group("era") is None \
                and era_to_year("令和", num) <= self.previous + 2:
            # An inherited era that runs backwards means the era changed (平成31 -> 2年度); not
            # when that reading is years ahead (a request column printed first: 27年度要求, 26年度).
            year = era_to_year("令和", num)
            era = "令和"
        self.era, self.previous = era, year
        return year


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


# `~`, `から`, or a dash after a year (`平成23年度-平成27年度`; a dash alone is "not printed")
_RANGE_SEPARATORS = re.compile(r"\s*[~〜～]\s*|\s+-\s+|(?<=年度)\s*[-‐―—]\s*|から")


def is_project_number(text: str | None) -> bool:
    """Whether a printed 事業番号 cell names a number: words without a digit (`新規`,
    `該当なし`, `-`) name no sheet, neither as a sheet's own number nor in its lineage.

    >>> is_project_number("新30-0035"), is_project_number("新規"), is_project_number(None)
    (True, False, False)
    """
    return bool(text) and any(ch.isdigit() for ch in text)


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
# how the names of 府省庁 end (`総務省`, `復興庁`, `内閣府`, `内閣官房`, `公正取引委員会`, `人事院`,
# `内閣法制局` …): the one vocabulary of ministry names, for titles, 事業番号 and lineage cells
MINISTRY_ENDING = r"(?:省|庁|府|官房|委員会|院|局|本部|会議|事務局)"
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


# A footnote mark before an amount.  Footnotes are numbered ※1, ※2 … and a space
# follows the number before the value (`※1 8,068`), so digits glued to the mark are
# the value itself (`※18,068`); a mark with one digit and nothing else is a footnote
# reference, no amount.
_FOOTNOTE_BEFORE = re.compile(r"※\s*(?:(?P<note>\d{1,2})\s+)?(?P<value>.*)")


def without_footnote_mark(text: str) -> str:
    """An amount's print (NFKC) without a footnote mark before it; '' when the cell
    holds a footnote reference only; any other text as it is.

    >>> [without_footnote_mark(t) for t in ("※18,068", "※1 8,068", "※ 18,068", "※2 ▲ 12", "※1", "18,068")]
    ['18,068', '8,068', '18,068', '▲ 12', '', '18,068']
    """
    match = _FOOTNOTE_BEFORE.fullmatch(text)
    if match is None:
        return text
    value = match.group("value")
    return "" if match.group("note") is None and len(value) == 1 and value.isdigit() else value
