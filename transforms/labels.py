"""Label variants as data: canonical field -> the labels each form year printed.

The table lives in ``labels/labels.csv`` (section, field, label, seen_in, note).
Supporting a new form year's wording is an edit of that file, not of code.
A label is matched on its compact form (NFKC, no spaces); failing that, on its
`label_key` (bracketed notes removed) when that key is unambiguous in its section.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from pathlib import Path

from transforms.normalize import label_key, nfkc

LABELS_CSV = Path(__file__).with_name("labels") / "labels.csv"


@lru_cache(maxsize=1 << 16)
def compact(text: str) -> str:
    """NFKC without any white space.

    >>> compact("予算額 (当初)")
    '予算額(当初)'
    """
    return nfkc(text).replace(" ", "")


@lru_cache(maxsize=None)
def _tables() -> tuple[dict, dict]:
    exact: dict[tuple[str, str], str] = {}
    keyed: dict[tuple[str, str], set[str]] = {}
    with LABELS_CSV.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            section, field, label = row["section"], row["field"], row["label"]
            exact[(section, compact(label))] = field
            keyed.setdefault((section, label_key(label)), set()).add(field)
    unambiguous = {k: next(iter(v)) for k, v in keyed.items() if len(v) == 1}
    return exact, unambiguous


@lru_cache(maxsize=1 << 16)
def lookup(section: str, text: str) -> str | None:
    """The canonical field a printed label stands for in `section`, or None.

    >>> lookup("budget", "予算額(当初)"), lookup("budget", "予算額(補正後)")
    ('initial', 'total')
    >>> lookup("basic", "事業の目的(目指す姿を簡潔に。3行程度以内)"), lookup("basic", "案件名")
    ('purpose', 'project_name')
    >>> lookup("budget", "執行率 (%)"), lookup("budget", "不明な行") is None
    ('rate_total', True)
    >>> lookup("budget", "翌年度へ繰り越し")  # okurigana spelled out
    'carried_out'
    >>> lookup("budget", "執行額※"), lookup("budget", "予算額(補正後)(A)"), lookup("budget", "予算額(当初)(B)")
    ('executed', 'total', 'initial')
    >>> lookup("basic", "１．事業名"), lookup("basic", "2)担当部局庁"), lookup("basic", "(3)担当課室"), lookup("basic", "1.5")
    ('project_name', 'bureau', 'division', None)
    """
    exact, keyed = _tables()
    if "繰り越" in text:
        text = text.replace("繰り越", "繰越")
    printed = compact(text)
    field = exact.get((section, printed))
    if field is None:
        field = keyed.get((section, label_key(text)))
    if field is None and _may_end_with_mark(printed) and (bare := _LABEL_MARK.sub("", printed)) != printed and bare:
        field = exact.get((section, bare)) or keyed.get((section, label_key(bare)))  # `執行額※`, `予算額(当初)(B)`
    if field is None and printed[:1].isdigit() and (number := _NUMBERING.match(printed)) and (bare := printed[number.end():]):
        field = exact.get((section, bare)) or keyed.get((section, label_key(bare)))  # `1.事業名`, `２）担当課室`
    return field


# an item number before a label, as a numbered form prints it (NFKC): `1.`, `2)`, `3、`
_NUMBERING = re.compile(r"^\d{1,2}[.)、]")


# a footnote mark or a letter naming the row for a formula, after a label
_LABEL_MARK = re.compile(r"(?:※\d*|\*+|\([A-Za-z]\))+$")


def _may_end_with_mark(text: str) -> bool:
    """Whether `_LABEL_MARK` can match: a mark ends in `*` or `)`, or holds `※`.  (The
    pattern is anchored at the end but tried from every position: most texts a look-up
    misses on are values, not labels with a mark.)

    >>> _may_end_with_mark("執行額※1"), _may_end_with_mark("予算額(B)"), _may_end_with_mark("株式会社ABC")
    (True, True, False)
    """
    return "※" in text or text.endswith(("*", ")"))


@lru_cache(maxsize=None)
def labels_of(section: str) -> frozenset[str]:
    """Every compact label of a section (for telling labels from values)."""
    exact, _ = _tables()
    return frozenset(label for (sec, label) in exact if sec == section)


_TOTALS = {"計": "total", "合計": "total", "総計": "total", "総合計": "total", "小計": "subtotal"}


@lru_cache(maxsize=4096)
def total_kind(text: str) -> str | None:
    """"total" for a table's total row label (計, 合計, 総計, also with a note such as
    `計(百万円)`), "subtotal" for 小計, else None.

    >>> total_kind("計"), total_kind("合 計"), total_kind("計(百万円)"), total_kind("小計"), total_kind("計算式")
    ('total', 'total', 'total', 'subtotal', None)
    """
    if not text or len(text) > 16 or "計" not in text:  # (no other character NFKC-normalises to 計)
        return None
    return _TOTALS.get(label_key(text))
