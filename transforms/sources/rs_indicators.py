"""The RS System's 3-1 file (効果発現経路_目標・実績) as `indicator` rows (see `indicators`;
the other files of a project record are read by `transforms.sources.rs_csv`)."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from transforms.model import Issue
from transforms.normalize import NOT_A_NUMBER, indicator_value, nfkc, parse_number
from transforms.sources.rs_bundle import cell_text

# 種別（アクティビティ・アウトプット・アウトカム） -> kind.  An アクティビティ states what the project
# does and carries no figures: it is no indicator.
_INDICATOR_KINDS = (("アウトカム", "outcome"), ("アウトプット", "activity"))
_NOT_AN_INDICATOR = ("アクティビティ",)
# 目標年度／目標値／実績値／達成率 (printed `1.目標年度`, `2.目標値`, ...) -> measure; 目標年度 marks years
_INDICATOR_MEASURES = {"目標値": "target", "実績値": "actual", "達成率": "achievement"}
_TARGET_YEAR = "目標年度"
_ROW_LABEL = re.compile(r"^\s*\d+\s*[.．、]\s*")


def _row_measure(text: str | None) -> str | None:
    """The measure word of a 3-1 row label, without its number.

    >>> [_row_measure(t) for t in ("1.目標年度", "2.目標値", " 3．実績値", "達成率", "", None)]
    ['目標年度', '目標値', '実績値', '達成率', None, None]
    """
    text = cell_text(text)
    return _ROW_LABEL.sub("", nfkc(text)).replace(" ", "") or None if text else None


def _year_columns(row: dict) -> list[tuple[int, str]]:
    """(year, header key) of a 3-1 row's year columns (`2007` … `2060`), in year order."""
    return sorted((int(k), k) for k in row if len(k) == 4 and k.isdigit())


def _marks_year(text: str | None) -> bool:
    """Whether a 目標年度 row's cell marks its year (published `1`; blank, 0 and `-` do not).

    >>> [_marks_year(t) for t in ("1", "1.0", "○", "0", "-", "", None)]
    [True, True, True, False, False, False, False]
    """
    text = cell_text(text)
    if text is None or nfkc(text) in NOT_A_NUMBER:
        return False
    number = parse_number(text)
    return number is None or number != 0


@dataclass
class _Goal:
    """One indicator of 3-1 while its rows are read: its measure rows (label -> cells)
    and the years its 目標年度 row marks."""

    kind: str
    name: str | None
    goal: str | None
    unit: str | None
    measures: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    target_years: list[int] = field(default_factory=list)


def indicators(rows: list[dict], path: str, issues: list[Issue]) -> list[dict]:
    """3-1 rows -> `indicator` rows.

    The file prints an indicator as four rows sharing its number, 種別, アウトカムの期間,
    目標 and 指標 texts: `1.目標年度` (a 1 under the target year), `2.目標値`, `3.実績値` and
    `4.達成率` (a printed percent), values in one column per fiscal year (2007-2060).  An
    アウトカム is an ``outcome`` (name 成果指標, goal 成果目標), an アウトプット an ``activity``
    (name 活動指標; its 活動目標 tells indicators apart but is not loaded: the contract's
    goal is the outcome's 成果目標); アクティビティ rows carry no figures.  indicator_no counts
    the indicators of a kind in file order.  A year column gives period ``year``; the year
    the 目標年度 row marks is the target column: ``final_target`` (the last marked year) or
    ``interim_target`` (an earlier one), for every measure printed in it, as a printed
    sheet's 目標最終年度 / 中間目標 column.  A blank cell gives no row; a cell that is not a
    number gives a row with value NULL and the cell in raw_text.  A measure row printed
    again with other cells starts the next indicator; printed again alike, it is read once.
    """
    found: dict[tuple, _Goal] = {}
    order: list[_Goal] = []
    for row in rows:
        kind_text = nfkc(cell_text(row.get("種別（アクティビティ・アウトプット・アウトカム）")) or "")
        label = _row_measure(row.get("目標年度／目標値／実績値／達成率"))
        years = _year_columns(row)
        cells = [(year, text) for year, column in years if (text := cell_text(row.get(column))) is not None]
        kind = next((k for word, k in _INDICATOR_KINDS if word in kind_text), None)
        if kind is None:
            if cells and not any(word in kind_text for word in _NOT_AN_INDICATOR):
                issues.append(_unknown_3_1(path, "種別（アクティビティ・アウトプット・アウトカム）", kind_text))
            continue
        if label is None:
            continue  # an indicator named without value rows
        if label != _TARGET_YEAR and label not in _INDICATOR_MEASURES:
            if cells:
                issues.append(_unknown_3_1(path, "目標年度／目標値／実績値／達成率", label))
            continue
        name, goal = cell_text(row.get("活動指標／成果指標")), cell_text(row.get("アクティビティ／活動目標／成果目標"))
        unit = cell_text(row.get("単位"))
        key = (kind, cell_text(row.get("アクティビティ・アウトプット・アウトカムの番号")), cell_text(row.get("アウトカムの期間")),
               goal, name, unit)
        current = found.get(key)
        if current is not None and label in current.measures and current.measures[label] != cells:
            current = None  # the measure again, with other figures: the next indicator
        if current is None:
            current = found[key] = _Goal(kind, name, goal, unit)
            order.append(current)
        current.measures.setdefault(label, cells)
    out: list[dict] = []
    numbers: dict[str, int] = defaultdict(int)
    for indicator in order:
        marked = sorted(year for year, text in indicator.measures.get(_TARGET_YEAR, []) if _marks_year(text))
        values = [(label, cells) for label, cells in indicator.measures.items() if label != _TARGET_YEAR]
        if not any(cells for _, cells in values):
            continue  # no figure printed (a qualitative outcome): no row to hold it
        numbers[indicator.kind] += 1
        for label, cells in values:
            for year, text in cells:
                period = "year"
                if year in marked:
                    period = "final_target" if year == marked[-1] else "interim_target"
                goal = indicator.goal if indicator.kind == "outcome" else None
                out.append({"kind": indicator.kind, "indicator_no": numbers[indicator.kind], "name": indicator.name,
                            "goal": goal, "unit": indicator.unit, "fiscal_year": year, "period": period,
                            "measure": _INDICATOR_MEASURES[label], "value": indicator_value(text, indicator.unit),
                            "raw_text": text})
    return out


def _unknown_3_1(path: str, column: str, text: str) -> Issue:
    return Issue("unknown_label", "warning",
                 f"{path}: unknown {column} '{text}' in 3-1 効果発現経路_目標・実績; its values were not loaded",
                 "indicator", observed=text)
