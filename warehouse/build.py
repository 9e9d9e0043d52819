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
  carried, except into a copy of exactly the same sheets, where they still hold.
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
  recomputed (identity and `project_link` are kept as copied when the rows they are
  resolved from, each sheet's number, name, ministry and lineage, did not change).  The tables hold the same rows as a rebuild; only the physical order
  differs (query with ORDER BY).  A larger change rebuilds the file from scratch,
  which also compacts it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path

import duckdb

from transforms import schema
from transforms.schema import SHEET_TABLES, TABLES
from warehouse import ddl
from warehouse.load import (
    identity_inputs_unchanged, insert_rows, load_dq_issues, load_fiscal_year, load_load_runs, load_project_with_identity,
    load_project_with_previous_identity, load_sheet_table, previous_sources, select_sheets, staged_sources, table_counts,
    temp_strings,
)


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
    every build (their previous rows are carried only into a copy of the same sheets);
    default: the names of `expectations.rules.WAREHOUSE_RULES`.
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
    con = duckdb.connect(config=duckdb_config(spill))
    try:
        staged = staged_sources(con, staging_dir)
        mode = None
        if previous_path is not None:
            con.execute(f"attach {ddl.sql_literal(str(previous_path))} as prev (read_only)")
            mode = _reuse_mode(con, previous_path, staged, keep, drop, storage_version)
        if mode is not None:
            shutil.copyfile(previous_path, next_path)
            con.execute(f"attach {ddl.sql_literal(str(next_path))} as wh")
        else:
            con.execute(
                f"attach {ddl.sql_literal(str(next_path))} as wh "
                f"(storage_version {ddl.sql_literal(storage_version)})"
            )
        con.execute("use wh")
        # A copy of exactly the same sheets: the cross-sheet findings still hold and are carried.
        recomputed = set() if mode == "same" else set(
            _warehouse_level_checks() if recomputed_checks is None else recomputed_checks)
        build = {"same": _rewrite_operations, "patch": _patch_operations, None: _build}[mode]
        load_run = dict(load_run, build_mode={"same": "copy", "patch": "patch", None: "rebuild"}[mode])
        if mode is not None:  # a few sheets' changes: committed once, not statement by statement
            con.execute("begin transaction")
        counts = build(con, staged, previous_path is not None, keep, drop,
                       source_files, dq_issues, load_run, recomputed)
        if mode is not None:
            con.execute("commit")
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


def written_build_mode(db_path: Path, run_id: str) -> str | None:
    """How `build_warehouse` wrote the file for `run_id`: rebuild, copy or patch."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        row = con.execute("select build_mode from load_run where run_id = ?", [run_id]).fetchone()
    finally:
        con.close()
    return row[0] if row else None


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


def _build(con, staged, has_previous, keep, drop, source_files, dq_issues, load_run, recomputed) -> dict[str, int]:
    ddl.create_tables(con)
    previous_tables = previous_sources(con) if has_previous else {}
    select_sheets(con, staged, keep, drop)

    # project rows go to a temp table first: project_id is computed after lineage is in
    project_columns = ", ".join(schema.PROJECT.column_names)
    con.execute(f"create temp table project_rows as select {project_columns} from project limit 0")
    for table in SHEET_TABLES:
        target = "temp.project_rows" if table.name == "project" else table.name
        load_sheet_table(con, table, target, staged.get(table.name), previous_tables.get(table.name))
    load_project_with_identity(con)
    load_fiscal_year(con)
    counts = _write_run_tables(con, previous_tables, source_files, dq_issues, load_run, recomputed)
    ddl.comment_tables(con)
    return counts


def _rewrite_operations(con, staged, has_previous, keep, drop, source_files, dq_issues, load_run,
                        recomputed) -> dict[str, int]:
    """`_build` for a copy of a previous file holding exactly the sheets to keep."""
    previous_tables = previous_sources(con)
    select_sheets(con, {}, keep, drop)
    _recreate_tables(con, RUN_TABLES)
    return _write_run_tables(con, previous_tables, source_files, dq_issues, load_run, recomputed)


def _patch_operations(con, staged, has_previous, keep, drop, source_files, dq_issues, load_run,
                      recomputed) -> dict[str, int]:
    """`_build` for a copy of the previous file: the rows of sheets that are not kept are
    deleted, the staged sheets inserted, identity and the dimensions recomputed."""
    previous_tables = previous_sources(con)
    select_sheets(con, staged, keep, drop)
    project_columns = ", ".join(schema.PROJECT.column_names)
    con.execute(f"create temp table project_rows as select {project_columns} from project "
                "where project_key in (select project_key from temp.copy_keys)")
    _recreate_tables(con, ("project", "fiscal_year") + RUN_TABLES)
    for table in SHEET_TABLES:
        target = "temp.project_rows" if table.name == "project" else table.name
        if table.name != "project":
            con.execute(f"delete from {table.name} where project_key not in (select project_key from temp.copy_keys)")
        load_sheet_table(con, table, target, staged.get(table.name), None)
    if identity_inputs_unchanged(con):  # the copied project_link holds; ids as before
        load_project_with_previous_identity(con)
    else:
        _recreate_tables(con, ("project_link",))
        load_project_with_identity(con)
    load_fiscal_year(con)
    return _write_run_tables(con, previous_tables, source_files, dq_issues, load_run, recomputed)


def _write_run_tables(con, previous_tables, source_files, dq_issues, load_run, recomputed) -> dict[str, int]:
    """The last steps of every build: `source_file`, `dq_issue`, `load_run` (with the row
    counts), and the views with their comments (re-created on a copy too, should the
    code's views have changed since it was built).  Returns the row counts."""
    insert_rows(con, TABLES["source_file"], source_files)
    load_dq_issues(con, previous_tables.get("dq_issue"), dq_issues, source_files, load_run["run_id"], recomputed)
    counts = table_counts(con)
    load_load_runs(con, previous_tables.get("load_run"), load_run, counts)
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


def _reuse_mode(con, previous_path: Path, staged: dict, keep: set[str], drop: set[str],
                storage_version: str) -> str | None:
    """How the new file can start from the previous one (attached to `con` as ``prev``):
    ``"same"`` (exactly the previous sheets, none re-loaded), ``"patch"`` (a few sheets
    replaced, added or removed) or None (build from scratch).  A copy is taken only of
    a file with the pinned storage version and the contract's tables and columns."""
    if Path(f"{previous_path}.wal").exists() or keep & drop:
        return None
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
    if len(previous_keys - keep) > PATCH_FRACTION * len(previous_keys):
        return None  # too many sheets leave or change: no need to read the staging
    staged_keys: set[str] = set()
    if staged:
        union = " union ".join(f"select distinct project_key from {expr}" for expr, _ in staged.values())
        staged_keys = {k for (k,) in con.execute(union).fetchall()} - drop
    if not staged_keys and keep == previous_keys:
        return "same"
    changed = len(previous_keys - (keep - staged_keys)) + len(staged_keys)
    return "patch" if changed <= PATCH_FRACTION * len(previous_keys) else None


def tables_unchanged_since(db_path: Path, previous_path: Path, changed_keys: Iterable[str]) -> list[str]:
    """Tables (other than the run tables) holding the same rows in `db_path` as in
    `previous_path`, when the sheets of `changed_keys` are the only ones (re-)loaded.

    A sheet table's rows come from its own sheet only, so just the changed and removed
    sheets' rows are compared; of `project`, whose other rows are copied with only
    `project_id` recomputed, also every sheet's project_id; `project_link` and
    `fiscal_year` are compared whole.  Files that do not compare (other columns) give
    no table.
    """
    con = duckdb.connect(config=duckdb_config())
    try:
        con.execute(f"attach {ddl.sql_literal(str(db_path))} as new (read_only)")
        con.execute(f"attach {ddl.sql_literal(str(previous_path))} as old (read_only)")
        temp_strings(con, "changed_keys", "project_key", changed_keys)
        con.execute("insert into temp.changed_keys select project_key from old.main.project "
                    "except select project_key from new.main.project")
        unchanged = []
        sheet_tables = {t.name for t in SHEET_TABLES}
        changed = " where project_key in (select project_key from temp.changed_keys)"
        for table in TABLES.values():
            if table.name in RUN_TABLES:
                continue
            compared = [("*", changed if table.name in sheet_tables else "")]
            if table.name == "project":
                compared.append(("project_key, project_id", ""))
            try:
                differs = any(_differ(con, table.name, columns, where) for columns, where in compared)
            except duckdb.Error:
                continue
            if not differs:
                unchanged.append(table.name)
        return unchanged
    finally:
        con.close()


def _differ(con, table: str, columns: str, where: str) -> bool:
    """Whether `new` and `old` hold different rows (as multisets) of `table`."""
    new, old = f"select {columns} from new.main.{table}{where}", f"select {columns} from old.main.{table}{where}"
    return con.execute(f"select exists ({new} except all {old}) or exists ({old} except all {new})").fetchall()[0][0]
