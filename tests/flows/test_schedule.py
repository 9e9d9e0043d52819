"""`review-sheets serve` against a real Prefect server: a scheduled run completes.

The serve process runs in its own session with a marker in its environment, so the
test can stop it like Ctrl-C does (SIGINT to the process group) and then prove that
no process it started (runner, flow-run subprocess, resource tracker) is left.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SEED

CLI = str(Path(sys.executable).with_name("review-sheets"))
MARKER = "REVIEW_SHEETS_TEST_MARKER"
RUN_TIMEOUT = 120  # seconds for the first scheduled run to complete
STOP_TIMEOUT = 30  # seconds for serve to exit after SIGINT


@contextmanager
def api_client(url: str):
    """A sync Prefect client for the test server."""
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: url}), get_client(sync_client=True) as client:
        yield client


def marked_processes(marker: str) -> list[int]:
    """Pids of live processes whose environment carries `marker` (children inherit it)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if f"{MARKER}={marker}".encode() in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(int(entry.name))
            except OSError:  # gone meanwhile, or not ours
                pass
    return found


def wait_for_completed_run(client, deployment_name: str, serve: subprocess.Popen, log: Path):
    """Poll the API until a scheduled run of the deployment is Completed; fail early on a bad end."""
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterDeploymentId
    from prefect.exceptions import ObjectNotFound

    deadline, deployment = time.monotonic() + RUN_TIMEOUT, None
    while time.monotonic() < deadline:
        assert serve.poll() is None, f"serve exited with {serve.returncode}:\n{log.read_text()}"
        try:
            deployment = deployment or client.read_deployment_by_name(f"build_warehouse/{deployment_name}")
        except ObjectNotFound:
            time.sleep(1)
            continue
        runs = client.read_flow_runs(flow_run_filter=FlowRunFilter(
            deployment_id=FlowRunFilterDeploymentId(any_=[deployment.id])))
        bad = [r for r in runs if r.state and r.state.type.value in ("FAILED", "CRASHED")]
        assert not bad, f"run {bad[0].name} ended {bad[0].state.name}:\n{log.read_text()}"
        done = [r for r in runs if r.state and r.state.is_completed()]
        if done:
            return deployment, done[0]
        time.sleep(1)
    pytest.fail(f"no scheduled run completed within {RUN_TIMEOUT} s:\n{log.read_text()}")


@pytest.mark.server
@pytest.mark.e2e
def test_serve_runs_on_schedule_and_stops_cleanly(prefect_server, cli_env, tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(SEED, inputs / SEED.name)
    warehouse = tmp_path / "wh" / "warehouse.duckdb"
    name, marker = f"test-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex
    env = dict(cli_env, PREFECT_RUNNER_POLL_FREQUENCY="2", **{MARKER: marker})
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        serve = subprocess.Popen([CLI, "serve", "--input", str(inputs), "--warehouse", str(warehouse),
                                  "--interval", "8", "--name", name],
                                 env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        with api_client(prefect_server["url"]) as client:
            deployment, run = wait_for_completed_run(client, name, serve, log)
            first_run_output = log.read_text()
            assert run.deployment_id == deployment.id and run.auto_scheduled
            assert client.read_flow_run(run.id).state.name == "Completed"
            try:
                os.killpg(serve.pid, signal.SIGINT)  # what Ctrl-C does
                serve.wait(timeout=STOP_TIMEOUT)
            finally:
                client.delete_deployment(deployment.id)  # no more runs scheduled on the shared server
    finally:
        if serve.poll() is None:
            os.killpg(serve.pid, signal.SIGKILL)
            serve.wait()
        time.sleep(0.5)
        leftovers = marked_processes(marker)
        for pid in leftovers:
            os.kill(pid, signal.SIGKILL)
    assert not leftovers, f"processes left behind: {leftovers}"
    assert serve.returncode == 0, log.read_text()

    # plain log lines, one per stage, and no ERROR line in a normal run
    assert "ERROR" not in first_run_output and "Traceback" not in first_run_output, first_run_output
    assert "Task run 'parse and stage" in first_run_output and "Finished in state Completed()" in first_run_output
    assert "serve stopped." in log.read_text()

    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select count(*) from project").fetchone() == (1,)
        runs = con.execute("select run_id, status, report_path from load_run").fetchall()
    assert runs and all(status == "completed" for _, status, _ in runs)
    assert all(Path(report).is_file() for _, _, report in runs)


@pytest.mark.e2e
@pytest.mark.parametrize("api_url", [None, "http://127.0.0.1:9/api"], ids=["no-url", "no-server"])
def test_serve_refuses_without_a_server(api_url, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_HOME=str(tmp_path / "prefect"), REVIEW_SHEETS_DATA=str(tmp_path / "data"))
    if api_url:
        env["PREFECT_API_URL"] = api_url
    result = subprocess.run([CLI, "serve", "--interval", "5", "--warehouse", str(tmp_path / "w.duckdb")],
                            env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr, result.stderr
    assert "Prefect server" in result.stderr and "make server" in result.stderr
    assert not (tmp_path / "w.duckdb").exists()
