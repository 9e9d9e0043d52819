"""validate_staged / validate_warehouse with Great Expectations on DuckDB.

One staging (built once per module) holds a clean sheet modelled on the seed, one
sheet per mutation, sheets that must be quarantined, and 205 small sheets that
push one rule past GE's 200-row result limit.
"""

from __future__ import annotations

import contextlib
import io
import logging
import re
from decimal import Decimal as D

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from expectations.runner import validate_staged, validate_warehouse
from tests.expectations.staged_sheets import seed_sheet, set_value, write_staging
from transforms import schema

pytestmark = pytest.mark.gx

BULK = 205

# key, table, rows to change, changes, check expected to fire
MUTATIONS = [
    ("mut_total", "budget_line", {"fiscal_year": 2018, "line": "total"},
     {"amount_million_yen": D(9), "raw_text": "9"}, "budget_total_identity"),
    ("mut_rate", "execution_rate", {"fiscal_year": 2017, "basis": "total"},
     {"rate": D("0.8"), "raw_text": "80%"}, "execution_rate_consistency"),
    ("mut_item", "budget_item", {"fiscal_year": 2020, "item_name": "職員旅費"},
     {"amount_million_yen": D(30), "raw_text": "30"}, "budget_items_sum"),
    ("mut_carry", "budget_line", {"fiscal_year": 2018, "line": "carried_out"},
     {"amount_million_yen": D(-3), "raw_text": "▲3"}, "carryover_continuity"),
    ("mut_achieve", "indicator", {"fiscal_year": 2018, "kind": "outcome", "measure": "achievement"},
     {"value": D(50), "raw_text": "50"}, "achievement_consistency"),
    ("mut_cost", "indicator", {"fiscal_year": 2017, "kind": "unit_cost", "measure": "actual"},
     {"value": D(60), "raw_text": "60"}, "unit_cost_formula"),
    ("mut_expense", "printed_total", {"table_name": "expense", "block": "B"},
     {"amount_million_yen": D(5), "raw_text": "5"}, "printed_total_sum"),
    ("mut_item_total", "printed_total", {"table_name": "budget_item", "is_request": True},
     {"amount_million_yen": D(9), "raw_text": "9"}, "printed_total_sum"),
    ("mut_recipient", "recipient", {"rank": 1},
     {"amount_million_yen": D(1000), "raw_text": "1,000"}, "recipient_amount_plausible"),
]
QUARANTINE = {  # key -> check that must keep it out
    "bad_name": "not_blank", "bad_ministry": "not_null.ministry", "bad_dupkey": "key_unique",
    "bad_domain": "in_domain.line", "bad_year": "year_range.fiscal_year", "bad_budget": "has_budget_rows",
    "bad_orphan": "project_fk", "bad_types": "column_types",
}


def _quarantine_sheets() -> list[dict]:
    ministry = seed_sheet("bad_ministry")
    del ministry["project"]  # written by _write_null_ministry
    sheets = [seed_sheet("bad_name", project_name=""), ministry]
    dup = seed_sheet("bad_dupkey")
    dup["budget_line"].append(dict(dup["budget_line"][0], amount_million_yen=D(5), raw_text="5"))
    domain = seed_sheet("bad_domain")
    set_value(domain["budget_line"], {"fiscal_year": 2019, "line": "reserve"}, line="subtotal")
    set_value(domain["indicator"], {}, period="annual")  # more rows than GE lists (20)
    year = seed_sheet("bad_year")
    set_value(year["budget_line"], {"fiscal_year": 2017}, fiscal_year=2107)
    no_budget = seed_sheet("bad_budget")
    no_budget["budget_line"], no_budget["execution_rate"] = [], []
    orphan = {"assessment": seed_sheet("bad_orphan")["assessment"]}  # facts without a project row
    types_only_project = {"project": seed_sheet("bad_types")["project"]}
    return sheets + [dup, domain, year, no_budget, orphan, types_only_project]


def _bulk_sheets() -> list[dict]:
    return [{"project": seed_sheet(f"bulk{i:03d}")["project"],
             "budget_line": [{"project_key": f"bulk{i:03d}", "fiscal_year": 2021, "is_request": False,
                              "line": "executed", "amount_million_yen": D(1), "raw_text": "1"}]}
            for i in range(BULK)]


def _write_null_ministry(staging):
    """A project row without 府省庁; `to_arrow` refuses NULL in a NOT NULL field, so the
    file is written with the contract's types but every field nullable."""
    rows = [seed_sheet("bad_ministry", ministry=None)["project"][0]]
    nullable = pa.schema([f.with_nullable(True) for f in schema.arrow_schema("project")])
    table = pa.Table.from_pylist(rows, schema=nullable)
    pq.write_table(table, staging / "project" / "part-nulls.parquet")


def _write_badly_typed(staging):
    rows = seed_sheet("bad_types")["budget_line"]
    table = schema.to_arrow("budget_line", rows)
    table = table.set_column(4, "amount_million_yen", table["amount_million_yen"].cast(pa.float64()))
    pq.write_table(table, staging / "budget_line" / "part-bad.parquet")


@pytest.fixture(scope="module")
def staged(tmp_path_factory):
    staging = tmp_path_factory.mktemp("staging")
    mutated = []
    for key, table, match, changes, _ in MUTATIONS:
        sheet = seed_sheet(key)
        set_value(sheet[table], match, **changes)
        mutated.append(sheet)
    # 補正予算 printed '-' (nothing): 計 must still be 当初 + the other lines
    dash = seed_sheet("mut_total_dash")
    set_value(dash["budget_line"], {"fiscal_year": 2017, "line": "supplementary"}, amount_million_yen=None, raw_text="-")
    set_value(dash["budget_line"], {"fiscal_year": 2017, "line": "initial"}, amount_million_yen=D(9), raw_text="9")
    mutated.append(dash)
    write_staging(staging, [seed_sheet("clean")] + mutated + _quarantine_sheets())
    write_staging(staging, _bulk_sheets(), part="part-1")
    _write_badly_typed(staging)
    _write_null_ministry(staging)
    (staging / "budget_line_other").mkdir()  # an empty table directory
    return staging


@pytest.fixture(scope="module")
def validation(staged, tmp_path_factory):
    """One validation of the whole staging, with stdout/stderr and log records captured.
    (GE is imported first: under pytest its import prints a DeprecationWarning of its own,
    which a normal run's filters hide; the validation itself must be quiet.)"""
    import expectations.suites  # noqa: F401

    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = records.append
    root = logging.getLogger()
    root.addHandler(handler)
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            result = validate_staged(staged, "run-test", report_dir=tmp_path_factory.mktemp("reports"))
    finally:
        root.removeHandler(handler)
    return result, out.getvalue() + err.getvalue(), records


def _issues(validation, key: str) -> list[dict]:
    return [i for i in validation[0].issues if i["project_key"] == key]


def test_clean_sheet_has_no_warning(validation):
    # the seed prints the review year's own 執行額 (FY2020 in 令和2年度): no finding
    assert _issues(validation, "clean") == []
    assert "clean" not in validation[0].quarantined


def test_executed_for_a_year_after_the_review_is_flagged(validation):
    issues = [i for i in _issues(validation, "bulk000") if i["check_name"] == "execution_not_closed"]
    assert [(i["fiscal_year"], i["observed"], i["severity"]) for i in issues] == [(2021, "1", "warning")]


@pytest.mark.parametrize("key, check", [(m[0], m[4]) for m in MUTATIONS])
def test_each_mutation_raises_an_issue_for_its_sheet(validation, key, check):
    issues = _issues(validation, key)
    assert check in {i["check_name"] for i in issues}, issues
    assert key not in validation[0].quarantined  # warnings load


def test_the_total_is_checked_when_the_supplementary_row_prints_a_dash(validation):
    found = [(i["fiscal_year"], i["observed"]) for i in _issues(validation, "mut_total_dash")
             if i["check_name"] == "budget_total_identity"]
    assert found == [(2017, "4")]


def test_printed_total_findings_name_the_items_table(validation):
    found = {(i["project_key"], i["table_name"], i["fiscal_year"]) for i in validation[0].issues
             if i["check_name"] == "printed_total_sum"}
    assert found == {("mut_expense", "expense", None), ("mut_item_total", "budget_item", 2021),
                     ("mut_item", "budget_item", 2020)}  # 職員旅費 30: the items no longer make 計 4


def test_mutation_messages_say_what_differs(validation):
    (total,) = [i for i in _issues(validation, "mut_total") if i["check_name"] == "budget_total_identity"]
    assert (total["fiscal_year"], total["observed"], total["expected"]) == (2018, "9", "4 ± 3")
    assert "計" in total["message"] and "9" in total["message"]
    (rate,) = [i for i in _issues(validation, "mut_rate") if i["check_name"] == "execution_rate_consistency"]
    assert (rate["fiscal_year"], rate["observed"]) == (2017, "80%")


@pytest.mark.parametrize("key, check", sorted(QUARANTINE.items()))
def test_error_sheets_are_quarantined(validation, key, check):
    result = validation[0]
    assert key in result.quarantined, key
    assert check in {i["check_name"] for i in _issues(validation, key) if i["severity"] == "error"}
    assert "\n" not in result.quarantined[key]


def test_only_error_sheets_are_quarantined(validation):
    assert set(validation[0].quarantined) == set(QUARANTINE)
    assert validation[0].success is False


def test_truncated_ge_results_are_fetched_in_full(validation):
    not_closed = {i["project_key"] for i in validation[0].issues if i["check_name"] == "execution_not_closed"}
    assert {f"bulk{i:03d}" for i in range(BULK)} <= not_closed  # more than GE's 200 rows


def test_truncated_column_results_are_fetched_in_full(validation):
    periods = [i for i in _issues(validation, "bad_domain") if i["check_name"] == "in_domain.period"]
    assert len(periods) == len(seed_sheet("x")["indicator"]) > 20
    assert {i["observed"] for i in periods} == {"annual"}


def test_issues_are_dq_issue_rows(validation):
    issues = validation[0].issues
    schema.to_arrow("dq_issue", issues)  # types and columns fit the contract table
    assert all(list(i) == schema.DQ_ISSUE.column_names and i["run_id"] == "run-test" for i in issues)
    assert {i["source_path"] for i in _issues(validation, "mut_total")} == {"sheets/mut_total.txt"}


def test_ge_is_quiet(validation):
    _, output, records = validation
    assert output == ""
    assert [r.getMessage() for r in records] == []


def test_report_is_written_and_offline(validation):
    path = validation[0].report_path
    html = path.read_text(encoding="utf-8")
    assert "mut_total" in html and "budget_total_identity" in html
    assert not re.search(r"(src|href)\s*=|https?://|@import|<script", html, re.I)


def test_timing_is_reported(validation):
    assert validation[0].seconds > 0  # reported (speed is measured in benchmarks/, not here)


def test_empty_staging_passes(tmp_path):
    result = validate_staged(tmp_path / "nothing-staged", "run-empty")
    assert result.success and result.issues == [] and result.quarantined == {}
    assert result.report_path is None


def _warehouse(path, sheets):
    con = duckdb.connect(str(path))
    for name in ("project", "budget_line"):
        arrow_rows = schema.to_arrow(name, [r for s in sheets for r in s[name]])  # noqa: F841 (read by DuckDB)
        con.execute(f"create table {name} as select * from arrow_rows")
    con.close()


def test_validate_warehouse_flags_restatements_only(tmp_path):
    earlier = seed_sheet("r2019", review_year=2019, project_id="P1")
    later = seed_sheet("r2020", review_year=2020, project_id="P1")
    set_value(later["budget_line"], {"fiscal_year": 2018, "line": "initial"},
              amount_million_yen=D("5.2"), raw_text="5.2")  # restated
    set_value(later["budget_line"], {"fiscal_year": 2019, "line": "initial"},
              amount_million_yen=D("4.4"), raw_text="4.4")  # 4 vs 4.4: within rounding
    other = seed_sheet("other", review_year=2020)  # another project: 2018 initial 4, never compared
    _warehouse(tmp_path / "next.duckdb", [earlier, later, other])
    issues = validate_warehouse(tmp_path / "next.duckdb", "run-wh")
    assert [(i["project_key"], i["fiscal_year"], i["check_name"], i["severity"], i["observed"], i["expected"])
            for i in issues] == [("r2020", 2018, "restatement", "warning", "5.2", "4 (review 2019)")]
    assert issues[0]["source_path"] == "sheets/r2020.txt" and issues[0]["run_id"] == "run-wh"


def test_validate_warehouse_needs_its_tables(tmp_path):
    duckdb.connect(str(tmp_path / "empty.duckdb")).close()
    with pytest.raises(ValueError, match="lacks table"):
        validate_warehouse(tmp_path / "empty.duckdb", "run-wh")


def test_tables_with_nothing_staged_pass_their_schema_checks_without_a_run(staged, tmp_path):
    """Skipping the suites of tables with no staged rows changes no outcome and no issue."""
    from expectations.gx_duckdb import GxSession, quiet
    from expectations.runner import DUCKDB_CONFIG, run_suites, stage_views
    from expectations.suites import build_suites
    from transforms.stage import list_parts

    db_path = tmp_path / "staged.duckdb"
    stage_views(staged, db_path)
    unstaged = frozenset(t.name for t in schema.SHEET_TABLES if not list_parts(staged, t.name))
    assert {"budget_line_other", "fund_flow", "outcome_path"} <= unstaged
    with quiet(), GxSession(str(db_path), name="staged", duckdb_config=DUCKDB_CONFIG) as session:
        run, validated = session.run, []

        def recording_run(table_name, *args, **kwargs):
            validated.append(table_name)
            return run(table_name, *args, **kwargs)

        session.run = recording_run
        skipping = run_suites(session, build_suites(), schema.SHEET_TABLES, unstaged)
        skipped_runs, validated[:] = list(validated), []
        running = run_suites(session, build_suites(), schema.SHEET_TABLES)
    assert skipping[0] == running[0]  # the checks, in suite order
    assert sorted(map(repr, skipping[1])) == sorted(map(repr, running[1]))  # the issues (SQL order varies)
    assert any(c.table_name == "fund_flow" for c in skipping[0])
    assert "fund_flow" in validated and "fund_flow" not in skipped_runs and "budget_line" in skipped_runs
