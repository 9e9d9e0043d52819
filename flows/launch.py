"""Run one build the way `review-sheets build` does, with Prefect's fixed costs overlapped.

A build from the command line pays, before any sheet is read: importing Prefect and
the flow's packages (seconds), and - with no `PREFECT_API_URL` - a temporary Prefect
server, a separate process that takes several seconds to boot.  Left to Prefect's
ephemeral mode, the server is started only when the flow first talks to the API,
after the imports, and only after this process has imported Prefect's whole server
package (seconds more, just to launch it).

`run_build` instead launches the same temporary server first - the app Prefect's
`SubprocessASGIServer` runs (uvicorn on 127.0.0.1, UI off, ephemeral flags), started
by `flows.temporary_server` with its imports outside the garbage collector and
without the automation services, bound to this process's lifetime - and points
`PREFECT_API_URL` at it, so it boots on the other core while this process imports
the flow.  With
`PREFECT_API_URL` already set (a real server, the recommended set-up for scheduled
runs) nothing is started.  Flow heartbeats are off (about 1 s per sync flow run,
STACK_NOTES.md §1.2).  `BuildTimings` says where the seconds went.

The data-quality gate needs Great Expectations, another few seconds of imports.  When
the inputs were modified after the warehouse file was written (an incremental run
with work to do: `gate_wanted`), `run_build` first starts the gate's helper process
(`expectations.gate_process`), which imports GE on the other core meanwhile; the
flow's checks then run there.

Call `flows.settings.configure_environment()` first (it sets Prefect's environment).
"""

from __future__ import annotations

import atexit
import gc
import logging
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass
class BuildTimings:
    """Wall-clock seconds of one `run_build` call."""

    api: str = ""  # the Prefect API used: "temporary server <url>" or "PREFECT_API_URL=<url>"
    imports: float = 0.0  # importing Prefect, the flow and its packages (from the call)
    server_ready: float | None = None  # from the call until the temporary server answered (overlaps imports)
    flow: float = 0.0  # the flow run itself
    total: float = 0.0
    gate_process: bool = False  # the gate ran in a helper process started with the build


class TemporaryServer:
    """Prefect's temporary API server, launched early; stopped when this process exits."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}/api"
        env = {**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}
        env.pop("PREFECT_API_URL", None)
        # Automations cannot outlive a server that stops with the build: without the
        # trigger and action services it boots ~0.4 s sooner (the action service builds
        # a second copy of the API app for its own client).
        env.setdefault("PREFECT_SERVER_SERVICES_TRIGGERS_ENABLED", "false")
        self.process = subprocess.Popen([sys.executable, "-m", "flows.temporary_server", str(self.port)],
                                        env=env, stdin=subprocess.DEVNULL)
        atexit.register(self.stop)

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the temporary Prefect server exited with code {self.process.returncode}")
            try:
                with urllib.request.urlopen(f"{self.url}/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"the temporary Prefect server did not answer within {timeout:.0f} s")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _ephemeral_wanted() -> bool:
    """No API URL configured and Prefect's temporary server allowed (its own default)."""
    if os.environ.get("PREFECT_API_URL"):
        return False
    return os.environ.get("PREFECT_SERVER_EPHEMERAL_ENABLED", "true").strip().lower() not in ("0", "false", "no")


def start_temporary_server(timings: BuildTimings | None = None) -> threading.Thread | None:
    """Launch the temporary server now (when one would be used) and point PREFECT_API_URL
    at it; returns a thread that finishes when it answers (raises its error on `join`)."""
    if not _ephemeral_wanted():
        return None
    started = time.perf_counter()
    server = TemporaryServer()
    os.environ["PREFECT_API_URL"] = server.url
    errors: list[BaseException] = []

    def wait() -> None:
        try:
            server.wait_ready(float(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90")))
        except BaseException as exc:  # noqa: BLE001 - re-raised by join()
            errors.append(exc)
            return
        if timings is not None:
            timings.server_ready = time.perf_counter() - started

    class _Waiter(threading.Thread):
        def join(self, timeout: float | None = None) -> None:
            super().join(timeout)
            if errors:
                raise errors[0]

    waiter = _Waiter(target=wait, name="prefect temporary server", daemon=True)
    waiter.server = server  # type: ignore[attr-defined]
    waiter.start()
    return waiter


def _configured_elsewhere() -> str | None:
    """The API URL a Prefect profile / prefect.toml / .env configures ('' when they disable
    the temporary server without naming one), or None when they leave it to us."""
    from prefect.settings.models.root import Settings

    ours = os.environ.pop("PREFECT_API_URL", None)
    try:
        settings = Settings()
    finally:
        if ours is not None:
            os.environ["PREFECT_API_URL"] = ours
    if settings.api.url:
        return settings.api.url
    return None if settings.server.ephemeral.enabled else ""


def run_build(inputs: list[str], warehouse: str, *, full_refresh: bool = False, workers: int = 2,
              batch_size: int = 250, max_bytes: int = 8 * 1024 * 1024, show_progress: bool = False,
              dask_address: str | None = None, staging_root: str | None = None,
              timings: BuildTimings | None = None):
    """Run the `build_warehouse` flow as the CLI does; returns its RunSummary."""
    timings = timings if timings is not None else BuildTimings()
    started = time.perf_counter()
    configured_url = os.environ.get("PREFECT_API_URL")
    server = start_temporary_server(timings)
    from expectations import gate_process

    if not _great_expectations_loaded() and gate_wanted(inputs, warehouse, full_refresh=full_refresh,
                                                        dask_address=dask_address, staging_root=staging_root):
        try:
            gate_process.start()  # GE loads on the other core while Prefect loads here
            timings.gate_process = True
        except OSError:  # no process to spare: the flow checks in this process, as it can anyway
            pass
    try:
        return _run_flow(inputs, warehouse, server, configured_url, timings, started, full_refresh=full_refresh,
                         workers=workers, batch_size=batch_size, max_bytes=max_bytes, show_progress=show_progress,
                         dask_address=dask_address, staging_root=staging_root)
    finally:
        gate_process.stop()


def gate_wanted(inputs: list[str], warehouse: str, *, full_refresh: bool, dask_address: str | None,
                staging_root: str | None) -> bool:
    """Whether to start the gate's helper process (`expectations.gate_process`): for an
    incremental run on local files whose inputs were modified after the warehouse file
    was written.  A first build or a full refresh parses long enough to hide GE's
    import; a run with nothing modified does not need the gate at all."""
    if full_refresh or dask_address:
        return False
    try:
        written = os.stat(warehouse).st_mtime
    except OSError:
        return False
    from transforms.discover import is_url, modified_since

    if staging_root:
        from transforms.stage import local_path

        if local_path(staging_root) is None:  # other processes may not see it (memory://)
            return False
    return not any(is_url(item) for item in inputs) and modified_since(inputs, written)


class _InterruptCrashes(logging.Filter):
    """Drops Prefect's ERROR records of a run interrupted by Ctrl-C (`Crash detected!
    Execution was aborted by an interrupt signal.`, then its `Finished in state
    Crashed(...)`): the command line says in one line that it was interrupted and the
    previous warehouse is unchanged.  The run's Crashed state is still recorded."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "aborted by an interrupt signal" not in record.getMessage()


_INTERRUPT_FILTER = _InterruptCrashes()


def _quiet_interrupts() -> None:
    """Install `_InterruptCrashes` on Prefect's run loggers (once; Prefect is imported)."""
    for name in ("prefect.flow_runs", "prefect.task_runs"):
        logger = logging.getLogger(name)
        if _INTERRUPT_FILTER not in logger.filters:
            logger.addFilter(_INTERRUPT_FILTER)


_imports_frozen = False


@contextmanager
def imports_outside_collection():
    """Import without Python's cyclic garbage collector, then keep what was imported out
    of its later passes (`gc.freeze`), once per process.

    Prefect and the flow's packages leave about 230,000 tracked objects that live as
    long as the process; the collector walks them all on every full pass.  In one new
    `review-sheets build` process (an incremental run of one edited sheet) its passes
    took 0.48 s, 0.26 s with the freeze placed before the imports.  The cycles the
    imports themselves dropped (about 6,500 objects) stay allocated, once; garbage
    made later is collected as usual.  A second call in the same process (another
    build) only runs its block.
    """
    global _imports_frozen
    if _imports_frozen or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()
        _imports_frozen = True


def _great_expectations_loaded() -> bool:
    """True in a process that has run the gate before (a second build in it): GE is
    there already and a helper process would only import it again."""
    return "great_expectations" in sys.modules


def _run_flow(inputs, warehouse, server, configured_url, timings, started, *, full_refresh, workers, batch_size,
              max_bytes, show_progress, dask_address, staging_root):
    timings.api = f"temporary server {os.environ['PREFECT_API_URL']}" if server else f"PREFECT_API_URL={configured_url}"
    with imports_outside_collection():
        from prefect.settings import PREFECT_API_URL, PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings
        from flows.build import build_warehouse, import_in_background

    overrides: dict = {PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}
    if server is not None:  # also when Prefect was imported (and its settings read) before the launch
        overrides[PREFECT_API_URL] = server.server.url  # type: ignore[attr-defined]
    if server is not None and (configured := _configured_elsewhere()) is not None:
        # a profile or prefect.toml names the API (or forbids a temporary server): obey it
        server.server.stop()  # type: ignore[attr-defined]
        os.environ.pop("PREFECT_API_URL", None)
        server = None
        overrides[PREFECT_API_URL] = configured or None
        timings.api = f"PREFECT_API_URL={configured}" if configured else "none (temporary server disabled)"

    _quiet_interrupts()

    timings.imports = time.perf_counter() - started
    if server is not None:
        # The server boots on the other core for a few seconds more: use them to import
        # Great Expectations (the build needs it as soon as something is staged).
        if not timings.gate_process:
            import_in_background("expectations.suites")
        server.join()
    os.makedirs(os.path.dirname(os.path.abspath(warehouse)), exist_ok=True)
    flow_started = time.perf_counter()
    with temporary_settings(overrides):
        summary = build_warehouse(inputs, warehouse, full_refresh, workers, batch_size, max_bytes,
                                  show_progress=show_progress, dask_address=dask_address, staging_root=staging_root)
    timings.flow = time.perf_counter() - flow_started
    timings.total = time.perf_counter() - started
    return summary
