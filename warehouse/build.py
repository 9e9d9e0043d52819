"""Build one new warehouse file from the previous warehouse plus staged Parquet.

    counts = build_warehouse(
        Path("data/warehouse/warehouse.next.duckdb"),
        staging_dir=Path("data/staging/<run_id>"),       # <table>/*.parquet per sheet table
        previous_path=Path("data/warehouse/warehouse.duckdb"),
        keep_project_keys=unchanged_keys,                  # copied from the previous file
        drop_project_keys=quarantined_keys,                # staged but not loaded
        source_files=[...], dq_issues=[...], load_run={...},
    )

Rules
- A sheet is replaced as a whole: the rows of a project_key come from the previous
  file *or* from staging, never both.  Staging wins over `keep_project_keys`;
  `drop_project_keys` wins over both.  A sheet in neither set disappears (its file
  was removed).
- `project_id` and `project_link` are recomputed over all loaded sheets
  (`warehouse.identity`); the staged `project_id` placeholder is ignored.
- `fiscal_year` covers min..max of every year used by a fact or a project's
  start/end/review year, without gaps.
- `source_file` is exactly `source_files` (the caller passes the full current list).
- `dq_issue` is the *current state*: the previous rows of sheets and files that were
  not re-processed (project_key copied from the previous file, or, for issues without
  a project_key, a source path whose `source_file.run_id` is not this run) plus
  `dq_issues`.  Carried rows keep the run_id of the run that found them.  Rows of
  warehouse-wide checks (`recomputed_checks`, re-run on every built file) are not
  carried.
- `load_run` is the previous history plus `load_run`; its missing `rows_<table>`
  values are filled with this build's row counts.
- Deterministic: every table is inserted ORDER BY its key then all other columns
  (a patched copy: the same rows, see below).

The file is created with `ATTACH ... (STORAGE_VERSION ...)` so that DuckDB 1.x
readers (BI drivers) can open it; it is checkpointed and detached before return.
A failed build deletes its partial file; the live warehouse is never touched here.

Starting from a copy (`_reuse_mode`).  A copy is taken only of a previous file with
the pinned storage version and the contract's tables and columns:
- same sheets (nothing staged, nothing dropped, the sheets to keep are exactly the
  previous file's): the copy's sheet tables, identity, fiscal years, views and
  comments are what a rebuild would write, in the same order; only `source_file`,
  `dq_issue` and `load_run` are rewritten by the rules above.
- patch (at most `PATCH_FRACTION` of the previous sheets replaced, added or removed):
  the rows of every sheet not kept are deleted from the copy, the staged sheets
  inserted, and identity, `project_link`, `fiscal_year` and the three run tables
  recomputed.  The tables hold the same rows as a rebuild; only the physical order
  differs (query with ORDER BY).  A larger change rebuilds the file from scratch,
  which also compacts it.
"""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from transforms import schema
from transforms.schema import SHEET_TABLES, TABLES, Table
from transforms.stage import fsspec_filesystem, list_parts, local_path
from warehouse import ddl
from warehouse.dimensions import fiscal_year_rows
from warehouse.identity import resolve_in_database

log = logging.getLogger(__name__)

DEFAULT_STORAGE_VERSION = "v1.4.0"
# DuckDB's buffer memory per build: sorts and joins beyond it spill to disk, so the
# process's memory stays flat however many sheets are loaded.
MEMORY_LIMIT = "192MB"


def duckdb_config(temp_directory: Path | None = None) -> dict:
    """Connection settings of the warehouse steps (build, export, dq rewrite)."""
    config = {"memory_limit": MEMORY_LIMIT, "threads": max(1, min(4, os.cpu_count() or 1))}
    if temp_directory is not None:
        config["temp_directory"] = str(temp_directory)
    return config

# Columns whose years must exist in `fiscal_year`.
YEAR_COLUMNS: tuple[tuple[str, str], ...] = tuple(
    (t.name, c.name) for t in SHEET_TABLES for c in t.columns if c.name == "fiscal_year"
) + (("project", "review_year"), ("project", "start_fiscal_year"), ("project", "end_fiscal_year"))


def build_warehouse(
    next_path: Path,
    *,
    staging_dir: Path | str | None,
    previous_path: Path | None,
    keep_project_keys: Iterable[str],
    drop_project_keys: Iterable[str] = (),
    source_files: list[dict],
    dq_issues: list[dict],
    load_run: dict,
    storage_version: str = DEFAULT_STORAGE_VERSION,
    recomputed_checks: Iterable[str] | None = None,
) -> dict[str, int]:
    """Create `next_path` as a complete warehouse; return row counts per table.

    `recomputed_checks`: check names that are re-run over the whole warehouse after
    every build (their previous rows are never carried over); default: the names of
    `expectations.rules.WAREHOUSE_RULES`.
    """
    next_path = Path(next_path)
    previous_path = Path(previous_path) if previous_path is not None else None
    keep = set(keep_project_keys)
    if previous_path is not None and not previous_path.exists():
        previous_path = None
    if previous_path is None and keep:
        raise ValueError(f"{len(keep)} sheets to keep but there is no previous warehouse to copy them from")
    if previous_path is not None and previous_path.resolve() == next_path.resolve():
        raise ValueError("next_path must differ from previous_path")

    remove_database_file(next_path)
    next_path.parent.mkdir(parents=True, exist_ok=True)
    spill = Path(f"{next_path}.tmp")
    drop = set(drop_project_keys)
    mode = _reuse_mode(previous_path, staging_dir, keep, drop, storage_version) if previous_path is not None else None
    copy = mode is not None
    if copy:
        shutil.copyfile(previous_path, next_path)
    con = duckdb.connect(config=duckdb_config(spill))
    try:
        if copy:
            con.execute(f"attach {ddl.sql_literal(str(next_path))} as wh")
        else:
            con.execute(
                f"attach {ddl.sql_literal(str(next_path))} as wh "
                f"(storage_version {ddl.sql_literal(storage_version)})"
            )
        if previous_path is not None:
            con.execute(f"attach {ddl.sql_literal(str(previous_path))} as prev (read_only)")
        con.execute("use wh")
        recomputed = set(_warehouse_level_checks() if recomputed_checks is None else recomputed_checks)
        build = {"same": _rewrite_operations, "patch": _patch_operations, None: _build}[mode]
        load_run = dict(load_run, build_mode={"same": "copy", "patch": "patch", None: "rebuild"}[mode])
        counts = build(con, staging_dir, previous_path is not None, keep, drop,
                       source_files, dq_issues, load_run, recomputed)
        con.execute("use memory")
        if previous_path is not None:
            con.execute("detach prev")
        con.execute("checkpoint wh")
        con.execute("detach wh")
    except BaseException:
        con.close()
        remove_database_file(next_path)
        shutil.rmtree(spill, ignore_errors=True)
        raise
    con.close()
    shutil.rmtree(spill, ignore_errors=True)
    return counts


def remove_database_file(path: Path) -> None:
    """Delete a DuckDB file and its WAL, if present."""
    for p in (Path(path), Path(f"{path}.wal")):
        p.unlink(missing_ok=True)


def _warehouse_level_checks() -> tuple[str, ...]:
    """Names of the cross-sheet checks the flow runs on every built file."""
    try:
        from expectations.rules import WAREHOUSE_RULES
    except ImportError:  # warehouse used without the expectations package
        return ()
    return tuple(rule.check_name for rule in WAREHOUSE_RULES)


def _build(con, staging_dir, has_previous, keep, drop, source_files, dq_issues, load_run, recomputed) -> dict[str, int]:
    ddl.create_tables(con)
    staged = _staged_sources(con, staging_dir)
    previous_tables = _previous_tables(con) if has_previous else {}
    _select_sheets(con, staged, keep, drop)

    # project rows go to a temp table first: project_id is computed after lineage is in
    project_columns = ", ".join(schema.PROJECT.column_names)
    con.execute(f"create temp table project_rows as select {project_columns} from project limit 0")
    for table in SHEET_TABLES:
        target = "temp.project_rows" if table.name == "project" else table.name
        _load_sheet_table(con, table, target, staged.get(table.name), previous_tables.get(table.name))
    _load_project_with_identity(con)
    _load_fiscal_year(con)
    counts = _write_run_tables(con, previous_tables, source_files, dq_issues, load_run, recomputed)
    ddl.comment_tables(con)
    return counts


def _rewrite_operations(con, staging_dir, has_previous, keep, drop, source_files, dq_issues, load_run,
                        recomputed) -> dict[str, int]:
    """`_build` for a copy of a previous file holding exactly the sheets to keep."""
    previous_tables = _previous_tables(con)
    _select_sheets(con, {}, keep, drop)
    _recreate_tables(con, RUN_TABLES)
    return _write_run_tables(con, previous_tables, source_files, dq_issues, load_run, recomputed)


def _patch_operations(con, staging_dir, has_previous, keep, drop, source_files, dq_issues, load_run,
                      recomputed) -> dict[str, int]:
    """`_build` for a copy of the previous file: the rows of sheets that are not kept are
    deleted, the staged sheets inserted, identity and the dimensions recomputed."""
    staged = _staged_sources(con, staging_dir)
    previous_tables = _previous_tables(con)
    _select_sheets(con, staged, keep, drop)
    project_columns = ", ".join(schema.PROJECT.column_names)
    con.execute(f"create temp table project_rows as select {project_columns} from project "
                "where project_key in (select project_key from temp.copy_keys)")
    _recreate_tables(con, ("project", "project_link", "fiscal_year") + RUN_TABLES)
    for table in SHEET_TABLES:
        target = "temp.project_rows" if table.name == "project" else table.name
        if table.name != "project":
            con.execute(f"delete from {table.name} where project_key not in (select project_key from temp.copy_keys)")
        _load_sheet_table(con, table, target, staged.get(table.name), None)
    _load_project_with_identity(con)
    _load_fiscal_year(con)
    return _write_run_tables(con, previous_tables, source_files, dq_issues, load_run, recomputed)


def _write_run_tables(con, previous_tables, source_files, dq_issues, load_run, recomputed) -> dict[str, int]:
    """The last steps of every build: `source_file`, `dq_issue`, `load_run` (with the row
    counts), and the views with their comments (re-created on a copy too, should the
    code's views have changed since it was built).  Returns the row counts."""
    _insert_rows(con, TABLES["source_file"], source_files)
    _load_dq_issues(con, previous_tables.get("dq_issue"), dq_issues, source_files, load_run["run_id"], recomputed)
    counts = table_counts(con)
    _load_load_runs(con, previous_tables.get("load_run"), load_run, counts)
    counts["load_run"] = con.execute("select count(*) from load_run").fetchall()[0][0]
    views = ddl.create_views(con)
    ddl.comment_views(con, views)
    return counts


RUN_TABLES = ("source_file", "dq_issue", "load_run")


def _recreate_tables(con, names: Iterable[str]) -> None:
    """Empty tables of a copied file by dropping and re-creating them (with comments).

    `DELETE` of every row would keep the old rows' storage in the table's row groups:
    the file would grow by the whole table on every run.  A dropped table's blocks
    are freed at the checkpoint and reused by later writes.  (The views are re-created
    by the caller.)
    """
    for name in names:
        table = TABLES[name]
        con.execute(f"drop table {name}")
        con.execute(ddl.create_table_sql(table))
        for statement in ddl.comment_statements(table):
            con.execute(statement)


# A run that changes at most this share of the previous file's sheets patches a copy of
# it; more changes rebuild the file from scratch (compact, in insertion order).
PATCH_FRACTION = 0.2


def _reuse_mode(previous_path: Path, staging_dir, keep: set[str], drop: set[str], storage_version: str) -> str | None:
    """How the new file can start from the previous one: ``"same"`` (exactly the previous
    sheets, none re-loaded), ``"patch"`` (a few sheets replaced, added or removed) or
    None (build from scratch).  A copy is taken only of a file with the pinned storage
    version and the contract's tables and columns."""
    if Path(f"{previous_path}.wal").exists() or keep & drop:
        return None
    con = duckdb.connect(config=duckdb_config())
    try:
        con.execute(f"attach {ddl.sql_literal(str(previous_path))} as prev (read_only)")
        tags = con.execute("select tags from duckdb_databases() where database_name = 'prev'").fetchall()[0][0] or {}
        if not str(tags.get("storage_version", "")).startswith(storage_version):
            return None
        columns: dict[str, list[tuple[str, str]]] = {}
        for table_name, column_name, data_type in con.execute(
            "select table_name, column_name, data_type from duckdb_columns() "
            "where database_name = 'prev' and schema_name = 'main' order by table_name, column_index"
        ).fetchall():
            columns.setdefault(table_name, []).append((column_name, data_type.replace(" ", "").upper()))
        for table in TABLES.values():
            if columns.get(table.name) != [(c.name, c.type.replace(" ", "").upper()) for c in table.columns]:
                return None
        previous_keys = {k for (k,) in con.execute("select project_key from prev.main.project").fetchall()}
        staged_keys: set[str] = set()
        staged = _staged_sources(con, staging_dir)
        if staged:
            union = " union ".join(f"select distinct project_key from {expr}" for expr, _ in staged.values())
            staged_keys = {k for (k,) in con.execute(union).fetchall()} - drop
        if not staged_keys and keep == previous_keys:
            return "same"
        changed = len(previous_keys - (keep - staged_keys)) + len(staged_keys)
        return "patch" if changed <= PATCH_FRACTION * len(previous_keys) else None
    finally:
        con.close()


def tables_unchanged_since(db_path: Path, previous_path: Path, changed_keys: Iterable[str]) -> list[str]:
    """Tables (other than the run tables) holding the same rows in `db_path` as in
    `previous_path`, when the sheets of `changed_keys` are the only ones (re-)loaded.

    A fact table's rows come from its own sheet only, so just the changed and removed
    sheets' rows are compared; `project` (whose project_id may change for any sheet),
    `project_link` and `fiscal_year` are compared whole.  Files that do not compare
    (other columns) give no table.
    """
    con = duckdb.connect(config=duckdb_config())
    try:
        con.execute(f"attach {ddl.sql_literal(str(db_path))} as new (read_only)")
        con.execute(f"attach {ddl.sql_literal(str(previous_path))} as old (read_only)")
        _temp_strings(con, "changed_keys", "project_key", changed_keys)
        con.execute("insert into temp.changed_keys select project_key from old.main.project "
                    "except select project_key from new.main.project")
        unchanged = []
        for table in TABLES.values():
            if table.name in RUN_TABLES:
                continue
            where = ("" if table.name == "project" or table.name not in {t.name for t in SHEET_TABLES}
                     else " where project_key in (select project_key from temp.changed_keys)")
            try:
                differs = con.execute(
                    f"select exists (select * from new.main.{table.name}{where} "
                    f"except all select * from old.main.{table.name}{where}) "
                    f"or exists (select * from old.main.{table.name}{where} "
                    f"except all select * from new.main.{table.name}{where})").fetchall()[0][0]
            except duckdb.Error:
                continue
            if not differs:
                unchanged.append(table.name)
        return unchanged
    finally:
        con.close()


def table_counts(con) -> dict[str, int]:
    return {name: con.execute(f"select count(*) from {name}").fetchall()[0][0] for name in TABLES}


# ---------------------------------------------------------------- sources


def _staged_sources(con, staging_dir: Path | str | None) -> dict[str, tuple[str, set[str]]]:
    """table name -> (read_parquet(...) expression, its column names) for non-empty dirs.

    `staging_dir` is a folder or a staging URL (`transforms.stage`); a URL's fsspec
    filesystem is registered with the connection so DuckDB can read it.
    """
    sources = {}
    if staging_dir is None:
        return sources
    if local_path(staging_dir) is None:
        con.register_filesystem(fsspec_filesystem(staging_dir)[0])
    for table in SHEET_TABLES:
        files = [f if "://" in f else str(Path(f).resolve()) for f in list_parts(staging_dir, table.name)]
        if not files:
            continue
        expression = f"read_parquet([{', '.join(ddl.sql_literal(f) for f in files)}], union_by_name = true)"
        columns = {row[0] for row in con.execute(f"describe select * from {expression}").fetchall()}
        if "project_key" not in columns:
            raise ValueError(f"staged {table.name} has no project_key column: {files[0]}")
        sources[table.name] = (expression, columns)
    return sources


def _previous_tables(con) -> dict[str, tuple[str, set[str]]]:
    """table name -> (prev.main.<table>, its column names) for tables of the previous file."""
    rows = con.execute(
        "select table_name, column_name from duckdb_columns() "
        "where database_name = 'prev' and schema_name = 'main'"
    ).fetchall()
    tables: dict[str, set[str]] = {}
    for table_name, column_name in rows:
        tables.setdefault(table_name, set()).add(column_name)
    return {name: (f"prev.main.{name}", columns) for name, columns in tables.items() if name in TABLES}


def _select_sheets(con, staged, keep: set[str], drop: set[str]) -> None:
    """Temp tables `staged_keys` (load from staging) and `copy_keys` (copy from previous)."""
    union = " union ".join(f"select distinct project_key from {expr}" for expr, _ in staged.values())
    con.execute(f"create temp table staged_keys as {union or 'select null::varchar as project_key limit 0'}")
    _temp_strings(con, "drop_keys", "project_key", drop)
    _temp_strings(con, "keep_keys", "project_key", keep)
    con.execute("delete from temp.staged_keys where project_key in (select project_key from temp.drop_keys)")
    con.execute(
        "create temp table copy_keys as "
        "select project_key from temp.keep_keys "
        "except select project_key from temp.staged_keys "
        "except select project_key from temp.drop_keys"
    )
    overlap = con.execute(
        "select count(*) from temp.keep_keys where project_key in (select project_key from temp.staged_keys)"
    ).fetchall()[0][0]
    if overlap:
        log.warning("%d sheets are both kept and staged; the staged rows replace them", overlap)


def _temp_strings(con, name: str, column: str, values: Iterable[str]) -> None:
    """A one-column temp table of strings (through Arrow: executemany is ~3 ms a row)."""
    arrow = pa.table({column: pa.array(sorted(values), pa.string())})
    con.register(f"{name}_arrow", arrow)
    try:
        con.execute(f"create temp table {name} as select {column} from {name}_arrow")
    finally:
        con.unregister(f"{name}_arrow")


def _select_list(table: Table, available: set[str]) -> str:
    """Every contract column cast to its type; a column the source lacks becomes NULL."""
    return ", ".join(
        f"cast({c.name if c.name in available else 'null'} as {c.type}) as {c.name}" for c in table.columns
    )


# Tables read in time order rather than key order.
ORDER_FIRST: dict[str, tuple[str, ...]] = {"load_run": ("started_at", "run_id")}


def order_by(table: Table) -> str:
    """Key columns first, then every other column: a total, deterministic order."""
    first = ORDER_FIRST.get(table.name, table.key)
    names = list(first) + [n for n in table.column_names if n not in first]
    return ", ".join(names)


def insert_order(table: Table) -> str:
    """`order_by(table)`, short: a table whose PRIMARY KEY the database enforces has one
    row per key, so its key alone gives the same order (without sorting on every column)."""
    if table.name in ddl.PRIMARY_KEY_TABLES and table.key and table.name not in ORDER_FIRST:
        return ", ".join(table.key)
    return order_by(table)


def _load_sheet_table(con, table: Table, target: str, staged, previous) -> None:
    parts = []
    if previous is not None:
        expr, columns = previous
        parts.append(
            f"select {_select_list(table, columns)} from {expr} "
            "where project_key in (select project_key from temp.copy_keys)"
        )
    if staged is not None:
        expr, columns = staged
        parts.append(
            f"select {_select_list(table, columns)} from {expr} "
            "where project_key in (select project_key from temp.staged_keys)"
        )
    if parts:
        union = "\nunion all\n".join(parts)
        con.execute(f"insert into {target} select * from ({union}) order by {order_by(table)}")


def _load_project_with_identity(con) -> None:
    identity = resolve_in_database(con, project_table="temp.project_rows", lineage_table="lineage")
    ids = pa.table(
        {
            "project_key": pa.array(list(identity.project_ids), pa.string()),
            "project_id": pa.array(list(identity.project_ids.values()), pa.string()),
        }
    )
    con.register("identity_ids", ids)
    columns = ", ".join(
        "i.project_id" if c == "project_id" else f"p.{c}" for c in schema.PROJECT.column_names
    )
    con.execute(
        f"insert into project select {columns} from temp.project_rows p "
        f"join identity_ids i using (project_key) order by {insert_order(schema.PROJECT)}"
    )
    con.unregister("identity_ids")
    _insert_rows(con, TABLES["project_link"], identity.links)


def _insert_rows(con, table: Table, rows: list[dict], carried: str | None = None) -> None:
    """Insert row dicts (keys not in the contract are ignored) plus, optionally, the
    rows of the `carried` SELECT, in one statement ordered by `order_by(table)`."""
    parts = [carried] if carried else []
    name = f"rows_{table.name}"
    if rows:
        con.register(name, schema.to_arrow(table, [_coerce_timestamps(table, r) for r in rows]))
        parts.append(f"select * from {name}")
    try:
        if parts:
            union = "\nunion all\n".join(parts)
            con.execute(f"insert into {table.name} select * from ({union}) order by {insert_order(table)}")
    finally:
        if rows:
            con.unregister(name)


def _coerce_timestamps(table: Table, row: dict) -> dict:
    """Accept ISO strings for TIMESTAMP columns."""
    fixed = dict(row)
    for c in table.columns:
        if c.type == "TIMESTAMP" and isinstance(fixed.get(c.name), str):
            fixed[c.name] = datetime.fromisoformat(fixed[c.name])
    return fixed


def _load_fiscal_year(con) -> None:
    union = " union all ".join(
        f"select min({column}) as lo, max({column}) as hi from {table}" for table, column in YEAR_COLUMNS
    )
    lo, hi = con.execute(f"select min(lo), max(hi) from ({union})").fetchall()[0]
    _insert_rows(con, TABLES["fiscal_year"], fiscal_year_rows(lo, hi))


def _load_dq_issues(con, previous, dq_issues, source_files, run_id: str, recomputed: set[str]) -> None:
    """Previous findings of sheets and files not re-processed in this run, plus `dq_issues`.

    Carried: rows of a copied sheet (project_key in copy_keys), and rows without a
    project_key whose file was not re-processed (its source_file.run_id is an older
    run).  Never carried: rows of a file re-processed in this run (it has fresh
    findings, or none) and rows of `recomputed` (warehouse-wide) checks.
    """
    table = TABLES["dq_issue"]
    carried = None
    if previous is not None:
        expr, columns = previous
        reprocessed = {f["path"] for f in source_files if f.get("run_id") == run_id}
        reprocessed |= {i["source_path"] for i in dq_issues if i.get("source_path")}
        unchanged = {f["path"] for f in source_files if f.get("run_id") != run_id} - reprocessed
        for name, values in (("unchanged_paths", unchanged), ("reprocessed_paths", reprocessed),
                             ("recomputed_checks", recomputed)):
            _temp_strings(con, name, "value", values)
        carried = (
            f"select {_select_list(table, columns)} from {expr} "
            "where (project_key in (select project_key from temp.copy_keys) "
            "or (project_key is null and source_path in (select value from temp.unchanged_paths))) "
            "and (source_path is null or source_path not in (select value from temp.reprocessed_paths)) "
            "and check_name not in (select value from temp.recomputed_checks)"
        )
    _insert_rows(con, table, dq_issues, carried)


def _load_load_runs(con, previous, load_run: dict, counts: dict[str, int]) -> None:
    """Previous history plus this run (a re-used run_id replaces the old row)."""
    table = TABLES["load_run"]
    row = dict(load_run)
    for name, count in counts.items():
        if f"rows_{name}" in table.column_names and row.get(f"rows_{name}") is None:
            row[f"rows_{name}"] = count
    carried = None
    if previous is not None:
        expr, columns = previous
        carried = (
            f"select {_select_list(table, columns)} from {expr} "
            f"where run_id <> {ddl.sql_literal(row['run_id'])}"
        )
    _insert_rows(con, table, [row], carried)
