"""Find the sections of a sheet by their label text, never by position.

`split_sections(grid)` returns the rows of each section in file order.  A section
starts at a row whose heading cell matches one of `MARKERS` and runs to the next
heading, so sections may come in any order.  Rows before the first heading are
the title and basic-information block (``header``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from transforms.labels import compact
from transforms.read import Grid, Row

_YEAR_CELL = re.compile(r"(\d{1,2}|元)\s*年度?|(19|20)\d{2}\s*年")


def _year_cells(row: Row) -> int:
    return sum(1 for _, c in row.filled() if _YEAR_CELL.search(c.text) and len(c.text) < 24)


def _first(row: Row) -> str:
    first = row.first()
    return compact(first[1].text) if first else ""


def _any(row: Row, predicate: Callable[[str], bool]) -> bool:
    return any(predicate(compact(c.text)) for _, c in row.filled())


def _is_budget_header(row: Row) -> bool:
    has_label = _any(row, lambda t: t.startswith("予算額・執行額") or t.startswith("予算の状況(単位") or t == "予算の状況")
    return has_label and not _any(row, lambda t: "予算内訳" in t) and _year_cells(row) >= 2


# (section name, predicate on a row); first match wins.  Wording of every form year.
MARKERS: list[tuple[str, Callable[[Row], bool]]] = [
    ("budget", _is_budget_header),
    ("budget_item", lambda r: _any(r, lambda t: "予算内訳" in t and len(t) < 40)),
    ("outcome_note", lambda r: "成果目標及び成果実績" in _first(r) and "記載" in _first(r)),
    ("outcome", lambda r: _first(r).startswith("成果目標及び成果実績") or _first(r).startswith("成果目標及び成果実績")),
    ("no_goal_reason", lambda r: _first(r).startswith("定量的な目標が設定できない理由") or _first(r).startswith("定量的な成果目標の設定が困難")),
    ("activity", lambda r: _first(r).startswith("活動指標及び活動実績")),
    ("unit_cost", lambda r: _first(r) == "単位当たりコスト" and _any(r, lambda t: t in ("算出根拠", "単位"))),
    ("policy", lambda r: _first(r).startswith("政策評価") and "との関係" in _first(r)),
    ("assessment", lambda r: _first(r).startswith("事業所管部局による点検")),
    ("inspection", lambda r: _first(r) == "点検・改善結果"),
    ("external_opinion", lambda r: _first(r).startswith("外部有識者の所見")),
    ("team_opinion", lambda r: _first(r).startswith("行政事業レビュー推進チームの所見")),
    ("reflection", lambda r: _first(r).startswith("所見を踏まえた改善点")),
    ("remarks", lambda r: _first(r) == "備考"),
    ("lineage", lambda r: _first(r).startswith("関連する過去のレビューシートの事業番号")),
    ("note", lambda r: _first(r).startswith("※")),
    ("money_flow", lambda r: _first(r) == "資金の流れ"),
    ("expense", lambda r: _first(r) in ("費目・用途", "費目・使途")),
    ("expense_note", lambda r: _first(r).startswith("費目・用途欄") or _first(r).startswith("費目・使途欄")),
    ("recipient", lambda r: _first(r).startswith("支出先上位") and "欄" not in _first(r)),
]

SECTION_NAMES = ("header",) + tuple(name for name, _ in MARKERS)


@dataclass
class Sections:
    """Rows of each section; a section seen twice keeps both runs in order."""

    rows: dict[str, list[Row]] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)

    def get(self, name: str) -> list[Row]:
        return self.rows.get(name, [])

    def __contains__(self, name: str) -> bool:
        return name in self.rows


def section_of(row: Row) -> str | None:
    """The section a heading row opens, or None for an ordinary row."""
    for name, predicate in MARKERS:
        if predicate(row):
            return name
    return None


def split_sections(grid: Grid) -> Sections:
    sections = Sections()
    current = "header"
    for row in grid:
        opened = section_of(row)
        if opened is not None:
            current = opened
            if opened not in sections.rows:
                sections.order.append(opened)
        sections.rows.setdefault(current, []).append(row)
    return sections
