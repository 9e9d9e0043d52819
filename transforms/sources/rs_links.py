"""RS System files linking a project to others and its goals to each other (see
`transforms.sources.rs_csv`): 1-2's 旧事業番号 -> `lineage`, 1-5 (関連事業) ->
`related_project`, 3-2 (効果発現経路_目標のつながり) -> `outcome_path`.

1-5 rows name a related project by its 予算事業ID, 事業名 and 関連性 (統合先 / 統合元,
分割先 / 分割元, 子事業 / 親事業, 基金造成した基金シート, ...).  3-2 rows are the edges of
the project's logic model: from an アクティビティ, アウトプット or アウトカム (its number
within its kind, the outcome's 期間, its text) to the next, with the reasoning that
connects them.
"""

from __future__ import annotations

import re

from transforms.normalize import nfkc
from transforms.sources.rs_bundle import cell_text as _text


def related_projects(rows: list[dict]) -> list[dict]:
    """`related_project` rows of one project's 1-5 rows (placeholder rows give none).

    >>> [(r["related_no"], r["related_project_number"], r["relation"]) for r in related_projects([
    ...     {"関連事業の事業ID": "5578", "関連事業の事業名": "高粒度データの整備", "関連性": "統合先"}, {}])]
    [(1, '5578', '統合先')]
    """
    out: list[dict] = []
    for row in rows:
        number, name = _text(row.get("関連事業の事業ID")), _text(row.get("関連事業の事業名"))
        relation = _text(row.get("関連性"))
        if number is None and name is None and relation is None:
            continue
        out.append({"related_no": len(out) + 1, "related_ministry": None, "related_project_number": number,
                    "related_project_name": name, "relation": relation})
    return out


def outcome_paths(rows: list[dict]) -> list[dict]:
    """`outcome_path` rows of one project's 3-2 rows.

    >>> [(r["from_kind"], r["from_no"], r["to_kind"], r["to_no"], r["to_period"]) for r in outcome_paths([
    ...     {"派生元ーアクティビティ・アウトプット・アウトカムの番号": "1", "派生元ー種別（アクティビティ・アウトプット・アウトカム）": "アウトプット",
    ...      "派生先ーアクティビティ・アウトプット・アウトカムの番号": "1", "派生先ー種別（アクティビティ・アウトプット・アウトカム）": "アウトカム",
    ...      "派生先ーアウトカムの期間": "長期"}, {}])]
    [('アウトプット', 1, 'アウトカム', 1, '長期')]
    """
    out: list[dict] = []
    for row in rows:
        ends = {}
        for side, prefix in (("from", "派生元ー"), ("to", "派生先ー")):
            ends[f"{side}_kind"] = _text(row.get(f"{prefix}種別（アクティビティ・アウトプット・アウトカム）"))
            ends[f"{side}_no"] = _whole(row.get(f"{prefix}アクティビティ・アウトプット・アウトカムの番号"))
            ends[f"{side}_period"] = _text(row.get(f"{prefix}アウトカムの期間"))
            ends[f"{side}_text"] = _side_text(row, prefix)
        if ends["from_kind"] is None and ends["to_kind"] is None:
            continue
        out.append({"path_no": len(out) + 1, **ends, "connection": _text(row.get("後続アウトカムへのつながり")),
                    "single_stage_reason": _text(row.get("アウトカムを複数段階で設定できない理由"))})
    return out


def _side_text(row: dict, prefix: str) -> str | None:
    """The goal text of one end: its column's header differs between the two ends
    (`派生元ーアクティビティの内容/ 活動目標／成果目標`, `派生先ー 活動目標／成果目標`)."""
    for key, value in row.items():
        name = nfkc(key)
        if name.startswith(prefix) and name.endswith("成果目標"):
            return _text(value)
    return None


def _whole(text: str | None) -> int | None:
    """A number cell as an int (`1`, also `1.0` as a spreadsheet writes it), else None."""
    text = nfkc(_text(text) or "")
    if text.endswith(".0"):
        text = text[:-2]
    return int(text) if text.isdigit() else None


# `2023-デジ-22-0001`, also without separators (`2023警察220059`); the review year first
_OLD_NUMBER = re.compile(r"(?<!\d)(20\d\d)-?([^\W\d_]+)-?(\d{2})-?(\d{4})(?:-(\d+))?(?!\d)")


_DASHES = re.compile(r"[ー―‐‑‒–—−－]")


def lineage(rows: list[dict], review_year: int, project_id: str) -> list[dict]:
    """旧事業番号 entries (``2023-デジ-22-0001``: review year first) and, from 2025 on, the
    previous review year's sheet of the same 予算事業ID."""
    out: dict[tuple[int, str], dict] = {}
    for row in rows:
        for match in _OLD_NUMBER.finditer(_DASHES.sub("-", nfkc(row.get("旧事業番号") or ""))):
            year = int(match.group(1))
            number = "-".join(part for part in match.groups() if part)  # as the 2021-2023 sheets print it
            if year < review_year:
                out.setdefault((year, number), {"past_review_year": year, "past_ministry": None,
                                                "past_project_number": number})
    if review_year > 2024:
        out.setdefault((review_year - 1, project_id), {"past_review_year": review_year - 1, "past_ministry": None,
                                                       "past_project_number": project_id})
    return [out[k] for k in sorted(out)]
