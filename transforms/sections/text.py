"""Printed text cells as values: the one place that decides how a text cell is kept.

`Cell.text` (see `transforms.read`) collapses white space for matching labels; a
*value* keeps the print instead: NFKC, each line trimmed, empty lines dropped, runs
of spaces inside a line kept (`瀬嵩第三市営住宅      新築工事` stays as printed).
`text_value` is memoised (a small LRU: the same short texts, `〇`, `-`, units, contract
methods, come back sheet after sheet; about 3 calls in 4 repeat an earlier argument).
Circled and bracketed numbers and letters (`①`, `⑴`, `❶`, `㉑`) are kept: NFKC would
turn `①研修の実施 ②教材の配布` into `1研修の実施 2教材の配布`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Enclosed alphanumerics, dingbat circled digits, circled numbers 21-50.
_ENCLOSED = re.compile("[\u2460-\u24ff\u2776-\u2793\u3251-\u325f\u32b1-\u32bf]")


@lru_cache(maxsize=4096)
def text_value(raw: str | None) -> str | None:
    """A text cell as a value, line breaks kept; None when blank.

    >>> text_value(" 総務課長\\n 渡部  康人 "), text_value("（株）ＡＢＣ"), text_value("  ")
    ('総務課長\\n渡部  康人', '(株)ABC', None)
    >>> text_value("①研修の実施（ＡＢＣ）　⑵教材")
    '①研修の実施(ABC) ⑵教材'
    """
    if not raw:
        return None
    if not unicodedata.is_normalized("NFKC", raw):
        raw = _nfkc_keeping_enclosed(raw)
    if "\n" not in raw:
        return raw.strip() or None
    lines = [line.strip() for line in raw.split("\n")]
    return "\n".join(line for line in lines if line) or None


def one_line(raw: str | None) -> str | None:
    """A short text cell (a unit, a label) on one line: NFKC, line breaks as spaces.

    >>> one_line("件\\n(月平均)"), one_line("")
    ('件 (月平均)', None)
    """
    value = text_value(raw)
    return value.replace("\n", " ") if value else None


def _nfkc_keeping_enclosed(raw: str) -> str:
    """NFKC of `raw` except its enclosed numbers and letters, which stay as printed."""
    if not _ENCLOSED.search(raw):
        return unicodedata.normalize("NFKC", raw)
    pieces = _ENCLOSED.split(raw)
    marks = _ENCLOSED.findall(raw)
    out = [unicodedata.normalize("NFKC", pieces[0])]
    for mark, piece in zip(marks, pieces[1:]):
        out += [mark, unicodedata.normalize("NFKC", piece)]
    return "".join(out)
