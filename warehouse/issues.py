"""Cross-sheet data-quality findings in a built, not yet published, warehouse file.

Cross-sheet checks (restatements) compare the sheets of one project_id, so a run
that changed a few sheets re-checks only the projects those sheets belong to, now
or before the run (`cross_sheet_scope`); the findings of every other sheet still
hold and are carried from the previous file by `replace_dq_issues`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import duckdb

from transforms.schema import DQ_ISSUE, to_arrow
from warehouse.load import temp_strings


def cross_sheet_scope(db_path: Path, previous_path: Path, changed_keys: Iterable[str]) -> set[str] | None:
    """The sheets of `db_path` whose cross-sheet findings may differ from `previous_path`'s,
    or None (check everything) when the previous file's `dq_issue` is not the contract's.

    A sheet is in scope when its project (project_id in the new file) or its former
    project (in the previous file) holds a changed sheet: one loaded by this run
    (`changed_keys`), removed since, or whose project_id changed.
    """
    con = duckdb.connect()
    try:
        con.execute("attach ? as new (read_only)", [str(db_path)])
        con.execute("attach ? as old (read_only)", [str(previous_path)])
        stored = [r[0] for r in con.execute(
            "select column_name from duckdb_columns() where database_name = 'old' and schema_name = 'main' "
            "and table_name = 'dq_issue' order by column_index").fetchall()]
        if stored != list(DQ_ISSUE.column_names):
            return None
        temp_strings(con, "loaded", "project_key", set(changed_keys))
        rows = con.execute("""
            with n as (select project_key, project_id from new.main.project),
                 o as (select project_key, project_id from old.main.project),
                 changed as (
                    select project_key from temp.loaded
                    union select project_key from o where project_key not in (select project_key from n)
                    union select n.project_key from n join o using (project_key) where n.project_id <> o.project_id),
                 new_ids as (select project_id from n where project_key in (select project_key from changed)),
                 old_ids as (select project_id from o where project_key in (select project_key from changed))
            select project_key from n where project_id in (select project_id from new_ids)
            union select n.project_key from n join o using (project_key)
                  where o.project_id in (select project_id from old_ids)
        """).fetchall()
    finally:
        con.close()
    return {key for (key,) in rows}


def dq_issue_count(db_path: Path) -> int:
    """Rows of `dq_issue` in a warehouse file (after the cross-sheet checks added theirs)."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        return con.execute("select count(*) from dq_issue").fetchone()[0]
    finally:
        con.close()


def replace_dq_issues(db_path: Path, issues: list[dict], check_names: set[str], run_id: str, *,
                      scope: set[str] | None = None, previous_path: Path | None = None) -> int:
    """Delete the rows of `check_names` and insert `issues` (found by this run).

    Cross-sheet checks look at the whole warehouse, so their findings are recomputed
    each run; carrying the old rows over as well would repeat them.  With `scope` and
    `previous_path`, `issues` covers the sheets in `scope` only: the previous file's
    rows of `check_names` for every other sheet still in the warehouse are carried
    (with the run_id that found them).  `load_run.warnings` of `run_id` grows by the
    warnings inserted, which is also the number returned.
    """
    listed = ", ".join(DQ_ISSUE.column_names)
    checks = sorted(check_names)
    carry = scope is not None and previous_path is not None and bool(checks)
    con = duckdb.connect(str(db_path))
    try:
        if carry:
            con.execute("attach ? as old (read_only)", [str(previous_path)])
            temp_strings(con, "in_scope", "project_key", scope)
        con.execute("begin")
        if checks:
            con.execute("delete from dq_issue where check_name in (select unnest(?))", [checks])
        if issues:
            # through Arrow: executemany costs milliseconds per row
            con.register("new_dq_issues", to_arrow(DQ_ISSUE, issues))
            con.execute(f"insert into dq_issue ({listed}) select {listed} from new_dq_issues")
            con.unregister("new_dq_issues")
        warnings = sum(1 for i in issues if i["severity"] == "warning")
        if carry:
            carried = ("from old.main.dq_issue where check_name in (select unnest(?)) "
                       "and project_key in (select project_key from project) "
                       "and project_key not in (select project_key from temp.in_scope)")
            warnings += con.execute(f"select count(*) filter (where severity = 'warning') {carried}", [checks]).fetchone()[0]
            con.execute(f"insert into dq_issue ({listed}) select {listed} {carried}", [checks])
        con.execute("update load_run set warnings = coalesce(warnings, 0) + ? where run_id = ?", [warnings, run_id])
        con.execute("commit")
        if carry:
            con.execute("detach old")
        con.execute("checkpoint")
    finally:
        con.close()
    return warnings
