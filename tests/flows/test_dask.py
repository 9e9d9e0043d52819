"""The same flow on a Dask cluster: parse batches run as Prefect tasks on Dask workers.

A `distributed.LocalCluster` stands in for a real cluster: with worker processes
and a ``file://`` staging URL, and in-process with ``memory://`` staging.  Both
builds must give the warehouse the local process pool gives.
"""

from __future__ import annotations

import time

import duckdb
import pytest

from tests.conftest import SHEET_TABLES
from tests.flows.conftest import SHEETS

pytest.importorskip("prefect_dask", reason='prefect-dask is not installed (pip install -e ".[dask]"; make test installs it)')
distributed = pytest.importorskip("distributed", reason='dask.distributed is not installed (pip install -e ".[dask]")')

pytestmark = [pytest.mark.e2e, pytest.mark.server]

BATCH = 2  # three batches, so both workers get work


def _rows(warehouse) -> dict[str, list]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {t: con.execute(f"select * from {t} order by all").fetchall() for t in SHEET_TABLES}


def _task_run_names(flow_run_id, expected: int, timeout: float = 30.0) -> list[str]:
    """Names of the flow run's task runs (the server records them asynchronously)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    deadline = time.monotonic() + timeout
    while True:
        with get_client(sync_client=True) as client:
            runs = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])))
        names = sorted(r.name for r in runs if r.name.startswith("parse batch"))
        if len(names) >= expected or time.monotonic() > deadline:
            return names
        time.sleep(0.5)


def test_worker_processes_with_file_staging_build_the_same_warehouse(sheets, api, local_build, tmp_path):
    from flows.build import build_warehouse

    staging = tmp_path / "staging"
    warehouse = tmp_path / "dask" / "warehouse.duckdb"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        state = build_warehouse([str(sheets)], str(warehouse), batch_size=BATCH, dask_address=cluster.scheduler_address,
                                staging_root=staging.as_uri(), return_state=True)
    summary = state.result()
    assert summary.status == "completed" and summary.files_loaded == SHEETS
    assert _rows(warehouse) == _rows(local_build)
    assert len(_task_run_names(state.state_details.flow_run_id, SHEETS // BATCH)) == SHEETS // BATCH
    assert not staging.exists() or not any(staging.iterdir())  # the run's staging is removed


def test_in_process_cluster_with_memory_staging(sheets, api, local_build, tmp_path):
    import fsspec

    from flows.build import build_warehouse

    warehouse = tmp_path / "warehouse.duckdb"
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        summary = build_warehouse([str(sheets)], str(warehouse), batch_size=BATCH, dask_address=cluster.scheduler_address,
                                  staging_root="memory://review-sheets-test/staging")
    assert summary.status == "completed" and summary.files_loaded == SHEETS
    assert _rows(warehouse) == _rows(local_build)
    memory = fsspec.filesystem("memory")
    assert not memory.exists("/review-sheets-test/staging") or not memory.ls("/review-sheets-test/staging")


def test_cli_takes_the_dask_address(sheets, cli_env, tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    cli = str(Path(sys.executable).with_name("review-sheets"))
    warehouse = tmp_path / "cli" / "warehouse.duckdb"
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        env = dict(cli_env, REVIEW_SHEETS_DASK_ADDRESS=cluster.scheduler_address)
        result = subprocess.run([cli, "build", "--input", str(sheets), "--warehouse", str(warehouse), "--batch-size", "3",
                                 "--staging-root", (tmp_path / "staging").as_uri()],
                                env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert con.execute("select count(*) from project").fetchone()[0] == SHEETS
