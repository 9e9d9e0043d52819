"""The data-quality gate: staged Parquet -> Great Expectations on DuckDB -> dq_issue rows.

`validate_staged` builds a throwaway DuckDB file of views over the staged Parquet
(`<staging_dir>/<table>/*.parquet`, absent or empty tables become empty typed
views), runs the suites of `expectations.suites` on it with Great Expectations,
and turns every failed expectation into ``dq_issue`` rows - one per offending
sheet/row - using GE's unexpected rows (re-fetched in full with the same SQL
when GE truncated them).  A sheet with any error-severity issue is quarantined;
warnings load.  `validate_warehouse` runs the cross-sheet rules (restatements)
on a built warehouse file opened read-only.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from expectations.gx_duckdb import GxSession, gx, quiet
from expectations.report import write_report
from expectations.rules import BATCH, WAREHOUSE_RULES
from expectations.suites import arrow_type_mismatches, build_suites, duckdb_type_mismatches, rule_expectation
from transforms import schema
from transforms.schema import Table


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


def validate_staged(staging_dir: Path, run_id: str, *, report_dir: Path | None = None) -> Validation:
    """Validate the staged tables of one run; optionally write the HTML report."""
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="dq_staged_") as tmp:
        db_path = Path(tmp) / "staged.duckdb"
        issues = stage_views(Path(staging_dir), db_path)
        with quiet(), GxSession(str(db_path), name="staged") as session:
            checks, found = run_suites(session, build_suites(), schema.SHEET_TABLES)
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


def validate_warehouse(db_path: Path, run_id: str) -> list[dict]:
    """Cross-sheet warnings (restatements) on a built warehouse file, opened read-only.

    Needs tables ``project`` (project_key, project_id, review_year, source_path) and
    ``budget_line``.  Close any read-write connection to the file in this process first.
    """
    with quiet(), GxSession(str(Path(db_path).resolve()), read_only=True, name="warehouse") as session:
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


# ---------------------------------------------------------------- staging views


def stage_views(staging_dir: Path, db_path: Path) -> list[dict]:
    """Create one view per staged table in a new DuckDB file; return type issues."""
    issues: list[dict] = []
    con = duckdb.connect(str(db_path))
    try:
        for table in schema.SHEET_TABLES:
            files, problems = conforming_files(table, staging_dir / table.name)
            issues += problems
            con.execute(view_sql(table, files))
        for table in schema.SHEET_TABLES:
            described = {row[0]: row[1] for row in con.execute(f'DESCRIBE "{table.name}"').fetchall()}
            for problem in duckdb_type_mismatches(table, described):
                issues.append(_issue(table.name, "column_types", "error", None, problem,
                                     "the contract type", f"{table.name} view — {problem}"))
    finally:
        con.close()
    return issues


def view_sql(table: Table, files: list[Path]) -> str:
    """A view of the contract columns over the given Parquet files (empty and typed if none)."""
    if not files:
        columns = ", ".join(f'CAST(NULL AS {c.type}) AS "{c.name}"' for c in table.columns)
        return f'CREATE VIEW "{table.name}" AS SELECT {columns} WHERE false'
    paths = ", ".join("'" + str(f.resolve()).replace("'", "''") + "'" for f in files)
    columns = ", ".join(f'"{c}"' for c in table.column_names)
    return f'CREATE VIEW "{table.name}" AS SELECT {columns} FROM read_parquet([{paths}])'


def conforming_files(table: Table, directory: Path) -> tuple[list[Path], list[dict]]:
    """The table's Parquet files whose schema matches the contract, and issues for the rest."""
    good, issues = [], []
    for path in sorted(directory.glob("*.parquet")) if directory.is_dir() else []:
        try:
            problems = arrow_type_mismatches(table, pq.read_schema(path))
        except Exception as exc:  # an unreadable file must not stop the others
            problems = [f"unreadable Parquet file ({type(exc).__name__}: {exc})"]
        if not problems:
            good.append(path)
            continue
        observed = "; ".join(problems)
        for key in _keys_in(path):
            issues.append(_issue(table.name, "column_types", "error", key, observed,
                                 "the contract types of transforms.schema",
                                 f"{table.name} file {path.name} does not match the contract: {observed}"))
    return good, issues


def _keys_in(path: Path) -> list[str | None]:
    try:
        keys = pq.read_table(path, columns=["project_key"]).column("project_key").to_pylist()
    except Exception:
        return [None]
    return sorted({k for k in keys if k is not None}) or [None]


# ---------------------------------------------------------------- GE results -> issues


def run_suites(session: GxSession, suites: dict, tables: tuple[Table, ...]) -> tuple[list[CheckOutcome], list[dict]]:
    """Run each table's suite and turn failed expectations into issues."""
    checks, issues = [], []
    for table in tables:
        index = ["project_key"] + (["fiscal_year"] if "fiscal_year" in table.column_names else [])
        result = session.validate(table.name, suites[table.name], index)
        for expectation_result in result.results:
            found = issues_from_result(expectation_result, session)
            meta = expectation_result.expectation_config.meta
            checks.append(CheckOutcome(meta["check_name"], meta["table_name"], meta["severity"],
                                       bool(expectation_result.success), len(found), meta.get("description", "")))
            issues += found
    return checks, issues


def issues_from_result(expectation_result, session: GxSession) -> list[dict]:
    """The issues of one ExpectationValidationResult (none when it succeeded)."""
    config = expectation_result.expectation_config
    meta, result = config.meta, expectation_result.result or {}
    failure = _exception_message(expectation_result.exception_info)
    if failure:
        return [_issue(meta["table_name"], meta["check_name"], meta["severity"], None, None, None,
                       f"{meta['table_name']} check {meta['check_name']} could not run: {failure}")]
    if expectation_result.success:
        return []
    if config.type == "unexpected_rows_expectation":
        rows = result.get("details", {}).get("unexpected_rows") or []
        if (result.get("observed_value") or 0) > len(rows):  # GE keeps at most 200 rows
            rows = session.fetch(config.kwargs["unexpected_rows_query"].replace(BATCH, meta["table_name"]))
        return [_issue(r.get("table_name") or meta["table_name"], meta["check_name"], meta["severity"],
                       r.get("project_key"),
                       r.get("observed"), r.get("expected"), r.get("message"), r.get("fiscal_year"))
                for r in rows]
    rows = result.get("unexpected_index_list") or []
    if (result.get("unexpected_count") or 0) > len(rows):
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


def _source_paths(session: GxSession) -> dict[str, str]:
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
