"""Printed text cells as values: the one place that decides how a text cell is kept.

`Cell.text` (see `transforms.read`) collapses white space for matching labels; a
*value* keeps the print instead: NFKC, each line trimmed, empty lines dropped, runs
of spaces inside a line kept (`瀬嵩第三市営住宅      新築工事` stays as printed).
"""

from __future__ import annotations

import unicodedata


def text_value(raw: str | None) -> str | None:
    """A text cell as a value, line breaks kept; None when blank.

    >>> text_value(" 総務課長\\n 渡部  康人 "), text_value("（株）ＡＢＣ"), text_value("  ")
    ('総務課長\\n渡部  康人', '(株)ABC', None)
    """
    if not raw:
        return None
    if not unicodedata.is_normalized("NFKC", raw):
        raw = unicodedata.normalize("NFKC", raw)
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
