"""Shared test helpers: named fixture files and golden outputs.

Golden files are regenerated only with `pytest --regen-golden`; review the diff.
"""

from __future__ import annotations

import contextlib
import json
import sys
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED = ROOT / "data" / "samples" / "000_93cbbc1f3e48d561.txt"
SHARED_DATA = ROOT.parent / "shared" / "data"
SEED_NAME = "住民基本台帳ネットワークシステムセキュリティ対策経費"  # the seed's 事業名
# the tables filled from the sheets' own rows (the warehouse adds identity, years and run tables)
SHEET_TABLES = ("project", "budget_line", "execution_rate", "budget_item", "indicator", "assessment", "lineage",
                "expense", "recipient", "printed_total")


def seed_variants(folder: Path, count: int) -> Path:
    """`count` copies of the seed as different projects (`sheet_<n>.txt`, 事業名 + その<n>)."""
    text = SEED.read_text(encoding="utf-8")
    for n in range(count):
        (folder / f"sheet_{n}.txt").write_text(text.replace(SEED_NAME, f"{SEED_NAME}その{n}"), encoding="utf-8")
    return folder

if str(ROOT) not in sys.path:  # benchmarks/ is importable from tests
    sys.path.insert(0, str(ROOT))

from flows.settings import configure_environment  # noqa: E402

configure_environment(ROOT / "data")


def pytest_addoption(parser):
    parser.addoption("--regen-golden", action="store_true", help="rewrite golden files from the current output")


def jsonable(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


@pytest.fixture
def golden(request):
    """Compare a JSON-able value with tests/fixtures/golden/<name>.json."""

    def check(name: str, value) -> None:
        path = FIXTURES / "golden" / f"{name}.json"
        text = json.dumps(jsonable(value), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        if request.config.getoption("--regen-golden"):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        assert path.exists(), f"golden file {path} missing: run pytest --regen-golden and review it"
        assert json.loads(text) == json.loads(path.read_text(encoding="utf-8")), f"output differs from {path}"

    return check


@pytest.fixture
def seed_bytes() -> bytes:
    return SEED.read_bytes()


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory):
    """A real `prefect server start` on a free loopback port for the whole session."""
    import os
    import subprocess
    import time
    import urllib.request

    from flows.server import server_command, server_environment

    home = tmp_path_factory.mktemp("prefect-home")
    port = _free_port()
    env = server_environment(home, port)
    log = open(home / "server.log", "wb")
    process = subprocess.Popen(server_command(port), env=env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    url = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(url + "/health", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"prefect server did not start: see {home / 'server.log'}")
        time.sleep(0.5)
    try:
        yield {"url": url, "home": home, "port": port}
    finally:
        os.killpg(process.pid, 15)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
        log.close()


@contextlib.contextmanager
def flow_api(url: str):
    """Flows called in this process talk to the Prefect server at `url`, heartbeats off."""
    from prefect.settings import PREFECT_API_URL, PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    with temporary_settings({PREFECT_API_URL: url, PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield url


def build_completed(api_url: str, inputs: list, warehouse: Path, **options):
    """Run the build flow in this process against `api_url`; it must load every file."""
    from flows.build import build_warehouse

    with flow_api(api_url):
        summary = build_warehouse([str(i) for i in inputs], str(warehouse), **options)
    assert summary.status == "completed" and summary.files_quarantined == 0, summary
    return summary


@pytest.fixture
def api(prefect_server, monkeypatch):
    """Flows run by the test (and processes it starts, such as Dask workers) use the test server."""
    monkeypatch.setenv("PREFECT_API_URL", prefect_server["url"])
    with flow_api(prefect_server["url"]) as url:
        yield url


@pytest.fixture
def cli_env(prefect_server, tmp_path):
    """Environment for running `review-sheets` as a user would, against the test server."""
    import os

    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_API_URL=prefect_server["url"], PREFECT_HOME=str(prefect_server["home"]),
               REVIEW_SHEETS_DATA=str(tmp_path / "data"))
    return env
