"""Replace cross-sheet data-quality findings in a built, not yet published, warehouse file."""

from __future__ import annotations

from pathlib import Path

import duckdb

from transforms.schema import DQ_ISSUE, to_arrow


def replace_dq_issues(db_path: Path, issues: list[dict], check_names: set[str], run_id: str) -> int:
    """Delete the rows of `check_names` (found again on every run) and insert `issues`.

    Cross-sheet checks look at the whole warehouse, so their findings are recomputed
    each run; carrying the old rows over as well would repeat them.
    """
    columns = DQ_ISSUE.column_names
    con = duckdb.connect(str(db_path))
    try:
        con.execute("begin")
        if check_names:
            con.execute("delete from dq_issue where check_name in (select unnest(?))", [sorted(check_names)])
        if issues:
            # through Arrow: executemany costs milliseconds per row
            con.register("new_dq_issues", to_arrow(DQ_ISSUE, issues))
            con.execute(f"insert into dq_issue ({', '.join(columns)}) select {', '.join(columns)} from new_dq_issues")
            con.unregister("new_dq_issues")
        warnings = sum(1 for i in issues if i["severity"] == "warning")
        con.execute("update load_run set warnings = coalesce(warnings, 0) + ? where run_id = ?", [warnings, run_id])
        con.execute("commit")
        con.execute("checkpoint")
    finally:
        con.close()
    return len(issues)
