"""The free-text blocks of the `project` row: 政策・施策, 点検結果 and 改善の方向性 (label beside
text), the opinion blocks (外部有識者の所見, 行政事業レビュー推進チームの所見, 所見を踏まえた
改善点, 備考) and 定量的な目標が設定できない理由.
"""

from __future__ import annotations

from transforms.labels import lookup
from transforms.read import Row
from transforms.sections.text import text_value


def block_text(rows: list[Row]) -> str | None:
    """All text of a free-text block after its heading cell: cells and rows joined by
    newlines (a 判定 cell and its text become `判定\\ntext`)."""
    lines = []
    for n, row in enumerate(rows):
        for k, (_, cell) in enumerate(row.filled()):
            if n == 0 and k == 0:
                continue  # the heading itself
            value = text_value(cell.raw)
            if value:
                lines.append(value)
    return "\n".join(lines) or None


def labelled_text(rows: list[Row], section: str) -> dict[str, str]:
    """{field: text of the cell right of the label} for labels of `section` in `rows`;
    a following row holding nothing but a cell in the value's column continues the
    value (a multi-line cell the export split over rows)."""
    found: dict[str, str] = {}
    last: tuple[str, int] | None = None  # (field, column) of the value the next row may continue
    for row in rows:
        filled = row.filled()
        if last is not None and len(filled) == 1 and filled[0][0] == last[1] \
                and not (len(filled[0][1].text) < 40 and lookup(section, filled[0][1].text)):
            value = text_value(filled[0][1].raw)
            if value:
                found[last[0]] = f"{found[last[0]]}\n{value}"
                continue
        last = None
        for k, (_, cell) in enumerate(filled):
            field = lookup(section, cell.text) if len(cell.text) < 40 else None
            if field and field not in found and k + 1 < len(filled):
                value = text_value(filled[k + 1][1].raw)
                if value and not lookup(section, filled[k + 1][1].text):
                    found[field] = value
                    last = (field, filled[k + 1][0])
    return found


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
