"""Inputs by fsspec URL through the real flow: the parser processes (or Dask workers)
open the files themselves, so no shared filesystem is needed.

Each build is compared with the build of the same sheets from a local folder: the
same rows in every sheet table, only `source_path` names the URL.
"""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

import duckdb
import fsspec
import pytest

from tests.conftest import SEED_NAME, SHEET_TABLES
from tests.flows.conftest import SHEETS

pytestmark = [pytest.mark.e2e, pytest.mark.server]


@pytest.fixture(scope="module")
def local_rows(sheets, local_build):
    return _rows(local_build, str(sheets))


def _rows(warehouse: Path, root: str) -> dict[str, list]:
    """Every sheet table's rows, with `root` cut from the project's source path."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = {t: con.execute(f"select * from {t} order by all").fetchall() for t in SHEET_TABLES if t != "project"}
        rows["project"] = con.execute(
            "select * replace (replace(source_path, ?, '<root>') as source_path) from project order by all",
            [root.rstrip("/")]).fetchall()
    return rows


def _source_files(warehouse: Path) -> list[tuple[str, str]]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute("select path, status from source_file order by path").fetchall()


def test_file_url_inputs_in_parser_processes(sheets, api, local_rows, tmp_path):
    from flows.build import build_warehouse

    url = sheets.as_uri()
    warehouse = tmp_path / "warehouse.duckdb"
    summary = build_warehouse([url], str(warehouse), workers=2, batch_size=2)  # two spawned parser processes
    assert summary.status == "completed" and summary.files_loaded == SHEETS
    assert _rows(warehouse, url) == local_rows
    assert _source_files(warehouse) == [(f"{url}/sheet_{n}.txt", "loaded") for n in range(SHEETS)]
    again = build_warehouse([url], str(warehouse), workers=2, batch_size=2)
    assert (again.files_unchanged, again.files_loaded) == (SHEETS, 0)


def test_memory_inputs_on_an_in_process_dask_cluster(sheets, api, local_rows, tmp_path):
    distributed = pytest.importorskip("distributed", reason='dask.distributed is not installed (pip install -e ".[dask]")')
    from flows.build import build_warehouse

    memory = fsspec.filesystem("memory")
    root = f"/inputs-{uuid.uuid4().hex[:8]}"
    for path in sorted(sheets.iterdir()):
        memory.pipe(f"{root}/{path.name}", path.read_bytes())
    url = memory.unstrip_protocol(root)
    warehouse = tmp_path / "warehouse.duckdb"
    try:
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
            summary = build_warehouse([url], str(warehouse), batch_size=2, dask_address=cluster.scheduler_address,
                                      staging_root=f"memory:///staging-{uuid.uuid4().hex[:8]}")
            assert summary.status == "completed" and summary.files_loaded == SHEETS
            assert _rows(warehouse, url) == local_rows
            # one sheet changes and one leaves: the next run re-parses and drops exactly those
            text = memory.cat(f"{root}/sheet_0.txt").decode("utf-8")
            memory.pipe(f"{root}/sheet_0.txt", text.replace(f"{SEED_NAME}その0", f"{SEED_NAME}改").encode("utf-8"))
            memory.rm(f"{root}/sheet_3.txt")
            after = build_warehouse([url], str(warehouse), batch_size=2, dask_address=cluster.scheduler_address)
    finally:
        memory.rm(root, recursive=True)
    assert (after.files_loaded, after.files_unchanged, after.files_removed) == (1, SHEETS - 2, 1)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        names = sorted(r[0] for r in con.execute("select project_name from project").fetchall())
    assert names == sorted([f"{SEED_NAME}改"] + [f"{SEED_NAME}その{n}" for n in range(1, SHEETS) if n != 3])


def test_memory_inputs_are_parsed_in_this_process(sheets, api, local_rows, tmp_path):
    """A memory filesystem exists in one process only: the parser pool is not used for it."""
    from flows.build import build_warehouse

    memory = fsspec.filesystem("memory")
    root = f"/inputs-{uuid.uuid4().hex[:8]}"
    for path in sorted(sheets.iterdir()):
        memory.pipe(f"{root}/{path.name}", path.read_bytes())
    url = memory.unstrip_protocol(root)
    try:
        summary = build_warehouse([url], str(tmp_path / "warehouse.duckdb"), workers=2, batch_size=2)
    finally:
        memory.rm(root, recursive=True)
    assert summary.status == "completed" and summary.files_loaded == SHEETS
    assert _rows(tmp_path / "warehouse.duckdb", url) == local_rows


@pytest.mark.parametrize("url, reason", [
    ("nosuchprotocol://bucket/sheets", "cannot read nosuchprotocol://bucket/sheets: Protocol not known: nosuchprotocol"),
    ("memory:///no-such-folder-here", "input not found: memory:///no-such-folder-here"),
])
def test_cli_refuses_an_unreadable_url_in_one_line(url, reason, cli_env, tmp_path):
    cli = str(Path(sys.executable).with_name("review-sheets"))
    result = subprocess.run([cli, "build", "--input", url, "--warehouse", str(tmp_path / "w.duckdb")],
                            env=cli_env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr.strip() == f"error: {reason}"
    assert "Traceback" not in result.stderr + result.stdout
    assert not (tmp_path / "w.duckdb").exists()


def test_a_killed_runs_remote_staging_is_removed_by_the_next_run(sheets, api, tmp_path):
    """Leftovers under this warehouse's staging folder go; another warehouse's stay."""
    from flows.build import build_warehouse
    from flows.settings import BuildSettings

    memory = fsspec.filesystem("memory")
    root = f"memory:///staging-{uuid.uuid4().hex[:8]}"
    warehouse = tmp_path / "warehouse.duckdb"
    mine = BuildSettings(warehouse=warehouse, staging_root=root).staging_base
    other = BuildSettings(warehouse=tmp_path / "other" / "warehouse.duckdb", staging_root=root).staging_base
    assert mine != other and mine.startswith(root + "/warehouse-")
    memory.pipe(f"{mine}/20260101T000000Z-dead00/project/part-00000.parquet", b"left by a killed run")
    memory.pipe(f"{other}/20260101T000000Z-live00/project/part-00000.parquet", b"another warehouse's run")
    try:
        summary = build_warehouse([str(sheets)], str(warehouse), workers=1, staging_root=root)
        assert summary.status == "completed" and summary.files_loaded == SHEETS
        assert not memory.exists(mine)
        assert memory.cat(f"{other}/20260101T000000Z-live00/project/part-00000.parquet") == b"another warehouse's run"
    finally:
        memory.rm(root, recursive=True)
