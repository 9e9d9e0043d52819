"""The per-run HTML report: content, offline-only assets, and the `report` command."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.report import budget_chart_svg, latest_report, read_report_data, write_run_report
from tests.conftest import SEED
from transforms import schema
from warehouse.build import build_warehouse

CLI = str(Path(sys.executable).with_name("review-sheets"))
RUN = "20260101T030000Z-abc123"
REASON = "not_a_review_sheet: no 事業名 label found"


def _project(key: str, name: str) -> dict:
    return {"project_key": key, "project_id": key, "review_year": 2020, "ministry": "総務省", "project_number": key[-4:],
            "project_name": name, "start_fiscal_year": 2015, "start_end_text": "2015年度", "account_type": "一般会計",
            "source_path": f"in/{key}.txt", "source_sha256": f"sha-{key}", "source_format": "sheet_text"}


def _lines(key: str, year: int, total: str, executed: str | None) -> list[dict]:
    pairs = [("initial", total), ("total", total)] + ([("executed", executed)] if executed else [])
    return [{"project_key": key, "fiscal_year": year, "is_request": False, "line": line,
             "amount_million_yen": Decimal(v), "raw_text": v, "label_ja": line} for line, v in pairs]


def _issue(key: str, check: str, message: str, severity: str = "warning") -> dict:
    return {"run_id": RUN, "project_key": key, "source_path": f"in/{key}.txt", "table_name": "budget_line",
            "check_name": check, "severity": severity, "fiscal_year": 2019, "observed": "1", "expected": "2",
            "message": message}


@pytest.fixture(scope="module")
def small_warehouse(tmp_path_factory) -> Path:
    """Two loaded sheets, one quarantined file, five warnings under two checks."""
    root = tmp_path_factory.mktemp("report-wh")
    staged = {"project": [_project("k-0001", "事業A"), _project("k-0002", "事業B")],
              "budget_line": _lines("k-0001", 2018, "1200", "1100") + _lines("k-0001", 2019, "1300", "1250")
              + _lines("k-0002", 2019, "700", "650") + _lines("k-0002", 2020, "800", None)}
    for table, rows in staged.items():
        (root / "staging" / table).mkdir(parents=True)
        pq.write_table(schema.to_arrow(table, rows), root / "staging" / table / "part.parquet")
    files = [{"path": f"in/{k}.txt", "sha256": f"sha-{k}", "size_bytes": 10, "format": "sheet_text", "encoding": "utf-8",
              "status": "loaded", "project_key": k, "run_id": RUN} for k in ("k-0001", "k-0002")]
    files.append({"path": "in/junk.txt", "sha256": "sha-junk", "size_bytes": 3, "format": None, "encoding": None,
                  "status": "quarantined", "project_key": None, "message": REASON, "run_id": RUN})
    issues = [_issue("k-0001", "execution_not_closed", f"FY2019 執行額 provisional ({n})") for n in range(4)]
    issues.append(_issue("k-0002", "rate_mismatch", "執行率 printed 93% but 650 / 700 = 92.9%"))
    load_run = {"run_id": RUN, "started_at": datetime(2026, 1, 1, 3), "finished_at": datetime(2026, 1, 1, 3, 1),
                "status": "completed_with_quarantine", "files_seen": 3, "files_loaded": 2, "files_unchanged": 0,
                "files_quarantined": 1, "files_removed": 0,
                "report_path": str(root / "reports" / RUN / "index.html")}
    warehouse = root / "warehouse.duckdb"
    build_warehouse(warehouse, staging_dir=root / "staging", previous_path=None, keep_project_keys=(),
                    source_files=files, dq_issues=issues, load_run=load_run)
    return warehouse


def assert_offline(page: str) -> None:
    """No external asset or link of any kind: the page must work without a network."""
    assert "http://" not in page and "https://" not in page
    assert "<script" not in page and "<link" not in page and " src=" not in page
    assert "url(" not in page and "@import" not in page


def test_report_has_summary_quarantine_warnings_and_chart(small_warehouse, tmp_path):
    out_dir = tmp_path / "reports" / RUN
    out_dir.mkdir(parents=True)
    (out_dir / f"dq_report_{RUN}.html").write_text("<html></html>", encoding="utf-8")
    path = write_run_report(small_warehouse, RUN, out_dir)
    assert path == out_dir / "index.html"
    page = path.read_text(encoding="utf-8")
    assert_offline(page)
    summary = re.search(r"<h2>Summary</h2><table>.*?</table>", page).group(0)
    cells = re.findall(r"<td class='num'>([^<]*)</td>", summary)
    assert cells == ["3", "2", "0", "1", "0", "0", "5"]  # seen, loaded, unchanged, quarantined, removed, errors, warnings
    assert "completed_with_quarantine" in page
    assert "in/junk.txt" in page and "not_a_review_sheet: no 事業名 label found" in page
    assert "execution_not_closed" in page and "rate_mismatch" in page
    assert page.count("FY2019 執行額 provisional") == 3  # a few examples, not all four
    assert "<td>project</td><td class='num'>2</td>" in page
    assert f"href='dq_report_{RUN}.html'" in page
    assert page.count("<svg") == 1 and page.count("<rect") >= 5 + 2  # 5 bars (FY2020 has no 執行額) + legend
    for fy, total, executed in (("2018", "1,200", "1,100"), ("2019", "2,000", "1,900"), ("2020", "800", "–")):
        assert f"<td>{fy}</td><td class='num'>{total}</td><td class='num'>{executed}</td>" in page


def test_budget_sums_without_the_views(small_warehouse, tmp_path):
    copy = tmp_path / "w.duckdb"
    shutil.copy(small_warehouse, copy)
    with_views = read_report_data(copy, RUN).budget
    with duckdb.connect(str(copy)) as con:
        con.execute("drop view v_budget_latest")
    assert read_report_data(copy, RUN).budget == with_views
    assert with_views[-1][0] == 2020 and with_views[-1][2] is None and with_views[-1][3] is None


def test_report_for_unknown_run_raises(small_warehouse, tmp_path):
    with pytest.raises(LookupError):
        write_run_report(small_warehouse, "no-such-run", tmp_path)
    assert not (tmp_path / "index.html").exists()


def test_chart_handles_no_data_and_negative_amounts():
    empty = budget_chart_svg([])
    assert empty.startswith("<svg") and "no data" in empty
    mixed = budget_chart_svg([(2019, Decimal("-5"), Decimal("3")), (2020, Decimal("10"), None)])
    assert mixed.count("<rect") == 3 + 2 and "FY2019 計: -5 百万円" in mixed


def test_report_command_prints_and_writes_missing_report(small_warehouse, tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(small_warehouse, warehouse)
    runner = CliRunner()
    result = runner.invoke(app, ["report", "--warehouse", str(warehouse)])
    assert result.exit_code == 0, result.output
    printed = Path(result.output.strip())
    assert printed == latest_report(warehouse)[1] and printed.is_file()  # written on demand
    again = runner.invoke(app, ["report", "--warehouse", str(warehouse), "--run", RUN])
    assert again.exit_code == 0 and Path(again.output.strip()) == printed
    missing = runner.invoke(app, ["report", "--warehouse", str(warehouse), "--run", "nope"])
    assert missing.exit_code == 2 and "no run 'nope'" in missing.output


@pytest.mark.server
@pytest.mark.e2e
def test_build_writes_the_run_report(cli_env, tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(SEED, inputs / SEED.name)
    warehouse = tmp_path / "out" / "warehouse.duckdb"
    result = subprocess.run([CLI, "build", "--input", str(inputs), "--warehouse", str(warehouse)],
                            env=cli_env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    printed = re.search(r"run report: (\S+)", result.stdout).group(1)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        run_id, stored = con.execute("select run_id, report_path from load_run").fetchone()
    assert printed == stored and Path(stored) == warehouse.parent / "reports" / run_id / "index.html"
    page = Path(stored).read_text(encoding="utf-8")
    assert_offline(page)
    assert "<svg" in page and run_id in page
    assert "<td>2020</td><td class='num'>4</td><td class='num'>2</td>" in page  # FY2020 計 4, 執行額 2 (百万円)
    assert "href='dq_report_" in page  # the data-quality report of the same run
    listed = subprocess.run([CLI, "report", "--warehouse", str(warehouse)], env=cli_env, capture_output=True, text=True,
                            timeout=60)
    assert listed.returncode == 0 and listed.stdout.strip() == stored
    assert not os.path.exists(str(stored) + ".tmp")
