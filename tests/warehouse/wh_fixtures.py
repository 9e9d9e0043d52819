"""Tiny staged sheets and warehouse builders shared by the warehouse tests.

Four sheets:
- A19 (総務省 2019, 0037) and A20 (総務省 2020, 0041, lineage 2019 総務省 0037 and
  2018 0036): one project across review years; A20 restates FY2018 執行額 (2 -> 3).
- U20 (厚生労働省 2020, 0101): unlinked, started 昭和60年度 (1985); its money flows
  from the ministry to block A, on to B and partly back to A (a cycle).
- E20 (環境省 2020, 0012): its lineage names 2019 `新30 0035`, which no loaded sheet
  prints: unlinked.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq

from transforms import schema
from warehouse.build import build_warehouse

A19, A20, U20, E20 = "k19-soumu-0037", "k20-soumu-0041", "k20-kourou-0101", "k20-kankyo-0012"
ALL_KEYS = (A19, A20, U20, E20)
D = Decimal


def _project(key, review_year, ministry, number, name, start, end=None) -> dict:
    return {
        "project_key": key,
        "project_id": key,  # placeholder, as staged by the flow
        "review_year": review_year,
        "ministry": ministry,
        "project_number": number,
        "project_name": name,
        "start_fiscal_year": start,
        "end_fiscal_year": end,
        "start_end_text": f"{start}年度",
        "account_type": "一般会計",
        "source_path": f"sheets/{key}.txt",
        "source_sha256": f"sha-{key}",
        "source_format": "sheet_text",
    }


def _budget(key, year, *, initial, total, executed=None, supplementary=None, request=False) -> list[dict]:
    rows = []
    for line, amount in (
        ("initial", initial), ("supplementary", supplementary), ("total", total), ("executed", executed)
    ):
        if amount is not None:
            rows.append({
                "project_key": key, "fiscal_year": year, "is_request": request, "line": line,
                "amount_million_yen": D(str(amount)), "raw_text": str(amount), "label_ja": line,
            })
    return rows


def _rate(key, year, rate) -> dict:
    return {"project_key": key, "fiscal_year": year, "basis": "total", "rate": D(str(rate)), "raw_text": f"{rate:.0%}"}


def _outcome(key, no, year, measure, value, period="year") -> dict:
    return {
        "project_key": key, "kind": "outcome", "indicator_no": no, "name": "研修の理解度", "unit": "%",
        "fiscal_year": year, "period": period, "measure": measure,
        "value": D(str(value)), "raw_text": str(value),
    }


CORPORATE_NUMBERS = {"株式会社エー": "1010001000001", "株式会社ビー": "2010001000002", "株式会社シー": "3010001000003"}


def _recipient(key, rank, name, amount, year) -> dict:
    return {
        "project_key": key, "block": "A", "rank": rank, "name": name, "corporate_number": CORPORATE_NUMBERS[name],
        "amount_million_yen": D(str(amount)), "contract_method": "一般競争入札", "fiscal_year": year,
        "raw_text": str(amount),
    }


def sheets() -> dict[str, dict[str, list[dict]]]:
    """project_key -> table name -> rows."""
    name_a = "住民基本台帳ネットワークシステムセキュリティ対策経費"
    a19 = {
        "project": [_project(A19, 2019, "総務省", "0037", name_a, 2003)],
        "budget_line": (
            _budget(A19, 2016, initial=4, total=4, executed=2)
            + _budget(A19, 2017, initial=4, total=4, executed=2)
            + _budget(A19, 2018, initial=4, total=4, executed=2)
            + _budget(A19, 2019, initial=4, total=4)
            + _budget(A19, 2020, initial=4, total=4, request=True)
        ),
        "execution_rate": [_rate(A19, 2016, 0.5), _rate(A19, 2017, 0.5), _rate(A19, 2018, 0.5)],
        "indicator": [_outcome(A19, 1, y, "achievement", v) for y, v in ((2016, 90), (2017, 95), (2018, 98))],
        "recipient": [_recipient(A19, 1, "株式会社エー", 1.5, 2018)],
        "lineage": [
            {"project_key": A19, "past_review_year": 2017, "past_ministry": None, "past_project_number": "0039"},
            {"project_key": A19, "past_review_year": 2018, "past_ministry": None, "past_project_number": "0036"},
        ],
    }
    a20 = {
        "project": [_project(A20, 2020, "総務省", "0041", name_a, 2003)],
        "budget_line": (
            _budget(A20, 2017, initial=4, total=4, executed=2)
            + _budget(A20, 2018, initial=4, total=4, executed=3)  # restates A19's 2
            + _budget(A20, 2019, initial=4, total=4, executed=2)
            + _budget(A20, 2020, initial=4, total=4)
            + _budget(A20, 2021, initial=5, total=5, request=True)
        ),
        "execution_rate": [_rate(A20, 2017, 0.5), _rate(A20, 2018, 0.75), _rate(A20, 2019, 0.5)],
        "indicator": (
            [_outcome(A20, 1, y, "achievement", v) for y, v in ((2017, 95), (2018, 97), (2019, 99))]
            + [_outcome(A20, 1, 2022, "target", 100, period="final_target")]
        ),
        "recipient": [_recipient(A20, 1, "株式会社エー", 2.0, 2019), _recipient(A20, 2, "株式会社ビー", 0.5, 2019)],
        "assessment": [{"project_key": A20, "category": "事業の効率性", "item_no": 1,
                        "question": "競争性が確保されているか。", "rating": "○", "explanation": "一般競争入札"}],
        "lineage": [
            {"project_key": A20, "past_review_year": 2018, "past_ministry": None, "past_project_number": "0036"},
            {"project_key": A20, "past_review_year": 2019, "past_ministry": "総務省", "past_project_number": "0037"},
        ],
    }
    u20 = {
        "project": [_project(U20, 2020, "厚生労働省", "0101", "雇用保険事務費", 1985)],
        "budget_line": (
            _budget(U20, 2017, initial=100, supplementary=20, total=120, executed=118)
            + _budget(U20, 2018, initial=100, supplementary=20, total=120, executed=118)
            + _budget(U20, 2019, initial=100, supplementary=20, total=120, executed=118)
            + _budget(U20, 2020, initial=110, total=110)
        ),
        "execution_rate": [_rate(U20, y, 0.983) for y in (2017, 2018, 2019)],
        "budget_item": [{"project_key": U20, "fiscal_year": 2020, "is_request": False, "item_no": 1,
                         "item_name": "庁費", "amount_million_yen": D("110"), "raw_text": "110"}],
        "indicator": [_outcome(U20, 1, 2019, "achievement", 104)],
        "recipient": [_recipient(U20, 1, "株式会社シー", 80, 2019), _recipient(U20, 2, "株式会社エー", 3, 2019)],
        "expense": [{"project_key": U20, "block": "A", "row_no": 1, "expense_item": "人件費",
                     "purpose": "事務処理", "amount_million_yen": D("80"), "raw_text": "80"}],
        # the ministry pays block A, which passes money on to B, which pays some back to A
        "fund_flow": [
            {"project_key": U20, "flow_no": 1, "from_block": None, "from_name": "厚生労働省", "from_organization": True,
             "to_block": "A", "to_name": "民間会社"},
            {"project_key": U20, "flow_no": 2, "from_block": "A", "from_name": "民間会社", "from_organization": False,
             "to_block": "B", "to_name": "再委託先", "note": "再委託"},
            {"project_key": U20, "flow_no": 3, "from_block": "B", "from_name": "再委託先", "from_organization": False,
             "to_block": "A", "to_name": "民間会社", "note": "返還"},
        ],
        "own_expense": [{"project_key": U20, "row_no": 1, "category": "間接経費", "item": "旅費",
                         "amount_million_yen": D("0.5"), "raw_text": "500000"}],
    }
    e20 = {
        "project": [_project(E20, 2020, "環境省", "0012", "地域脱炭素推進事業", 2019)],
        # FY2020 計 13 != 当初 12 (does not add up); FY2019 執行率 printed 95% for 9 / 10
        "budget_line": _budget(E20, 2019, initial=10, total=10, executed=9) + _budget(E20, 2020, initial=12, total=13),
        "budget_line_other": [{"project_key": E20, "fiscal_year": 2019, "is_request": False,
                               "label_ja": "費用総額(執行ベース)", "amount_million_yen": D("9"), "raw_text": "9"}],
        "execution_rate": [_rate(E20, 2019, 0.95)],
        "lineage": [{"project_key": E20, "past_review_year": 2019, "past_ministry": None,
                     "past_project_number": "新30 0035"}],
    }
    return {A19: a19, A20: a20, U20: u20, E20: e20}


def stage(staging_dir: Path, sheet_rows: dict[str, dict[str, list[dict]]]) -> Path:
    """Write one Parquet file per (table, sheet) the way the flow stages them."""
    for key, tables in sheet_rows.items():
        for table_name, rows in tables.items():
            if rows:
                target = staging_dir / table_name
                target.mkdir(parents=True, exist_ok=True)
                pq.write_table(schema.to_arrow(table_name, rows), target / f"{key}.parquet")
    return staging_dir


def source_file_rows(keys, run_id: str, *, status: str = "loaded", run_ids: dict | None = None) -> list[dict]:
    return [
        {
            "path": f"sheets/{key}.txt", "sha256": f"sha-{key}", "size_bytes": 100, "format": "sheet_text",
            "encoding": "utf-8", "status": status, "project_key": key,
            "run_id": (run_ids or {}).get(key, run_id),
        }
        for key in keys
    ]


def load_run_row(run_id: str, hour: int) -> dict:
    return {
        "run_id": run_id,
        "started_at": datetime(2026, 1, 1, hour, 0, 0),
        "finished_at": datetime(2026, 1, 1, hour, 5, 0),
        "status": "completed",
        "files_seen": 4,
        "files_loaded": 4,
        "files_unchanged": 0,
        "files_quarantined": 0,
    }


def full_build(tmp_path: Path, name: str = "warehouse.duckdb", **overrides) -> Path:
    staging = stage(tmp_path / f"staging-{name}", sheets())
    db_path = tmp_path / name
    arguments = dict(
        staging_dir=staging,
        previous_path=None,
        keep_project_keys=(),
        source_files=source_file_rows(ALL_KEYS, "r1"),
        dq_issues=[{"run_id": "r1", "project_key": A19, "source_path": f"sheets/{A19}.txt",
                    "table_name": "budget_line", "check_name": "total_equals_sum", "severity": "warning",
                    "fiscal_year": 2018, "observed": "4", "expected": "4.5", "message": "計 does not add up"}],
        load_run=load_run_row("r1", 1),
    )
    arguments.update(overrides)
    build_warehouse(db_path, **arguments)
    return db_path
