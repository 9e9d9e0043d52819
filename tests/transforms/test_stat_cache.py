"""The stat cache of `discover`: a file whose stat key is unchanged keeps its recorded hash."""

from __future__ import annotations

import hashlib
import os

import pytest

from transforms import discover as disc


@pytest.fixture
def settled(monkeypatch):
    """Files count as settled at once (by default a file changed in the last 2 s is hashed again)."""
    monkeypatch.setattr(disc, "RECENT_NS", 0)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_an_unchanged_key_keeps_the_recorded_hash_without_reading(tmp_path, settled):
    path = tmp_path / "a.txt"
    path.write_bytes(b"1234")
    first = disc.inspect(path, 100)
    assert first.sha256 == _sha(b"1234") and first.stat_key
    # a recorded hash that is not the file's: returned as is, so the file was not read
    again = disc.inspect(path, 100, {str(path): (first.stat_key, "recorded")})
    assert again.sha256 == "recorded" and again.stat_key == first.stat_key


def test_a_same_size_rewrite_with_the_old_mtime_restored_is_hashed_again(tmp_path, settled):
    path = tmp_path / "a.txt"
    path.write_bytes(b"1234")
    first = disc.inspect(path, 100)
    before = os.stat(path)
    with open(path, "r+b") as handle:  # in place: same inode, same size
        handle.write(b"1235")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # as unzip or rsync -t would
    assert os.stat(path).st_mtime_ns == before.st_mtime_ns
    again = disc.inspect(path, 100, {str(path): (first.stat_key, first.sha256)})
    assert again.sha256 == _sha(b"1235") and again.stat_key != first.stat_key


def test_a_file_changed_in_the_last_seconds_gets_no_key(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"1234")
    entry = disc.inspect(path, 100)
    assert entry.sha256 == _sha(b"1234") and entry.stat_key is None


def test_discover_passes_the_recorded_hashes_to_each_file(tmp_path, settled):
    (tmp_path / "a.txt").write_bytes(b"a")
    (tmp_path / "b.txt").write_bytes(b"b")
    first = {e.path: e for e in disc.discover([tmp_path], 100)}
    known = {path: (entry.stat_key, f"recorded {os.path.basename(path)}") for path, entry in first.items()}
    again = disc.discover([tmp_path], 100, known)
    assert [e.sha256 for e in again] == ["recorded a.txt", "recorded b.txt"]
    assert [e.sha256 for e in disc.discover([tmp_path], 100)] == [_sha(b"a"), _sha(b"b")]
