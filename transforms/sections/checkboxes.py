"""Checkbox cells of the basic information (会計区分, 実施方法): `■一般会計 □特別会計`.

Marks vary by form and tool (☑, ●, ◎ ticked; ☐, ○, 〇 empty).  `box_cells` gathers a
choice printed one box per cell, `checked_items` keeps the ticked choices (会計区分),
`checkbox_text` prints every mark as ■ or □ (実施方法).
"""

from __future__ import annotations

import re

from transforms.read import Cell, Row

_TICKED, _UNTICKED = "■☑☒✓✔●◉◎▣", "□☐○◯〇"  # ◎ picks one among ○; 〇 (kanji zero) typed for ○
BOX_MARKS = tuple(_TICKED + _UNTICKED)
# The fields printed as checkboxes; a free-text value opening with ○ (a bullet) is text.
CHECKBOX_FIELDS = frozenset({"account_type", "implementation_method"})
_BOX_MARK = re.compile(f"([{_TICKED}{_UNTICKED}])")
_AS_SQUARES = str.maketrans({**{m: "■" for m in _TICKED}, **{m: "□" for m in _UNTICKED}})


def box_cells(row: Row, first: int, is_label) -> list[tuple[int, Cell]]:
    """The checkbox cells after the one at `first` (one box per cell), each with a
    cell right after it that continues its choice (`■特別会計 ⇥ (東日本大震災復興特別会計)`)."""
    boxes: list[tuple[int, Cell]] = []
    last = first
    for k, cell in row.filled():
        if k <= first or is_label(k):
            continue
        if cell.text[:1] in BOX_MARKS or (k == last + 1 and cell.text[:1] in "(（"):
            boxes.append((k, cell))
            last = k
    return boxes


def checkbox_text(text: str | None) -> str | None:
    """A checkbox string with its marks printed as ■ (ticked) and □; other text as it is.

    >>> checkbox_text("☑直接実施 ☐補助"), checkbox_text("直接実施")
    ('■直接実施 □補助', '直接実施')
    """
    return text.translate(_AS_SQUARES) if text and text[:1] in BOX_MARKS else text


def checked_items(text: str | None) -> str | None:
    """The ticked choices of a checkbox string, else the text as it is.

    >>> checked_items("■一般会計 □特別会計"), checked_items("■一般会計 ■東日本大震災復興特別会計"), checked_items("一般会計")
    ('一般会計', '一般会計、東日本大震災復興特別会計', '一般会計')
    >>> checked_items("□一般会計 ■特別会計(エネルギー対策特別会計 電源開発促進勘定)"), checked_items("☐一般会計 ☑特別会計")
    ('特別会計(エネルギー対策特別会計 電源開発促進勘定)', '特別会計')
    """
    if not text or not any(mark in text for mark in _TICKED):
        return text
    parts = _BOX_MARK.split(text)  # [before, mark, choice, mark, choice, ...]
    items = [re.sub(r"\s+(?=\()", "", choice.strip())
             for mark, choice in zip(parts[1::2], parts[2::2]) if mark in _TICKED and choice.strip()]
    return "、".join(items) or text
