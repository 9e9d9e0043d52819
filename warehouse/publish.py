"""Publishing by file swap, the previous run's file list, and the Parquet mirror.

The live warehouse is only ever opened read-only.  A run builds
`<stem>.<run_id>.next.duckdb` beside it (`next_path_for`), checkpoints and closes it
(`build_warehouse` does both), then `publish()` renames it over the live file with
`os.replace` (atomic on one filesystem) and fsyncs the directory.  Readers holding
the old file keep seeing the old data until they reconnect; a killed build leaves
only a stale `*.next.duckdb`, removed by `remove_stale_next()` on the next run.

Run builds under `warehouse.lock.writer_lock(live_path)` so that two runs never interleave and a
stale `*.next.duckdb` is known not to belong to a running build.
"""

from __future__ import annotations

import ctypes
import logging
import os
import shutil
import time
from collections.abc import Iterable
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from transforms import schema
from transforms.schema import TABLES
from warehouse.build import duckdb_config
from warehouse.load import order_by

log = logging.getLogger(__name__)

NEXT_SUFFIX = ".next.duckdb"


class PublishError(RuntimeError):
    """The next file cannot be published; the live file is unchanged."""


def next_path_for(live_path: Path, run_id: str | None = None) -> Path:
    """Where a run builds its file: beside the live one, so `os.replace` is atomic.

    >>> next_path_for(Path("data/warehouse/warehouse.duckdb"), "20260101T000000")
    PosixPath('data/warehouse/warehouse.20260101T000000.next.duckdb')
    >>> next_path_for(Path("w/warehouse.duckdb"))
    PosixPath('w/warehouse.next.duckdb')
    """
    live_path = Path(live_path)
    stem = live_path.name.removesuffix(".duckdb")
    middle = f".{run_id}" if run_id else ""
    return live_path.with_name(f"{stem}{middle}{NEXT_SUFFIX}")


def remove_stale_next(live_path: Path, *, keep: Path | None = None, older_than_seconds: float = 0.0) -> list[Path]:
    """Delete leftover `<stem>.[<run_id>.]next.duckdb` files (and their `.wal`) beside the live file.

    Call it while holding `warehouse.lock.writer_lock(live_path)`: then no other build is running and
    every leftover is stale.  `keep` (the file being built now) is never removed.
    """
    live_path = Path(live_path)
    stem = live_path.name.removesuffix(".duckdb")
    keep_resolved = Path(keep).resolve() if keep is not None else None
    removed = []
    now = time.time()
    if not live_path.parent.exists():
        return removed
    pattern = f"{stem}.*{NEXT_SUFFIX.removeprefix('.')}"  # warehouse.next.duckdb, warehouse.<run>.next.duckdb
    for path in sorted(live_path.parent.glob(pattern)) + sorted(live_path.parent.glob(f"{pattern}.wal")):
        database = Path(str(path).removesuffix(".wal"))
        if keep_resolved is not None and database.resolve() == keep_resolved:
            continue
        try:
            if now - path.stat().st_mtime < older_than_seconds:
                continue
            path.unlink()
        except FileNotFoundError:
            continue
        removed.append(path)
        log.info("removed stale %s", path)
    return removed


def _fsync_path(path: Path, flags: int = os.O_RDONLY) -> None:
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(next_path: Path, live_path: Path) -> None:
    """Atomically make `next_path` the live warehouse (build already checkpointed and closed it)."""
    next_path, live_path = Path(next_path), Path(live_path)
    if next_path.parent.resolve() != live_path.parent.resolve():
        raise PublishError(f"{next_path} must be in the live file's directory {live_path.parent} (atomic rename)")
    if not next_path.exists():
        raise PublishError(f"nothing to publish: {next_path} does not exist")
    if Path(f"{next_path}.wal").exists():
        raise PublishError(f"{next_path}.wal exists: the build did not checkpoint and close the file")
    if Path(f"{live_path}.wal").exists():
        raise PublishError(
            f"{live_path}.wal exists: something opened the live warehouse read-write; "
            "close it and remove the WAL before publishing"
        )
    try:  # a truncated or foreign file must never become live
        with duckdb.connect(str(next_path), read_only=True) as con:
            con.execute("select count(*) from load_run").fetchall()[0]
    except duckdb.Error as exc:
        raise PublishError(f"{next_path} is not a readable warehouse: {exc}") from exc
    _fsync_path(next_path)
    os.replace(next_path, live_path)
    _fsync_path(live_path.parent)
    log.info("published %s", live_path)


def read_previous(live_path: Path) -> dict[str, dict]:
    """The live warehouse's `source_file` rows keyed by path ({} when there is none).

    Each value is the full row (path, sha256, size_bytes, format, encoding, status,
    project_key, message, run_id): the flow compares sha256 to skip unchanged files
    and passes the row back unchanged in `source_files`.
    """
    live_path = Path(live_path)
    if not live_path.exists():
        return {}
    with duckdb.connect(str(live_path), read_only=True) as con:
        exists = con.execute(
            "select count(*) from duckdb_tables() where schema_name = 'main' and table_name = 'source_file'"
        ).fetchall()[0][0]
        if not exists:
            return {}
        cursor = con.execute("select * from source_file order by path")
        columns = [d[0] for d in cursor.description]
        return {row[0]: dict(zip(columns, row)) for row in cursor.fetchall()}


# ---------------------------------------------------------------- Parquet mirror

_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2 RENAME_EXCHANGE); False if unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


STORED_IN_KEY_ORDER = frozenset(t.name for t in schema.SHEET_TABLES) | {"fiscal_year", "project_link"}
# A patched file appends the replaced sheets' rows: only the tables it re-creates stay in order.
RECREATED_IN_KEY_ORDER = frozenset({"project", "fiscal_year", "project_link"})
READ_BATCH_ROWS = 1 << 16  # rows fetched from DuckDB at a time: memory stays at about one row group
# Rows per row group.  Measured on the 50,000-sheet benchmark's indicator table (2.1M rows,
# zstd): 1M-row groups 18.3 MB, 256k-row groups 16.1 MB and faster to write - and memory
# stays at one 256k-row group however large the table grows.
ROW_GROUP_ROWS = 1 << 18


def export_parquet(db_path: Path, parquet_dir: Path, *, batch_rows: int = ROW_GROUP_ROWS,
                   unchanged: Iterable[str] = ()) -> dict[str, Path]:
    """Write `<parquet_dir>/<table>.parquet` (zstd, contract Arrow types) for every table.

    The new set is written to a sibling temp dir and swapped in at once, so a reader
    sees either the old or the new set of files, never a mix.  Tables named in
    `unchanged` (the caller knows their rows did not change since the last export)
    keep their current file - hard-linked into the new set - when it has the
    contract's schema and the table's row count; otherwise they are written too.
    """
    db_path, parquet_dir = Path(db_path), Path(parquet_dir)
    tmp_dir = parquet_dir.with_name(f".{parquet_dir.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp_dir, ignore_errors=True)
    tmp_dir.mkdir(parents=True)
    written = {}
    try:
        # One thread and a small buffer: the Parquet writer sets the pace (measured faster than
        # two threads at 50,000 sheets) and memory stays at about one row group.
        with duckdb.connect(str(db_path), read_only=True, config=dict(duckdb_config(), threads=1, memory_limit="64MB")) as con:
            present = {
                r[0] for r in con.execute("select table_name from duckdb_tables() where schema_name = 'main'").fetchall()
            }
            in_key_order = STORED_IN_KEY_ORDER if _rebuilt_since_patch(con) else RECREATED_IN_KEY_ORDER
            reused = set(unchanged)
            for table in TABLES.values():
                if table.name not in present:
                    continue
                if table.name in reused and _link_current(con, table, parquet_dir, tmp_dir):
                    written[table.name] = parquet_dir / f"{table.name}.parquet"
                    continue
                target_schema = schema.arrow_schema(table)
                columns = ", ".join(table.column_names)
                # Tables only `build_warehouse` writes are stored in key order already (it inserts
                # them ORDER BY order_by) and DuckDB scans in insertion order: no second sort.
                order = "" if table.name in in_key_order else f" order by {order_by(table)}"
                query = f"select {columns} from {table.name}{order}"
                reader = con.sql(query).to_arrow_reader(READ_BATCH_ROWS)  # row groups stay batch_rows
                path = tmp_dir / f"{table.name}.parquet"
                with pq.ParquetWriter(path, target_schema, compression="zstd") as writer:
                    _write_in_row_groups(writer, reader, target_schema, batch_rows)
                written[table.name] = parquet_dir / path.name
        _swap_dir(tmp_dir, parquet_dir)
    except BaseException:
        shutil.rmtree(tmp_dir, ignore_errors=True)
        raise
    return written


def _link_current(con, table, parquet_dir: Path, tmp_dir: Path) -> bool:
    """Hard-link the current export of `table` into the new set if it is still valid."""
    current = parquet_dir / f"{table.name}.parquet"
    try:
        metadata = pq.read_metadata(current)
        if not metadata.schema.to_arrow_schema().equals(schema.arrow_schema(table), check_metadata=False):
            return False
        if metadata.num_rows != con.execute(f"select count(*) from {table.name}").fetchall()[0][0]:
            return False
        os.link(current, tmp_dir / current.name)  # exports are never changed in place
        return True
    except (OSError, pa.ArrowException):
        return False


def _rebuilt_since_patch(con) -> bool:
    """Whether no run patched the file since it was last rebuilt from scratch (copies keep
    the order of the file they copy)."""
    columns = {r[0] for r in con.execute(
        "select column_name from duckdb_columns() where schema_name = 'main' and table_name = 'load_run'").fetchall()}
    if "build_mode" not in columns:
        return True  # written before patching existed
    latest = con.execute(
        "select build_mode from load_run where build_mode in ('rebuild', 'patch') "
        "order by started_at desc, run_id desc limit 1").fetchall()
    return not latest or latest[0][0] == "rebuild"


def _write_in_row_groups(writer, reader, target_schema, rows_per_group: int) -> None:
    """Re-chunk DuckDB's batches into row groups of exactly `rows_per_group` rows
    (very small row groups compress worse)."""
    pending = pa.Table.from_batches([], target_schema)
    for batch in reader:
        pending = pa.concat_tables([pending, pa.Table.from_batches([batch.cast(target_schema)])])
        while pending.num_rows >= rows_per_group:
            writer.write_table(pending.slice(0, rows_per_group), row_group_size=rows_per_group)
            pending = pending.slice(rows_per_group)
    if pending.num_rows:
        writer.write_table(pending, row_group_size=rows_per_group)


def _swap_dir(new_dir: Path, target: Path) -> None:
    if not target.exists():
        os.rename(new_dir, target)
    elif _exchange(new_dir, target):
        shutil.rmtree(new_dir)  # now holds the old files
    else:  # two renames: a microsecond window without `target`
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        os.rename(target, old)
        os.rename(new_dir, target)
        shutil.rmtree(old)
    _fsync_path(target.parent)
