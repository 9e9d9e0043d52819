"""The `build_warehouse` Prefect flow: discover -> parse -> stage -> validate -> load -> publish.

Each task body is one call into `transforms/`, `expectations/` or `warehouse/`.
Parsing is one coarse task running a process pool over batches of files (Prefect's
per-task overhead stays constant in the number of files).  The live warehouse is
replaced only at the end, by renaming a fully built and validated file over it.

Scale-out: with `dask_address` the batches run as one Prefect task each on a Dask
cluster (`prefect_dask.DaskTaskRunner`), and `staging_root` may be a URL every
worker can write to (`file://`, `memory://` for in-process clusters, `s3://`, ...).
Great Expectations is imported only when something was staged (in the background
while the sheets parse), so a run with nothing to do never pays for it; when the
command line started the gate's helper process (a run whose inputs were modified
since the last build: `flows.launch`, `expectations.gate_process`), the checks run
there and this process never imports it.
"""

from __future__ import annotations

import importlib
import os
import shutil
import sys
import threading
import time
import uuid
from contextlib import contextmanager
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from datetime import datetime, timezone
from multiprocessing import get_context
from pathlib import Path

from prefect import get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote

from expectations import gate_process
from expectations.rules import WAREHOUSE_RULES
from flows.report import write_run_report
from flows.prefect_glue import JsonParameterFlow, Whole
from flows.settings import BuildSettings
from flows.summary import RunSummary, summary_markdown
from flows.version import parser_version
from transforms import discover as disc
from transforms.settle import Settlement, settle
from transforms.stage import BatchResult, drop_keys, parse_batch, remove_staging, start_parser_process
from transforms.schema import TABLES
from warehouse.build import RUN_TABLES, tables_unchanged_since, written_build_mode
from warehouse.build import build_warehouse as build_warehouse_file
from warehouse.issues import cross_sheet_scope, dq_issue_count, replace_dq_issues
from warehouse.lock import writer_lock
from warehouse.publish import export_parquet, next_path_for, publish, read_previous, remove_stale_next

@task(name="discover files", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=[0.2, 1.0])
def discover_files(inputs: list[str], max_bytes: int, known: dict[str, tuple[str, str]] | None = None,
                   extract_dir: str | None = None, warehouse: str | None = None) -> Whole[list[disc.FileEntry]]:
    """Every input file, hashed; RS System CSV bundle files are split into one record per
    project under `extract_dir` and stand in the list as those records.  The files of
    `warehouse` (its lock, Parquet export, reports, records) are no inputs when it is kept
    inside an input folder."""
    files = disc.discover(inputs, max_bytes, known, own=_own_files(Path(warehouse)) if warehouse else None)
    if extract_dir is not None and any(disc.member_of_bundle(f.path) for f in files):
        from transforms.sources.rs_bundle import expand_bundles

        files = expand_bundles(files, extract_dir, max_bytes, known)
    return Whole(files)


def _own_files(warehouse: Path):
    """A test for the paths a build of `warehouse` writes (see `flows.settings.BuildSettings`)."""
    settings = BuildSettings(warehouse=warehouse)
    folders = tuple(f"{d}{os.sep}" for d in (settings.parquet_dir, settings.reports_dir, settings.extract_dir,
                                             settings.work_dir))
    stem, parent = warehouse.name.removesuffix(".duckdb"), f"{warehouse.parent}{os.sep}"

    def own(path: str) -> bool:
        if path.startswith(folders):
            return True
        name = path[len(parent):] if path.startswith(parent) else None
        return name is not None and os.sep not in name and (
            name == warehouse.name or name.startswith(f"{warehouse.name}.")
            or (name.startswith(f"{stem}.") and name.endswith((".next.duckdb", ".next.duckdb.wal"))))

    return own


@task(name="read previous warehouse", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=[0.2, 1.0])
def read_previous_state(warehouse: str) -> Whole[dict[str, dict]]:
    return Whole(read_previous(Path(warehouse)))


@task(name="parse and stage", cache_policy=NO_CACHE)
def parse_and_stage(batches: list[list[disc.FileEntry]], staging_dir: str, workers: int, max_bytes: int, max_line: int, show_progress: bool = False) -> Whole[list[BatchResult]]:
    """Parse batches in a process pool; each batch streams its rows to Parquet parts."""
    if not batches:
        return Whole([])
    jobs = [(batch, staging_dir, number) for number, batch in enumerate(batches)]
    results: list[BatchResult] = []
    with _progress(show_progress, sum(len(b) for b in batches)) as advance:
        if workers <= 1 or len(batches) == 1:
            for batch, directory, number in jobs:
                results.append(parse_batch(batch, directory, number, max_bytes=max_bytes, max_line=max_line))
                advance(len(batch))
        else:
            with parser_pool(workers) as pool:
                futures = [pool.submit(parse_batch, b, d, n, max_bytes=max_bytes, max_line=max_line) for b, d, n in jobs]
                try:
                    for future, (batch, _, _) in zip(futures, jobs):
                        results.append(future.result())
                        advance(len(batch))
                except BaseException:  # Ctrl-C or a failed batch: start no other batch
                    pool.shutdown(wait=True, cancel_futures=True)
                    raise
    return Whole(results)


def parser_pool(workers: int) -> ProcessPoolExecutor:
    """The parser processes: spawned, set up by `stage.start_parser_process` (Ctrl-C
    ignored, a quick exit).  They import only `transforms` and pyarrow: an initializer
    defined in this module made each of them import Prefect too (1.2 s of CPU per
    process)."""
    return ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn"),
                               initializer=start_parser_process)


class _progress:
    """A rich progress bar on a terminal; a no-op elsewhere (cron, CI, tests)."""

    def __init__(self, enabled: bool, total: int):
        self.enabled, self.total, self.bar = enabled and sys.stderr.isatty(), total, None

    def __enter__(self):
        if not self.enabled:
            return lambda n: None
        from rich.progress import Progress

        self.bar = Progress(transient=True)
        self.bar.start()
        job = self.bar.add_task("parsing sheets", total=self.total)
        return lambda n: self.bar.advance(job, n)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.stop()


@task(name="parse batch", cache_policy=NO_CACHE, retries=1, retry_delay_seconds=[1.0])
def parse_batch_task(entries: list[disc.FileEntry], staging_dir: str, batch: int, max_bytes: int, max_line: int) -> BatchResult:
    """One batch on a Dask worker (rewriting its parts is idempotent, so a retry is safe)."""
    return parse_batch(entries, staging_dir, batch, max_bytes=max_bytes, max_line=max_line)


def parse_on_dask(batches: list[list[disc.FileEntry]], staging_dir: str, address: str, max_bytes: int, max_line: int) -> list[BatchResult]:
    """Run every batch as a Prefect task on the Dask cluster at `address`."""
    try:
        from prefect_dask import DaskTaskRunner
    except ImportError as exc:  # pragma: no cover - depends on the installed extras
        raise RuntimeError('a Dask address was given but prefect-dask is not installed: pip install -e ".[dask]"') from exc
    if not batches:
        return []
    with _api_url_for_workers(), DaskTaskRunner(address=address) as runner:
        futures = [runner.submit(parse_batch_task, {"entries": batch, "staging_dir": staging_dir, "batch": number,
                                                    "max_bytes": max_bytes, "max_line": max_line})
                   for number, batch in enumerate(batches)]
        return [future.result() for future in futures]


@contextmanager
def _api_url_for_workers():
    """Hand this process's temporary Prefect server to Dask workers on this machine.

    With no `PREFECT_API_URL`, the flow talks to a temporary server on 127.0.0.1;
    workers would each start their own.  Its URL goes into the task context they
    receive instead.  Workers on other machines need a real server (`PREFECT_API_URL`).
    """
    from prefect.settings import PREFECT_API_URL, temporary_settings

    if PREFECT_API_URL.value():
        yield
        return
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer._instances.get(None)
    if server is None or not server.running:
        yield
        return
    with temporary_settings({PREFECT_API_URL: server.api_url}):
        yield


@task(name="validate staged data", cache_policy=NO_CACHE)
def validate_staging(staging_dir: str, run_id: str, report_dir: str):
    return run_gate("validate_staged", staging_dir, run_id, report_dir=Path(report_dir))


def run_gate(function: str, *args, **kwargs):
    """`expectations.runner.<function>` in the gate's helper process when the command
    line started one (see `expectations.gate_process`), else in this process."""
    from expectations import runner

    gate = gate_process.current()
    if gate is not None:
        try:
            return gate.call(function, *args, **kwargs)
        except gate_process.GateUnavailable as exc:
            get_run_logger().warning("%s; running the checks in the build process", exc)
    return getattr(runner, function)(*args, **kwargs)


@task(name="load new warehouse file", cache_policy=NO_CACHE)
def load_next_file(next_path: str, staging_dir: str, previous_path: str | None, settlement: Settlement, dq_issues: list[dict], load_run: dict, storage_version: str) -> dict[str, int]:
    return build_warehouse_file(
        Path(next_path), staging_dir=staging_dir, previous_path=Path(previous_path) if previous_path else None,
        keep_project_keys=sorted(settlement.keep_keys), drop_project_keys=sorted(settlement.drop_keys),
        source_files=settlement.source_files, dq_issues=dq_issues, load_run=load_run, storage_version=storage_version,
    )


@task(name="cross-sheet checks", cache_policy=NO_CACHE)
def check_next_file(next_path: str, run_id: str, previous_path: str | None = None, loaded_keys: list[str] | None = None) -> int:
    """Run the cross-sheet checks on the new file; returns the number of warnings stored.

    With the live file (`previous_path`) and the sheets this run loaded, only the
    projects those sheets touch are checked; the other findings are carried.
    """
    scope = None
    if previous_path is not None and loaded_keys is not None:
        scope = cross_sheet_scope(Path(next_path), Path(previous_path), loaded_keys)
    issues = run_gate("validate_warehouse", Path(next_path), run_id, scope)
    return replace_dq_issues(Path(next_path), issues, {rule.check_name for rule in WAREHOUSE_RULES}, run_id,
                             scope=scope, previous_path=Path(previous_path) if scope is not None else None)


@task(name="publish", cache_policy=NO_CACHE, retries=2, retry_delay_seconds=[0.2, 1.0])
def publish_file(next_path: str, live_path: str, parquet_dir: str, unchanged_tables: list[str] | None = None) -> None:
    publish(Path(next_path), Path(live_path))
    export_parquet(Path(live_path), Path(parquet_dir), unchanged=unchanged_tables or ())


@task(name="write run report", cache_policy=NO_CACHE)
def write_report(warehouse: str, run_id: str, report_dir: str) -> str | None:
    """The run's HTML report from the published warehouse; a failure only logs (the data is published)."""
    try:
        return str(write_run_report(Path(warehouse), run_id, Path(report_dir)))
    except Exception as exc:  # noqa: BLE001 - the report must not fail a published build
        get_run_logger().warning("run report not written: %s: %s", type(exc).__name__, exc)
        return None


def build_warehouse(
    inputs: list[str], warehouse: str, full_refresh: bool = False, workers: int = 2, batch_size: int = 250,
    max_bytes: int = 8 * 1024 * 1024, max_line: int = 256 * 1024, storage_version: str = "v1.4.0",
    show_progress: bool = False, dask_address: str | None = None, staging_root: str | None = None,
) -> RunSummary:
    """Build (or incrementally refresh) the DuckDB warehouse from review-sheet files.

    `inputs`: sheet files or folders, as paths or fsspec URLs.  `dask_address`
    (``tcp://host:8786``): parse batches on that Dask cluster instead of the local
    process pool.  `staging_root`: where the run's Parquet staging goes (a folder or an
    fsspec URL; default: beside the warehouse).
    """
    locations = [p if disc.is_url(p) else Path(p) for p in inputs]
    settings = BuildSettings(locations, Path(warehouse), full_refresh, workers, batch_size, max_bytes,
                             max_line, storage_version, dask_address=dask_address, staging_root=staging_root)
    run_id = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ-") + uuid.uuid4().hex[:6]
    with writer_lock(settings.warehouse):  # one build at a time per warehouse file
        _clear_leftovers(settings)
        summary = _build(settings, run_id, show_progress)
    create_markdown_artifact(markdown=summary_markdown(summary), key="build-summary", description="review-sheet warehouse build")
    get_run_logger().info("build %s: %s", run_id, summary.status)
    return summary


build_warehouse = JsonParameterFlow(build_warehouse, name="build_warehouse", log_prints=False)


class StageClock:
    """Wall time per stage, and this process's CPU time in it (its threads included:
    DuckDB's and pyarrow's; not the parser processes'), for the summary and the benchmark."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.cpu_seconds: dict[str, float] = {}
        self._last, self._last_cpu = time.perf_counter(), time.process_time()

    def lap(self, stage: str) -> None:
        now, cpu = time.perf_counter(), time.process_time()
        self.seconds[stage] = round(now - self._last, 3)
        self.cpu_seconds[stage] = round(cpu - self._last_cpu, 3)
        self._last, self._last_cpu = now, cpu


def _clear_leftovers(settings: BuildSettings) -> None:
    """Files of an earlier run that was killed: safe to delete while holding the lock."""
    remove_stale_next(settings.warehouse)
    shutil.rmtree(settings.work_dir, ignore_errors=True)
    if settings.staging_base:
        remove_staging(settings.staging_base)


def _build(settings: BuildSettings, run_id: str, show_progress: bool) -> RunSummary:
    started = datetime.now(timezone.utc).replace(tzinfo=None)
    clock = StageClock()
    work, live = settings.work_dir / run_id, settings.warehouse
    next_path, report_dir = next_path_for(live, run_id), settings.reports_dir / run_id
    staging_dir = f"{settings.staging_base}/{run_id}" if settings.staging_base else str(work / "staging")
    try:
        previous = read_previous_state(str(live)).value
        known = None if settings.full_refresh else {
            path: (row["stat_key"], row["sha256"]) for path, row in previous.items() if row.get("stat_key")}
        files = discover_files([str(p) for p in settings.inputs], settings.max_bytes, quote(known),
                               str(settings.extract_dir), str(live)).value
        code = parser_version()  # which parser and checks read the files this run
        plan = disc.plan(files, previous, settings.full_refresh, code)
        clock.lap("discover")
        batches = disc.batches(plan.to_parse, settings.batch_size)
        if plan.to_parse and gate_process.current() is None:
            import_in_background("expectations.suites")  # GE takes seconds to import: it loads while the sheets parse
        if settings.dask_address:
            results = parse_on_dask(batches, staging_dir, settings.dask_address, settings.max_bytes, settings.max_line)
        else:
            # quote(): Prefect would otherwise walk every element of big arguments (seconds at 10k files)
            results = parse_and_stage(quote(batches), staging_dir, _parser_processes(settings), settings.max_bytes,
                                      settings.max_line, show_progress).value
        outcomes = [o for r in results for o in r.outcomes]
        clock.lap("parse")
        provisional = settle(plan, outcomes, previous, {}, run_id, code)
        with ThreadPoolExecutor(2) as pool:  # pyarrow reads and writes the parts outside the GIL
            list(pool.map(lambda claim: drop_keys(staging_dir, *claim), provisional.lost_claims.items()))
        clock.lap("stage")
        validation = validate_staging(staging_dir, run_id, str(report_dir))
        clock.lap("validate")
        settlement = settle(plan, outcomes, previous, validation.quarantined, run_id, code)
        parse_issues = [dict(i, run_id=run_id) for o in outcomes if o.status == "parsed" for i in o.issues]
        dq_issues = parse_issues + validation.issues + settlement.file_issues
        load_run = _load_run_row(run_id, started, settlement, plan, report_dir)
        # The files' parse results live on in `settlement` and `dq_issues`: the load gets the
        # memory their objects held (tens of MB at 50,000 sheets).
        del results, outcomes, provisional, parse_issues, batches
        # this run's own warnings; the cross-sheet check adds its findings when it runs
        load_run["warnings"] = sum(1 for i in dq_issues if i["severity"] == "warning")
        counts = load_next_file(str(next_path), staging_dir, str(live) if live.exists() else None,
                                quote(settlement), quote(dq_issues), load_run, settings.storage_version)
        mode = written_build_mode(next_path, run_id)
        cross_warnings, unchanged_tables = 0, None
        if mode == "copy":  # the same sheets: their cross-sheet findings were carried; only the run tables changed
            unchanged_tables = [name for name in TABLES if name not in RUN_TABLES]
        elif mode == "patch":  # re-check the projects the run touched; keep the files of untouched tables
            loaded = sorted({f["project_key"] for f in settlement.source_files
                             if f["status"] == "loaded" and f.get("project_key")})
            cross_warnings = check_next_file(str(next_path), run_id, str(live), loaded)
            unchanged_tables = tables_unchanged_since(next_path, live, loaded)
        else:
            cross_warnings = check_next_file(str(next_path), run_id)
        if mode != "copy":  # the row counts were taken before the cross-sheet findings went in
            counts = dict(counts, dq_issue=dq_issue_count(next_path))
        clock.lap("load")
        publish_file(str(next_path), str(live), str(settings.parquet_dir), unchanged_tables)
        clock.lap("publish")
        run_report = write_report(str(live), run_id, str(report_dir))
    finally:
        remove_staging(settings.staging_base or staging_dir)  # the whole folder: this run holds the lock
        shutil.rmtree(work, ignore_errors=True)
        next_path.unlink(missing_ok=True)
    return RunSummary(
        run_id=run_id, status=load_run["status"], warehouse=str(live),
        files_seen=len(files), files_loaded=settlement.count("loaded"), files_unchanged=settlement.count("unchanged"),
        files_quarantined=settlement.count("quarantined"), files_removed=len(plan.removed),
        files_reparsed=len(plan.reparsed), files_still_quarantined=len(plan.still_quarantined), rows=counts,
        warnings=load_run["warnings"] + cross_warnings,
        quarantined=[(f["path"], f["message"]) for f in settlement.source_files if f["status"] == "quarantined"],
        report_path=run_report, stage_seconds=clock.seconds, stage_cpu_seconds=clock.cpu_seconds,
    )


def _parser_processes(settings: BuildSettings) -> int:
    """Parser processes for the local pool: one (this process) when the inputs or the
    staging are on fsspec's ``memory://`` filesystem, which other processes cannot see."""
    locations = [str(p) for p in settings.inputs] + [settings.staging_root or ""]
    return 1 if any(location.startswith("memory://") for location in locations) else settings.workers


def import_in_background(module: str) -> None:
    """Start importing `module` in a daemon thread (a no-op once imported)."""
    if module not in sys.modules:
        threading.Thread(target=importlib.import_module, args=(module,), name=f"import {module}", daemon=True).start()


def _load_run_row(run_id: str, started: datetime, settlement: Settlement, plan: disc.Plan, report_dir: Path) -> dict:
    quarantined = settlement.count("quarantined")
    return {
        "run_id": run_id, "started_at": started, "finished_at": datetime.now(timezone.utc).replace(tzinfo=None),
        "status": "completed_with_quarantine" if quarantined else "completed",
        "files_seen": len(settlement.source_files), "files_loaded": settlement.count("loaded"),
        "files_unchanged": settlement.count("unchanged"), "files_quarantined": quarantined,
        "files_removed": len(plan.removed), "report_path": str(report_dir / "index.html"),
    }
