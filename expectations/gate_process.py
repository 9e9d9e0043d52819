"""The data-quality gate in a helper process that imports Great Expectations early.

Importing GE costs a few seconds of one core.  A full build hides them behind parsing:
the parsers are other processes, and GE loads in a thread of the waiting build.  A
small incremental run cannot hide them: its few sheets parse in a fraction of a
second, so the import would sit on the run's critical path, longer than the rest
of the work on those sheets.

`start()` spawns a process that imports GE at once, on the other core, while the
build imports Prefect, hashes the inputs and parses the changed sheets.  The gate's
functions (`expectations.runner.validate_staged` and `validate_warehouse`) are then
called in it and their results sent back; they read and write only local files.
`review-sheets build` starts it when the inputs were modified after the warehouse
was written (`transforms.discover.modified_since`), the case where an incremental
run will need the gate.  If the helper is gone, `GateUnavailable` tells the caller
to run the function in its own process; the result is the same either way.
"""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.util
import os
import signal
from multiprocessing.connection import Connection

FUNCTIONS = ("validate_staged", "validate_warehouse")  # of expectations.runner

_current: "GateProcess | None" = None


class GateUnavailable(RuntimeError):
    """The helper process is not running (it exited, or was closed)."""


class GateProcess:
    """One spawned process running the gate's functions on request, in order."""

    def __init__(self) -> None:
        context = multiprocessing.get_context("spawn")
        self._connection, child_end = context.Pipe()
        self._process = context.Process(target=serve, args=(child_end,), name="review-sheets gate", daemon=True)
        self._process.start()
        child_end.close()

    def call(self, function: str, *args, **kwargs):
        """Run `expectations.runner.<function>(*args, **kwargs)` in the helper; return its result.

        Exceptions raised there are raised here; `GateUnavailable` if the helper is gone.
        """
        if function not in FUNCTIONS:
            raise ValueError(f"not a gate function: {function}")
        try:
            self._connection.send((function, args, kwargs))
            status, value = self._connection.recv()
        except (EOFError, OSError) as exc:
            raise GateUnavailable(f"the gate process is not running ({type(exc).__name__})") from exc
        if status == "error":
            raise value
        return value

    @property
    def alive(self) -> bool:
        return self._process.is_alive()

    def close(self) -> None:
        """Stop the helper: it ends by itself when it sees the pipe closed; one still
        importing is sent SIGTERM, on which it exits cleanly (see `serve`)."""
        try:
            self._connection.close()
        except OSError:
            pass
        self._process.join(timeout=0.5)
        if self._process.is_alive():
            self._process.terminate()
        self._process.join(timeout=10)
        if self._process.is_alive():  # pragma: no cover - SIGTERM is not handled in the helper
            self._process.kill()
            self._process.join()


def start() -> GateProcess:
    """Start the helper and make it `current()` (closing an earlier one)."""
    global _current
    stop()
    _current = GateProcess()
    return _current


def current() -> GateProcess | None:
    """The running helper of this process, if one was started."""
    return _current if _current is not None and _current.alive else None


def stop() -> None:
    """Close the current helper, if any."""
    global _current
    if _current is not None:
        _current.close()
        _current = None


def _exit_on_signal(signum, _frame) -> None:
    raise SystemExit(0)


def serve(connection: Connection) -> None:
    """The helper's loop: import GE, then answer calls until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's to handle; it closes this process
    # `close()` may stop this process mid-import: exit as from an exception, so that the
    # multiprocessing locks that GE's dependencies create are released (the resource
    # tracker would otherwise report them as leaked on the build's terminal).
    signal.signal(signal.SIGTERM, _exit_on_signal)
    try:  # the build and its Prefect API come first: this process only uses the CPU they leave
        os.nice(10)
    except OSError:  # pragma: no cover - not permitted here
        pass
    # GE's import leaves a few hundred thousand objects for good: imported without the
    # cyclic collector and frozen after, its passes skip them (as `flows.launch` does).
    gc.disable()
    from expectations import runner
    import expectations.suites  # noqa: F401 - Great Expectations itself: the reason this process exists
    gc.freeze()
    gc.enable()

    while True:
        try:
            request = connection.recv()
        except (EOFError, OSError):
            # The build closed the pipe: every reply was sent and every file written.  Leave
            # without the interpreter's teardown of GE's modules (half a second and more,
            # which the build would wait for, or cut short with SIGTERM at `close`), once
            # multiprocessing's finalizers have released the semaphores GE's imports made
            # (else the resource tracker reports them as leaked on the build's terminal).
            multiprocessing.util._run_finalizers(0)
            os._exit(0)
        function, args, kwargs = request
        try:
            reply = ("ok", getattr(runner, function)(*args, **kwargs))
        except Exception as exc:  # noqa: BLE001 - sent back and raised in the caller
            reply = ("error", exc)
        try:
            connection.send(reply)
        except (EOFError, OSError):
            return
        except Exception as exc:  # noqa: BLE001 - a result or exception that does not pickle
            connection.send(("error", RuntimeError(f"{function}: {type(exc).__name__}: {exc}")))
