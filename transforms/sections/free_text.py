"""The free-text blocks of the `project` row: 政策・施策, 点検結果 and 改善の方向性 (label beside
text), the opinion blocks (外部有識者の所見, 行政事業レビュー推進チームの所見, 所見を踏まえた
改善点, 備考) and 定量的な目標が設定できない理由.
"""

from __future__ import annotations

from functools import lru_cache

from transforms.labels import labels_of, lookup
from transforms.read import EMPTY, Cell, Row
from transforms.sections.text import text_value


def block_text(rows: list[Row]) -> str | None:
    """All text of a free-text block after its heading cell: cells and rows joined by
    newlines (a 判定 cell and its text become `判定\\ntext`).  A row holding only the rest
    of a cell left of another one on the row above (a 判定 the export split over two
    rows: `一部の | 更なる…` / `改善内容`) continues that cell, before the text right of it."""
    lines: list[str] = []
    ends: dict[int, int] = {}  # column -> where in `lines` the last line of the row above's cell there ends
    for n, row in enumerate(rows):
        filled = row.filled()[1:] if n == 0 else row.filled()  # (the heading itself left out)
        if len(filled) == 1 and (at := ends.get(filled[0][0], len(lines))) < len(lines):
            if value := text_value(filled[0][1].raw):
                lines.insert(at, value)
                for index, end in ends.items():
                    if end >= at:
                        ends[index] = end + 1
                continue
        ends = {}
        for index, cell in filled:
            if value := text_value(cell.raw):
                lines.append(value)
                ends[index] = len(lines)
    return "\n".join(lines) or None


def labelled_text(rows: list[Row], section: str) -> dict[str, str]:
    """{field: text of the cell right of the label} for labels of `section` in `rows`;
    a following row holding nothing but a cell in the value's column continues the
    value (a multi-line cell the export split over rows).  A label printed with nothing
    right of it takes its text from the rows below (a single cell right of the label).
    A label missing is looked for again split over two rows (`_join_split_labels`)."""
    found = _read_labelled(rows, section)
    if len(found) < _field_count(section):  # (a label missing: rare)
        joined = _read_labelled(_join_split_labels(rows, section), section)
        if len(joined) > len(found):
            return joined
    return found


# fields whose labels only end another value (labels.csv: "not loaded"): never missed
_MARKERS = frozenset({"relation"})


@lru_cache(maxsize=None)
def _field_count(section: str) -> int:
    """How many fields the labels of `section` name (their values loaded)."""
    return len({lookup(section, label) for label in labels_of(section)} - _MARKERS)


def _read_labelled(rows: list[Row], section: str) -> dict[str, str]:
    """`labelled_text` of rows whose labels each stand in one cell."""
    found: dict[str, str] = {}
    last: tuple[str, int] | None = None  # (field, column) of the value the next row may continue
    bare: tuple[str, int] | None = None  # (field, column) of a label whose text starts on the next row
    for row in rows:
        filled = row.filled()
        if len(filled) == 1 and not (len(filled[0][1].text) < 40 and lookup(section, filled[0][1].text)):
            index, cell = filled[0]
            value = text_value(cell.raw)
            if value and last is not None and index == last[1]:
                found[last[0]] = f"{found[last[0]]}\n{value}"
                continue
            if value and bare is not None and index > bare[1]:
                found[bare[0]] = value
                last, bare = (bare[0], index), None
                continue
        last = bare = None
        for k, (index, cell) in enumerate(filled):
            field = lookup(section, cell.text) if len(cell.text) < 40 else None
            if not field or field in found:
                continue
            value = text_value(filled[k + 1][1].raw) if k + 1 < len(filled) else None
            if value and not lookup(section, filled[k + 1][1].text):
                found[field] = value
                last = (field, filled[k + 1][0])
            elif k + 1 == len(filled):
                bare = (field, index)
    return found


def _join_split_labels(rows: list[Row], section: str) -> list[Row]:
    """The rows with each label of `section` the export split over two rows (`点検 | 本事業の…`
    / `結果`: the label's rest alone in its column below) joined on the first row.  (The
    labels are short: longer texts are not looked up.)"""
    out = list(rows)
    for n in range(len(out) - 1):
        below = out[n + 1]
        if below.filled_count() != 1:
            continue  # (most rows)
        index, rest = below.filled()[0]
        cell = out[n][index]
        if cell.text and len(cell.text) + len(rest.text) < 16 and not lookup(section, cell.text) \
                and lookup(section, cell.text + rest.text) and not lookup(section, rest.text):
            out[n] = _with_cell(out[n], index, Cell(cell.raw + rest.raw, cell.text + rest.text, cell.bold))
            out[n + 1] = _with_cell(below, index, EMPTY)
    return out


def _with_cell(row: Row, index: int, cell: Cell) -> Row:
    """`row` with its cell `index` replaced (rows are read-only: a new one)."""
    return Row(row.number, row.cells[:index] + [cell] + row.cells[index + 1:])


def no_goal_reason(rows: list[Row]) -> str | None:
    """定量的な目標が設定できない理由: the text after the labels of the heading row and below."""
    lines = []
    for row in rows:
        for _, cell in row.filled():
            if len(cell.text) < 40 and lookup("no_goal", cell.text):
                continue
            value = text_value(cell.raw)
            if value:
                lines.append(value)
    return "\n".join(lines) or None
