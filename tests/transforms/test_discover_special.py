"""Input entries that are not plain files with plain names: each becomes one refused
entry with its reason, none stops or hangs discovery (probe round 11, D1, D2, D4)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from transforms.discover import UNLISTABLE, FileEntry, discover, plan


def test_a_fifo_and_a_link_to_a_device_are_refused_without_being_read(tmp_path):
    (tmp_path / "good.txt").write_text("x", encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    # in a child process with a time limit: reading either would never end
    code = ("import sys; from transforms.discover import discover; "
            "print('\\n'.join(f'{e.path}|{e.problem}' for e in discover([sys.argv[1]], 1 << 20)))")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=60,
                         check=True).stdout.splitlines()
    problems = dict(line.rsplit("|", 1) for line in out)
    assert problems[str(tmp_path / "good.txt")] == "None"
    assert problems[str(tmp_path / "pipe.txt")].startswith("not a regular file")
    assert problems[str(tmp_path / "zero.txt")].startswith("not a regular file")


def test_a_name_that_is_not_utf8_is_refused_with_a_printable_path(tmp_path):
    (tmp_path / "good.txt").write_text("x", encoding="utf-8")
    bad = os.path.join(os.fsencode(tmp_path), b"bad\xff\xfe.txt")
    with open(bad, "wb") as handle:
        handle.write(b"x")
    entries = {e.path: e for e in discover([tmp_path], 1 << 20)}
    refused = entries[str(tmp_path / "bad\\xff\\xfe.txt")]
    assert "not valid UTF-8" in refused.problem and refused.sha256 is None
    assert entries[str(tmp_path / "good.txt")].problem is None
    for path in entries:
        path.encode("utf-8")  # every path can be stored


@pytest.mark.skipif(os.geteuid() == 0 and not Path("/usr/bin/setpriv").exists(), reason="needs setpriv as root")
def test_a_folder_that_cannot_be_listed_is_refused_and_its_sheets_are_kept(tmp_path):
    hidden = tmp_path / "sub"
    hidden.mkdir()
    (hidden / "a.txt").write_text("a", encoding="utf-8")
    (tmp_path / "b.txt").write_text("b", encoding="utf-8")
    previous = {e.path: {"sha256": e.sha256, "status": "loaded", "project_key": e.path, "size_bytes": e.size_bytes}
                for e in discover([tmp_path], 1 << 20)}
    hidden.chmod(0)
    try:
        # as root the permission bits do not stop a listing: drop the capability that lets them pass
        prefix = ["setpriv", "--bounding-set", "-dac_override,-dac_read_search", "--inh-caps",
                  "-dac_override,-dac_read_search"] if os.geteuid() == 0 else []
        code = ("import sys; from transforms.discover import discover; "
                "print('\\n'.join(f'{e.path}|{e.problem}' for e in discover([sys.argv[1]], 1 << 20)))")
        out = subprocess.run(prefix + [sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True,
                             timeout=60, check=True).stdout.splitlines()
    finally:
        hidden.chmod(0o755)
    entries = [FileEntry(path, problem=None if problem == "None" else problem)
               for path, problem in (line.rsplit("|", 1) for line in out)]
    [folder] = [e for e in entries if e.problem]
    assert folder.path == str(hidden) and folder.problem.startswith(UNLISTABLE)
    for entry in entries:
        if entry.problem is None:
            entry.sha256 = previous[entry.path]["sha256"]
    result = plan(entries, previous, full_refresh=False)
    assert result.removed == []
    assert sorted(e.path for e in result.unchanged) == sorted(previous)


def test_the_files_of_a_warehouse_kept_in_its_input_folder_are_no_inputs(tmp_path):
    from flows.build import _own_files

    warehouse = tmp_path / "w.duckdb"
    for name in ("a.txt", "w.duckdb", "w.duckdb.lock", "w.20260101T000000Z-abc.next.duckdb", "w.notes.txt",
                 "parquet/project.parquet", "reports/r1/index.html", "extracted/2024/1.json"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    found = {Path(e.path).relative_to(tmp_path).as_posix() for e in discover([tmp_path], 1 << 20, own=_own_files(warehouse))}
    assert found == {"a.txt", "w.notes.txt"}
