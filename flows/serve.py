"""Serve `build_warehouse` on a schedule against a running Prefect server (`review-sheets serve`).

An ephemeral Prefect server cannot schedule (STACK_NOTES.md §1.4), so `serve` first
checks that `PREFECT_API_URL` is set and answers; otherwise it refuses with one line
(`ServeError`, exit 2 in the CLI).  It then registers the deployment
`build_warehouse/<name>` with a cron or interval schedule and polls the server for
due runs; each run executes in its own subprocess.  At most one run executes at a time
(`limit=1`), so a backlog after downtime is worked through in order.  Ctrl-C (SIGINT)
stops it; the schedule stays active on the server (`pause_on_shutdown=False`) and runs
that fall due meanwhile are picked up, late, at the next start.

Scheduled runs log plain lines: INFO from the flow and task loggers (one line per
stage) and WARNING from the rest of Prefect; logs are also sent to the server.
"""

from __future__ import annotations

import os
import signal
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

from flows.settings import InputError, configure_environment, input_location

DEFAULT_CRON = "0 3 * * *"
DEFAULT_TIMEZONE = "Asia/Tokyo"
DEFAULT_NAME = "scheduled"

# Defaults for the serve process and the runs it starts (the environment still wins).
SERVE_ENVIRONMENT = {
    "PREFECT_LOGGING_LOGGERS_PREFECT_FLOW_RUNS_LEVEL": "INFO",
    "PREFECT_LOGGING_LOGGERS_PREFECT_TASK_RUNS_LEVEL": "INFO",
    "PREFECT_LOGGING_TO_API_ENABLED": "true",
}


class ServeError(Exception):
    """A one-line reason why serving cannot start (no server, bad arguments)."""


def api_url() -> str | None:
    """The configured Prefect API URL (environment, profile or prefect.toml), or None."""
    from prefect.settings import get_current_settings

    return get_current_settings().api.url or None


def check_server(url: str | None, timeout: float = 5.0) -> None:
    """Raise `ServeError` unless a Prefect server answers at `url`."""
    hint = "start one with `make server` and export PREFECT_API_URL=http://127.0.0.1:4200/api"
    if not url:
        raise ServeError(f"PREFECT_API_URL is not set: scheduling needs a running Prefect server; {hint}")
    try:
        with urllib.request.urlopen(url.rstrip("/") + "/health", timeout=timeout) as response:
            if response.status == 200:
                return
            reason = f"HTTP {response.status}"
    except urllib.error.HTTPError as exc:
        reason = f"HTTP {exc.code}"
    except (OSError, ValueError) as exc:
        reason = str(getattr(exc, "reason", exc))
    raise ServeError(f"no Prefect server answers at {url} ({reason}); {hint}")


def schedule_for(cron: str | None, interval: float | None, timezone: str):
    """A Prefect schedule from at most one of `cron` / `interval` (seconds); cron is the default."""
    from prefect.client.schemas.schedules import CronSchedule, IntervalSchedule
    from prefect.schedules import Cron, Interval

    if cron and interval is not None:
        raise ServeError("give either --cron or --interval, not both")
    if interval is not None and interval <= 0:
        raise ServeError("--interval must be a positive number of seconds")
    try:  # validate (cron syntax, time zone name) before anything reaches the server
        if interval is not None:
            IntervalSchedule(interval=timedelta(seconds=interval), timezone=timezone)
            return Interval(timedelta(seconds=interval), timezone=timezone)
        CronSchedule(cron=cron or DEFAULT_CRON, timezone=timezone)
        return Cron(cron or DEFAULT_CRON, timezone=timezone)
    except ValueError as exc:
        first = str(exc).splitlines()
        reason = next((line.strip() for line in first if "Invalid" in line or "invalid" in line), first[-1].strip())
        raise ServeError(f"bad schedule ({cron or interval!r}, {timezone}): {reason}") from None


def serve(inputs: list[Path | str], warehouse: Path, *, cron: str | None = None, interval: float | None = None,
          name: str = DEFAULT_NAME, timezone: str = DEFAULT_TIMEZONE, parameters: dict | None = None) -> None:
    """Serve `build_warehouse` on the schedule until SIGINT; `ServeError` when it cannot start."""
    for key, value in SERVE_ENVIRONMENT.items():
        os.environ.setdefault(key, value)
    configure_environment()
    try:
        locations = [input_location(item) for item in inputs]
    except InputError as exc:
        raise ServeError(str(exc)) from None
    url = api_url()
    check_server(url)
    schedule = schedule_for(cron, interval, timezone)

    from prefect.types.entrypoint import EntrypointType

    from flows.build import build_warehouse

    warehouse = warehouse.absolute()
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    params = {"inputs": locations, "warehouse": str(warehouse), **(parameters or {})}
    when = f"every {interval:g} s" if interval is not None else f"cron {schedule.cron!r} ({timezone})"
    print(f"Serving build_warehouse/{name} {when} against {url}", flush=True)
    print(f"inputs: {', '.join(params['inputs'])}; warehouse: {warehouse}; Ctrl-C stops.", flush=True)
    # A process started in the background by a non-interactive shell inherits SIGINT
    # *ignored*; Ctrl-C / `kill -INT` is the documented way to stop, so restore it.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        build_warehouse.serve(
            name=name, schedules=[schedule], parameters=params, paused=False, pause_on_shutdown=False,
            limit=1, print_starting_message=False, entrypoint_type=EntrypointType.MODULE_PATH,
            description="Scheduled build of the review-sheet warehouse (review-sheets serve).",
        )
    except KeyboardInterrupt:  # Ctrl-C before the runner's own handler is in place
        pass
    print("serve stopped.", flush=True)
