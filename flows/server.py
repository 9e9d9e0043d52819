"""A local Prefect server for scheduled runs: `python -m flows.server` (make server).

Binds to loopback, keeps its SQLite database under the project's data folder and uses
the settings measured to keep a 2-core machine responsive (task-run recorder batches).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from flows.settings import DATA_DIR, QUIET_PREFECT

DEFAULT_PORT = 4200


def server_environment(home: Path, port: int) -> dict[str, str]:
    """Environment for `prefect server start`: quiet, offline, data under `home`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API_URL")}
    env.update(QUIET_PREFECT)
    env.update(
        PREFECT_HOME=str(home),
        PREFECT_SERVER_API_HOST="127.0.0.1",
        PREFECT_SERVER_API_PORT=str(port),
        PREFECT_SERVER_LOGGING_LEVEL="WARNING",
    )
    return env


def server_command(port: int) -> list[str]:
    prefect = Path(sys.executable).with_name("prefect")
    return [str(prefect), "server", "start", "--host", "127.0.0.1", "--port", str(port), "--no-ui", "--analytics-off"]


def run_server(port: int, home: Path, grace_seconds: float = 30.0) -> int:
    """Run the server in the foreground until it exits or is stopped by SIGINT/SIGTERM.

    The server gets the signal too (Ctrl-C reaches the whole process group; SIGTERM
    sent to this process alone is forwarded) and is given `grace_seconds` to shut down
    cleanly before it is killed, so no server is left behind.  Returns 0 when stopped.
    """
    # A shell's background job inherits SIGINT ignored (and would pass that on to the
    # server); Ctrl-C / `kill -INT` is the documented stop, so restore it first.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    process = subprocess.Popen(server_command(port), env=server_environment(home, port))
    stopping = False

    def forward(signum, _frame):
        nonlocal stopping
        stopping = True
        process.send_signal(signum)

    previous = signal.signal(signal.SIGTERM, forward)
    try:
        code = process.wait()
    except KeyboardInterrupt:
        stopping = True
        process.send_signal(signal.SIGINT)  # harmless if the terminal already sent it
        try:
            code = process.wait(timeout=grace_seconds)
        except (subprocess.TimeoutExpired, KeyboardInterrupt):
            process.kill()
            code = process.wait()
    finally:
        signal.signal(signal.SIGTERM, previous)
    return 0 if stopping else code


def main() -> int:  # pragma: no cover - a long-running process
    port = int(os.environ.get("REVIEW_SHEETS_PREFECT_PORT", DEFAULT_PORT))
    home = DATA_DIR / "prefect"
    home.mkdir(parents=True, exist_ok=True)
    print(f"Prefect server on http://127.0.0.1:{port}/api (data in {home}); Ctrl-C stops it.", flush=True)
    print(f"In another shell: export PREFECT_API_URL=http://127.0.0.1:{port}/api && make serve", flush=True)
    return run_server(port, home)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
