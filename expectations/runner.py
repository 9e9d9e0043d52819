"""The data-quality gate: staged Parquet -> Great Expectations on DuckDB -> dq_issue rows.

`validate_staged` builds a throwaway DuckDB file of views over the staged Parquet
(`<staging_dir>/<table>/*.parquet`, absent or empty tables become empty typed
views), runs the suites of `expectations.suites` on it with Great Expectations,
and turns every failed expectation into ``dq_issue`` rows - one per offending
sheet/row - using GE's unexpected rows (re-fetched in full with the same SQL
when GE truncated them).  A sheet with any error-severity issue is quarantined;
warnings load.  `validate_warehouse` runs the cross-sheet rules (restatements)
on a built warehouse file opened read-only.

Speed: per table, GE checks all column expectations in one pass (their counts come
from one bundled query; only failing checks fetch rows, with the SQL GE built) and
runs each SQL check once.  An empty staging (nothing changed) is answered without
GE, which is imported only when there is something to check.  A staging root that
is a URL (not a local folder) is copied into the throwaway database once, so GE's
connection needs no access to the remote filesystem.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from expectations.report import write_report
from expectations.rules import BATCH, RULES, WAREHOUSE_RULES
from transforms import schema
from transforms.schema import Table
from transforms.stage import fsspec_filesystem, list_parts, local_path, staging_filesystem

# Great Expectations (seconds to import) is imported inside the functions that run it.
ROW_EXPECTATION_TYPES = ("unexpected_rows_expectation", "expect_query_to_return_no_rows")
DUCKDB_CONFIG = {"threads": 2, "memory_limit": "192MB"}  # GE's connection: bounded memory at any N


@dataclass
class CheckOutcome:
    """How one expectation fared (for the report)."""

    check_name: str
    table_name: str
    severity: str
    success: bool
    unexpected: int
    description: str = ""


@dataclass
class Validation:
    """The verdict on one staging: dq_issue rows and the sheets kept out."""

    issues: list[dict]
    quarantined: dict[str, str]  # project_key -> one-line reason
    success: bool  # no error-severity issue at all
    report_path: Path | None
    seconds: float
    checks: list[CheckOutcome] = field(default_factory=list)


def validate_staged(staging_dir: Path | str, run_id: str, *, report_dir: Path | None = None) -> Validation:
    """Validate the staged tables of one run; optionally write the HTML report.

    `staging_dir` is a folder or a staging URL (see `transforms.stage`).
    """
    started = time.perf_counter()
    unstaged = frozenset(t.name for t in schema.SHEET_TABLES if not list_parts(staging_dir, t.name))
    if len(unstaged) == len(schema.SHEET_TABLES):
        issues, found, checks, sources = [], [], [], {}  # nothing staged: nothing to check
    else:
        from expectations.gx_duckdb import GxSession, quiet
        from expectations.suites import build_suites

        with tempfile.TemporaryDirectory(prefix="dq_staged_") as tmp:
            db_path = Path(tmp) / "staged.duckdb"
            issues = stage_views(staging_dir, db_path)
            with quiet(), GxSession(str(db_path), name="staged", duckdb_config=DUCKDB_CONFIG) as session:
                checks, found = run_suites(session, build_suites(), schema.SHEET_TABLES, unstaged)
                sources = _source_paths(session)
    rows = to_dq_rows(issues + found, run_id, sources)
    quarantined = quarantine_reasons(rows)
    success = not any(r["severity"] == "error" for r in rows)
    seconds = time.perf_counter() - started
    report_path = None
    if report_dir is not None:
        report_path = write_report(Path(report_dir), run_id, rows, quarantined=quarantined,
                                   checks=checks, seconds=seconds)
    return Validation(rows, quarantined, success, report_path, time.perf_counter() - started, checks)


def validate_warehouse(db_path: Path, run_id: str, project_keys: Iterable[str] | None = None) -> list[dict]:
    """Cross-sheet warnings (restatements) on a built warehouse file, opened read-only.

    Needs tables ``project`` (project_key, project_id, review_year, source_path) and
    ``budget_line``.  Close any read-write connection to the file in this process first.
    `project_keys`: check only these sheets (whole projects: see
    `warehouse.issues.cross_sheet_scope`), copied into a throwaway file first.
    """
    if project_keys is not None:
        keys = sorted(project_keys)
        if not keys:
            return []
        with tempfile.TemporaryDirectory(prefix="dq_scope_") as tmp:
            scoped = Path(tmp) / "scope.duckdb"
            _copy_sheets(Path(db_path), scoped, keys, ("project", "budget_line"))
            return validate_warehouse(scoped, run_id)
    from expectations.gx_duckdb import GxSession, gx, quiet
    from expectations.suites import rule_expectation

    with quiet(), GxSession(str(Path(db_path).resolve()), read_only=True, name="warehouse",
                            duckdb_config=DUCKDB_CONFIG) as session:
        present = {r["table_name"] for r in session.fetch("select table_name from information_schema.tables")}
        missing = {"project", "budget_line"} - present
        if missing:
            raise ValueError(f"{db_path}: warehouse lacks table(s) {', '.join(sorted(missing))}")
        table = schema.TABLES["budget_line"]
        suite = gx.ExpectationSuite(name="warehouse.budget_line",
                                    expectations=[rule_expectation(r) for r in WAREHOUSE_RULES])
        _, found = run_suites(session, {table.name: suite}, (table,))
        sources = _source_paths(session)
    return to_dq_rows(found, run_id, sources)


def _copy_sheets(db_path: Path, target: Path, keys: list[str], tables: tuple[str, ...]) -> None:
    """A new DuckDB file holding the rows of `keys` of each of `tables`."""
    con = duckdb.connect(str(target), config=DUCKDB_CONFIG)
    try:
        con.execute("attach ? as source (read_only)", [str(db_path)])
        con.execute("create temp table scope_keys as select unnest(?::varchar[]) as project_key", [keys])
        for name in tables:
            con.execute(f"create table {name} as select * from source.main.{name} "
                        "where project_key in (select project_key from temp.scope_keys)")
        con.execute("detach source")
    finally:
        con.close()


# ---------------------------------------------------------------- staging views


def stage_views(staging_dir: Path | str, db_path: Path) -> list[dict]:
    """Create one view per staged table in a new DuckDB file; return type issues.

    A non-local staging root (a URL) is read through fsspec and copied into tables.
    """
    from expectations.suites import duckdb_type_mismatches

    issues: list[dict] = []
    remote = local_path(staging_dir) is None
    con = duckdb.connect(str(db_path), config=DUCKDB_CONFIG)
    try:
        if remote:
            con.register_filesystem(fsspec_filesystem(staging_dir)[0])
        for table in schema.SHEET_TABLES:
            files, problems = conforming_files(table, staging_dir)
            issues += problems
            con.execute(view_sql(table, files, materialize=remote))
        for table in schema.SHEET_TABLES:
            described = {row[0]: row[1] for row in con.execute(f'DESCRIBE "{table.name}"').fetchall()}
            for problem in duckdb_type_mismatches(table, described):
                issues.append(_issue(table.name, "column_types", "error", None, problem,
                                     "the contract type", f"{table.name} view — {problem}"))
    finally:
        con.close()
    return issues


def view_sql(table: Table, files: list, materialize: bool = False) -> str:
    """A view of the contract columns over the given Parquet files (empty and typed if none);
    a table holding them when `materialize`."""
    kind = "TABLE" if materialize else "VIEW"
    if not files:
        columns = ", ".join(f'CAST(NULL AS {c.type}) AS "{c.name}"' for c in table.columns)
        return f'CREATE {kind} "{table.name}" AS SELECT {columns} WHERE false'
    paths = ", ".join("'" + _location(f).replace("'", "''") + "'" for f in files)
    columns = ", ".join(f'"{c}"' for c in table.column_names)
    return f'CREATE {kind} "{table.name}" AS SELECT {columns} FROM read_parquet([{paths}])'


def _location(file) -> str:
    """An absolute local path, or the URL as given."""
    text = str(file)
    return text if "://" in text else str(Path(text).resolve())


def conforming_files(table: Table, staging: Path | str) -> tuple[list[str], list[dict]]:
    """The table's Parquet files (in the staging root, a folder or URL) whose schema
    matches the contract, and issues for the rest."""
    from expectations.suites import arrow_type_mismatches

    files = list_parts(staging, table.name)
    filesystem, _ = staging_filesystem(staging)
    good, issues = [], []
    for path in files:
        try:
            problems = arrow_type_mismatches(table, pq.read_schema(_fs_path(path), filesystem=filesystem))
        except Exception as exc:  # an unreadable file must not stop the others
            problems = [f"unreadable Parquet file ({type(exc).__name__}: {exc})"]
        if not problems:
            good.append(path)
            continue
        observed = "; ".join(problems)
        name = path.rsplit("/", 1)[-1]
        for key in _keys_in(path, filesystem):
            issues.append(_issue(table.name, "column_types", "error", key, observed,
                                 "the contract types of transforms.schema",
                                 f"{table.name} file {name} does not match the contract: {observed}"))
    return good, issues


def _fs_path(location: str) -> str:
    """A location as a path inside its pyarrow filesystem (URL scheme dropped)."""
    if "://" not in location:
        return location
    scheme, rest = location.split("://", 1)
    return rest if scheme == "file" else ("/" + rest.lstrip("/") if scheme == "memory" else rest)


def _keys_in(path: str, filesystem=None) -> list[str | None]:
    try:
        keys = pq.read_table(_fs_path(path), columns=["project_key"], filesystem=filesystem).column("project_key").to_pylist()
    except Exception:
        return [None]
    return sorted({k for k in keys if k is not None}) or [None]


# ---------------------------------------------------------------- GE results -> issues


_RULE_NAMES = frozenset(r.check_name for r in RULES)


def run_suites(session, suites: dict, tables: tuple[Table, ...],
               unstaged: frozenset[str] = frozenset()) -> tuple[list[CheckOutcome], list[dict]]:
    """Run each table's suite and turn failed expectations into issues.

    Per table, one GE run checks every column expectation at once (GE bundles their
    counts into one query; only failures are fetched, with the SQL GE built for them)
    and one run executes the SQL expectations, each query once.

    A table of `unstaged` (no rows staged: a run of printed sheets fills no RS-only
    table) whose suite holds only the schema's checks passes them without a run: each
    of them checks the table's own rows (`suites.column_expectations`,
    `suites.table_expectations`), and there are none.  A business rule may look at other
    tables too, so a suite with one is always run.
    """
    from expectations.gx_duckdb import COLUMN_CHECK_FORMAT

    checks, issues = [], []
    for table in tables:
        index = ["project_key"] + (["fiscal_year"] if "fiscal_year" in table.column_names else [])
        expectations = list(suites[table.name].expectations)
        if table.name in unstaged and not any((e.meta or {}).get("check_name") in _RULE_NAMES for e in expectations):
            checks += [CheckOutcome(e.meta["check_name"], e.meta["table_name"], e.meta["severity"], True, 0,
                                    e.meta.get("description", "")) for e in expectations]
            continue
        columns = [e for e in expectations if e.expectation_type not in ROW_EXPECTATION_TYPES]
        queries = [e for e in expectations if e.expectation_type in ROW_EXPECTATION_TYPES]
        results = []
        if columns:
            results += session.run(table.name, columns,
                                   dict(COLUMN_CHECK_FORMAT, unexpected_index_column_names=index))
        if queries:
            results += session.run(table.name, queries, {"result_format": "COMPLETE"})
        position = {}  # report the checks in suite order
        for n, e in enumerate(expectations):
            position.setdefault((e.meta or {}).get("check_name"), n)
        results.sort(key=lambda r: position.get((r.expectation_config.meta or {}).get("check_name"), len(position)))
        for expectation_result in results:
            found = issues_from_result(expectation_result, session)
            meta = expectation_result.expectation_config.meta
            checks.append(CheckOutcome(meta["check_name"], meta["table_name"], meta["severity"],
                                       bool(expectation_result.success), len(found), meta.get("description", "")))
            issues += found
    return checks, issues


def issues_from_result(expectation_result, session) -> list[dict]:
    """The issues of one ExpectationValidationResult (none when it succeeded)."""
    config = expectation_result.expectation_config
    meta, result = config.meta, expectation_result.result or {}
    failure = _exception_message(expectation_result.exception_info)
    if failure:
        return [_issue(meta["table_name"], meta["check_name"], meta["severity"], None, None, None,
                       f"{meta['table_name']} check {meta['check_name']} could not run: {failure}")]
    if expectation_result.success:
        return []
    if config.type in ROW_EXPECTATION_TYPES:
        rows = result.get("details", {}).get("unexpected_rows") or []
        if (result.get("observed_value") or 0) > len(rows):  # GE's own expectation keeps at most 200 rows
            rows = session.fetch(config.kwargs["unexpected_rows_query"].replace(BATCH, meta["table_name"]))
        return [_issue(r.get("table_name") or meta["table_name"], meta["check_name"], meta["severity"],
                       r.get("project_key"),
                       r.get("observed"), r.get("expected"), r.get("message"), r.get("fiscal_year"))
                for r in rows]
    rows = result.get("unexpected_index_list")
    if rows is None or (result.get("unexpected_count") or 0) > len(rows):
        rows = session.fetch(result["unexpected_index_query"])
    return [_column_issue(meta, row) for row in rows]


def _column_issue(meta: dict, row: dict) -> dict:
    column = meta["column"]
    label = schema.TABLES[meta["table_name"]].column(column).label_ja
    value = row.get(column)
    observed = "NULL" if value is None else str(value)
    message = f"{meta['table_name']} — {label} ({column}) is {observed}; expected {meta['expected']}"
    return _issue(meta["table_name"], meta["check_name"], meta["severity"], row.get("project_key"),
                  observed, meta["expected"], message, row.get("fiscal_year"))


def _exception_message(info) -> str | None:
    if not info:
        return None
    candidates = [info] if "raised_exception" in info else [v for v in info.values() if isinstance(v, dict)]
    for candidate in candidates:
        if candidate.get("raised_exception"):
            return str(candidate.get("exception_message") or "unknown error").splitlines()[0][:300]
    return None


def _issue(table_name, check_name, severity, project_key, observed, expected, message, fiscal_year=None) -> dict:
    return {"project_key": project_key, "table_name": table_name, "check_name": check_name,
            "severity": severity, "fiscal_year": fiscal_year, "observed": observed,
            "expected": expected, "message": message}


def _source_paths(session) -> dict[str, str]:
    rows = session.fetch("select project_key, min(source_path) as source_path from project group by project_key")
    return {r["project_key"]: r["source_path"] for r in rows}


def to_dq_rows(issues: list[dict], run_id: str, sources: dict[str, str]) -> list[dict]:
    """Issues as dq_issue rows (schema.DQ_ISSUE columns), in a stable order."""
    rows = []
    for issue in issues:
        row = dict(issue, run_id=run_id, source_path=sources.get(issue["project_key"]))
        row["fiscal_year"] = None if row["fiscal_year"] is None else int(row["fiscal_year"])
        for name in ("observed", "expected", "message"):
            row[name] = None if row[name] is None else " ".join(str(row[name]).split())
        rows.append({name: row.get(name) for name in schema.DQ_ISSUE.column_names})
    order = {"error": 0, "warning": 1}
    return sorted(rows, key=lambda r: (r["project_key"] or "", order.get(r["severity"], 2), r["table_name"] or "",
                                       r["check_name"], r["fiscal_year"] or 0, r["observed"] or ""))


def quarantine_reasons(rows: list[dict]) -> dict[str, str]:
    """project_key -> one-line reason, for sheets with any error-severity issue."""
    errors: dict[str, list[dict]] = {}
    for row in rows:
        if row["severity"] == "error" and row["project_key"] is not None:
            errors.setdefault(row["project_key"], []).append(row)
    reasons = {}
    for key, found in errors.items():
        first = found[0]
        more = f" (+{len(found) - 1} more error{'s' if len(found) > 2 else ''})" if len(found) > 1 else ""
        reasons[key] = f"{first['check_name']}: {first['message']}{more}"
    return reasons
