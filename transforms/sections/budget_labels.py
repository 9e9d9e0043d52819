"""The row labels of the 予算額・執行額 table (`budget`): which line a row is
(labels.csv, section ``budget``), labels the export split over two rows or printed on a
row of their own beside their values, and the rows of values under no label, reported.
"""

from __future__ import annotations

import re

from transforms.labels import lookup
from transforms.normalize import NOT_A_NUMBER, nfkc, parse_amount
from transforms.read import Row
from transforms.sections.context import SheetContext


# lines a sheet may print on several neighbouring rows, all counted in 計: 予備費等1 / 予備費等2,
# 補正予算(第1次) / 補正予算(第2次) (the RS System's 予備費等1-4 and 第1-5次補正予算); the line is their sum
PARTS_OF_TOTAL = ("supplementary", "carried_in", "carried_out", "reserve")
# the number of one of those rows: `予備費等1`, `予備費等 2`, `予備費等①` (NFKC: 1), `第2次補正予算`
_ROW_NUMBER = re.compile(r"^第\s*\d+\s*次\s*|\s*(?:第?\d+次?)$")


def find_label(row: Row) -> tuple[int, str, str] | None:
    """(index, field, printed label) of the row's budget label; 予算の状況 is skipped."""
    for i, cell in row.filled():
        if len(cell.text) > 40:
            continue
        field = lookup("budget", cell.text) or _numbered_part(cell.text)
        if field and field != "ignore":
            return i, field, nfkc(cell.raw)
    return None


def _numbered_part(text: str) -> str | None:
    """The line of a numbered row of a line printed on several rows (`予備費等1`,
    `予備費等 2`, `第2次補正予算`), else None.

    >>> _numbered_part("予備費等2"), _numbered_part("第1次補正予算"), _numbered_part("執行率2")
    ('reserve', 'supplementary', None)
    """
    bare = _ROW_NUMBER.sub("", nfkc(text))
    field = lookup("budget", bare) if bare and bare != nfkc(text) else None
    return field if field in PARTS_OF_TOTAL else None


def split_labels(rows: list[Row], labels: list) -> tuple[dict[int, tuple[int, str, str]], set[int]]:
    """Labels the export split over two rows (a two-line cell: `当初予算+補正予算に対する`
    then `執行額の割合(%)`, `費用総額` then `(執行ベース)`): {index of the row with the
    values: its label}, and the indexes of the other halves.  `labels`: `find_label` of
    each row."""
    found: dict[int, tuple[int, str, str]] = {}
    halves: set[int] = set()
    for k in range(1, len(rows) - 1):
        if k in halves or k in found or not _may_be_halves(rows, labels, k):
            continue
        upper, lower = _label_cell(rows[k]), _label_cell(rows[k + 1])
        if upper is None or lower is None:
            continue
        field = lookup("budget", upper[1].text + lower[1].text)
        if not field or field == "ignore":
            continue
        values_below = has_values(rows[k + 1])
        at, other, index = (k + 1, k, lower[0]) if values_below else (k, k + 1, upper[0])
        found[at] = (index, field, nfkc(upper[1].raw + lower[1].raw))
        halves.add(other)
    return found, halves


def _may_be_halves(rows: list[Row], labels: list, k: int) -> bool:
    """Whether rows k and k + 1 can hold the two lines of one label: neither has a label
    of its own, or one line is a label by itself (`費用総額`, `執行率`, `計`) printed
    without values and the other holds the values under no label (`(執行ベース)`, `(%)`)."""
    if not labels[k] and not labels[k + 1]:
        return True
    labelled, other = (k, k + 1) if labels[k] else (k + 1, k)
    return not labels[other] and not has_values(rows[labelled]) and has_values(rows[other])


def has_values(row: Row) -> bool:
    """Whether a row holds a value (`is_value`)."""
    return any(is_value(c) for _, c in row.filled())


def _label_cell(row: Row):
    """(index, cell) of the first short text cell that is no value and no group label
    (`予算の状況` beside the first line of a split `当初` / `予算`), or None."""
    return next(((i, c) for i, c in row.filled()
                 if not is_value(c) and len(c.text) <= 40 and lookup("budget", c.text) != "ignore"), None)


def lone_label(rows: list[Row], split: dict, labels: list, continuation_rows: set[int], k: int):
    """The label of a values-only row k printed alone on the row above or below it: the
    export splits a label cell with a blank line above or below its text (`計` / its
    values) over two rows.  None when neither neighbour is a label without values."""
    for j in (k - 1, k + 1):
        found = split.get(j) or (labels[j] if 0 < j < len(rows) else None)
        if found is not None and j not in continuation_rows and not has_values(rows[j]):
            return found
    return None


def values_only(row: Row) -> bool:
    """Whether a row holds values and no text at all (no label of its own)."""
    filled = row.filled()
    return bool(filled) and all(is_value(c) for _, c in filled)


def report_unlabelled(row: Row, ctx: SheetContext) -> None:
    """A row with numbers but no known label (or no label at all) is reported, never
    silently dropped."""
    filled = row.filled()
    values = [c for _, c in filled if is_value(c)]
    texts = [c for _, c in filled if not is_value(c) and len(c.text) <= 40]
    if values and texts:
        ctx.unknown_label("budget", texts[-1].text, row.number, "budget_line")
    elif values and len(values) == len(filled):
        printed = " ".join(c.text for c in values)
        ctx.warn("unknown_label", f"{ctx.source_path}: a row of values under no label in section budget (line "
                 f"{row.number}: {printed}); its values were not loaded", "budget_line", observed=printed)


def is_value(cell) -> bool:
    """A cell printing an amount, a percent or a mark for none (`-`)."""
    return parse_amount(cell.raw) is not None or cell.text.endswith("%") or cell.text in NOT_A_NUMBER
