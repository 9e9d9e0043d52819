"""Add data-quality findings to a built, not yet published, warehouse file."""

from __future__ import annotations

from pathlib import Path

import duckdb

from transforms.schema import DQ_ISSUE


def append_dq_issues(db_path: Path, issues: list[dict]) -> int:
    """Insert `issues` (dq_issue rows) into the file at `db_path`; returns how many."""
    if not issues:
        return 0
    columns = DQ_ISSUE.column_names
    placeholders = ", ".join("?" for _ in columns)
    con = duckdb.connect(str(db_path))
    try:
        con.executemany(
            f"insert into dq_issue ({', '.join(columns)}) values ({placeholders})",
            [[issue.get(c) for c in columns] for issue in issues],
        )
        con.execute("update load_run set warnings = coalesce(warnings, 0) + ? where run_id = ?",
                    [sum(1 for i in issues if i["severity"] == "warning"), issues[0]["run_id"]])
        con.execute("checkpoint")
    finally:
        con.close()
    return len(issues)
