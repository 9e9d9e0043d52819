"""Normalisers for what the sheets print: NFKC text, label keys and numbers.

Every function is pure and total on junk: it returns None (or raises nothing) for a
cell that is not what it looks for, so a bad cell never stops a sheet.  Era years and
the fiscal years a cell prints are read in `transforms.years`.

`nfkc`, `parse_number`, `parse_amount`, `parse_percent` and `parse_printed_value` are
memoised (bounded LRU): a sheet prints the same labels, numbers and rates over and over
(7 to 9 calls in 10 repeat an earlier argument).  Their Decimals are immutable, so a
result is shared.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import lru_cache

# Cells that print "no number here": the row exists with a NULL value.
NOT_A_NUMBER = {"-", "―", "ー", "－", "‐", "—", "–", "─", "集計中", "#DIV/0!", "#VALUE!", "#REF!", "#N/A", "*", "…", "未定"}

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
    text = text or ""
    if "<" in text or "**" in text:  # (each pattern tried only where it can match: most labels print none)
        text = _BOLD_MARKUP.sub("", text)
    text = nfkc(text)
    if "(" in text:
        text = _BRACKETED_NOTE.sub("", text)
    if "【" in text:
        text = _LENTICULAR_NOTE.sub("", text)
    return text.replace(" ", "").replace(":", "").strip()


_BOLD_MARKUP = re.compile(r"</?b>|\*\*")
_BRACKETED_NOTE = re.compile(r"\([^()]*\)")  # innermost brackets only: `a(b(c))` keeps `a(b)`
_LENTICULAR_NOTE = re.compile(r"【[^】]*】")


# --- names ------------------------------------------------------------------------

# how the names of 府省庁 end (`総務省`, `復興庁`, `内閣府`, `内閣官房`, `公正取引委員会`, `人事院`,
# `内閣法制局` …): the one vocabulary of ministry names, for titles, 事業番号 and lineage cells
MINISTRY_ENDING = r"(?:省|庁|府|官房|委員会|院|局|本部|会議|事務局)"


def is_project_number(text: str | None) -> bool:
    """Whether a printed 事業番号 cell names a number: words without a digit (`新規`,
    `該当なし`, `-`) name no sheet, neither as a sheet's own number nor in its lineage.

    >>> is_project_number("新30-0035"), is_project_number("新規"), is_project_number(None)
    (True, False, False)
    """
    return bool(text) and any(ch.isdigit() for ch in text)


# --- numbers ----------------------------------------------------------------------

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


@lru_cache(maxsize=1 << 14)
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
    >>> parse_amount("12百万"), parse_amount("1.2億"), parse_amount("百万")
    (Decimal('12'), Decimal('120.0'), None)

    (Memoised on both arguments: every `scale` is one of `MONEY_UNITS`, whose values differ,
    so no two scales that compare equal give differently printed amounts.)
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
        elif text.endswith(tuple(_BARE_MONEY_UNITS)):  # `12百万`, `1.2億`: 円 left out
            bare = "百万" if text.endswith("百万") else "億"
            value = parse_number(text[: -len(bare)])
            return None if value is None else value * _BARE_MONEY_UNITS[bare]
        match = _ACCOUNTING_NEGATIVE.match(text)
        value = parse_number(match.group(1) or match.group(2)) if match else None
        if value is not None:
            value = -abs(value)
        elif (bare := without_notes(text)) != text:  # `194※`, `約194`, `194(注)`
            return parse_amount(bare, scale)
        else:
            return None
    return value if scale == ONE else value * scale


# a money unit printed without its 円 (a cell's own unit, like `70百万円`)
_BARE_MONEY_UNITS = {"百万": MONEY_UNITS["百万円"], "億": MONEY_UNITS["億円"]}
# negatives as accountants print them: `(12)`, `(▲12)`, `▲(12)`, `12▲`
_ACCOUNTING_NEGATIVE = re.compile(r"^[▲△]?\([▲△]?([\d,.]+)\)$|^([\d,.]+)[▲△]$")


@lru_cache(maxsize=1 << 14)
def parse_percent(raw: str | None) -> Decimal | None:
    """A printed rate as a fraction: ``50%`` -> 0.5, ``94.6`` (column in %) -> 0.946.

    >>> parse_percent("50%"), parse_percent("94.6"), parse_percent("100.4%"), parse_percent("#DIV/0!")
    (Decimal('0.5'), Decimal('0.946'), Decimal('1.004'), None)

    A footnote mark before the rate as before an amount (`without_footnote_mark`):

    >>> parse_percent("※1 91.7%"), parse_percent("※91.7%"), parse_percent("※1")
    (Decimal('0.917'), Decimal('0.917'), None)
    >>> parse_percent("(95%)"), parse_percent("(95)")
    (Decimal('0.95'), None)
    """
    text = without_footnote_mark(nfkc(raw)).replace(" ", "")  # before the spaces go: `※1 91.7%`
    if text.startswith("(") and text.endswith("%)"):  # `(95%)`: a rate in brackets is no negative
        text = text[1:-1]
    if text.endswith("%"):
        text = text[:-1]
    value = parse_number(text)
    if value is None and text not in NOT_A_NUMBER and (bare := without_notes(text)) != text:  # `約91.7%`, `91.7%(見込)`
        return parse_percent(bare)
    return None if value is None else value / 100


@lru_cache(maxsize=1 << 14)
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
    match = _LEADING_DIGITS.match(nfkc(raw).replace(",", ""))
    return int(match.group(1)) if match else None


_LEADING_DIGITS = re.compile(r"\s*(\d+)")


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
