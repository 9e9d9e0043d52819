"""Title, basic information and the free-text opinion blocks -> the `project` row."""

from __future__ import annotations

import re

from transforms.labels import compact, lookup
from transforms.normalize import nfkc, nfkc_multiline, parse_fiscal_year, parse_start_end
from transforms.read import Row
from transforms.sections.context import SheetContext
from transforms.sections.locate import Sections

_TITLE = re.compile(
    r"(?:(?P<era>平成|令和)\s*(?P<num>\d{1,2}|元)\s*年度?\s*)?行政事業レビューシート\s*[(\[]\s*(?P<ministry>[^()\[\]]+?)\s*[)\]]"
)


def parse_title(rows: list[Row]) -> tuple[int | None, str | None, int | None]:
    """(review_year, ministry, row number) from the sheet title, if printed.

    A 2010 title has no year: the caller infers it from the budget table's request column.
    """
    for row in rows:
        for _, cell in row.filled():
            match = _TITLE.search(cell.text)
            if match:
                year = None
                if match.group("era"):
                    year = parse_fiscal_year(f"{match.group('era')}{match.group('num')}年度")
                return year, nfkc(match.group("ministry")), row.number
    return None, None, None


def _label_field(text: str) -> str | None:
    return lookup("basic", text) if len(text) < 60 else None


def parse_basic_info(rows: list[Row]) -> dict[str, tuple[str, str]]:
    """Label cells -> their value cell, as {field: (raw, text)}.

    A value is the next cell to the right; when that is empty, the cell directly below
    the label (a two-row merged cell) if no label of that row claims it.
    """
    labels: dict[tuple[int, int], str] = {}
    for r, row in enumerate(rows):
        for i, cell in row.filled():
            field = _label_field(cell.text)
            if field:
                labels[(r, i)] = field
    claimed: set[tuple[int, int]] = set()
    values: dict[str, tuple[str, str]] = {}
    pending: list[tuple[int, int, str]] = []
    for (r, i), field in labels.items():
        cell = rows[r][i + 1]
        if cell.text and (r, i + 1) not in labels:
            claimed.add((r, i + 1))
            values.setdefault(field, (cell.raw, cell.text))
        else:
            pending.append((r, i, field))
    for r, i, field in pending:
        if field in values or r + 1 >= len(rows):
            continue
        below = rows[r + 1][i]
        if below.text and (r + 1, i) not in labels and (r + 1, i) not in claimed:
            claimed.add((r + 1, i))
            values[field] = (below.raw, below.text)
    return values


def _block_text(rows: list[Row], skip_heading: bool = True) -> str | None:
    """All text of a free-text block, rows joined by newlines (cells by a newline)."""
    lines = []
    for row in rows[1:] if skip_heading else rows:
        line = "\n".join(nfkc_multiline(c.raw) for _, c in row.filled())
        if line:
            lines.append(line)
    return "\n".join(lines) or None


def _inspection(rows: list[Row]) -> tuple[str | None, str | None]:
    result = direction = None
    for row in rows:
        for i, cell in row.filled():
            key = compact(cell.text)
            if key == "点検結果":
                result = nfkc_multiline(row[i + 1].raw) or None
            elif key == "改善の方向性":
                direction = nfkc_multiline(row[i + 1].raw) or None
    return result, direction


def _policy_links(rows: list[Row]) -> tuple[str | None, str | None]:
    policy = measure = None
    for row in rows:
        for i, cell in row.filled():
            key = compact(cell.text)
            if key == "政策" and policy is None:
                policy = nfkc(row[i + 1].raw) or None
            elif key == "施策" and measure is None:
                measure = nfkc(row[i + 1].raw) or None
    return policy, measure


def parse_project(sections: Sections, ctx: SheetContext, title: tuple) -> dict:
    """The `project` row (without keys and source columns)."""
    review_year, ministry, _ = title
    info = parse_basic_info(sections.get("header"))

    def text(field: str, multiline: bool = False) -> str | None:
        if field not in info:
            return None
        raw = info[field][0]
        value = nfkc_multiline(raw) if multiline else nfkc(raw)
        return value or None

    start_raw, end_raw = text("start"), text("end")
    start_end_text = " / ".join(v for v in (start_raw, end_raw) if v) or None
    if end_raw is None and start_raw and re.search(r"[~〜～]|から", start_raw):
        start, end = parse_start_end(start_raw, review_year)
    else:
        start = parse_start_end(start_raw, review_year)[0] if start_raw else None
        end = parse_fiscal_year(end_raw, review_year) if end_raw else None
    project_number = text("project_number")
    if project_number in ("-", "―"):
        project_number = None
    policy, policy_measure = _policy_links(sections.get("policy"))
    inspection_result, improvement_direction = _inspection(sections.get("inspection"))
    no_goal = _block_text(sections.get("no_goal_reason"))
    return {
        "review_year": review_year,
        "ministry": ministry,
        "project_number": project_number,
        "project_name": text("project_name"),
        "bureau": text("bureau"),
        "division": text("division"),
        "responsible_official": text("responsible_official"),
        "start_fiscal_year": start,
        "end_fiscal_year": end,
        "start_end_text": start_end_text,
        "account_type": text("account_type"),
        "legal_basis": text("legal_basis", True),
        "related_plans": text("related_plans", True),
        "main_policy": text("main_policy"),
        "main_expense_category": text("main_expense_category"),
        "purpose": text("purpose", True),
        "overview": text("overview", True),
        "implementation_method": text("implementation_method"),
        "policy": policy,
        "policy_measure": policy_measure,
        "inspection_result": inspection_result,
        "improvement_direction": improvement_direction,
        "external_expert_opinion": _block_text(sections.get("external_opinion")),
        "review_team_opinion": _block_text(sections.get("team_opinion")),
        "reflection": _block_text(sections.get("reflection")),
        "remarks": _block_text(sections.get("remarks")),
        "no_quantitative_goal_reason": no_goal,
    }
