"""Outcome, activity, unit-cost and policy indicator blocks -> `indicator` rows.

Each block has a header row (name/goal columns, 単位, year columns, 中間目標,
目標最終年度 or ○年度活動見込) and groups of measure rows (成果実績 / 目標値 /
達成度, 活動実績 / 当初見込み, 単位当たりコスト / 計算式).  Values are aligned by
the measure label: the cell after the label is the unit, the cells after it line
up with the header's columns after 単位.  A new indicator starts when a measure
repeats or a new header row appears; name lines spread over a group's rows are
joined with a newline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from transforms.labels import compact, lookup
from transforms.normalize import EraReader, nfkc, nfkc_multiline, parse_fiscal_year, parse_printed_value
from transforms.read import Row
from transforms.sections.context import SheetContext

_TARGET_YEAR = re.compile(r"^(-|―|ー|\d{1,2}|元)?\s*年度$")
_COMBINED = re.compile(r"^(?P<actual>.*?)\s*[(（](?P<planned>[^()（）]*)[)）]\s*$")
NAME_HEADERS = ("成果指標", "活動指標", "定量的指標", "KPI(第一階層)", "KPI(第二階層)", "測定指標", "指標")
GOAL_HEADERS = ("定量的な成果目標", "成果目標", "算出根拠")


@dataclass
class ValueColumn:
    position: int
    period: str
    fiscal_year: int | None


@dataclass
class Layout:
    unit: int | None
    name: int | None
    goal: int | None
    columns: list[ValueColumn]


@dataclass
class Indicator:
    name_lines: list[str] = field(default_factory=list)
    goal_lines: list[str] = field(default_factory=list)
    measures: set[str] = field(default_factory=set)
    rows: list[dict] = field(default_factory=list)


def _is_header(row: Row) -> bool:
    keys = [compact(c.text) for _, c in row.filled()]
    has_years = any(("年度" in k or "見込" in k or "目標" in k) and len(k) < 20 for k in keys)
    return "単位" in keys and has_years


def _period_of(text: str) -> str:
    key = compact(text)
    if "見込" in key:
        return "outlook"
    if key.startswith("中間目標"):
        return "interim_target"
    if key.startswith("目標最終年度") or key.startswith("目標年度") or key.startswith("最終目標"):
        return "final_target"
    return "year"


def parse_layout(header: Row, review_year: int | None) -> Layout:
    unit = name = goal = None
    columns: list[ValueColumn] = []
    reader = EraReader(review_year)
    for i, cell in header.filled():
        key = compact(cell.text)
        if key == "単位":
            unit = i
        elif unit is None and any(key.startswith(h) for h in NAME_HEADERS):
            name = i
        elif unit is None and any(key.startswith(h) for h in GOAL_HEADERS):
            goal = i
        elif unit is not None:
            period = _period_of(key)
            if period == "year":
                year = reader.read(key)
                if year is None:
                    continue  # 計画開始時 and other columns without a contract period
            elif period == "outlook":
                year = reader.read(key)
            else:
                year = parse_fiscal_year(key, review_year) if re.search(r"\d|元", key) else None
            columns.append(ValueColumn(i, period, year))
    return Layout(unit, name, goal, columns)


def _measure(row: Row) -> tuple[int, str] | None:
    for i, cell in row.filled():
        if len(cell.text) <= 16:
            found = lookup("indicator", cell.text)
            if found:
                return i, found
    return None


def _apply_target_years(row: Row, layout: Layout, review_year: int | None) -> bool:
    """A row of `- 年度` / `2 年度` cells under 中間目標 / 目標最終年度 sets their years."""
    filled = row.filled()
    if not filled or not all(_TARGET_YEAR.match(c.text) for _, c in filled):
        return False
    targets = [c for c in layout.columns if c.period in ("interim_target", "final_target")]
    cells = [c for _, c in filled]
    for column, cell in zip(targets[-len(cells):], cells):
        column.fiscal_year = parse_fiscal_year(cell.text, review_year)
    return True


def parse_indicator_block(rows: list[Row], kind: str, ctx: SheetContext) -> list[list[dict]]:
    """Indicators of one block, each as its list of rows (without indicator_no/name)."""
    layout = parse_layout(rows[0], ctx.review_year)
    indicators: list[Indicator] = []
    current: Indicator | None = None
    for row in rows[1:]:
        if _is_header(row):
            layout, current = parse_layout(row, ctx.review_year), None
            continue
        if _apply_target_years(row, layout, ctx.review_year):
            continue
        found = _measure(row)
        if found is None:
            if current is not None and layout.name is not None:
                _add_line(current.name_lines, row[layout.name].raw)
            continue
        label_index, measure = found
        if current is None or measure in current.measures or (measure == "actual_planned" and current.measures):
            current = Indicator()
            indicators.append(current)
        current.measures.add(measure)
        offset = (label_index + 1 - layout.unit) if layout.unit is not None else 0
        if layout.name is not None and layout.name + offset < label_index:
            _add_line(current.name_lines, row[layout.name + offset].raw)
        if layout.goal is not None and layout.goal + offset < label_index:
            _add_line(current.goal_lines, row[layout.goal + offset].raw)
        unit = nfkc(row[layout.unit + offset].raw) if layout.unit is not None else None
        for column in layout.columns:
            cell = row[column.position + offset]
            if cell.text:
                current.rows.extend(_values(measure, column, cell.raw, unit))
    result = []
    for indicator in indicators:
        name = "\n".join(indicator.name_lines) or None
        goal = "\n".join(indicator.goal_lines) or None
        has_number = any(r["value"] is not None for r in indicator.rows)
        if kind == "policy" and not has_number:
            continue  # an empty policy template (all '-') is no indicator
        for r in indicator.rows:
            r.update(kind=kind, name=name, goal=goal)
        result.append(indicator.rows)
    return result


def _add_line(lines: list[str], raw: str) -> None:
    text = nfkc_multiline(raw)
    if text and text not in lines:
        lines.append(text)


def _values(measure: str, column: ValueColumn, raw: str, unit: str | None) -> list[dict]:
    base = {"fiscal_year": column.fiscal_year, "period": column.period, "unit": unit or None}
    if measure == "actual_planned":
        match = _COMBINED.match(nfkc(raw))
        if match:
            actual, planned = match.group("actual"), match.group("planned")
            return [
                dict(base, measure="actual", value=parse_printed_value(actual), raw_text=actual.strip()),
                dict(base, measure="planned", value=parse_printed_value(planned), raw_text=planned.strip()),
            ]
        measure = "actual"
    value = None if measure == "formula" else parse_printed_value(raw)
    return [dict(base, measure=measure, value=value, raw_text=raw)]


def parse_indicators(sections, ctx: SheetContext) -> list[dict]:
    """All indicator rows of a sheet with kind and 1-based indicator_no."""
    out: list[dict] = []
    for section, kind in (("outcome", "outcome"), ("activity", "activity"), ("unit_cost", "unit_cost"), ("policy", "policy")):
        rows = sections.get(section)
        if not rows:
            continue
        if kind == "policy":
            blocks = _policy_blocks(rows)
        else:
            blocks = [rows]
        number = 0
        for block in blocks:
            for indicator_rows in parse_indicator_block(block, kind, ctx):
                number += 1
                for r in indicator_rows:
                    r["indicator_no"] = number
                out.extend(indicator_rows)
    return out


def _policy_blocks(rows: list[Row]) -> list[list[Row]]:
    """The policy section holds several tables (測定指標, KPI tiers), each with its header."""
    blocks: list[list[Row]] = []
    for row in rows:
        if _is_header(row):
            blocks.append([row])
        elif blocks:
            blocks[-1].append(row)
    return blocks
