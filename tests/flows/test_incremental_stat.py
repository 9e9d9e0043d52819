"""A rerun trusts the hashes recorded with unchanged stat keys, and still sees an edit
made in place with the old modification time put back."""

from __future__ import annotations

import os
import re
import shutil

import duckdb
import pytest

from tests.conftest import build_completed
from transforms import discover as disc

pytestmark = pytest.mark.e2e


def _stat_keys(warehouse) -> dict[str, str | None]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return dict(con.execute("select path, stat_key from source_file").fetchall())


def _edit_in_place(path) -> None:
    """Change one digit of the first 当初予算 amount without changing the size or the mtime."""
    before = os.stat(path)
    text = path.read_text(encoding="utf-8")
    start = text.index("当初予算")
    digit = re.compile(r"\d").search(text, start)
    replaced = text[: digit.start()] + ("1" if digit.group() != "1" else "2") + text[digit.end():]
    with open(path, "r+b") as handle:
        handle.write(replaced.encode("utf-8"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.stat(path).st_size == before.st_size and os.stat(path).st_mtime_ns == before.st_mtime_ns


def _count_hashing(monkeypatch) -> list[int]:
    """Count the files `transforms.discover` hashes from now on (one entry per file)."""
    hashed: list[int] = []
    real = disc.hashlib

    class Counting:
        @staticmethod
        def sha256(data=b""):
            hashed.append(1)
            return real.sha256(data)

    monkeypatch.setattr(disc, "hashlib", Counting)
    return hashed


def test_rerun_uses_recorded_hashes_and_catches_an_in_place_edit(sheets, prefect_server, tmp_path, monkeypatch):
    monkeypatch.setattr(disc, "RECENT_NS", 0)  # the fixture's files are seconds old
    inputs, warehouse = tmp_path / "in", tmp_path / "w" / "w.duckdb"
    shutil.copytree(sheets, inputs)
    build_completed(prefect_server["url"], [inputs], warehouse, workers=1)
    keys = _stat_keys(warehouse)
    assert keys and all(keys.values())

    hashed = _count_hashing(monkeypatch)
    again = build_completed(prefect_server["url"], [inputs], warehouse, workers=1)
    assert again.files_loaded == 0 and again.files_unchanged == len(keys)
    assert _stat_keys(warehouse) == keys
    assert hashed == []  # every file trusted by its stat key: none read to be hashed

    edited = sorted(inputs.glob("*.txt"))[0]
    _edit_in_place(edited)
    after = build_completed(prefect_server["url"], [inputs], warehouse, workers=1)
    assert after.files_loaded == 1 and len(hashed) == 1  # only the edited file (its ctime moved)
    new_keys = _stat_keys(warehouse)
    assert new_keys[str(edited)] != keys[str(edited)]
    assert {p: k for p, k in new_keys.items() if p != str(edited)} == {p: k for p, k in keys.items() if p != str(edited)}
