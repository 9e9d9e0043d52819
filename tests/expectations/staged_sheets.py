"""Staged datasets for the expectation tests, modelled on the seed sheet (令和2年度, 総務省).

`seed_sheet(key)` returns the rows of one clean sheet per contract table;
`write_staging(dir, sheets)` writes them as `<dir>/<table>/<part>.parquet` with
`schema.to_arrow`, like the parser step does.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq

from transforms import schema

SEED_YEARS = (2017, 2018, 2019, 2020)
D = Decimal


def _budget_rows(key: str) -> list[dict]:
    rows = []
    for year in SEED_YEARS:
        for line, text in (("initial", "4"), ("supplementary", "0"), ("carried_in", "0"),
                           ("carried_out", "0"), ("reserve", "0"), ("total", "4"), ("executed", "2")):
            rows.append({"project_key": key, "fiscal_year": year, "is_request": False, "line": line,
                         "amount_million_yen": D(text), "raw_text": text, "label_ja": line})
    for line, text in (("initial", "4"), ("total", "4")):
        rows.append({"project_key": key, "fiscal_year": 2021, "is_request": True, "line": line,
                     "amount_million_yen": D(text), "raw_text": text, "label_ja": line})
    return rows


def _rate_rows(key: str) -> list[dict]:
    return [{"project_key": key, "fiscal_year": year, "basis": basis, "rate": D("0.5"), "raw_text": "50%"}
            for year in SEED_YEARS for basis in ("total", "initial_plus_supplementary")]


def _item_rows(key: str) -> list[dict]:
    items = (("情報処理業務庁費", "1"), ("職員旅費", "1"), ("諸謝金", "0.7"), ("委員等旅費", "0.3"))
    rows = []
    for year, is_request in ((2020, False), (2021, True)):
        for no, (name, text) in enumerate(items, 1):
            rows.append({"project_key": key, "fiscal_year": year, "is_request": is_request, "item_no": no,
                         "item_name": name, "amount_million_yen": D(text), "raw_text": text})
    return rows


def _indicator(key, kind, measure, year, text, unit="点数", period="year", value=True) -> dict:
    number = D(text.replace(",", "")) if value and text not in ("-",) else None
    return {"project_key": key, "kind": kind, "indicator_no": 1, "name": f"{kind} indicator",
            "unit": unit, "fiscal_year": year, "period": period, "measure": measure,
            "value": number, "raw_text": text}


def _indicator_rows(key: str) -> list[dict]:
    rows = []
    outcome = {"actual": ("3", "2.9", "2.9"), "target": ("3", "3", "3"), "achievement": ("99.3", "97", "97")}
    for measure, texts in outcome.items():
        unit = "%" if measure == "achievement" else "点数"
        rows += [_indicator(key, "outcome", measure, y, t, unit) for y, t in zip(SEED_YEARS, texts)]
    rows.append(_indicator(key, "outcome", "target", None, "3", period="final_target"))
    rows += [_indicator(key, "activity", m, y, "47", "県") for m in ("actual", "planned") for y in SEED_YEARS[:3]]
    rows.append(_indicator(key, "activity", "planned", 2020, "47", "県", period="outlook"))
    costs = (("37.7", "1,770/47"), ("37.4", "1,756/47"), ("46", "2,163/47"))
    for year, (cost, formula) in zip(SEED_YEARS, costs):
        rows.append(_indicator(key, "unit_cost", "actual", year, cost, "千円"))
        rows.append(_indicator(key, "unit_cost", "formula", year, formula, "千円/都道府県数", value=False))
    return rows


def _expense_rows(key: str) -> list[dict]:
    rows = (("A", "旅費", "研修会等参加旅費", "1.2"), ("B", "情報処理業務 庁費", "印刷の請負", "0.8"),
            ("B", "情報処理業務 庁費", "版下作成の請負", "0.2"))
    numbers: dict[str, int] = {}
    out = []
    for block, item, purpose, text in rows:
        numbers[block] = numbers.get(block, 0) + 1
        out.append({"project_key": key, "block": block, "row_no": numbers[block], "expense_item": item,
                    "purpose": purpose, "amount_million_yen": D(text), "raw_text": text})
    return out


def _printed_total_rows(key: str) -> list[dict]:
    rows = [{"project_key": key, "table_name": "budget_item", "block": None, "fiscal_year": year,
             "is_request": is_request, "amount_million_yen": D(4), "raw_text": "4"}
            for year, is_request in ((2020, False), (2021, True))]
    rows += [{"project_key": key, "table_name": "expense", "block": block, "amount_million_yen": D(text),
              "raw_text": text} for block, text in (("A", "1.2"), ("B", "1"))]
    return rows


def seed_sheet(key: str, *, review_year: int = 2020, project_id: str | None = None, **project) -> dict:
    """The rows of one clean sheet modelled on the seed, per contract table."""
    project_row = {
        "project_key": key, "project_id": project_id or key, "review_year": review_year, "ministry": "総務省",
        "project_name": "住民基本台帳ネットワークシステムセキュリティ対策経費",
        "source_path": f"sheets/{key}.txt", "source_sha256": "0" * 64, "source_format": "sheet_text",
    }
    project_row.update(project)
    return {
        "project": [project_row],
        "budget_line": _budget_rows(key),
        "execution_rate": _rate_rows(key),
        "budget_item": _item_rows(key),
        "indicator": _indicator_rows(key),
        "assessment": [{"project_key": key, "category": "国費投入の必要性", "item_no": 1,
                        "question": "事業の目的は国民や社会のニーズを的確に反映しているか。", "rating": "○"}],
        "lineage": [{"project_key": key, "past_review_year": 2019, "past_ministry": "総務省",
                     "past_project_number": "0037"}],
        "expense": _expense_rows(key),
        "printed_total": _printed_total_rows(key),
        "recipient": [{"project_key": key, "block": "A", "rank": 1, "name": "職員旅費(職員A)",
                       "amount_million_yen": D("1.2"), "raw_text": "1.2", "fiscal_year": review_year - 1}],
    }


def set_value(rows: list[dict], match: dict, **changes) -> None:
    """Change the rows matching all of `match` (mutations of a clean sheet)."""
    hits = [r for r in rows if all(r.get(k) == v for k, v in match.items())]
    assert hits, f"no row matches {match}"
    for row in hits:
        row.update(changes)


def write_staging(staging_dir: Path, sheets: list[dict], part: str = "part-0") -> Path:
    """Write the sheets' rows as `<staging_dir>/<table>/<part>.parquet`."""
    for table in schema.SHEET_TABLES:
        rows = [row for sheet in sheets for row in sheet.get(table.name, [])]
        if rows:
            (staging_dir / table.name).mkdir(parents=True, exist_ok=True)
            pq.write_table(schema.to_arrow(table, rows), staging_dir / table.name / f"{part}.parquet")
    return staging_dir

