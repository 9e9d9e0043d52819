"""User errors on the command line: one line on stderr, exit code 2, no traceback, and
nothing touched (probe round 11 of the CLI: D3, D5-D7, D9, D11, D13, D14, D17).

These commands stop before a flow run starts, so no Prefect server is involved.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SEED

CLI = str(Path(sys.executable).with_name("review-sheets"))
ENV = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([CLI, *args], env=ENV, capture_output=True, text=True, timeout=120)


def assert_one_line_error(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 2, result.stdout + result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert all(word in lines[0] for word in words), lines[0]
    assert "Traceback" not in result.stdout + result.stderr


@pytest.fixture
def inputs(tmp_path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "seed.txt").write_bytes(SEED.read_bytes())
    return folder


@pytest.fixture
def other_database(tmp_path) -> Path:
    path = tmp_path / "other.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create table t as select 42 as answer")
    return path


@pytest.fixture
def fake_warehouse(tmp_path) -> Path:
    """A file with the tables a warehouse is recognised by, holding one loaded sheet."""
    path = tmp_path / "w[1].duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create table source_file as select 'a.txt' as path, 'loaded' as status")
        con.execute("create table load_run as select 'r1' as run_id")
    return path


def test_a_build_into_a_folder_a_text_file_or_another_database_is_refused(tmp_path, inputs, other_database):
    (tmp_path / "notes.duckdb").write_text("my notes", encoding="utf-8")
    assert_one_line_error(run("build", "-i", str(inputs), "-w", str(tmp_path)), "is a folder")
    assert_one_line_error(run("build", "-i", str(inputs), "-w", str(tmp_path / "notes.duckdb")), "not a DuckDB file")
    assert (tmp_path / "notes.duckdb").read_text(encoding="utf-8") == "my notes"
    assert_one_line_error(run("build", "-i", str(inputs), "-w", str(other_database)), "something else", "(tables: t)")
    with duckdb.connect(str(other_database), read_only=True) as con:
        assert con.execute("select answer from t").fetchall() == [(42,)]


def test_a_bad_dask_address_or_staging_root_is_refused_before_the_flow(tmp_path, inputs):
    warehouse = str(tmp_path / "w.duckdb")
    assert_one_line_error(run("build", "-i", str(inputs), "-w", warehouse, "--dask-address", "notanaddress"),
                          "not a Dask scheduler address")
    assert_one_line_error(run("build", "-i", str(inputs), "-w", warehouse, "--dask-address", "tcp://127.0.0.1:1"),
                          "no Dask scheduler answers")
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert_one_line_error(run("build", "-i", str(inputs), "-w", warehouse, "--staging-root", str(tmp_path / "file")),
                          "is a file")
    assert not Path(warehouse).exists()


def test_an_empty_input_folder_does_not_empty_the_warehouse(tmp_path, fake_warehouse):
    empty = tmp_path / "empty"
    empty.mkdir()
    before = fake_warehouse.read_bytes()
    assert_one_line_error(run("build", "-i", str(empty), "-w", str(fake_warehouse)), "hold no files", "1 sheets")
    assert fake_warehouse.read_bytes() == before


@pytest.mark.parametrize("command", [["status"], ["dq"], ["report"], ["query", "select 1"]])
def test_reading_commands_on_something_that_is_no_warehouse(tmp_path, other_database, command):
    (tmp_path / "text.duckdb").write_text("x", encoding="utf-8")
    assert_one_line_error(run(*command, "-w", str(tmp_path / "text.duckdb")), "not a DuckDB file")
    assert_one_line_error(run(*command, "-w", str(other_database)), "something else")
    assert_one_line_error(run(*command, "-w", str(tmp_path)), str(tmp_path))
    assert_one_line_error(run(*command, "-w", str(tmp_path / "[/]missing.duckdb")), "[/]missing.duckdb")


def test_queries_that_are_refused_and_json_without_nan(fake_warehouse, tmp_path):
    for sql in ("", ";", "select 1; select 2"):
        assert_one_line_error(run("query", sql, "-w", str(fake_warehouse)))
    target = tmp_path / "out.csv"
    assert_one_line_error(run("query", f"copy (select 1) to '{target}'", "-w", str(fake_warehouse)), "COPY")
    assert not target.exists()
    assert_one_line_error(run("query", "select 1", "--csv", "--json", "-w", str(fake_warehouse)), "--csv")
    result = run("query", "select 'nan'::double as x, 1 as y", "--json", "-w", str(fake_warehouse))
    assert result.returncode == 0 and json.loads(result.stdout) == {"x": None, "y": 1}


def test_sql_from_a_file_or_standard_input(fake_warehouse, tmp_path):
    """A cookbook recipe starts with a `--` comment, which an argument cannot: --file and `-`."""
    recipe = tmp_path / "recipe.sql"
    recipe.write_text("-- sheets by path\nselect path from source_file\n", encoding="utf-8")
    result = run("query", "--file", str(recipe), "--csv", "-w", str(fake_warehouse))
    assert result.returncode == 0 and result.stdout.splitlines()[1:] == ["a.txt"], result.stderr
    piped = subprocess.run([CLI, "query", "-", "--csv", "-w", str(fake_warehouse)], env=ENV, capture_output=True,
                           text=True, timeout=120, input=recipe.read_text(encoding="utf-8"))
    assert piped.returncode == 0 and piped.stdout == result.stdout
    assert_one_line_error(run("query", "select 1", "--file", str(recipe), "-w", str(fake_warehouse)), "not both")
    assert_one_line_error(run("query", "--file", str(tmp_path / "none.sql"), "-w", str(fake_warehouse)), "none.sql")
    assert_one_line_error(run("query", "-w", str(fake_warehouse)), "no SQL")


def test_usage_errors_and_paths_with_brackets(fake_warehouse):
    result = run("status", "--limit", "0", "-w", str(fake_warehouse))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    result = run("query", "select path from source_file", "-w", str(fake_warehouse))
    assert result.returncode == 0 and "a.txt" in result.stdout
    result = run("status", "-w", str(fake_warehouse))  # a run table without the usual columns
    assert result.returncode == 0 and "Traceback" not in result.stderr


def test_a_warehouse_open_for_writing_elsewhere_is_refused_and_one_open_for_reading_is_not(fake_warehouse):
    from flows import preflight

    Path(f"{fake_warehouse}.lock").touch()  # as a build leaves it
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
                               "print('held', flush=True); time.sleep(60)", str(fake_warehouse)],
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        problem, _ = preflight.for_building(fake_warehouse)
        assert "open for writing in another program" in problem
    finally:
        holder.kill()
        holder.wait()
    with duckdb.connect(str(fake_warehouse), read_only=True):  # a BI tool reading it
        assert preflight.for_building(fake_warehouse) == (None, preflight.Warehouse(fake_warehouse))

