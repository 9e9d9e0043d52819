"""A warehouse you can trust: readers never see half a load, a killed build changes nothing.

Runs the real CLI against the session's Prefect server on a rendered corpus.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from benchmarks.edit import changed_rows, edit_one_sheet
from benchmarks.render import render_corpus

pytestmark = pytest.mark.e2e
CLI = str(Path(sys.executable).with_name("review-sheets"))
CONTENT_TABLES = ("project", "budget_line", "budget_line_other", "execution_rate", "budget_item", "indicator",
                  "recipient", "expense", "assessment", "lineage", "printed_total", "fiscal_year", "project_link")

READER = r'''
import sys, time, duckdb
path, stop_file, out = sys.argv[1], sys.argv[2], sys.argv[3]
ok = errors = 0
messages = []
import os
while not os.path.exists(stop_file):
    try:
        with duckdb.connect(path, read_only=True) as con:
            n = con.execute("select count(*) from project").fetchone()[0]
            orphans = con.execute("select count(*) from budget_line b anti join project p using (project_key)").fetchone()[0]
            if n == 0 or orphans:
                raise RuntimeError(f"half a load: {n} projects, {orphans} orphan rows")
        ok += 1
    except Exception as exc:
        errors += 1
        messages.append(repr(exc)[:200])
    time.sleep(0.05)
open(out, "w").write(f"{ok} {errors}\n" + "\n".join(messages[:5]))
'''


def content_hashes(warehouse: Path, tables=CONTENT_TABLES) -> dict[str, str]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {t: con.execute(f"select count(*) || ':' || coalesce(md5(string_agg(cast(x as varchar), '|' order by cast(x as varchar))), '') from {t} as x").fetchone()[0]
                for t in tables}


def orphan_rows(warehouse: Path) -> int:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return sum(con.execute(f"select count(*) from {t} anti join project using (project_key)").fetchone()[0]
                   for t in CONTENT_TABLES if t not in ("project", "fiscal_year", "project_link"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    render_corpus(folder, 400, seed=11)
    (folder / "facts.jsonl").unlink()
    return folder


@pytest.fixture(scope="module")
def env(prefect_server):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    environment.update(PREFECT_API_URL=prefect_server["url"], PREFECT_HOME=str(prefect_server["home"]))
    return environment


def build(corpus, warehouse, env, *extra, timeout=600):
    return subprocess.run([CLI, "build", "--input", str(corpus), "--warehouse", str(warehouse), *extra],
                          env=env, capture_output=True, text=True, timeout=timeout)


def test_two_full_builds_give_identical_tables(corpus, env, tmp_path):
    first, second = tmp_path / "a" / "w.duckdb", tmp_path / "b" / "w.duckdb"
    assert build(corpus, first, env).returncode in (0, 3)
    assert build(corpus, second, env).returncode in (0, 3)
    assert content_hashes(first) == content_hashes(second)
    before = content_hashes(first)
    loaded = statuses_of(first).get("loaded", 0)
    rerun = build(corpus, first, env)
    assert rerun.returncode in (0, 3)
    assert content_hashes(first) == before
    statuses = statuses_of(first)
    assert loaded > 200 and statuses.get("loaded", 0) == 0 and statuses["unchanged"] == loaded


def dq_findings(warehouse: Path) -> list[tuple]:
    """dq_issue rows without the run that found them (a carried finding keeps an older run_id)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute("select * exclude (run_id) from dq_issue order by all").fetchall()


def test_edited_and_removed_sheets_patch_only_their_rows(corpus, env, tmp_path):
    """One sheet edited, then one removed: each rerun patches the live file, changes only
    that sheet's rows and ends with the tables and findings of a build from scratch."""
    inputs = tmp_path / "inputs"
    shutil.copytree(corpus, inputs)
    warehouse, rebuilt = tmp_path / "w" / "w.duckdb", tmp_path / "r" / "w.duckdb"
    assert build(inputs, warehouse, env).returncode in (0, 3)
    loaded = statuses_of(warehouse)["loaded"]

    edit = edit_one_sheet(warehouse)
    edited = build(inputs, warehouse, env)
    assert edited.returncode in (0, 3) and not edited.stderr.strip(), edited.stderr  # nothing but the summary
    diff = changed_rows(edit["snapshot"], warehouse, edit["project_key"])
    assert diff["budget_line"]["edited_sheet"] > 0
    assert all(counts["other_sheets"] == 0 for counts in diff.values()), diff
    assert statuses_of(warehouse) == {"loaded": 1, "unchanged": loaded - 1, **quarantined(warehouse)}
    assert build(inputs, rebuilt, env).returncode in (0, 3)
    assert latest_build_mode(warehouse) == "patch" and latest_build_mode(rebuilt) == "rebuild"
    assert content_hashes(warehouse) == content_hashes(rebuilt)
    assert dq_findings(warehouse) == dq_findings(rebuilt)

    Path(edit["path"]).unlink()
    assert build(inputs, warehouse, env).returncode in (0, 3)
    assert build(inputs, rebuilt, env, "--full-refresh").returncode in (0, 3)
    assert latest_build_mode(warehouse) == "patch"
    assert content_hashes(warehouse) == content_hashes(rebuilt)
    assert dq_findings(warehouse) == dq_findings(rebuilt)
    assert orphan_rows(warehouse) == 0


def latest_build_mode(warehouse: Path) -> str:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute("select build_mode from load_run order by started_at desc limit 1").fetchone()[0]


def quarantined(warehouse: Path) -> dict[str, int]:
    count = statuses_of(warehouse).get("quarantined", 0)
    return {"quarantined": count} if count else {}


def statuses_of(warehouse: Path) -> dict[str, int]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return dict(con.execute("select status, count(*) from source_file group by 1").fetchall())


def test_reader_polling_through_a_full_rebuild_sees_no_error(corpus, env, tmp_path):
    warehouse = tmp_path / "w.duckdb"
    assert build(corpus, warehouse, env).returncode in (0, 3)
    stop, out = tmp_path / "stop", tmp_path / "reader.txt"
    reader = subprocess.Popen([sys.executable, "-c", READER, str(warehouse), str(stop), str(out)])
    try:
        result = build(corpus, warehouse, env, "--full-refresh")
        assert result.returncode in (0, 3), result.stderr
    finally:
        stop.touch()
        reader.wait(timeout=30)
    ok, errors = (int(x) for x in out.read_text().splitlines()[0].split())
    assert errors == 0, out.read_text()
    assert ok > 20


@pytest.fixture(scope="module")
def baseline(corpus, env, tmp_path_factory) -> Path:
    warehouse = tmp_path_factory.mktemp("baseline") / "w.duckdb"
    assert build(corpus, warehouse, env).returncode in (0, 3)
    return warehouse


@pytest.mark.parametrize("kill_after", [1, 2, 3, 5, 8, 12])
def test_kill_during_full_refresh_leaves_previous_warehouse_intact(corpus, env, baseline, tmp_path, kill_after):
    warehouse = tmp_path / "w.duckdb"
    shutil.copy(baseline, warehouse)
    before = content_hashes(warehouse, CONTENT_TABLES + ("load_run", "source_file", "dq_issue"))
    process = subprocess.Popen([CLI, "build", "--input", str(corpus), "--warehouse", str(warehouse), "--full-refresh"],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(kill_after)
    finished = process.poll() is not None
    if not finished:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    after = content_hashes(warehouse, CONTENT_TABLES + ("load_run", "source_file", "dq_issue"))
    if finished or after != before:
        # The build published before the kill (it may still have been writing its report
        # or exiting): then the new state must be complete - the same content as before
        # (a full refresh of the same files) and exactly one more load_run row.
        assert {t: after[t] for t in CONTENT_TABLES} == {t: before[t] for t in CONTENT_TABLES}
        runs_before, runs_after = (int(h["load_run"].split(":")[0]) for h in (before, after))
        assert runs_after in (runs_before, runs_before + 1) and (finished or runs_after == runs_before + 1)
    assert orphan_rows(warehouse) == 0
    if kill_after == 8:  # the next run clears the killed run's leftovers
        again = build(corpus, warehouse, env)
        assert again.returncode in (0, 3)
        assert not list(warehouse.parent.glob("*.next.duckdb*"))


def _running_in_session(session: int) -> list[str]:
    """Processes of a session that still run (zombies, left for init to reap, do not)."""
    listed = subprocess.run(["ps", "-o", "stat=,args=", "-s", str(session)], capture_output=True, text=True).stdout
    return [line.strip() for line in listed.splitlines() if line.strip() and not line.strip().startswith("Z")]


def test_ctrl_c_during_a_build_prints_one_line_and_changes_nothing(corpus, env, baseline, tmp_path):
    """Ctrl-C (SIGINT to the whole process group, as a terminal sends it) while the sheets
    parse: exit 130, one line saying the previous warehouse is unchanged, none of Prefect's
    `Crash detected!` ERROR lines nor a parser process's traceback, and the warehouse as
    it was.  The second batch (50 of the 400 files) is staged while the first (350) still
    parses: one parser process is busy and the other waits for work when the signal comes."""
    warehouse = tmp_path / "w.duckdb"
    shutil.copy(baseline, warehouse)
    before = content_hashes(warehouse, CONTENT_TABLES + ("load_run", "source_file", "dq_issue"))
    process = subprocess.Popen([CLI, "build", "--input", str(corpus), "--warehouse", str(warehouse), "--full-refresh",
                                "--workers", "2", "--batch-size", "350"],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               start_new_session=True)
    deadline = time.monotonic() + 120
    while not list((tmp_path / ".work").glob("*/staging/printed_total/part-00001.parquet")) and process.poll() is None:
        assert time.monotonic() < deadline, "the build never staged its second batch"
        time.sleep(0.02)
    time.sleep(0.2)  # the second batch's parser is back waiting for work
    assert process.poll() is None, "the build ended before it could be interrupted"
    os.killpg(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert err.strip().splitlines() == ["interrupted: the previous warehouse (if any) is unchanged"], err
    assert _running_in_session(process.pid) == []  # no parser process outlives the build
    assert content_hashes(warehouse, CONTENT_TABLES + ("load_run", "source_file", "dq_issue")) == before
