"""Builds in their own process, exactly as `review-sheets build` runs them; JSON lines out.

Used by `benchmarks.bench` (which samples this process tree's memory)::

    python -m benchmarks.buildrun --input DIR --warehouse FILE [--workers 2] [--incremental]

The first build pays everything the CLI pays: importing Prefect and the flow, the
temporary Prefect server unless PREFECT_API_URL is set (started while the flow
imports, as the CLI does), flow heartbeats off.  With ``--incremental`` two more
builds follow in the same, now warm, process (as in a long-running scheduler):
one with nothing changed, then one after changing one number in one loaded sheet
(a copy replaces the input, so a hard-linked corpus stays intact).

Every line printed is ``<KIND> <json>``; times are wall-clock ``time.time()`` marks.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

MAIN_STARTED = time.time()


def _emit(kind: str, payload: dict) -> None:
    print(f"{kind} {json.dumps(payload, ensure_ascii=False, default=str)}", flush=True)


def _summary(summary) -> dict:
    return {
        "status": summary.status, "files_seen": summary.files_seen, "files_loaded": summary.files_loaded,
        "files_unchanged": summary.files_unchanged, "files_quarantined": summary.files_quarantined,
        "files_still_quarantined": summary.files_still_quarantined,
        "files_removed": summary.files_removed, "rows": summary.rows, "stage_seconds": summary.stage_seconds,
        "stage_cpu_seconds": summary.stage_cpu_seconds,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.buildrun")
    parser.add_argument("--input", required=True)
    parser.add_argument("--warehouse", required=True)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=250)
    parser.add_argument("--incremental", action="store_true", help="then rebuild unchanged, then after one edit")
    args = parser.parse_args(argv)

    from flows.settings import configure_environment

    configure_environment()
    from flows.launch import BuildTimings, run_build

    timings = BuildTimings()
    summary = run_build([args.input], args.warehouse, workers=args.workers, batch_size=args.batch_size,
                        timings=timings)
    finished = time.time()
    _emit("BUILD", {
        "phase": "full", "api": timings.api, "main_started": MAIN_STARTED,
        "imports_seconds": round(timings.imports, 3),
        "server_ready_seconds": None if timings.server_ready is None else round(timings.server_ready, 3),
        "flow_seconds": round(timings.flow, 3), "finished": finished,
        "peak_rss_self_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "peak_rss_children_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
        **_summary(summary),
    })
    if not args.incremental:
        return

    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    from benchmarks.edit import changed_rows, edit_one_sheet
    from flows.build import build_warehouse

    def rebuild(phase: str, **extra) -> None:
        started = time.time()
        with temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
            result = build_warehouse([args.input], args.warehouse, False, args.workers, args.batch_size)
        _emit("BUILD", {"phase": phase, "flow_seconds": round(time.time() - started, 3), **extra, **_summary(result)})

    rebuild("unchanged")
    edit = edit_one_sheet(args.warehouse)
    rebuild("edited", edit=edit)
    snapshot = Path(edit["snapshot"])
    _emit("DIFF", changed_rows(snapshot, args.warehouse, edit["project_key"]))
    snapshot.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
