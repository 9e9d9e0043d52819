"""A local Prefect server for scheduled runs: `python -m flows.server` (make server).

Binds to loopback, keeps its SQLite database under the project's data folder and uses
the settings measured to keep a 2-core machine responsive (task-run recorder batches).
"""

from __future__ import annotations

import os
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


def main() -> int:  # pragma: no cover - a long-running process
    port = int(os.environ.get("REVIEW_SHEETS_PREFECT_PORT", DEFAULT_PORT))
    home = DATA_DIR / "prefect"
    home.mkdir(parents=True, exist_ok=True)
    print(f"Prefect server on http://127.0.0.1:{port}/api (data in {home}); Ctrl-C stops it.", flush=True)
    print(f"In another shell: export PREFECT_API_URL=http://127.0.0.1:{port}/api && make serve", flush=True)
    try:
        return subprocess.call(server_command(port), env=server_environment(home, port))
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
