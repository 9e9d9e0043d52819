"""`review-sheets`: the command line over the same flow and warehouse functions.

Exit codes of `build`: 0 completed (every file loaded or unchanged), 3 completed
with some file quarantined, 1 failed (the previous warehouse is untouched), 2 usage.
"""

from __future__ import annotations

import atexit
import json
import logging
import math
import os
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from flows.settings import DEFAULT_WAREHOUSE, SAMPLE_DIR, BuildSettings, InputError, configure_environment, input_location

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False, help="Build and query the review-sheet warehouse (行政事業レビューシート).")
# Paths and SQL are printed as they are: no Rich markup (a path may hold `[...]`), and
# piped output is not cut to 80 columns.
out = Console(markup=False, highlight=False, width=None if sys.stdout.isatty() else 200)
err = Console(stderr=True, markup=False, highlight=False, soft_wrap=True)


def fail(message: str, code: int = 2) -> None:
    """Print one line on stderr and exit with `code` (2: a usage or input problem)."""
    err.print(f"error: {message}")
    raise typer.Exit(code)


def readable_warehouse(warehouse: Path) -> None:
    """Exit with one line unless `warehouse` is a warehouse file this tool can read."""
    from flows import preflight

    if (problem := preflight.for_reading(warehouse)) is not None:
        fail(problem)

WAREHOUSE_OPTION = typer.Option(DEFAULT_WAREHOUSE, "--warehouse", "-w", help="DuckDB warehouse file.")
INPUTS_OPTION = typer.Option(None, "--input", "-i", help="Sheet file or folder, or an fsspec URL of one (s3://bucket/sheets, "
                                                         f"needs its backend such as s3fs; repeatable). Default: {SAMPLE_DIR}")


@app.command()
def build(
    inputs: Optional[list[str]] = INPUTS_OPTION,
    warehouse: Path = WAREHOUSE_OPTION,
    full_refresh: bool = typer.Option(False, "--full-refresh", help="Parse every file again instead of only new and changed ones."),
    workers: int = typer.Option(BuildSettings().workers, "--workers", min=1, help="Parser processes."),
    batch_size: int = typer.Option(250, "--batch-size", min=1, help="Files per parse batch."),
    max_bytes: int = typer.Option(8 * 1024 * 1024, "--max-bytes", min=1, help="Refuse files larger than this."),
    dask_address: Optional[str] = typer.Option(BuildSettings().dask_address, "--dask-address",
                                               help="Parse on this Dask scheduler (tcp://host:8786) instead of local "
                                                    "processes; needs the [dask] extra. Env: REVIEW_SHEETS_DASK_ADDRESS."),
    staging_root: Optional[str] = typer.Option(BuildSettings().staging_root, "--staging-root",
                                               help="Parquet staging folder or fsspec URL every worker can write "
                                                    "(default: beside the warehouse). Env: REVIEW_SHEETS_STAGING_ROOT."),
) -> None:
    """Run the build_warehouse flow: parse sheets, check them, publish the warehouse.

    Example: review-sheets build --input data/samples --warehouse /tmp/w.duckdb
    """
    from flows import preflight

    try:
        locations = [input_location(item) for item in (inputs or [str(SAMPLE_DIR)])]
    except InputError as exc:
        fail(str(exc))
    problem, existing = preflight.for_building(warehouse.absolute())
    problem = problem or preflight.dask_address(dask_address) or preflight.staging_root(staging_root) \
        or preflight.empty_inputs(locations, existing)
    if problem:
        fail(problem)
    configure_environment()
    summary = _run_build(locations, str(warehouse.absolute()), full_refresh, workers, batch_size,
                         max_bytes, dask_address, staging_root)
    raise typer.Exit(summary)


def _run_build(inputs, warehouse, full_refresh, workers, batch_size, max_bytes, dask_address=None, staging_root=None) -> int:
    try:
        from flows.launch import run_build  # heartbeats off; Prefect's temporary server boots while the flow imports

        summary = run_build(inputs, warehouse, full_refresh=full_refresh, workers=workers, batch_size=batch_size,
                            max_bytes=max_bytes, show_progress=True, dask_address=dask_address, staging_root=staging_root)
    except KeyboardInterrupt:
        err.print("interrupted: the previous warehouse (if any) is unchanged")
        return 130
    except Exception as exc:  # the flow failed: the live warehouse was not replaced
        logging.getLogger("review_sheets").debug("build failed", exc_info=True)
        err.print(f"build failed: {type(exc).__name__}: {exc}")
        err.print("The previous warehouse (if any) is unchanged.")
        return 1
    print_summary(summary)
    return summary.exit_code


def print_summary(summary) -> None:
    table = Table(title=f"build {summary.run_id}: {summary.status}", show_header=True)
    for column in ("files seen", "loaded", "unchanged", "quarantined", "removed", "warnings"):
        table.add_column(column, justify="right")
    table.add_row(*(str(v) for v in (summary.files_seen, summary.files_loaded, summary.files_unchanged,
                                     summary.files_quarantined, summary.files_removed, summary.warnings)))
    out.print(table)
    rows = Table(show_header=True)
    rows.add_column("table")
    rows.add_column("rows", justify="right")
    for name, count in summary.rows.items():
        rows.add_row(name, f"{count:,}")
    out.print(rows)
    if summary.files_reparsed:
        from flows.summary import reparsed_note

        out.print(reparsed_note(summary.files_reparsed), soft_wrap=True)
    if summary.files_still_quarantined:
        from flows.summary import still_quarantined_note

        out.print(still_quarantined_note(summary.files_still_quarantined), soft_wrap=True)
    for path, reason in summary.quarantined:
        out.print(f"quarantined: {path}: {reason}", soft_wrap=True)
    out.print(f"warehouse: {summary.warehouse}", soft_wrap=True)
    if summary.report_path:
        out.print(f"run report: {summary.report_path}", soft_wrap=True)


@app.command()
def query(
    sql: str = typer.Argument("", show_default=False,
                              help="SQL to run read-only; `-` reads it from standard input."),
    sql_file: Path = typer.Option(None, "--file", "-f", help="Read the SQL from this file (a recipe that "
                                  "starts with a `--` comment, for one).", dir_okay=False),
    warehouse: Path = WAREHOUSE_OPTION,
    as_csv: bool = typer.Option(False, "--csv", help="Print CSV."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON lines."),
) -> None:
    """Run read-only SQL against the warehouse and print the result.

    Example: review-sheets query "select ministry, count(*) from project group by 1"
    """
    from warehouse.query import QueryRefused, run_query

    if as_csv and as_json:
        fail("--csv and --json exclude each other")
    if sql_file is not None:
        if sql:
            fail("give the SQL as an argument or with --file, not both")
        try:
            sql = sql_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            fail(f"cannot read {sql_file}: {exc}")
    elif sql == "-":
        sql = sys.stdin.read()
    if not sql.strip():
        fail("no SQL: give it as an argument, with --file, or `-` to read standard input")
    readable_warehouse(warehouse)
    try:
        columns, rows = run_query(warehouse, sql)
    except QueryRefused as exc:
        fail(str(exc))
    except Exception as exc:
        err.print(f"query failed: {exc}")
        raise typer.Exit(1)
    _print_rows(columns, rows, as_csv, as_json)


def _print_rows(columns, rows, as_csv: bool, as_json: bool) -> None:
    if as_csv:
        import csv

        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows(rows)
    elif as_json:
        for row in rows:  # NaN and infinities are no JSON: null
            print(json.dumps({c: None if isinstance(v, float) and not math.isfinite(v) else v for c, v in zip(columns, row)},
                             ensure_ascii=False, default=str))
    else:
        table = Table(show_header=True)
        for column in columns:
            table.add_column(column)
        for row in rows:
            table.add_row(*("" if v is None else str(v) for v in row))
        out.print(table)


@app.command()
def status(warehouse: Path = WAREHOUSE_OPTION, limit: int = typer.Option(10, min=1, help="How many runs.")) -> None:
    """List recent build runs from load_run.

    Example: review-sheets status --limit 5
    """
    from warehouse.query import recent_runs

    readable_warehouse(warehouse)
    columns, rows = recent_runs(warehouse, limit)
    _print_rows(columns, rows, False, False)


@app.command()
def dq(warehouse: Path = WAREHOUSE_OPTION, by: str = typer.Option("check", help="Group by 'check' or 'sheet'."),
       severity: Optional[str] = typer.Option(None, help="Only 'error' or 'warning'.")) -> None:
    """List data-quality issues grouped by check or by sheet.

    Example: review-sheets dq --by sheet --severity warning
    """
    from warehouse.query import run_query

    if by not in ("check", "sheet") or severity not in (None, "error", "warning"):
        fail("--by takes 'check' or 'sheet'; --severity takes 'error' or 'warning'")
    readable_warehouse(warehouse)
    group = "check_name, severity" if by == "check" else "coalesce(source_path, project_key) as sheet, severity"
    sql = (f"select {group}, count(*) as issues, any_value(message) as example from dq_issue "
           "where ? is null or severity = ? group by all order by issues desc")
    columns, rows = run_query(warehouse, sql, [severity, severity])
    _print_rows(columns, rows, False, False)


@app.command()
def serve(
    inputs: Optional[list[str]] = INPUTS_OPTION,
    warehouse: Path = WAREHOUSE_OPTION,
    cron: Optional[str] = typer.Option(None, "--cron", help="Cron schedule (default '0 3 * * *')."),
    interval: Optional[float] = typer.Option(None, "--interval", help="Run every SECONDS instead of a cron schedule."),
    timezone: str = typer.Option("Asia/Tokyo", "--timezone", help="Time zone of the schedule."),
    name: str = typer.Option("scheduled", "--name", help="Deployment name (build_warehouse/NAME)."),
    workers: int = typer.Option(BuildSettings().workers, "--workers", min=1, help="Parser processes."),
) -> None:
    """Serve the build on a schedule against a running Prefect server (make server); Ctrl-C stops.

    Example: PREFECT_API_URL=http://127.0.0.1:4200/api review-sheets serve --cron "0 3 * * *"
    """
    from flows.serve import ServeError, serve as serve_flow

    try:
        serve_flow(inputs or [SAMPLE_DIR], warehouse, cron=cron, interval=interval, name=name, timezone=timezone,
                   parameters={"workers": workers})
    except ServeError as exc:
        fail(str(exc))


@app.command()
def report(
    warehouse: Path = WAREHOUSE_OPTION,
    run: Optional[str] = typer.Option(None, "--run", help="Run id (default: the latest)."),
) -> None:
    """Print the path of the HTML run report of the latest (or given) run; writes it if missing.

    Example: review-sheets report --run 20260101T030000Z-a1b2c3
    """
    from flows.report import latest_report, write_run_report

    readable_warehouse(warehouse)
    try:
        run_id, path = latest_report(warehouse, run)
        if not path.exists():
            path = write_run_report(warehouse, run_id, path.parent)
    except LookupError as exc:
        fail(exc.args[0])
    print(path)


def main() -> None:  # pragma: no cover - console entry point
    exit_code: list[int] = []
    atexit.register(_end_process, exit_code)  # registered first, so it runs after every other exit handler
    try:
        app()
    except SystemExit as exc:
        exit_code.append(_exit_status(exc.code))
        raise


def _exit_status(code) -> int:
    if code is None or isinstance(code, int):
        return code or 0
    print(code, file=sys.stderr)  # what Python prints for SystemExit("message")
    return 1


def _end_process(exit_code: list[int]) -> None:
    """End the process once every exit handler has run (Prefect's and the others are
    registered later, so they run first): flush the logs and the terminal, then leave
    without the interpreter's teardown of the imported modules, which takes 0.5-0.8 s
    of CPU at the end of every command and does nothing for the warehouse (its files
    are closed and renamed before the command returns)."""
    if not exit_code:  # an uncaught exception: let Python print it and exit as usual
        return
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(exit_code[0])


if __name__ == "__main__":  # pragma: no cover
    main()
