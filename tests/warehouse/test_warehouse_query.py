"""Read-only access: query helpers and SQLAlchemy + duckdb-engine (as Superset uses it)."""

from __future__ import annotations

import duckdb
import pytest
import sqlalchemy as sa

from warehouse import ddl
from warehouse.query import dq_summary, recent_runs, run_query, table_counts

VIEWS = [v.name for v in ddl.load_views()]


def test_run_query_with_parameters(warehouse_path):
    columns, rows = run_query(
        warehouse_path, "select ministry, projects from v_ministry_year where fiscal_year = ? order by ministry", [2019]
    )
    assert columns == ["ministry", "projects"]
    assert rows == [("厚生労働省", 1), ("環境省", 1), ("総務省", 1)]


def test_run_query_is_read_only(warehouse_path):
    with pytest.raises(duckdb.Error, match="read-only"):
        run_query(warehouse_path, "delete from project")


def test_run_query_without_a_warehouse(tmp_path):
    with pytest.raises(FileNotFoundError):
        run_query(tmp_path / "none.duckdb", "select 1")


def test_recent_runs_dq_summary_and_counts(warehouse_path):
    columns, runs = recent_runs(warehouse_path, limit=5)
    assert columns[0] == "run_id" and [r[0] for r in runs] == ["r1"]
    assert dict(zip(columns, runs[0]))["build_mode"] == "rebuild"
    columns, summary = dq_summary(warehouse_path)
    assert dict(zip(columns, summary[0]))["check_name"] == "total_equals_sum"
    columns, counts = table_counts(warehouse_path)
    assert dict(counts)["project"] == 4


def test_sqlalchemy_read_only_connection_queries_every_view(warehouse_path):
    # no reflection (inspect/MetaData.reflect) on SQLAlchemy 2.1: plain text() queries only
    with duckdb.connect(str(warehouse_path), read_only=True) as direct:  # what each view holds
        expected = {view: ([d[0] for d in direct.execute(f"select * from {view} limit 0").description],
                           direct.execute(f"select count(*) from {view}").fetchone()[0]) for view in VIEWS}
    assert all(rows > 0 for _, rows in expected.values()), expected  # the fixture fills every view
    engine = sa.create_engine(f"duckdb:///{warehouse_path}?access_mode=read_only")
    try:
        with engine.connect() as con:
            for view in VIEWS:
                result = con.execute(sa.text(f"select * from {view}"))
                assert (list(result.keys()), len(result.fetchall())) == expected[view], view
            count = con.execute(sa.text("select count(*) from v_budget where ministry = :m"), {"m": "総務省"})
            assert count.scalar() > 0
            with pytest.raises(sa.exc.DBAPIError, match="read-only"):
                con.execute(sa.text("create table scratch (a integer)"))
    finally:
        engine.dispose()


def test_recent_runs_of_a_file_written_before_a_column_existed(tmp_path):
    old = tmp_path / "old.duckdb"
    with duckdb.connect(str(old)) as con:
        con.execute("create table load_run (run_id varchar, started_at timestamp, finished_at timestamp, status varchar, "
                    "files_seen integer, files_loaded integer, files_unchanged integer, files_quarantined integer, "
                    "files_removed integer, rows_project bigint, warnings bigint)")
        con.execute("insert into load_run values ('r0', '2025-01-01', null, 'completed', 1, 1, 0, 0, 0, 1, 0)")
    columns, runs = recent_runs(old)
    row = dict(zip(columns, runs[0]))
    assert row["run_id"] == "r0" and row["build_mode"] is None
