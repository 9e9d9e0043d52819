"""A folder of good sheets plus junk: every good sheet loads, every bad file says why."""

from __future__ import annotations

import codecs
import os
import random
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SEED

pytestmark = pytest.mark.e2e
CLI = str(Path(sys.executable).with_name("review-sheets"))
SEED_TEXT = SEED.read_text(encoding="utf-8")
SEED_NAME = "住民基本台帳ネットワークシステムセキュリティ対策経費"
INJECTION = "経費'); drop table project; --"


def good_sheet(n: int) -> str:
    """The seed as another project: its own name and its own first budget figure."""
    return SEED_TEXT.replace(SEED_NAME, f"{SEED_NAME}その{n}")


@pytest.fixture(scope="module")
def junk_build(prefect_server, tmp_path_factory):
    root = tmp_path_factory.mktemp("junk")
    inputs = root / "in"
    inputs.mkdir()
    for n in range(40):
        (inputs / f"good_{n:02d}.txt").write_text(good_sheet(n), encoding="utf-8")
    # sheet text is data, never SQL: a name that would break interpolated SQL loads verbatim
    (inputs / "good_07.txt").write_text(SEED_TEXT.replace(SEED_NAME, INJECTION), encoding="utf-8")
    (inputs / "enc_cp932.txt").write_bytes(good_sheet(100).encode("cp932"))
    (inputs / "enc_utf16.txt").write_bytes(good_sheet(101).encode("utf-16"))
    (inputs / "enc_bom_crlf.txt").write_bytes(codecs.BOM_UTF8 + good_sheet(102).replace("\n", "\r\n").encode("utf-8"))
    (inputs / "junk_empty.txt").write_bytes(b"")
    (inputs / "junk_random.txt").write_bytes(random.Random(7).randbytes(20 * 1024))
    (inputs / "junk_cut.txt").write_text("\n".join(good_sheet(200).splitlines()[:6]), encoding="utf-8")
    (inputs / "junk_404.txt").write_text("<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>", encoding="utf-8")
    (inputs / "junk_unrelated.txt").write_text("吾輩は猫である。名前はまだ無い。\nどこで生れたかとんと見当がつかぬ。\n", encoding="utf-8")
    (inputs / "junk_longline.txt").write_bytes(b"x" * (12 * 1024 * 1024))
    (inputs / "zz_exact_copy.txt").write_text(good_sheet(3), encoding="utf-8")
    (inputs / "zz_changed_copy.txt").write_text(good_sheet(5).replace("\t4\t4\t4\t4\t4", "\t5\t4\t4\t4\t4", 1), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_API_URL=prefect_server["url"], PREFECT_HOME=str(prefect_server["home"]))
    warehouse = root / "warehouse.duckdb"
    result = subprocess.run([CLI, "build", "--input", str(inputs), "--warehouse", str(warehouse)],
                            env=env, capture_output=True, text=True, timeout=600)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        files = {Path(p).name: (s, m, k) for p, s, m, k in con.execute("select path, status, message, project_key from source_file").fetchall()}
        orphans = con.execute(
            "select count(*) from budget_line b left join project p using (project_key) where p.project_key is null"
        ).fetchone()[0]
        projects = con.execute("select count(*) from project").fetchone()[0]
        names = {n for (n,) in con.execute("select project_name from project").fetchall()}
    assert INJECTION in names
    return result, files, orphans, projects


def test_exit_code_three_and_no_traceback(junk_build):
    result, _, _, _ = junk_build
    assert result.returncode == 3, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "ERROR" not in result.stdout + result.stderr


def test_good_and_reencoded_sheets_load(junk_build):
    _, files, orphans, projects = junk_build
    good = [n for n in files if n.startswith(("good_", "enc_"))]
    assert len(good) == 43
    assert {files[n][0] for n in good} == {"loaded"}
    assert projects == 43 and orphans == 0


def test_exact_copy_collapses_into_its_original(junk_build):
    _, files, _, _ = junk_build
    status, message, key = files["zz_exact_copy.txt"]
    assert status == "loaded" and "good_03.txt" in message and key == files["good_03.txt"][2]


@pytest.mark.parametrize("name, reason", [
    ("junk_empty.txt", "empty"),
    ("junk_random.txt", "binary"),
    ("junk_cut.txt", "truncated"),
    ("junk_404.txt", "not a review sheet"),
    ("junk_unrelated.txt", "not a review sheet"),
    ("junk_longline.txt", "size limit"),
    ("zz_changed_copy.txt", "good_05.txt"),
])
def test_each_hostile_file_is_quarantined_with_a_reason(junk_build, name, reason):
    _, files, _, _ = junk_build
    status, message, _ = files[name]
    assert status == "quarantined"
    assert reason in message and "\n" not in message


def test_quarantined_files_are_not_parsed_again_until_something_else_changes(prefect_server, tmp_path):
    """A rerun with nothing changed keeps each quarantined file's status, reason, run id and
    findings as they were (the file is not parsed again); once another file changes, they
    are parsed again - a claim they lost may now be settled otherwise."""
    inputs = tmp_path / "in"
    inputs.mkdir()
    for n in range(3):
        (inputs / f"good_{n}.txt").write_text(good_sheet(n), encoding="utf-8")
    (inputs / "junk_cut.txt").write_text("\n".join(good_sheet(9).splitlines()[:6]), encoding="utf-8")
    (inputs / "zz_claim.txt").write_text(good_sheet(1).replace("\t4\t4\t4\t4\t4", "\t5\t4\t4\t4\t4", 1), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_API_URL=prefect_server["url"], PREFECT_HOME=str(prefect_server["home"]))
    warehouse = tmp_path / "warehouse.duckdb"

    printed = []

    def build() -> tuple[str, dict, list]:
        result = subprocess.run([CLI, "build", "--input", str(inputs), "--warehouse", str(warehouse)],
                                env=env, capture_output=True, text=True, timeout=600)
        assert result.returncode == 3, result.stdout + result.stderr
        printed.append(result.stdout)
        with duckdb.connect(str(warehouse), read_only=True) as con:
            run_id = con.execute("select run_id from load_run order by started_at desc limit 1").fetchone()[0]
            files = {Path(p).name: (s, m, r) for p, s, m, r in con.execute(
                "select path, status, message, run_id from source_file where status = 'quarantined'").fetchall()}
            issues = con.execute("select run_id, project_key, source_path, check_name, message from dq_issue "
                                 "where source_path like '%junk_cut.txt' or source_path like '%zz_claim.txt' "
                                 "order by all").fetchall()
        return run_id, files, issues

    first_run, first_files, first_issues = build()
    assert {name: status for name, (status, _, _) in first_files.items()} == {
        "junk_cut.txt": "quarantined", "zz_claim.txt": "quarantined"}
    assert "good_1.txt" in first_files["zz_claim.txt"][1]
    assert first_issues and {i[0] for i in first_issues} == {first_run}

    second_run, second_files, second_issues = build()  # nothing changed
    assert second_run != first_run
    assert second_files == first_files  # the same reasons, still from the first run
    assert second_issues == first_issues
    note = "2 quarantined file(s) have the bytes they were quarantined with: not parsed again"
    assert note not in printed[0] and note in " ".join(printed[1].split())  # the rerun says so

    (inputs / "good_3.txt").write_text(good_sheet(3), encoding="utf-8")  # another file arrives
    third_run, third_files, third_issues = build()
    assert {name: (status, message) for name, (status, message, _) in third_files.items()} == \
        {name: (status, message) for name, (status, message, _) in first_files.items()}
    assert {run for _, _, run in third_files.values()} == {third_run}  # parsed again
    assert {i[0] for i in third_issues} == {third_run}
    assert "not parsed again" not in printed[2]
