"""The gate's helper process gives the same verdicts as the gate run in-process."""

from __future__ import annotations

import time
from pathlib import Path
from decimal import Decimal as D

import duckdb
import pytest

from expectations import gate_process
from expectations.gate_process import GateProcess, GateUnavailable
from expectations.runner import validate_staged
from tests.expectations.staged_sheets import seed_sheet, set_value, write_staging

pytestmark = pytest.mark.gx


@pytest.fixture(scope="module")
def gate():
    process = GateProcess()
    yield process
    process.close()


@pytest.fixture(scope="module")
def staging(tmp_path_factory):
    folder = tmp_path_factory.mktemp("staging")
    bad = seed_sheet("bad")
    set_value(bad["budget_line"], {"fiscal_year": 2018, "line": "initial"}, amount_million_yen=D("-4"), raw_text="-4")
    broken = seed_sheet("broken")
    set_value(broken["budget_line"], {"fiscal_year": 2019, "line": "reserve"}, line="subtotal")  # an error
    write_staging(folder, [seed_sheet("clean"), bad, broken])
    return folder


def _comparable(validation):
    issues = sorted((i["project_key"] or "", i["table_name"], i["check_name"], i["severity"], str(i["observed"]))
                    for i in validation.issues)
    return issues, validation.quarantined, validation.success


def test_helper_and_in_process_verdicts_are_equal(gate, staging, tmp_path):
    here = validate_staged(staging, "run-here", report_dir=tmp_path / "here")
    there = gate.call("validate_staged", staging, "run-there", report_dir=tmp_path / "there")
    assert _comparable(there) == _comparable(here)
    assert there.issues and "broken" in there.quarantined  # the staging does fail some checks
    assert (tmp_path / "there").is_dir()  # the helper wrote its report where it was asked to


def test_errors_raised_in_the_helper_reach_the_caller(gate, tmp_path):
    duckdb.connect(str(tmp_path / "empty.duckdb")).close()
    with pytest.raises(ValueError, match="lacks table"):
        gate.call("validate_warehouse", tmp_path / "empty.duckdb", "run-wh")
    assert gate.alive  # and it goes on serving


def test_only_the_gate_functions_can_be_called(gate):
    with pytest.raises(ValueError, match="not a gate function"):
        gate.call("_copy_sheets")


def test_a_closed_helper_is_unavailable(staging):
    process = GateProcess()
    process.close()
    assert not process.alive
    with pytest.raises(GateUnavailable):
        process.call("validate_staged", staging, "run-x")


def test_start_current_stop():
    assert gate_process.current() is None
    started = gate_process.start()
    try:
        assert gate_process.current() is started
    finally:
        gate_process.stop()
    assert gate_process.current() is None and not started.alive


def _loaded(pid: int, library: str) -> bool:
    """Whether process `pid` has mapped a shared library whose path holds `library`."""
    try:
        return library in Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return False


def test_a_helper_stopped_while_importing_exits_cleanly():
    """Stopped mid-import (the inputs were touched, nothing changed), it exits with 0, not
    killed by the signal: the locks its imports created are released, and the resource
    tracker has no leak to report on the build's terminal."""
    process = GateProcess()
    deadline = time.monotonic() + 60
    # pandas' extensions load early in the import of Great Expectations, which goes on
    # for more than a second after them: close() then finds the helper still importing
    while not _loaded(process._process.pid, "pandas/_libs"):
        assert time.monotonic() < deadline and process.alive, "the helper never started importing"
        time.sleep(0.01)
    terminated = []
    terminate = process._process.terminate
    process._process.terminate = lambda: (terminated.append(1), terminate())[-1]
    process.close()
    assert terminated, "the helper had finished importing: close() did not have to stop it"
    assert process._process.exitcode == 0
