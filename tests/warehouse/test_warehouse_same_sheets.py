"""A rebuild with no sheet changed copies the previous file: same tables as a full rebuild."""

from __future__ import annotations

import duckdb
import pytest
from tests.warehouse.wh_fixtures import A19, A20, ALL_KEYS, full_build, load_run_row, sheets, source_file_rows, stage

import warehouse.build as wb
from transforms.schema import TABLES
from warehouse.build import build_warehouse
from warehouse.load import order_by


def _rebuild(tmp_path, previous, name, *, staging=None, drop=(), storage_version="v1.4.0"):
    target = tmp_path / name
    issue = {"run_id": "r2", "project_key": None, "source_path": "sheets/claim.txt", "table_name": "source_file",
             "check_name": "file_quarantined", "severity": "error", "message": "claims the same sheet"}
    build_warehouse(
        target, staging_dir=staging, previous_path=previous, keep_project_keys=ALL_KEYS, drop_project_keys=drop,
        source_files=source_file_rows(ALL_KEYS, "r2", status="unchanged", run_ids={k: "r1" for k in ALL_KEYS})
        + [{"path": "sheets/claim.txt", "status": "quarantined", "run_id": "r2"}],
        dq_issues=[issue], load_run=load_run_row("r2", 2), recomputed_checks=[], storage_version=storage_version,
    )
    return target


def _tables(path) -> dict[str, list]:
    with duckdb.connect(str(path), read_only=True) as con:
        # load_run.build_mode says how each file was written: the one column allowed to differ
        select = {name: f"select * {'exclude (build_mode)' if name == 'load_run' else ''} from {name}" for name in TABLES}
        stored = {name: con.execute(select[name]).fetchall() for name in TABLES}
        for name, table in TABLES.items():
            assert stored[name] == con.execute(f"{select[name]} order by {order_by(table)}").fetchall(), name
        stored["views"] = con.execute("select view_name, sql from duckdb_views() where not internal order by 1").fetchall()
        return stored


@pytest.fixture
def first(tmp_path):
    path = full_build(tmp_path, "first.duckdb")
    with duckdb.connect(str(path)) as con:  # a warehouse-wide finding, as the flow appends it
        con.execute("insert into dq_issue (run_id, project_key, source_path, table_name, check_name, severity, message) "
                    f"values ('r1', '{A20}', 'sheets/{A20}.txt', 'budget_line', 'restatement', 'warning', 'restated')")
    return path


def test_same_sheets_copy_equals_a_full_rebuild(tmp_path, first, monkeypatch):
    taken = []
    original = wb._rewrite_operations
    monkeypatch.setattr(wb, "_rewrite_operations", lambda *a: taken.append(1) or original(*a))
    copied = _tables(_rebuild(tmp_path, first, "copied.duckdb"))
    assert taken, "the copy path was not taken"
    monkeypatch.setattr(wb, "_reuse_mode", lambda *a: None)
    rebuilt = _tables(_rebuild(tmp_path, first, "rebuilt.duckdb"))
    assert copied == rebuilt
    assert ("r1", A20, "restatement") in {(r[0], r[1], r[4]) for r in copied["dq_issue"]}  # carried, not recomputed


def test_staged_rows_that_are_all_dropped_still_copy(tmp_path, first, monkeypatch):
    taken = []
    original = wb._rewrite_operations
    monkeypatch.setattr(wb, "_rewrite_operations", lambda *a: taken.append(1) or original(*a))
    quarantined = {table: [dict(row, project_key="k-bad") for row in rows] for table, rows in sheets()[A19].items()}
    staging = stage(tmp_path / "staging-dropped", {"k-bad": quarantined})
    _rebuild(tmp_path, first, "dropped.duckdb", staging=staging, drop={"k-bad"})
    assert taken


def test_a_dropped_kept_sheet_rebuilds(tmp_path, first):
    built = _rebuild(tmp_path, first, "drop-a19.duckdb", drop={A19})  # drop wins over keep: A19 leaves
    assert wb.written_build_mode(built, "r2") == "rebuild"


def test_other_storage_version_or_staged_sheet_rebuilds(tmp_path, first):
    staging = stage(tmp_path / "staging-a19", {A19: sheets()[A19]})
    staged = _rebuild(tmp_path, first, "staged.duckdb", staging=staging)  # A19 from staging: one sheet in four
    assert wb.written_build_mode(staged, "r2") == "rebuild"
    other_version = _rebuild(tmp_path, first, "v1.duckdb", storage_version="v1.0.0")
    assert wb.written_build_mode(other_version, "r2") == "rebuild"
