"""Find input files and decide, per file, what a run must do with it.

Pure functions over paths and the previous run's `source_file` records; the flow
turns their results into tasks.  Every file found ends in exactly one bucket:
unchanged (same path and content as a loaded sheet), duplicate (same content as
another file of this run), refused (unreadable, too big, not a file) or to_parse.

An input is a local file or folder, or an fsspec URL of one (``s3://bucket/sheets``,
``memory://sheets``, ``file:///data/sheets``; the backend, such as s3fs, must be
installed).  A file found under a URL is known by its full URL, which the parser
workers open through fsspec too: they need no shared filesystem.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

SHEET_SUFFIXES = (".txt", ".tsv", ".text")
# A file of an RS System CSV bundle, by its published name: 2-1_RS_2024_予算・執行_サマリ.csv,
# its .zip, or a cut of it (….fixture.csv).  Such files are split into one record per
# project (`transforms.sources.rs_csv`) and may be larger than a sheet.
BUNDLE_MEMBER = re.compile(r"^(\d-\d)_RS_(\d{4})_[^/\\]*\.(csv|zip)$", re.IGNORECASE)
BUNDLE_MAX_BYTES = 4 << 30


def member_of_bundle(path: str) -> tuple[str, int] | None:
    """(file code, review year) of an RS CSV bundle file, judged by its published name.

    >>> member_of_bundle("/data/2-1_RS_2024_予算・執行_サマリ.csv")
    ('2-1', 2024)
    >>> member_of_bundle("5-1_RS_2025_支出先_支出情報.zip"), member_of_bundle("sheet_0037.txt")
    (('5-1', 2025), None)
    """
    match = BUNDLE_MEMBER.match(os.path.basename(path))
    return (match.group(1), int(match.group(2))) if match else None


@dataclass
class FileEntry:
    path: str
    size_bytes: int | None = None
    sha256: str | None = None
    problem: str | None = None  # set when the file cannot be read at all
    stat_key: str | None = None  # see `stat_key`; None when not to be trusted by a later run


# A file whose inode changed this recently is hashed again by the next run, whatever its
# stat says: a write in the same timestamp tick as the hashing would not show in it.
RECENT_NS = 2_000_000_000


def stat_key(info: os.stat_result, now_ns: int) -> str | None:
    """Size, modification and inode-change times (ns), inode and device of a file, as
    one string; None when its inode changed within `RECENT_NS` of `now_ns`.

    Equal keys mean the file was not written since: any write, rename onto the path,
    re-creation or `utime` call sets the inode-change time (ctime) to the current time,
    and ctime cannot be set back by a user (tools that restore mtime, such as unzip,
    rsync -t or cp -p, leave a new ctime).  A run trusts the SHA-256 stored with an
    equal key instead of reading the file again; `--full-refresh` reads every file.
    """
    if info.st_ctime_ns > now_ns - RECENT_NS:
        return None
    return f"{info.st_size}:{info.st_mtime_ns}:{info.st_ctime_ns}:{info.st_ino}:{info.st_dev}"


@dataclass
class Plan:
    to_parse: list[FileEntry] = field(default_factory=list)
    unchanged: list[FileEntry] = field(default_factory=list)
    # same path and bytes as a file quarantined before, in a run where no other file is
    # new, changed or gone: its outcome cannot differ, so it is not parsed again
    still_quarantined: list[FileEntry] = field(default_factory=list)
    duplicates: list[tuple[FileEntry, str]] = field(default_factory=list)  # (copy, original path)
    refused: list[FileEntry] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # paths loaded before, gone now
    # files with the bytes last loaded, parsed again because other code reads them now
    reparsed: list[str] = field(default_factory=list)


UNLISTABLE = "a folder that cannot be listed"  # the start of such a folder's problem


def _walk(root: str, unlistable: list[FileEntry] | None = None) -> list[str]:
    """Files under a folder, following no symlinked directories (no loops), sorted; a
    folder that cannot be listed goes to `unlistable` with its reason.
    (Strings, not Paths: 5,000 Path objects cost a third of a run that changes nothing.)"""
    found = []

    def refused(exc: OSError) -> None:
        if unlistable is not None:
            unlistable.append(FileEntry(_printable(exc.filename or root), problem=f"{UNLISTABLE}: {unreadable(exc)}"))

    for dirpath, dirnames, filenames in os.walk(root, followlinks=False, onerror=refused):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        # A folder named like a sheet file is reported (and still searched).
        found.extend(os.path.join(dirpath, d) for d in dirnames if d.lower().endswith(SHEET_SUFFIXES))
        for name in sorted(filenames):
            if not name.startswith("."):
                found.append(os.path.join(dirpath, name))
    return found


def discover(inputs: list[str | Path], max_bytes: int, known: dict[str, tuple[str, str]] | None = None,
             own: Callable[[str], bool] | None = None) -> list[FileEntry]:
    """Every candidate file under `inputs`, hashed, in sorted path order.

    `known`: path -> (stat key, SHA-256) recorded by the last run; a local file whose
    `stat_key` is unchanged keeps its SHA-256 without being read.  `own`: true for a
    path of the build's own output (a warehouse kept inside its input folder), never
    an input.
    """
    entries: dict[str, FileEntry] = {}
    started_ns = time.time_ns()
    for item in inputs:
        if is_url(item):
            found = discover_url(str(item), max_bytes)
        else:
            root, unlistable = os.path.abspath(item), []
            found = [inspect(path, max_bytes, known, started_ns)
                     for path in (_walk(root, unlistable) if os.path.isdir(root) else [root])
                     if own is None or not own(path)] + unlistable
        for entry in found:
            entries.setdefault(entry.path, entry)
    return [entries[p] for p in sorted(entries)]


def modified_since(inputs: list[str | Path], moment: float) -> bool:
    """True when a file or folder under `inputs` was modified after `moment` (POSIX
    seconds), or an input cannot be checked this way (a URL, an unreadable path).

    Only a hint that a run will have work to do (a file added, removed or rewritten
    changes its folder's or its own modification time), read from one ``stat`` per
    entry; what actually changed is decided by content hash (`discover`, `plan`).
    """
    pending = []
    for item in inputs:
        if is_url(item):
            return True
        pending.append(os.path.abspath(item))
    try:
        while pending:
            path = pending.pop()
            if os.stat(path).st_mtime > moment:
                return True
            if not os.path.isdir(path):
                continue
            with os.scandir(path) as entries:
                for entry in entries:
                    if entry.name.startswith("."):
                        continue
                    if entry.is_dir(follow_symlinks=False):
                        pending.append(entry.path)
                    elif entry.stat().st_mtime > moment:
                        return True
    except OSError:
        return True
    return False


def is_url(location: str | Path) -> bool:
    """True for ``scheme://...`` locations (``file://`` included)."""
    return "://" in str(location)


def url_filesystem(url: str):
    """(fsspec filesystem, path inside it) of a URL; ImportError names a missing backend."""
    import fsspec

    return fsspec.core.url_to_fs(url)


def discover_url(url: str, max_bytes: int) -> list[FileEntry]:
    """The files at or under an fsspec URL, each known by its full URL.

    As for folders: names starting with a dot are skipped, a directory named like a
    sheet file is reported (and still searched), sizes are checked before reading.
    """
    fs, root = url_filesystem(url)
    try:
        info = fs.info(root)
    except FileNotFoundError:
        return [FileEntry(url, problem="no such file")]
    if info.get("type") != "directory":
        return [inspect_url(fs, info, max_bytes)]
    found = []
    base = root.rstrip("/")
    for name, item in sorted(fs.find(root, withdirs=True, detail=True).items()):
        relative = name[len(base):].strip("/") if name.startswith(base) else name
        if not relative or any(part.startswith(".") for part in relative.split("/")):
            continue  # the root itself, hidden names
        kind = item.get("type")
        if kind == "directory" and name.lower().endswith(SHEET_SUFFIXES):
            found.append(FileEntry(fs.unstrip_protocol(name), problem="a directory, not a file"))
        elif kind == "file":  # not: other directories, links to directories (not followed)
            found.append(inspect_url(fs, item, max_bytes))
    return found


def inspect_url(fs, info: dict, max_bytes: int) -> FileEntry:
    """`inspect` for one file of an fsspec filesystem (`info` as `fs.info` gives it)."""
    name = fs.unstrip_protocol(info["name"])
    size = info.get("size")
    if member_of_bundle(name):
        max_bytes = max(max_bytes, BUNDLE_MAX_BYTES)
    if size is not None and size > max_bytes:
        return FileEntry(name, size, problem=over_limit(max_bytes, size) + " (not read)")
    try:
        digest, read = hashlib.sha256(), 0
        with fs.open(info["name"], "rb") as handle:
            while data := handle.read(1 << 20):
                digest.update(data)
                read += len(data)
                if read > max_bytes:  # the listing did not give the size
                    return FileEntry(name, read, problem=over_limit(max_bytes) + " (not read)")
        return FileEntry(name, read, digest.hexdigest())
    except OSError as exc:
        return FileEntry(name, problem=unreadable(exc))


def read_bytes(location: str, max_bytes: int) -> bytes:
    """The bytes of a local file or fsspec URL; OSError if unreadable, ValueError over `max_bytes`."""
    if not is_url(location):
        size = os.stat(location).st_size
        if size > max_bytes:
            raise ValueError(over_limit(max_bytes, size))
        return Path(location).read_bytes()
    fs, path = url_filesystem(location)
    size = fs.size(path)
    if size is not None and size > max_bytes:
        raise ValueError(over_limit(max_bytes, size))
    with fs.open(path, "rb") as handle:
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:  # the filesystem did not give the size
        raise ValueError(over_limit(max_bytes))
    return data


def over_limit(max_bytes: int, size: int | None = None) -> str:
    """The reason a file over `max_bytes` is refused (its size when known)."""
    return f"file{f' of {size:,} bytes' if size is not None else ''} exceeds the size limit of {max_bytes:,} bytes"


def unreadable(exc: OSError) -> str:
    """The reason a file that cannot be read is refused."""
    return "unreadable: permission denied" if isinstance(exc, PermissionError) else f"unreadable: {exc.strerror or exc}"


_MISSING = {errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP}  # what Path.exists() reads as "absent"


def inspect(path: str | Path, max_bytes: int, known: dict[str, tuple[str, str]] | None = None,
            now_ns: int | None = None) -> FileEntry:
    """Size and SHA-256 of one file, or the one-line reason it cannot be read.

    One ``stat`` decides absent / directory / too big (a symbolic link is followed;
    a broken or looping one is named as such), then the file is read once - unless
    `known` holds its unchanged `stat_key` with the SHA-256 of its bytes (`now_ns`:
    the time its key is judged against, default now).
    """
    name = os.path.abspath(path)
    now_ns = time.time_ns() if now_ns is None else now_ns
    if (printable := _printable(name)) != name:
        return FileEntry(printable, problem="its name (or a folder's) is not valid UTF-8: rename it (not read)")
    try:
        try:
            info = os.stat(name)
        except OSError as exc:
            if exc.errno not in _MISSING:
                raise
            if os.path.islink(name):
                return FileEntry(name, problem="broken or looping symbolic link")
            return FileEntry(name, problem="no such file")
        if stat.S_ISDIR(info.st_mode):
            return FileEntry(name, problem="a directory, not a file")
        if not stat.S_ISREG(info.st_mode):  # reading a FIFO or /dev/zero would never end
            return FileEntry(name, problem="not a regular file (a FIFO, socket or device): not read")
        size = info.st_size
        if size > max_bytes and (size > BUNDLE_MAX_BYTES or not member_of_bundle(name)):
            return FileEntry(name, size, problem=over_limit(max_bytes, size) + " (not read)")
        key = stat_key(info, now_ns)
        recorded = known.get(name) if known and key else None
        if recorded is not None and recorded[0] == key and recorded[1]:
            return FileEntry(name, size, recorded[1], stat_key=key)
        with open(name, "rb") as handle:
            data = handle.read(1 << 20)
            digest = hashlib.sha256(data)
            while len(data) == 1 << 20:
                data = handle.read(1 << 20)
                digest.update(data)
        return FileEntry(name, size, digest.hexdigest(), stat_key=key)
    except OSError as exc:
        return FileEntry(name, problem=unreadable(exc))


def _printable(path: str) -> str:
    """A path as text that can be stored and shown: bytes of a name that is not valid
    UTF-8 (kept by Python as surrogates) become `\\xNN` escapes."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def plan(files: list[FileEntry], previous: dict[str, dict], full_refresh: bool,
         parser_version: str | None = None) -> Plan:
    """Sort files into buckets; `previous` maps path -> its last source_file record.

    A file is unchanged when its bytes (sha256) are those last loaded and, when
    `parser_version` is given, its record's `parser_version` is that one: a file read
    by other code (an upgraded parser or checks) is parsed again and listed in
    `reparsed`.  A file quarantined before with the same bytes and code is parsed again
    only when the run has something else to parse or a file left: a claim it lost may
    then be settled otherwise.  When nothing else changed, every outcome would repeat
    the last run's, and it goes to `still_quarantined` instead.
    """
    result = Plan()
    quarantined_before: set[str] = set()
    first_with_hash: dict[str, str] = {}
    for entry in files:
        if entry.problem:
            result.refused.append(entry)
            continue
        original = first_with_hash.setdefault(entry.sha256, entry.path)
        if original != entry.path:
            result.duplicates.append((entry, original))
            continue
        before = previous.get(entry.path)
        same_bytes = not full_refresh and before is not None and before.get("sha256") == entry.sha256
        same_code = parser_version is None or (before or {}).get("parser_version") == parser_version
        loaded_before = same_bytes and before.get("status") in ("loaded", "unchanged") and before.get("project_key")
        if loaded_before and same_code:
            result.unchanged.append(entry)
        else:
            result.to_parse.append(entry)
            if loaded_before:
                result.reparsed.append(entry.path)
            if same_bytes and same_code and before.get("status") == "quarantined":
                quarantined_before.add(entry.path)
    seen = {entry.path for entry in files}
    # a folder that cannot be listed (permissions, a share gone): its files are not known to
    # be gone, so their sheets stay as they are
    hidden = tuple(e.path.rstrip(os.sep) + os.sep for e in files if e.problem and e.problem.startswith(UNLISTABLE))
    for path, rec in previous.items():
        if hidden and path not in seen and path.startswith(hidden) and rec.get("status") in ("loaded", "unchanged") \
                and rec.get("sha256") and rec.get("project_key"):
            result.unchanged.append(FileEntry(path, rec.get("size_bytes"), rec["sha256"]))
            seen.add(path)
    result.removed = sorted(p for p, rec in previous.items() if p not in seen and rec.get("status") in ("loaded", "unchanged"))
    if not result.removed and all(e.path in quarantined_before for e in result.to_parse):
        result.still_quarantined, result.to_parse = result.to_parse, []
    return result


def batches(entries: list[FileEntry], size: int) -> list[list[FileEntry]]:
    """Consecutive batches of at most `size` files."""
    return [entries[i : i + size] for i in range(0, len(entries), size)]
