"""Read-only queries for the CLI (`query`, `status`, `dq`) and scripts.

Every call opens the warehouse file read-only and closes it before returning, so
it never blocks the ETL and always sees the latest published file.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb

Result = tuple[list[str], list[tuple]]
# statements that write files outside the database, which a read-only connection allows
_WRITES_FILES = ("COPY", "EXPORT")


class QueryRefused(ValueError):
    """A query this read-only interface does not run (one line)."""


def run_query(db_path: Path, sql: str, params: Sequence[Any] | dict[str, Any] | None = None) -> Result:
    """Run one SQL statement read-only; return (column names, rows).

    Example: `run_query(path, "select * from v_ministry_year where fiscal_year = ?", [2019])`.
    Writes to the database fail with `duckdb.InvalidInputException` (read-only
    connection); `QueryRefused` for no statement, several, or one writing files
    (COPY ... TO, EXPORT DATABASE).
    """
    db_path = Path(db_path)
    if not db_path.exists():
        raise FileNotFoundError(f"no warehouse at {db_path}; run the pipeline first")
    statements = duckdb.extract_statements(sql)
    if len(statements) != 1:
        raise QueryRefused("give exactly one SQL statement" if statements else "the query is empty")
    if statements[0].type.name in _WRITES_FILES:
        raise QueryRefused(f"{statements[0].type.name} writes files: queries here are read-only")
    with duckdb.connect(str(db_path), read_only=True) as con:
        cursor = con.execute(sql, params) if params is not None else con.execute(sql)
        if cursor.description is None:
            return [], []
        columns = [d[0] for d in cursor.description]
        return columns, cursor.fetchall()


RUN_COLUMNS = ("run_id", "started_at", "finished_at", "status", "build_mode", "files_seen", "files_loaded",
               "files_unchanged", "files_quarantined", "files_removed", "rows_project", "warnings")


def recent_runs(db_path: Path, limit: int = 10) -> Result:
    """The latest `load_run` rows, newest first (a column an older file lacks reads NULL)."""
    _, stored = run_query(db_path, "select column_name from duckdb_columns() "
                                   "where schema_name = 'main' and table_name = 'load_run'")
    present = {name for (name,) in stored}
    listed = ", ".join(c if c in present else f"null as {c}" for c in RUN_COLUMNS)
    return run_query(
        db_path,
        f"select {listed} from load_run order by started_at desc, run_id desc limit ?",
        [int(limit)],
    )


def dq_summary(db_path: Path) -> Result:
    """Current data-quality findings per check: rows, sheets and files affected."""
    return run_query(
        db_path,
        """
        select
            severity,
            check_name,
            table_name,
            count(*) as issues,
            count(distinct project_key) as sheets,
            count(distinct source_path) as files,
            max(run_id) as last_run_id
        from dq_issue
        group by severity, check_name, table_name
        order by severity, issues desc, check_name, table_name nulls first
        """,
    )


def table_counts(db_path: Path) -> Result:
    """Row count of every table in the warehouse (for `status`)."""
    columns, tables = run_query(
        db_path, "select table_name from duckdb_tables() where schema_name = 'main' order by table_name"
    )
    del columns
    if not tables:
        return ["table_name", "rows"], []
    union = " union all ".join(f"select '{name}' as table_name, count(*) as rows from {name}" for (name,) in tables)
    return run_query(db_path, f"select * from ({union}) order by table_name")
