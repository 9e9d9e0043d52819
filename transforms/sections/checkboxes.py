"""Checkbox cells of the basic information (会計区分, 実施方法): `■一般会計 □特別会計`.

Marks vary by form and tool (☑, ●, ◎ ticked; ☐, ○, 〇 empty; `[レ]` / `[ ]`, a bare レ,
or ✓ after the choice, which `as_boxes` rewrites as ■ / □).  `box_cells` gathers a
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
# Ticks printed without a box mark (text after NFKC): a bracketed レ before the choice and
# an empty bracket for the others (`[レ]直接実施 [ ]補助`, `(レ)…`), a bare レ before the
# choice (`□直接実施 レ補助`, counted only beside another box), a check after it (`直接実施✓ 補助`).
_BRACKETED = re.compile(r"(?:^|(?<=[\s、,]))[\[(]\s*(レ|✓|✔)?\s*[\])]")
_KANA_TICK = re.compile(r"(?:^|(?<=[\s、,]))レ\s*(?=\S)")
_CHECK_AFTER = re.compile(r"(?<=\S)[✓✔](?=[\s、,]|$)")
# a check before the ticked choices only, the others printed bare (`直接実施 ✓委託・請負`)
_CHECK_BEFORE = re.compile(r"(?:^|(?<=[\s、,]))[✓✔]\s*(?=\S)")
_BOXES = re.compile(f"[{_TICKED.replace('✓✔', '')}{_UNTICKED}]")


def box_cells(row: Row, first: int, is_label) -> list[tuple[int, Cell]]:
    """The checkbox cells after the one at `first` (one box per cell), each with a
    cell right after it that continues its choice (`■特別会計 ⇥ (東日本大震災復興特別会計)`),
    and the choice after a box printed in a cell of its own (`□ ⇥ 一般会計 ⇥ ■ ⇥ 特別会計`)."""
    boxes: list[tuple[int, Cell]] = []
    last, bare_box = first, is_bare_box(row[first].text)
    for k, cell in row.filled():
        if k <= first or is_label(k):
            bare_box = bare_box and k <= first  # a label is no box's choice
            continue
        if opens_with_box(cell.text) or (k == last + 1 and cell.text[:1] in "(（") or bare_box:
            boxes.append((k, cell))
            last, bare_box = k, is_bare_box(cell.text)
    return boxes


def is_bare_box(text: str) -> bool:
    """Whether a cell prints a box and nothing else (its choice is in the next cell).

    >>> is_bare_box("■"), is_bare_box(" □ "), is_bare_box("[レ]"), is_bare_box("■一般会計")
    (True, True, True, False)
    """
    return (as_boxes(text.strip()) or "") in BOX_MARKS


def join_boxes(cells: list[Cell]) -> Cell:
    """The cells of one checkbox string as one cell: choices separated by a space, a box
    printed in a cell of its own joined to the choice after it (`□ ⇥ 一般会計` -> `□一般会計`)."""
    raws, texts = [cells[0].raw], [cells[0].text]
    for before, cell in zip(cells, cells[1:]):
        if is_bare_box(before.text):
            raws[-1], texts[-1] = raws[-1].strip() + cell.raw.strip(), texts[-1] + cell.text
        else:
            raws.append(cell.raw)
            texts.append(cell.text)
    return Cell(" ".join(raws), " ".join(texts))


def opens_with_box(text: str) -> bool:
    """Whether a cell of a checkbox field opens with a box, in any of the prints `as_boxes` reads."""
    return as_boxes(text)[:1] in BOX_MARKS or bool(_KANA_TICK.match(text))


def as_boxes(text: str | None) -> str | None:
    """A checkbox string printed with other tick marks in the ■ / □ form; other text as it is.
    With a check after (or before) the ticked choices only, every other choice is an empty box.

    >>> as_boxes("[レ]直接実施 [ ]補助"), as_boxes("□直接実施 レ補助"), as_boxes("直接実施✓ 補助")
    ('■直接実施 □補助', '□直接実施 ■補助', '■直接実施 □補助')
    >>> as_boxes("✓一般会計 特別会計"), as_boxes("直接実施 ✓ 委託・請負"), as_boxes("□直接実施 ✓補助")
    ('■一般会計 □特別会計', '□直接実施 ■委託・請負', '□直接実施 ✓補助')
    >>> as_boxes("レンタル"), as_boxes("特別会計(東日本大震災復興特別会計)")
    ('レンタル', '特別会計(東日本大震災復興特別会計)')
    """
    if not text:
        return text
    text = _BRACKETED.sub(lambda m: "■" if m.group(1) else "□", text)
    if _KANA_TICK.search(text) and any(mark in text for mark in BOX_MARKS):
        text = _KANA_TICK.sub("■", text)
    if text[:1] not in BOX_MARKS and _CHECK_AFTER.search(text):
        text = " ".join(f"■{c[:-1]}" if c[-1] in "✓✔" else f"□{c}" for c in _choices(text))
    elif _CHECK_BEFORE.search(text) and not _BOXES.search(text):
        choices = _choices(_CHECK_BEFORE.sub(lambda m: m.group(0).strip(), text))  # `✓ 補助` -> `✓補助`
        text = " ".join(f"■{c[1:]}" if c[0] in "✓✔" else f"□{c}" for c in choices)
    return text


def _choices(text: str) -> list[str]:
    """The choices of a checkbox string split at spaces and commas outside brackets; a
    bracket after a space belongs to the choice before it (`特別会計 (エネルギー対策…)`)."""
    choices: list[str] = []
    depth, current = 0, ""
    for char in text + " ":
        depth += (char == "(") - (char == ")" and depth > 0)
        if depth == 0 and (char.isspace() or char in "、,"):
            if current and current[0] == "(" and choices:
                choices[-1] += current
            elif current:
                choices.append(current)
            current = ""
        else:
            current += char
    return choices


def checkbox_text(text: str | None) -> str | None:
    """A checkbox string with its marks printed as ■ (ticked) and □, each right before its
    choice and the choices one space apart (a space after each box, a string the cell
    wrapped over lines: `□ 直接実施 ■ 委託・請負`); other text as it is.

    >>> checkbox_text("☑直接実施 ☐補助"), checkbox_text("直接実施"), checkbox_text("□ 直接実施\\n■ 補助")
    ('■直接実施 □補助', '直接実施', '□直接実施 ■補助')
    """
    text = as_boxes(text)
    if not text or text[:1] not in BOX_MARKS:
        return text
    return _SPACE_AFTER_BOX.sub(r"\1", " ".join(text.translate(_AS_SQUARES).split()))


_SPACE_AFTER_BOX = re.compile(r"([■□])\s+(?=\S)")


def checked_items(text: str | None) -> str | None:
    """The ticked choices of a checkbox string, else the text as it is.

    >>> checked_items("■一般会計 □特別会計"), checked_items("■一般会計 ■東日本大震災復興特別会計"), checked_items("一般会計")
    ('一般会計', '一般会計、東日本大震災復興特別会計', '一般会計')
    >>> checked_items("□一般会計 ■特別会計(エネルギー対策特別会計 電源開発促進勘定)"), checked_items("☐一般会計 ☑特別会計")
    ('特別会計(エネルギー対策特別会計 電源開発促進勘定)', '特別会計')
    """
    text = as_boxes(text)
    if not text or not any(mark in text for mark in _TICKED):
        return text
    parts = _BOX_MARK.split(text)  # [before, mark, choice, mark, choice, ...]
    items = [re.sub(r"\s+(?=\()", "", choice.strip())
             for mark, choice in zip(parts[1::2], parts[2::2]) if mark in _TICKED and choice.strip()]
    return "、".join(items) or text
