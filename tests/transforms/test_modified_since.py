"""`modified_since`: the cheap hint that inputs changed after the warehouse was written."""

from __future__ import annotations

import os

from flows.launch import gate_wanted
from transforms.discover import modified_since

PAST = 1_600_000_000.0  # 2020-09-13


def _tree(root):
    (root / "sub").mkdir(parents=True)
    for path in (root / "a.txt", root / "sub" / "b.txt"):
        path.write_text("x", encoding="utf-8")
    for path in (root / "a.txt", root / "sub" / "b.txt", root / "sub", root):
        os.utime(path, (PAST, PAST))
    return root


def test_nothing_modified_after_the_moment(tmp_path):
    root = _tree(tmp_path / "in")
    assert modified_since([root], PAST + 1) is False
    assert modified_since([root / "a.txt"], PAST + 1) is False


def test_a_rewritten_file_in_a_subfolder(tmp_path):
    root = _tree(tmp_path / "in")
    os.utime(root / "sub" / "b.txt", (PAST + 10, PAST + 10))
    assert modified_since([root], PAST + 1) is True


def test_an_added_or_removed_file_changes_its_folder(tmp_path):
    root = _tree(tmp_path / "in")
    (root / "sub" / "b.txt").unlink()
    assert modified_since([root], PAST + 1) is True


def test_hidden_entries_are_not_looked_into(tmp_path):
    root = _tree(tmp_path / "in")
    (root / ".cache").mkdir()
    (root / ".cache" / "x.txt").write_text("x", encoding="utf-8")
    os.utime(root, (PAST, PAST))
    assert modified_since([root], PAST + 1) is False


def test_urls_and_missing_paths_count_as_modified(tmp_path):
    assert modified_since(["memory://sheets"], PAST) is True
    assert modified_since([tmp_path / "absent"], PAST) is True


def test_gate_wanted_only_for_an_incremental_run_with_modified_local_inputs(tmp_path):
    root = _tree(tmp_path / "in")
    warehouse = tmp_path / "w.duckdb"
    options = dict(full_refresh=False, dask_address=None, staging_root=None)
    assert gate_wanted([str(root)], str(warehouse), **options) is False  # no warehouse yet: a first build
    warehouse.write_bytes(b"")
    os.utime(warehouse, (PAST + 5, PAST + 5))
    assert gate_wanted([str(root)], str(warehouse), **options) is False  # nothing modified since
    os.utime(root / "a.txt", (PAST + 10, PAST + 10))
    assert gate_wanted([str(root)], str(warehouse), **options) is True
    assert gate_wanted([str(root)], str(warehouse), **dict(options, full_refresh=True)) is False
    assert gate_wanted([str(root)], str(warehouse), **dict(options, dask_address="tcp://h:8786")) is False
    assert gate_wanted([str(root)], str(warehouse), **dict(options, staging_root="memory://stage")) is False
    assert gate_wanted(["memory://sheets"], str(warehouse), **options) is False
