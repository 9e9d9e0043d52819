"""build_warehouse: dimensions, views, incremental rebuilds, determinism, storage version."""

from __future__ import annotations

import struct
import subprocess
import sys
import textwrap
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from tests.warehouse.wh_fixtures import (
    A19, A20, ALL_KEYS, E20, U20, full_build, load_run_row, sheets, source_file_rows, stage,
)

from transforms import schema
from transforms.schema import SHEET_TABLES, TABLES
from warehouse import build as build_module
from warehouse.build import build_warehouse
from warehouse.load import order_by
from warehouse.publish import remove_stale_next


def _connect(path: Path):
    return duckdb.connect(str(path), read_only=True)


def _rows(con, table: str, keys=None) -> list[tuple]:
    """Rows in storage order (no ORDER BY), optionally for some project_keys only."""
    where = ""
    if keys is not None:
        where = " where project_key in (" + ", ".join(f"'{k}'" for k in keys) + ")"
    return con.execute(f"select * from {table}{where}").fetchall()


def _add_issues(path: Path, rows: list[dict]) -> None:
    """Append dq_issue rows to a built file (as the flow's cross-sheet checks do)."""
    with duckdb.connect(str(path)) as con:
        con.register("extra", schema.to_arrow("dq_issue", rows))
        con.execute("insert into dq_issue select * from extra")


def _rebuild(tmp_path, previous: Path, staged: dict, *, keep, drop=(), run_id="r2", **overrides) -> Path:
    staging = stage(tmp_path / f"staging-{run_id}", staged)
    next_path = tmp_path / f"{run_id}.duckdb"
    arguments = dict(
        staging_dir=staging,
        previous_path=previous,
        keep_project_keys=keep,
        drop_project_keys=drop,
        source_files=source_file_rows(ALL_KEYS, run_id, run_ids={k: "r1" for k in keep}),
        dq_issues=[],
        load_run=load_run_row(run_id, 2),
    )
    arguments.update(overrides)
    build_warehouse(next_path, **arguments)
    return next_path


# ---------------------------------------------------------------- fiscal_year


def test_fiscal_year_covers_every_referenced_year_without_gaps(warehouse_path):
    con = _connect(warehouse_path)
    years = [r[0] for r in con.execute("select fiscal_year from fiscal_year").fetchall()]
    assert years == list(range(1985, 2023))  # U20 started 1985; A20's final target is 2022
    labels = dict(con.execute("select fiscal_year, label_ja from fiscal_year").fetchall())
    assert (labels[1985], labels[1988], labels[1989]) == ("昭和60年度", "昭和63年度", "平成元年度")
    assert (labels[2018], labels[2019], labels[2020]) == ("平成30年度", "令和元年度", "令和2年度")
    row = con.execute("select era, era_year, starts_on, ends_on from fiscal_year where fiscal_year = 2019").fetchall()
    assert row == [("令和", 1, date(2019, 4, 1), date(2020, 3, 31))]
    orphans = con.execute(
        "select count(*) from budget_line where fiscal_year not in (select fiscal_year from fiscal_year)"
    ).fetchall()[0][0]
    assert orphans == 0


# ---------------------------------------------------------------- views


def test_v_budget_pivots_lines_and_rates(warehouse_path):
    con = _connect(warehouse_path)
    row = con.execute(
        "select initial, supplementary, total, executed, execution_rate_reported, execution_rate_computed, "
        "ministry, project_id from v_budget where project_key = ? and fiscal_year = 2019 and not is_request",
        [U20],
    ).fetchall()
    assert row == [(Decimal("100"), Decimal("20"), Decimal("120"), Decimal("118"),
                    Decimal("0.983"), Decimal("0.983333"), "厚生労働省", U20)]
    keys = con.execute(
        "select count(*), count(distinct (project_key, fiscal_year, is_request)) from v_budget"
    ).fetchall()
    assert keys[0][0] == keys[0][1]
    request = con.execute(
        "select initial, execution_rate_reported from v_budget where project_key = ? and is_request", [A19]
    ).fetchall()
    assert request == [(Decimal("4"), None)]


def test_v_budget_latest_takes_the_most_recent_sheet(warehouse_path):
    con = _connect(warehouse_path)
    rows = con.execute(
        "select fiscal_year, project_key, executed, reporting_sheets from v_budget_latest "
        "where project_id = ? order by fiscal_year",
        [A19],
    ).fetchall()
    assert rows == [
        (2016, A19, Decimal("2"), 1),  # only the 2019 sheet prints 2016
        (2017, A20, Decimal("2"), 2),
        (2018, A20, Decimal("3"), 2),  # restated by the 2020 sheet: 3, not 2
        (2019, A20, Decimal("2"), 2),  # the 2019 sheet printed no 執行額 yet
        (2020, A20, None, 1),
    ]
    once = con.execute("select count(*), count(distinct (project_id, fiscal_year)) from v_budget_latest").fetchall()
    assert once[0][0] == once[0][1]


def test_v_ministry_year_sums_latest_values(warehouse_path):
    con = _connect(warehouse_path)
    rows = con.execute(
        "select ministry, fiscal_year, projects, initial, total, executed, execution_rate "
        "from v_ministry_year where fiscal_year in (2018, 2020) order by ministry, fiscal_year"
    ).fetchall()
    assert rows == [
        ("厚生労働省", 2018, 1, Decimal("100"), Decimal("120"), Decimal("118"), Decimal("0.983333")),
        ("厚生労働省", 2020, 1, Decimal("110"), Decimal("110"), None, None),
        ("環境省", 2020, 1, Decimal("12"), Decimal("13"), None, None),
        ("総務省", 2018, 1, Decimal("4"), Decimal("4"), Decimal("3"), Decimal("0.75")),
        ("総務省", 2020, 1, Decimal("4"), Decimal("4"), None, None),
    ]


def test_v_indicator_carries_project_columns(warehouse_path):
    con = _connect(warehouse_path)
    count, with_project = con.execute(
        "select count(*), count(ministry) from v_indicator"
    ).fetchall()[0]
    assert count == len(_rows(con, "indicator")) == with_project
    assert con.execute(
        "select distinct project_name from v_indicator where project_id = ?", [A19]
    ).fetchall() == [("住民基本台帳ネットワークシステムセキュリティ対策経費",)]


# ---------------------------------------------------------------- incremental


def test_incremental_rebuild_keeps_unchanged_and_replaces_changed(tmp_path):
    first = full_build(tmp_path)
    changed = sheets()[A20]
    changed["budget_line"] = [r for r in changed["budget_line"] if r["fiscal_year"] != 2021]
    for row in changed["budget_line"]:
        if row["fiscal_year"] == 2019 and row["line"] == "executed":
            row["amount_million_yen"] = Decimal("3.5")
    changed["indicator"] = changed["indicator"][:2]
    changed["recipient"] = []
    second = _rebuild(tmp_path, first, {A20: changed}, keep={A19, U20, E20})

    old, new = _connect(first), _connect(second)
    unchanged = [A19, U20, E20]
    for table in SHEET_TABLES:
        assert _rows(new, table.name, unchanged) == _rows(old, table.name, unchanged), table.name
    # the incremental result equals a full build from the same four sheets
    all_sheets = {**sheets(), A20: changed}
    full = _connect(full_build(tmp_path, "full.duckdb", staging_dir=stage(tmp_path / "all", all_sheets)))
    for name in [t.name for t in SHEET_TABLES] + ["project_link", "fiscal_year"]:
        assert _rows(new, name) == _rows(full, name), name
    assert new.execute("select count(*) from recipient where project_key = ?", [A20]).fetchall()[0][0] == 0
    assert new.execute("select project_id from project where project_key = ?", [A20]).fetchall() == [(A19,)]
    assert new.execute(
        "select executed from v_budget_latest where project_id = ? and fiscal_year = 2019", [A19]
    ).fetchall() == [(Decimal("3.5"),)]
    runs = new.execute("select run_id, rows_budget_line from load_run").fetchall()
    assert [r[0] for r in runs] == ["r1", "r2"]
    assert runs[1][1] == len(_rows(new, "budget_line"))


def test_sheets_are_replaced_whole_never_mixed(tmp_path):
    first = full_build(tmp_path)
    changed = sheets()[A19]
    changed["budget_line"] = changed["budget_line"][:3]
    # A19 is also (wrongly) listed as kept: staging wins, previous rows are not added
    second = _rebuild(tmp_path, first, {A19: changed}, keep={A19, A20, U20, E20})
    con = _connect(second)
    assert con.execute("select count(*) from budget_line where project_key = ?", [A19]).fetchall()[0][0] == 3
    assert con.execute("select count(*) from project where project_key = ?", [A19]).fetchall()[0][0] == 1


def test_dropped_and_removed_sheets_are_not_loaded(tmp_path):
    first = full_build(tmp_path)
    new_sheet = sheets()[E20]
    new_key = "k21-kankyo-0013"
    for rows in new_sheet.values():
        for row in rows:
            row["project_key"] = new_key
            if "project_id" in row:
                row["project_id"] = new_key
    # E20 is neither kept nor staged (its file was removed); the new sheet is quarantined
    second = _rebuild(tmp_path, first, {new_key: new_sheet}, keep={A19, A20, U20}, drop={new_key})
    con = _connect(second)
    keys = {r[0] for t in SHEET_TABLES for r in con.execute(f"select distinct project_key from {t.name}").fetchall()}
    assert keys == {A19, A20, U20}


def test_dq_issue_is_the_current_state(tmp_path):
    bad_file = {"run_id": "r1", "project_key": None, "source_path": "sheets/broken.txt", "table_name": None,
                "check_name": "parse", "severity": "error", "message": "no title line"}
    old_a20 = {"run_id": "r1", "project_key": A20, "source_path": f"sheets/{A20}.txt", "table_name": "indicator",
               "check_name": "unit_missing", "severity": "warning", "message": "単位 is blank"}
    old_a19 = {"run_id": "r1", "project_key": A19, "source_path": f"sheets/{A19}.txt", "table_name": "budget_line",
               "check_name": "total_equals_sum", "severity": "warning", "message": "計 does not add up"}
    # a sheet quarantined by an error of its own: its findings name its (never loaded) key
    rejected = {"path": "sheets/rejected.txt", "status": "quarantined", "run_id": "r1", "project_key": "2020-rejected"}
    rejected_issues = [
        {"run_id": "r1", "project_key": "2020-rejected", "source_path": rejected["path"], "table_name": "project",
         "check_name": "project_name_present", "severity": "error", "message": "事業名 is empty"},
        {"run_id": "r1", "project_key": "2020-rejected", "source_path": rejected["path"], "table_name": "source_file",
         "check_name": "file_quarantined", "severity": "error", "message": "事業名 is empty"}]
    first_issues = [bad_file, old_a19, old_a20] + rejected_issues
    first = full_build(tmp_path, dq_issues=first_issues,
                       source_files=source_file_rows(ALL_KEYS, "r1") + [
                           {"path": "sheets/broken.txt", "status": "quarantined", "run_id": "r1"}, rejected])
    # appended after the build by the flow's warehouse-wide check, recomputed every run
    _add_issues(first, [dict(old_a19, check_name="restatement", message="restated")])
    # a second file claiming A19's sheet, quarantined in r1 and parsed again in r2
    _add_issues(first, [dict(old_a19, source_path="sheets/claim.txt", check_name="file_quarantined",
                                  severity="error", message="claims the same sheet")])
    new_a20 = dict(old_a20, run_id="r2", check_name="total_equals_sum", table_name="budget_line")
    second = _rebuild(
        tmp_path, first, {A20: sheets()[A20]}, keep={A19, U20, E20},
        dq_issues=[new_a20],
        source_files=source_file_rows(ALL_KEYS, "r2", run_ids={A19: "r1", U20: "r1", E20: "r1"})
        + [{"path": "sheets/broken.txt", "status": "quarantined", "run_id": "r1"},
           {"path": "sheets/claim.txt", "status": "loaded", "run_id": "r2"}, rejected],
        recomputed_checks=["restatement"],
    )
    issues = _connect(second).execute(
        "select run_id, project_key, check_name from dq_issue order by all"
    ).fetchall()
    assert issues == [
        ("r1", "2020-rejected", "file_quarantined"),  # still quarantined, not re-parsed: carried
        ("r1", "2020-rejected", "project_name_present"),
        ("r1", A19, "total_equals_sum"),  # kept sheet: its warning stays
        ("r1", None, "parse"),  # unchanged broken file: still broken
        ("r2", A20, "total_equals_sum"),  # re-processed sheet: only the new finding
    ]
    # the same file re-processed in r3 (another file changed): only what r3 found about it
    third = _rebuild(
        tmp_path, second, {}, keep={A19, A20, U20, E20}, run_id="r3", load_run=load_run_row("r3", 3),
        dq_issues=[dict(rejected_issues[1], run_id="r3")],
        source_files=source_file_rows(ALL_KEYS, "r3", run_ids={A19: "r1", A20: "r2", U20: "r1", E20: "r1"})
        + [dict(rejected, run_id="r3")],
        recomputed_checks=["restatement"],
    )
    assert _connect(third).execute(
        "select run_id, check_name from dq_issue where project_key = '2020-rejected' order by all").fetchall() == [
        ("r3", "file_quarantined")]


# ---------------------------------------------------------------- determinism, failure, storage


def test_same_inputs_give_identical_tables(tmp_path):
    one = full_build(tmp_path, "one.duckdb")
    two = full_build(tmp_path, "two.duckdb")
    con_one, con_two = _connect(one), _connect(two)
    for name, table in TABLES.items():
        hash_one = con_one.execute(f"select md5(string_agg(t::varchar, '|')) from {name} t").fetchall()
        hash_two = con_two.execute(f"select md5(string_agg(t::varchar, '|')) from {name} t").fetchall()
        assert hash_one == hash_two, name
        ordered = con_one.execute(f"select * from {name} order by {order_by(table)}").fetchall()
        assert _rows(con_one, name) == ordered, f"{name} is stored in key order"


def test_failed_build_leaves_no_file(tmp_path, monkeypatch):
    def boom(con):
        raise RuntimeError("disk full")

    monkeypatch.setattr(build_module, "load_fiscal_year", boom)  # the name build.py calls
    with pytest.raises(RuntimeError, match="disk full"):
        full_build(tmp_path)
    assert not (tmp_path / "warehouse.duckdb").exists()
    assert not (tmp_path / "warehouse.duckdb.wal").exists()


def test_killed_build_leaves_live_file_untouched(tmp_path):
    live = full_build(tmp_path, "warehouse.duckdb")
    before = live.read_bytes()
    script = textwrap.dedent(f"""
        import os, sys
        sys.path.insert(0, {str(Path(__file__).resolve().parents[2])!r})
        from pathlib import Path
        import warehouse.build as b
        from tests.warehouse.wh_fixtures import full_build
        b.load_fiscal_year = lambda con: os._exit(9)   # like kill -9 in the middle of the build
        full_build(Path({str(tmp_path)!r}), "warehouse.r2.next.duckdb")
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode == 9, result.stderr
    assert live.read_bytes() == before
    assert _connect(live).execute("select count(*) from project").fetchall() == [(4,)]
    leftover = tmp_path / "warehouse.r2.next.duckdb"
    assert leftover.exists()
    assert leftover in remove_stale_next(live)
    assert live.exists() and not leftover.exists()


def test_file_has_the_pinned_storage_version(warehouse_path):
    tags = _connect(warehouse_path).execute(
        "select tags from duckdb_databases() where not internal"
    ).fetchall()[0][0]
    assert tags["storage_version"].startswith("v1.4.0")
    header = warehouse_path.read_bytes()[:20]
    assert header[8:12] == b"DUCK"
    version_number = struct.unpack("<Q", header[12:20])[0]
    assert version_number <= 68, "DuckDB 1.x reads storage versions 64..68 only"


def test_keeping_sheets_needs_a_previous_file(tmp_path):
    with pytest.raises(ValueError, match="no previous warehouse"):
        build_warehouse(tmp_path / "x.duckdb", staging_dir=None, previous_path=None, keep_project_keys={A19},
                        source_files=[], dq_issues=[], load_run=load_run_row("r1", 1))


def test_empty_build_has_tables_and_views(tmp_path):
    counts = build_warehouse(tmp_path / "empty.duckdb", staging_dir=tmp_path / "nothing", previous_path=None,
                             keep_project_keys=(), source_files=[], dq_issues=[],
                             load_run=load_run_row("r0", 0))
    assert counts["project"] == 0 and counts["fiscal_year"] == 0 and counts["load_run"] == 1
    con = _connect(tmp_path / "empty.duckdb")
    assert con.execute("select count(*) from v_ministry_year").fetchall() == [(0,)]


def test_default_recomputed_checks_come_from_the_warehouse_rules():
    assert "restatement" in build_module._warehouse_level_checks()
