"""An RS System CSV bundle through the real flow: split, parsed, checked, loaded, kept incremental."""

from __future__ import annotations

import shutil
from decimal import Decimal

import duckdb
import pytest

from tests.conftest import build_completed, flow_api
from tests.transforms.test_rs_csv import BUNDLE, SUMMARY_2024, _read_csv, _write_csv


@pytest.mark.e2e
def test_a_bundle_builds_links_years_and_reloads_only_an_edited_project(prefect_server, tmp_path):
    from flows.build import build_warehouse

    bundle = tmp_path / "rs"
    shutil.copytree(BUNDLE, bundle)
    warehouse = tmp_path / "w" / "warehouse.duckdb"
    first = build_completed(prefect_server["url"], [bundle], warehouse)
    assert first.files_seen == first.files_loaded == 52  # 49 projects of 2024, 3 of 2025

    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select count(*) from dq_issue").fetchone()[0] == 0  # the published sums hold
        formats = con.execute("select distinct source_format, format from project join source_file "
                              "on source_file.path = project.source_path").fetchall()
        # the 2025 sheets of 予算事業ID 159, 828 and 5551 are the 2024 sheets' projects
        linked = con.execute("select project_number, list(review_year order by review_year) from project "
                             "group by project_id, project_number having count(*) > 1 order by 1").fetchall()
        latest = con.execute(
            "select l.total, l.review_year from v_budget_latest l join project p on p.project_id = l.project_id "
            "where p.project_number = '159' and p.review_year = 2025 and l.fiscal_year = 2023").fetchall()
        amounts = con.execute("select amount_million_yen, raw_text from budget_line b join project p using (project_key) "
                              "where p.project_number = '4' and b.fiscal_year = 2023 and b.line = 'total'").fetchall()
    assert formats == [("rs_csv", "rs_csv")]
    assert linked == [("159", [2024, 2025]), ("5551", [2024, 2025]), ("828", [2024, 2025])]
    # FY2023 is in both sheets of 159: the 2025 one wins; 計 is after the carry-over (10,791,802,289 - 594,791,890 yen)
    assert latest == [(Decimal("10197.010399"), 2025)]
    assert amounts == [(Decimal("142363.526420"), "235746822420 - 93383296000")]

    again = build_completed(prefect_server["url"], [bundle], warehouse)
    assert (again.files_loaded, again.files_unchanged) == (0, 52)
    shutil.rmtree(warehouse.parent / "extracted")  # a cache of the bundle: split again, nothing reloaded
    cleared = build_completed(prefect_server["url"], [bundle], warehouse)
    assert (cleared.files_loaded, cleared.files_unchanged) == (0, 52)

    # Edit one project's 計 so that it no longer adds up: that project alone is reloaded, and flagged.
    header, rows = _read_csv(bundle / SUMMARY_2024)
    at_id, at_year, at_total = header.index("予算事業ID"), header.index("予算年度"), header.index("計（歳出予算現額合計）")
    row = next(r for r in rows if r[at_id] == "12" and r[header.index("会計区分")] == "")
    row[at_total] = str(int(row[at_total]) + 5_000_000)  # +5 百万円
    _write_csv(bundle / SUMMARY_2024, header, rows)
    with flow_api(prefect_server["url"]):
        edited = build_warehouse([str(bundle)], str(warehouse))
    assert (edited.files_loaded, edited.files_unchanged, edited.files_quarantined) == (1, 51, 0)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        findings = con.execute("select p.project_number, d.fiscal_year, d.check_name from dq_issue d "
                               "join project p using (project_key)").fetchall()
    assert findings == [("12", int(row[at_year]), "budget_total_identity")]


@pytest.mark.e2e
def test_an_rs_sheet_naming_its_2023_number_joins_the_text_sheets_project(prefect_server, tmp_path):
    """旧事業番号 of a 2024 RS record is the number the 2023 text sheet printed: one project_id."""
    inputs = tmp_path / "in"
    (inputs / "rs").mkdir(parents=True)
    text_sheet = BUNDLE.parent / "2023" / "総務省_2023-総務-22-0032.txt"
    shutil.copy(text_sheet, inputs)
    for name in ("1-2_RS_2024_基本情報_事業概要等.csv", SUMMARY_2024):
        header, rows = _read_csv(BUNDLE / name)
        at_id = header.index("予算事業ID")
        picked = [list(r) for r in rows if r[at_id] == "1"]  # 内閣人事局経費, here as a 総務省 project
        for row in picked:
            row[header.index("政策所管府省庁")] = row[header.index("府省庁")] = "総務省"
            if "旧事業番号" in header:
                row[header.index("旧事業番号")] = "2023-総務-22-0032"
        _write_csv(inputs / "rs" / name, header, picked)
    warehouse = tmp_path / "w" / "warehouse.duckdb"
    summary = build_completed(prefect_server["url"], [inputs], warehouse)
    assert summary.files_loaded == 2
    with duckdb.connect(str(warehouse), read_only=True) as con:
        sheets = con.execute("select review_year, source_format, project_id from project order by 1").fetchall()
        evidence = con.execute("select evidence, review_year, project_number from project_link").fetchall()
    assert [(y, f) for y, f, _ in sheets] == [(2023, "sheet_text"), (2024, "rs_csv")]
    assert sheets[0][2] == sheets[1][2]
    assert evidence == [("lineage", 2023, "2023-総務-22-0032")]
