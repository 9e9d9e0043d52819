"""The table loaders every build mode of `warehouse.build` is made of.

Each function works on a connection whose current database is the new warehouse
file (``wh``), with the previous file attached read-only as ``prev`` when there is
one, and the run's staged Parquet read through `read_parquet`.  Temp tables name
the sheets of the run: ``staged_keys`` (load from staging), ``copy_keys`` (copy
from the previous file) and ``drop_keys`` (kept out).  Every INSERT is ordered by
the table's key (`order_by`), so a table built from scratch is stored in key order.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from transforms import schema
from transforms.schema import SHEET_TABLES, TABLES, Table
from transforms.stage import fsspec_filesystem, list_parts, local_path
from warehouse import ddl
from warehouse.dimensions import fiscal_year_rows
from warehouse.identity import resolve_in_database

log = logging.getLogger(__name__)

# Columns whose years must exist in `fiscal_year`.
YEAR_COLUMNS: tuple[tuple[str, str], ...] = tuple(
    (t.name, c.name) for t in SHEET_TABLES for c in t.columns if c.name == "fiscal_year"
) + (("project", "review_year"), ("project", "start_fiscal_year"), ("project", "end_fiscal_year"))


def table_counts(con) -> dict[str, int]:
    return {name: con.execute(f"select count(*) from {name}").fetchall()[0][0] for name in TABLES}


# ---------------------------------------------------------------- sources


def staged_sources(con, staging_dir: Path | str | None) -> dict[str, tuple[str, set[str]]]:
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


def previous_sources(con) -> dict[str, tuple[str, set[str]]]:
    """table name -> (prev.main.<table>, its column names) for tables of the previous file."""
    rows = con.execute(
        "select table_name, column_name from duckdb_columns() "
        "where database_name = 'prev' and schema_name = 'main'"
    ).fetchall()
    tables: dict[str, set[str]] = {}
    for table_name, column_name in rows:
        tables.setdefault(table_name, set()).add(column_name)
    return {name: (f"prev.main.{name}", columns) for name, columns in tables.items() if name in TABLES}


def select_sheets(con, staged, keep: set[str], drop: set[str]) -> None:
    """Temp tables `staged_keys` (load from staging) and `copy_keys` (copy from previous)."""
    union = " union ".join(f"select distinct project_key from {expr}" for expr, _ in staged.values())
    con.execute(f"create temp table staged_keys as {union or 'select null::varchar as project_key limit 0'}")
    temp_strings(con, "drop_keys", "project_key", drop)
    temp_strings(con, "keep_keys", "project_key", keep)
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


def unnest_select(columns: Iterable[tuple[str, str]]) -> str:
    """``SELECT`` of rows passed as one typed list parameter per (name, type) column,
    unnested side by side.  Python values go to DuckDB this way rather than as Arrow
    arrays built from Python objects (that conversion imports pandas: half a second of
    a run that has nothing else to convert) or by executemany (~3 ms a row)."""
    return "select " + ", ".join(f"unnest(?::{type_}[]) as {name}" for name, type_ in columns)


def temp_strings(con, name: str, column: str, values: Iterable[str]) -> None:
    """A one-column temp table of strings."""
    con.execute(f"create temp table {name} as {unnest_select([(column, 'VARCHAR')])}", [sorted(values)])


def select_list(table: Table, available: set[str]) -> str:
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


def load_sheet_table(con, table: Table, target: str, staged, previous) -> None:
    parts = []
    if previous is not None:
        expr, columns = previous
        parts.append(
            f"select {select_list(table, columns)} from {expr} "
            "where project_key in (select project_key from temp.copy_keys)"
        )
    if staged is not None:
        expr, columns = staged
        parts.append(
            f"select {select_list(table, columns)} from {expr} "
            "where project_key in (select project_key from temp.staged_keys)"
        )
    if parts:
        union = "\nunion all\n".join(parts)
        con.execute(f"insert into {target} select * from ({union}) order by {order_by(table)}")


def load_project_with_identity(con) -> None:
    """`project` from `temp.project_rows` with `project_id` resolved, and `project_link`."""
    identity = resolve_in_database(con, project_table="temp.project_rows", lineage_table="lineage")
    insert_rows(con, TABLES["project_link"], identity.links)
    keys = list(identity.project_ids)
    con.execute(f"create temp table identity_ids as {unnest_select([('project_key', 'VARCHAR'), ('project_id', 'VARCHAR')])}",
                [keys, [identity.project_ids[k] for k in keys]])
    # Both are in the database now: the project insert, the load's largest step in memory,
    # runs without them (the links alone are ~120,000 rows at 50,000 sheets).
    del identity, keys
    _insert_projects(con, "temp.identity_ids")
    con.execute("drop table temp.identity_ids")


# What `warehouse.identity` reads: project_id and project_link are a function of these rows.
IDENTITY_INPUTS = (
    ("temp.project_rows", "prev.main.project", "project_key, review_year, ministry, project_number, project_name"),
    ("lineage", "prev.main.lineage", "project_key, past_review_year, past_ministry, past_project_number"),
)


def identity_inputs_unchanged(con) -> bool:
    """Whether the sheets and lineage rows identity is resolved from (`temp.project_rows`
    and `lineage` of the new file) equal those of the previous file ``prev``: then its
    `project_id`s and `project_link` rows are what resolving again would give (an edit
    that changed amounts, not a project's number, name or lineage)."""
    for new, old, columns in IDENTITY_INPUTS:
        a, b = f"select {columns} from {new}", f"select {columns} from {old}"
        if con.execute(f"select exists ({a} except all {b}) or exists ({b} except all {a})").fetchall()[0][0]:
            return False
    return True


def load_project_with_previous_identity(con) -> None:
    """`project` from `temp.project_rows` with the previous file's `project_id`s (see
    `identity_inputs_unchanged`); `project_link` is left as copied."""
    _insert_projects(con, "prev.main.project")


def _insert_projects(con, ids: str) -> None:
    """Insert `temp.project_rows` into `project`, `project_id` taken from `ids` by project_key."""
    columns = ", ".join(
        "i.project_id" if c == "project_id" else f"p.{c}" for c in schema.PROJECT.column_names
    )
    con.execute(
        f"insert into project select {columns} from temp.project_rows p "
        f"join {ids} i using (project_key) order by {insert_order(schema.PROJECT)}"
    )


def insert_rows(con, table: Table, rows: list[dict], carried: str | None = None) -> None:
    """Insert row dicts (keys not in the contract are ignored) plus, optionally, the
    rows of the `carried` SELECT, in one statement ordered by `order_by(table)`
    (the rows as list parameters: `unnest_select`)."""
    parts = [carried] if carried else []
    parameters: list[list] = []
    if rows:
        rows = [_coerce_timestamps(table, r) for r in rows]
        for c in table.columns:
            values = [row.get(c.name) for row in rows]
            parameters.append([schema.quantize(v, c.type) for v in values] if c.type.startswith("DECIMAL") else values)
        parts.append(unnest_select((c.name, c.type) for c in table.columns))
    if parts:
        union = "\nunion all\n".join(parts)
        con.execute(f"insert into {table.name} select * from ({union}) order by {insert_order(table)}", parameters)


def _coerce_timestamps(table: Table, row: dict) -> dict:
    """Accept ISO strings for TIMESTAMP columns."""
    fixed = dict(row)
    for c in table.columns:
        if c.type == "TIMESTAMP" and isinstance(fixed.get(c.name), str):
            fixed[c.name] = datetime.fromisoformat(fixed[c.name])
    return fixed


def load_fiscal_year(con) -> None:
    union = " union all ".join(
        f"select min({column}) as lo, max({column}) as hi from {table}" for table, column in YEAR_COLUMNS
    )
    lo, hi = con.execute(f"select min(lo), max(hi) from ({union})").fetchall()[0]
    insert_rows(con, TABLES["fiscal_year"], fiscal_year_rows(lo, hi))


def load_dq_issues(con, previous, dq_issues, source_files, run_id: str, recomputed: set[str]) -> None:
    """Previous findings of sheets and files not re-processed in this run, plus `dq_issues`.

    Carried: rows of a copied sheet (project_key in copy_keys), and rows of a file not
    re-processed (its source_file.run_id is an older run: an unchanged file, or one
    still quarantined for the same reasons).  Never carried: rows of a file
    re-processed in this run (it has fresh findings, or none) and rows of
    `recomputed` (warehouse-wide) checks.
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
            temp_strings(con, name, "value", values)
        carried = (
            f"select {select_list(table, columns)} from {expr} "
            "where (project_key in (select project_key from temp.copy_keys) "
            "or source_path in (select value from temp.unchanged_paths)) "
            "and (source_path is null or source_path not in (select value from temp.reprocessed_paths)) "
            "and check_name not in (select value from temp.recomputed_checks)"
        )
    insert_rows(con, table, dq_issues, carried)


def load_load_runs(con, previous, load_run: dict, counts: dict[str, int]) -> None:
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
            f"select {select_list(table, columns)} from {expr} "
            f"where run_id <> {ddl.sql_literal(row['run_id'])}"
        )
    insert_rows(con, table, [row], carried)
