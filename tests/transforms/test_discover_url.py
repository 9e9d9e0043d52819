"""Inputs given as fsspec URLs: found, hashed and read like local files, known by their URL."""

from __future__ import annotations

import hashlib
import uuid

import fsspec
import pytest

from tests.conftest import SEED
from transforms.discover import discover, plan, read_bytes
from transforms.model import ParseError
from transforms.sources.text_sheet import parse_file


@pytest.fixture
def memory_root():
    """A fresh folder of fsspec's in-process memory filesystem (removed afterwards)."""
    root = f"/sheets-{uuid.uuid4().hex[:8]}"
    memory = fsspec.filesystem("memory")
    memory.mkdir(root)
    yield memory, root
    memory.rm(root, recursive=True)


def test_a_memory_folder_is_discovered_like_a_local_one(memory_root, tmp_path):
    memory, root = memory_root
    seed = SEED.read_bytes()
    memory.pipe(f"{root}/b/sheet.txt", seed)
    memory.pipe(f"{root}/a.txt", seed + b"\n")
    memory.pipe(f"{root}/big.txt", b"x" * 50_000)
    memory.pipe(f"{root}/.hidden.txt", seed)
    memory.pipe(f"{root}/.git/config", b"x")
    memory.pipe(f"{root}/folder.txt/inner.txt", seed)  # a directory named like a sheet file

    found = {e.path: e for e in discover([f"memory://{root}"], max_bytes=40_000)}

    url = {name: memory.unstrip_protocol(f"{root}/{name}") for name in
           ("a.txt", "b/sheet.txt", "big.txt", "folder.txt", "folder.txt/inner.txt")}
    assert sorted(found) == sorted(url.values())
    assert found[url["b/sheet.txt"]].sha256 == hashlib.sha256(seed).hexdigest()
    assert found[url["b/sheet.txt"]].size_bytes == len(seed)
    assert found[url["big.txt"]].problem.startswith("file of 50,000 bytes exceeds the size limit of 40,000 bytes")
    assert found[url["folder.txt"]].problem == "a directory, not a file"
    assert found[url["folder.txt/inner.txt"]].problem is None
    # the same bytes locally hash the same: a move between storages is a copy, not a change
    (tmp_path / "sheet.txt").write_bytes(seed)
    assert discover([tmp_path], max_bytes=40_000)[0].sha256 == found[url["b/sheet.txt"]].sha256


def test_url_of_one_file_and_a_missing_url(memory_root):
    memory, root = memory_root
    memory.pipe(f"{root}/one.txt", SEED.read_bytes())
    [entry] = discover([f"memory://{root}/one.txt"], max_bytes=1 << 20)
    assert entry.path == memory.unstrip_protocol(f"{root}/one.txt") and entry.problem is None
    [missing] = discover([f"memory://{root}/gone.txt"], max_bytes=1 << 20)
    assert missing.problem == "no such file"
    # a URL file found twice (as a folder member and by name) is one entry
    assert len(discover([f"memory://{root}", f"memory://{root}/one.txt"], max_bytes=1 << 20)) == 1


def test_a_url_sheet_parses_exactly_like_the_local_file(memory_root):
    memory, root = memory_root
    memory.pipe(f"{root}/seed.txt", SEED.read_bytes())
    remote = parse_file(f"memory://{root}/seed.txt")
    local = parse_file(SEED)
    assert remote.source.path == f"memory://{root}/seed.txt"
    assert remote.project_key == local.project_key
    assert remote.project == dict(local.project, source_path=remote.source.path)
    assert {name: rows for name, rows in remote.tables.items() if name != "project"} == \
        {name: rows for name, rows in local.tables.items() if name != "project"}


def test_size_limit_holds_for_urls_and_local_files(memory_root, tmp_path):
    memory, root = memory_root
    memory.pipe(f"{root}/big.txt", b"x" * 100)
    (tmp_path / "big.txt").write_bytes(b"x" * 100)
    for location in (f"memory://{root}/big.txt", str(tmp_path / "big.txt")):
        with pytest.raises(ValueError, match="exceeds the size limit of 99 bytes"):
            read_bytes(location, 99)
        assert read_bytes(location, 100) == b"x" * 100
    with pytest.raises(ParseError, match="exceeds the size limit"):
        parse_file(f"memory://{root}/big.txt", max_bytes=10)


def test_plan_treats_url_files_by_their_url(memory_root):
    memory, root = memory_root
    memory.pipe(f"{root}/one.txt", SEED.read_bytes())
    files = discover([f"memory://{root}"], max_bytes=1 << 20)
    one, gone = (memory.unstrip_protocol(f"{root}/{name}") for name in ("one.txt", "gone.txt"))
    previous = {one: {"sha256": files[0].sha256, "status": "loaded", "project_key": "k"},
                gone: {"sha256": "x", "status": "loaded", "project_key": "g"}}
    result = plan(files, previous, full_refresh=False)
    assert [e.path for e in result.unchanged] == [one]
    assert result.removed == [gone]


def test_file_urls_follow_no_directory_links_and_skip_the_root(tmp_path):
    root = tmp_path / "inputs.txt"  # a folder named like a sheet file, given as the input itself
    (root / "a").mkdir(parents=True)
    (root / "a" / "sheet.txt").write_bytes(SEED.read_bytes())
    (root / "a" / "up").symlink_to(root, target_is_directory=True)  # a loop, not followed
    found = discover([root.as_uri()], max_bytes=1 << 20)
    assert [(e.path, e.problem) for e in found] == [(f"{root.as_uri()}/a/sheet.txt", None)]
