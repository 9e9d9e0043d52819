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
