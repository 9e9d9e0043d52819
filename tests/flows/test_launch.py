"""`flows.launch`: when the CLI starts Prefect's temporary server itself, and when it must not."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from flows import launch


def test_no_temporary_server_when_an_api_url_is_set(monkeypatch):
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:4200/api")
    assert launch.start_temporary_server() is None


def test_no_temporary_server_when_prefect_forbids_one(monkeypatch):
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setenv("PREFECT_SERVER_EPHEMERAL_ENABLED", "false")
    assert launch.start_temporary_server() is None


def test_a_profile_that_names_the_api_wins_over_the_temporary_server(monkeypatch, tmp_path):
    (tmp_path / "profiles.toml").write_text(
        'active = "team"\n\n[profiles.team]\nPREFECT_API_URL = "http://10.0.0.5:4200/api"\n', encoding="utf-8")
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))
    monkeypatch.setenv("PREFECT_PROFILES_PATH", str(tmp_path / "profiles.toml"))
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:1/api")  # what the launcher sets for its own server
    assert launch._configured_elsewhere() == "http://10.0.0.5:4200/api"
    assert launch.os.environ["PREFECT_API_URL"] == "http://127.0.0.1:1/api"  # restored


def test_without_a_profile_the_temporary_server_is_used(monkeypatch, tmp_path):
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))
    monkeypatch.setenv("PREFECT_PROFILES_PATH", str(tmp_path / "profiles.toml"))
    monkeypatch.delenv("PREFECT_SERVER_EPHEMERAL_ENABLED", raising=False)
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:1/api")
    assert launch._configured_elsewhere() is None


@pytest.mark.e2e
def test_the_temporary_server_serves_the_api_and_stops_with_the_build(monkeypatch, tmp_path):
    import urllib.request

    monkeypatch.setenv("PREFECT_HOME", str(tmp_path))  # a database of its own, created by the server
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    server = launch.TemporaryServer()
    try:
        server.wait_ready(90)
        request = urllib.request.Request(f"{server.url}/flows/", data=json.dumps({"name": "probe"}).encode(),
                                         headers={"Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.status == 201 and json.load(response)["name"] == "probe"
        with urllib.request.urlopen(f"{server.url}/flows/filter", data=b"{}", timeout=10) as response:
            assert [f["name"] for f in json.load(response)] == ["probe"]
    finally:
        server.stop()
    assert server.process.returncode is not None
    assert (tmp_path / "prefect.db").exists()


@pytest.mark.e2e
def test_an_edit_run_checks_in_the_helper_process_and_finds_what_a_rebuild_finds(sheets, api, tmp_path, monkeypatch):
    """The CLI's launcher starts the gate's helper process for a run whose inputs were
    modified after the warehouse was written; the result equals a build from scratch."""
    monkeypatch.setattr(launch, "_great_expectations_loaded", lambda: False)  # as in a new `review-sheets` process
    from benchmarks.edit import edit_one_sheet
    from expectations import gate_process
    from tests.flows.test_atomicity import content_hashes, dq_findings

    inputs, warehouse, rebuilt = tmp_path / "in", tmp_path / "w" / "w.duckdb", tmp_path / "r" / "w.duckdb"
    shutil.copytree(sheets, inputs)
    first = launch.BuildTimings()
    launch.run_build([str(inputs)], str(warehouse), workers=1, timings=first)
    assert first.gate_process is False  # a first build: GE loads while the sheets parse

    edit_one_sheet(warehouse)
    timings = launch.BuildTimings()
    summary = launch.run_build([str(inputs)], str(warehouse), workers=1, timings=timings)
    assert timings.gate_process is True and summary.files_loaded == 1
    assert gate_process.current() is None  # closed with the run

    unchanged = launch.BuildTimings()
    launch.run_build([str(inputs)], str(warehouse), workers=1, timings=unchanged)
    assert unchanged.gate_process is False  # nothing modified since the last build

    launch.run_build([str(inputs)], str(rebuilt), workers=1)  # a first build: checked in this process
    assert content_hashes(warehouse) == content_hashes(rebuilt)
    assert dq_findings(warehouse) == dq_findings(rebuilt)


FREEZE_PROBE = """
import gc, json
from flows import launch
with launch.imports_outside_collection():
    during = gc.isenabled()
first = gc.get_freeze_count()
with launch.imports_outside_collection():  # a second build in the same process
    second_during = gc.isenabled()
print(json.dumps({"during": during, "frozen": first, "refrozen": gc.get_freeze_count() != first,
                  "second_during": second_during, "enabled_after": gc.isenabled()}))
"""


def test_imports_are_frozen_out_of_collection_once_per_process():
    done = subprocess.run([sys.executable, "-c", FREEZE_PROBE], capture_output=True, text=True, timeout=60, check=True)
    seen = json.loads(done.stdout)
    assert seen["during"] is False and seen["frozen"] > 1000  # the imports ran without the collector, then froze
    assert seen["refrozen"] is False and seen["second_during"] is True  # later builds leave the collector alone
    assert seen["enabled_after"] is True
