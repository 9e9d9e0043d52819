"""Cells that name review sheets by ministry and 事業番号.

Two places print them: a sheet's own 事業番号 cell (a joint sheet, 共管, lists each
ministry's number: `復興庁:167 環境省:127`) and the cells of 関連する過去のレビューシートの
事業番号 (`0032-2`, `総務省 ( 0037 )`, `0139、0140`).  `number_entries` reads both; which
words are ministry names is decided by `MINISTRY_ENDING` (transforms.normalize).
"""

from __future__ import annotations

import re

from transforms.labels import compact
from transforms.normalize import MINISTRY_ENDING, is_project_number, nfkc
from transforms.read import Row

# `総務省 ( 0037 )`: a name of any wording before a bracketed number, alone in its part
_WITH_MINISTRY = re.compile(r"^(?P<ministry>[^()\d]+?)\s*\(\s*(?P<number>[^()]+?)\s*\)$")
# a ministry name right before its number: `総務省 0037`, `総務省:0037`, `総務省(0037)`, `総務省0114`,
# or any word before a colon and a number (`復興:167 環境:127`); it starts the cell or follows
# a space (`2023-府-22-0014` names no ministry)
_NAME = r"[^\s\d()、,:\-]"
_MINISTRY_BEFORE_NUMBER = re.compile(
    rf"(?:^|(?<=\s))(?P<ministry>{_NAME}+?{MINISTRY_ENDING}|{_NAME}+(?=\s*:))\s*[:(]?\s*(?=新?\d)")
# `0139、0140` (a merger), `0139及び0140`, `総務省(0037)、文部科学省(0012)`: several entries in one cell
_ENTRY_LIST = re.compile(r"[、，,・/]|及び|および")
# a line break after a dash inside a number (`新29-<br>0243`: a long number wrapped at its dash)
_WRAPPED = re.compile(r"(?<=[^\s\-‐−–—][-‐−–—])\s+(?=\S)")
# `0141の一部`, `0142(一部)`, `0142(新規)`, `0529(再掲)`: a note after the number
_NUMBER_NOTE = re.compile(r"\s*(?:の一部|\([^()\d]*\))$")
# one whole number among numbers separated by spaces (`0062 0063`; but `新30 0035` is one)
_WHOLE_NUMBER = re.compile(r"^(?:新\d{2}-)?\d+(?:-\d+)*$")
# one number and nothing else: `0037`, `新30-0035`, `新30 0035`, `2023-府-22-0014`
_SINGLE_NUMBER = re.compile(r"^(?:新\d{2} )?[新\d][^\s()]*$")


def number_entries(value: str) -> list[tuple[str | None, str]]:
    """(ministry or None, number) for each sheet a cell names; None means the sheet's own
    ministry.  Words without a digit (`-`, `該当なし`, `新規`) name no sheet.

    >>> number_entries("0139、0140"), number_entries("0141の一部"), number_entries("0062 0063")
    ([(None, '0139'), (None, '0140')], [(None, '0141')], [(None, '0062'), (None, '0063')])
    >>> number_entries("新30 0035"), number_entries("0032-2"), number_entries("2023-府-22-0014")
    ([(None, '新30 0035')], [(None, '0032-2')], [(None, '2023-府-22-0014')])
    >>> number_entries("総務省(0037)、文部科学省(0012)"), number_entries("0142(新規)"), number_entries("該当なし")
    ([('総務省', '0037'), ('文部科学省', '0012')], [(None, '0142')], [])

    A number wrapped at a dash over two lines of its cell is one number.

    >>> number_entries("新29- 0243"), number_entries("国土交通省 ( 2019-国交- 18-0241 )")
    ([(None, '新29-0243')], [('国土交通省', '2019-国交-18-0241')])

    A ministry printed once before a list of numbers names them all (内閣官房 新02-0006 of
    2020 was 総務省 0044 and 0071 of 2019).

    >>> number_entries("総務省 ( 0044、0071 )"), number_entries("総務省 0044、0071")
    ([('総務省', '0044'), ('総務省', '0071')], [('総務省', '0044'), ('総務省', '0071')])

    The ministry may be any 府省庁, joined to its number by a colon (either width), a
    space, brackets or nothing; a joint sheet's cell lists several.

    >>> number_entries("総務省:0037"), number_entries("総務省：0037"), number_entries("内閣官房:12")
    ([('総務省', '0037')], [('総務省', '0037')], [('内閣官房', '12')])
    >>> number_entries("復興庁 12 国土交通省 529"), number_entries("内閣官房(12)、復興庁(3)")
    ([('復興庁', '12'), ('国土交通省', '529')], [('内閣官房', '12'), ('復興庁', '3')])
    """
    entries: list[tuple[str | None, str]] = []
    named = None  # a ministry printed once before a list names every number after it
    text = nfkc(value)
    if " " in text or "\n" in text:  # (most cells: one number, no space)
        text = _WRAPPED.sub("", text)
    for part in _ENTRY_LIST.split(text):
        for ministry, number in _ministry_parts(part.strip()):
            ministry = named = ministry or named
            number = without_note(number).strip().strip("()").strip()  # `総務省 ( 0044、0071 )`
            if not is_project_number(number):
                continue
            pieces = number.split()
            if len(pieces) > 1 and all(_WHOLE_NUMBER.match(p) for p in pieces):
                entries += [(ministry, p) for p in pieces]
            else:
                entries.append((ministry, number))
    return entries


def _ministry_parts(part: str) -> list[tuple[str | None, str]]:
    """(ministry or None, the text after it) for each ministry name in one entry of a list;
    text before the first name has no ministry."""
    bracketed = _WITH_MINISTRY.match(part)
    if bracketed:
        return [(bracketed.group("ministry").strip(), bracketed.group("number"))]
    names = list(_MINISTRY_BEFORE_NUMBER.finditer(part))
    if not names:
        return [(None, part)]
    parts = [(None, part[:names[0].start()])] if names[0].start() > 0 else []
    for name, following in zip(names, names[1:] + [None]):
        number = part[name.end():following.start() if following else len(part)].strip()
        if name.group(0).rstrip().endswith("(") and number.endswith(")"):
            number = number[:-1].rstrip()  # `復興庁(167) 環境省(127)`
        parts.append((name.group("ministry"), number))
    return parts


def without_note(number: str) -> str:
    """A number without a note after it (`新31-0035(新規)`, `0141の一部`).

    >>> without_note("新31-0035(新規)"), without_note("0141の一部"), without_note("新30 0035")
    ('新31-0035', '0141', '新30 0035')
    """
    return _NUMBER_NOTE.sub("", number)


def is_single_number(text: str) -> bool:
    """Whether an entry's number is one number and nothing else (no words or brackets left
    over from a cell the reader could not take apart).

    >>> is_single_number("新30 0035"), is_single_number("2023-府-22-0014"), is_single_number("167 復興 0127")
    (True, True, False)
    """
    return bool(_SINGLE_NUMBER.match(text))


def same_ministry(a: str | None, b: str | None) -> bool:
    """Whether two printed ministry names are the same name: `compact` (NFKC, white space
    ignored), as warehouse.identity.normalize_ministry compares them.

    >>> same_ministry("復 興 庁", "復興庁"), same_ministry("復興庁", "環境省")
    (True, False)
    """
    return a is not None and b is not None and compact(a) == compact(b)


NOT_PRINTED = ("-", "―", "ー", "－")


def own_number(printed: str | None, ministry: str | None) -> str | None:
    """The sheet's own 事業番号: `198`, `0019`, `新30-0035`, `新30 0035`, `2022-防衛-21-0054`
    as printed, without a note; a number printed with its ministry (`総務省:0037`), or a
    joint sheet's numbers, one per ministry (`復興庁:167 環境省:127`), give the title
    ministry's number, else the first.  The cell is read by `number_entries`.

    >>> own_number("復興庁:167 環境省:127", "復興庁"), own_number("新30 0035", "総務省"), own_number("-", "総務省")
    ('167', '新30 0035', None)
    >>> own_number("復興庁 12 国土交通省 529", "国土交通省"), own_number("内閣官房(12)、復興庁(3)", "復興庁")
    ('529', '3')
    >>> own_number("総務省：0037", "総務省"), own_number("新31-0035(新規)", "総務省"), own_number("新規", "総務省")
    ('0037', '新31-0035', None)
    """
    if printed is None or printed in NOT_PRINTED or not is_project_number(printed):
        return None
    entries = number_entries(printed)
    if not any(named for named, _ in entries) or not all(is_single_number(number) for _, number in entries):
        return without_note(printed) or printed  # no ministry named, or a cell not taken apart
    own = [number for named, number in entries if same_ministry(named, ministry)]
    return own[0] if own else entries[0][1]


# `… ( 総務省 ) 事業番号 0037` or `事業番号:0037` ending a short cell (no label cell of its own);
# free text that mentions a number (`事業番号922-1~922-10)参照`) is no such cell
_NUMBER_IN_CELL = re.compile(r"(?:事業|案件)番号\s*[:：]?\s*(?P<number>新?\d[\d\-]*(?:\s\d+)?)$")
# `事業番号 198 平成24年行政事業レビューシート (総務省)`: the number opening the title cell
_NUMBER_BEFORE_TITLE = re.compile(r"^(?:事業|案件)番号\s*[:：]?\s*(?P<number>新?\d[\d\-]*)\s+\S*行政事業")


def number_in_a_cell(rows: list[Row]) -> str | None:
    """A 事業番号 printed at the end of a short header cell, when no label cell gives one."""
    for row in rows:
        for _, cell in row.filled():
            if "番号" not in cell.text:
                continue
            match = _NUMBER_IN_CELL.search(cell.text) if len(cell.text) < 60 else None
            match = match or _NUMBER_BEFORE_TITLE.search(cell.text)
            if match:
                return match.group("number")
    return None
