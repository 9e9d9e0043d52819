"""File-swap publishing, stale-file cleanup, read_previous and the Parquet mirror."""

from __future__ import annotations

import shutil

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from tests.warehouse.wh_fixtures import A19, full_build

from transforms import schema
from transforms.schema import TABLES
from warehouse.lock import writer_lock
from warehouse.publish import PublishError, export_parquet, next_path_for, publish, read_previous, remove_stale_next


def test_publish_swaps_the_file_and_open_readers_keep_the_old_one(tmp_path, warehouse_path):
    live = tmp_path / "warehouse.duckdb"
    shutil.copy(warehouse_path, live)
    reader = duckdb.connect(str(live), read_only=True)
    assert reader.execute("select count(*) from load_run").fetchall() == [(1,)]

    next_path = next_path_for(live, "r2")
    full_build(tmp_path, next_path.name, load_run={"run_id": "r2", "started_at": "2026-01-02T00:00:00",
                                                   "status": "completed"})
    publish(next_path, live)

    assert not next_path.exists()
    assert reader.execute("select run_id from load_run").fetchall() == [("r1",)]  # old snapshot
    reader.close()
    with duckdb.connect(str(live), read_only=True) as fresh:  # reconnect: new data
        assert fresh.execute("select run_id from load_run").fetchall() == [("r2",)]


def test_publish_refuses_what_it_cannot_swap_safely(tmp_path, warehouse_path):
    live = tmp_path / "warehouse.duckdb"
    with pytest.raises(PublishError, match="does not exist"):
        publish(tmp_path / "warehouse.next.duckdb", live)
    other_dir = tmp_path / "elsewhere"
    other_dir.mkdir()
    shutil.copy(warehouse_path, other_dir / "warehouse.next.duckdb")
    with pytest.raises(PublishError, match="directory"):
        publish(other_dir / "warehouse.next.duckdb", live)
    garbage = tmp_path / "warehouse.next.duckdb"
    garbage.write_bytes(b"not a database")
    with pytest.raises(PublishError, match="not a readable warehouse"):
        publish(garbage, live)
    assert not live.exists()


def test_remove_stale_next_only_touches_leftovers(tmp_path):
    live = tmp_path / "warehouse.duckdb"
    live.write_bytes(b"live")
    stale = [tmp_path / "warehouse.next.duckdb", tmp_path / "warehouse.r1.next.duckdb",
             tmp_path / "warehouse.r1.next.duckdb.wal"]
    current = tmp_path / "warehouse.r2.next.duckdb"
    unrelated = tmp_path / "other.next.duckdb"
    for path in stale + [current, unrelated]:
        path.write_bytes(b"x")
    with writer_lock(live):
        removed = remove_stale_next(live, keep=current)
    assert sorted(removed) == sorted(stale)
    assert live.exists() and current.exists() and unrelated.exists()


def test_writer_lock_is_exclusive(tmp_path):
    live = tmp_path / "warehouse.duckdb"
    with writer_lock(live):
        with pytest.raises(BlockingIOError):
            with writer_lock(live):
                pass
    with writer_lock(live):  # released again
        pass


def test_read_previous(tmp_path, warehouse_path):
    assert read_previous(tmp_path / "missing.duckdb") == {}
    previous = read_previous(warehouse_path)
    row = previous[f"sheets/{A19}.txt"]
    assert (row["sha256"], row["status"], row["project_key"], row["run_id"]) == (f"sha-{A19}", "loaded", A19, "r1")
    assert len(previous) == 4


def test_export_parquet_writes_every_table_with_contract_types(tmp_path, warehouse_path):
    out = tmp_path / "parquet"
    written = export_parquet(warehouse_path, out)
    assert set(written) == set(TABLES)
    for name, path in written.items():
        table = pq.read_table(path)
        assert table.schema.equals(schema.arrow_schema(name), check_metadata=False), name
        if table.num_rows:
            assert pq.ParquetFile(path).metadata.row_group(0).column(0).compression == "ZSTD"
    with duckdb.connect(str(warehouse_path), read_only=True) as con:
        assert pq.read_table(written["budget_line"]).num_rows == con.execute(
            "select count(*) from budget_line").fetchall()[0][0]

    (out / "stale_table.parquet").write_bytes(b"old")  # a second export replaces the whole set
    export_parquet(warehouse_path, out)
    assert not (out / "stale_table.parquet").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".parquet")]


def test_export_keeps_the_current_file_of_an_unchanged_table(tmp_path, warehouse_path):
    out = tmp_path / "parquet"
    export_parquet(warehouse_path, out)
    before = {p.name: p.stat().st_ino for p in out.iterdir()}
    export_parquet(warehouse_path, out, unchanged=["budget_line", "indicator"])
    after = {p.name: p.stat().st_ino for p in out.iterdir()}
    assert set(after) == set(before)
    kept = {name for name in after if after[name] == before[name]}
    assert kept == {"budget_line.parquet", "indicator.parquet"}  # the same files, linked; the rest rewritten


def test_export_rewrites_an_unchanged_table_whose_file_no_longer_fits(tmp_path, warehouse_path):
    out = tmp_path / "parquet"
    written = export_parquet(warehouse_path, out)
    rows = pq.read_table(written["budget_line"])
    pq.write_table(rows.slice(0, 1), out / "budget_line.parquet")  # a stale file: one row only
    pq.write_table(pa.table({"x": [1]}), out / "indicator.parquet")  # a file of another schema
    written = export_parquet(warehouse_path, out, unchanged=["budget_line", "indicator"])
    assert pq.read_table(written["budget_line"]).num_rows == rows.num_rows
    assert pq.read_table(written["indicator"]).schema.equals(schema.arrow_schema("indicator"), check_metadata=False)
