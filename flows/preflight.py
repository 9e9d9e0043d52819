"""Checks a command makes before it starts a flow run or opens a warehouse.

A problem the user can fix (a warehouse path that is a folder, a database of something
else, a build already running, a staging root that cannot be written ...) is one line
on the terminal and exit code 2, instead of a failed flow run with its traceback.
Each function returns that line, or None when all is well.
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import socket
from dataclasses import dataclass
from pathlib import Path

DUCKDB_MAGIC = b"DUCK"  # bytes 8-11 of every DuckDB database file
WAREHOUSE_TABLES = ("source_file", "load_run")  # tables every warehouse of this project has


@dataclass
class Warehouse:
    """An existing warehouse file a build may replace."""

    path: Path | None = None  # None: an empty file

    def sheets(self) -> int:
        """Sheets loaded in it (source_file rows loaded or unchanged)."""
        if self.path is None:
            return 0
        import duckdb

        with duckdb.connect(str(self.path), read_only=True) as con:
            return con.execute("select count(*) from source_file where status in ('loaded', 'unchanged')").fetchone()[0]


def for_reading(path: Path) -> str | None:
    """Why `path` is no warehouse to query, or None."""
    path = Path(path)
    if not path.exists():
        return f"no warehouse at {path}; run `review-sheets build` first"
    problem, _ = _inspect(path, verb="read")
    return problem


def for_building(path: Path) -> tuple[str | None, Warehouse | None]:
    """(why a build cannot write `path`, or None; what the existing file holds, if any)."""
    path = Path(path)
    if path.is_dir():
        return f"the warehouse path {path} is a folder, not a file", None
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
        return f"cannot write the warehouse in {folder} (permission denied or not a folder)", None
    existing = None
    if path.exists():
        if Path(f"{path}.lock").exists() and _magic(path) == DUCKDB_MAGIC:
            existing = Warehouse(path)  # a DuckDB file beside its build lock: one of this tool's warehouses
            if _held_for_writing(path):
                return f"{path} is open for writing in another program (close it there, or open it read-only)", None
        else:
            problem, existing = _inspect(path, verb="replace")
            if problem:
                return problem, None
    if (busy := _build_running(path)) is not None:
        return busy, None
    return None, existing


def _held_for_writing(path: Path) -> bool:
    """Whether another process holds DuckDB's write lock on the file (a POSIX record
    lock: a connection opened read-write holds it exclusively)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return False
    try:
        fcntl.lockf(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        fcntl.lockf(fd, fcntl.LOCK_UN)
        return False
    except OSError:
        return True
    finally:
        os.close(fd)


def _magic(path: Path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(12)[8:12]


def _inspect(path: Path, verb: str) -> tuple[str | None, Warehouse | None]:
    try:
        with open(path, "rb") as handle:
            head = handle.read(12)
    except OSError as exc:
        return f"cannot read {path}: {exc.strerror or exc}", None
    if not head and verb == "replace":
        return None, Warehouse()  # an empty file: nothing to lose
    if head[8:12] != DUCKDB_MAGIC:
        return f"{path} is not a DuckDB file; refusing to {verb} it", None
    import duckdb

    try:
        with duckdb.connect(str(path), read_only=True) as con:
            tables = {name for (name,) in con.execute(
                "select table_name from duckdb_tables() where schema_name = 'main'").fetchall()}
            if all(name in tables for name in WAREHOUSE_TABLES):
                return None, Warehouse(path)
    except duckdb.Error as exc:
        return f"cannot open {path}: {str(exc).splitlines()[0]}", None
    if not tables and verb == "replace":
        return None, Warehouse()
    shown = ", ".join(sorted(tables)[:5]) + (", …" if len(tables) > 5 else "")
    return (f"{path} is a DuckDB database of something else (tables: {shown or 'none'}), "
            f"not a review-sheets warehouse; refusing to {verb} it"), None


def _build_running(path: Path) -> str | None:
    """A line when another build holds the warehouse's writer lock (`warehouse.lock`)."""
    from warehouse.lock import held_by_another_run, lock_path

    if held_by_another_run(path):
        return f"another build of {path} is running (it holds {lock_path(path)})"
    return None


def empty_inputs(inputs: list[str], existing: Warehouse | None) -> str | None:
    """A line when every input is a local folder without a single file while the
    warehouse holds sheets: the build would remove them all (an unmounted share, a
    mistyped folder).  To start an empty warehouse, delete its file."""
    if existing is None or any("://" in item or not os.path.isdir(item) for item in inputs):
        return None
    if any(_holds_a_file(item) for item in inputs) or (sheets := existing.sheets()) == 0:
        return None
    return (f"the inputs hold no files: the build would remove all {sheets} sheets of the warehouse; "
            "nothing was changed (delete the warehouse file to start an empty one)")


def _holds_a_file(folder: str) -> bool:
    for _dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        if any(not name.startswith(".") for name in filenames):
            return True
    return False


_DASK_ADDRESS = re.compile(r"^(?:(?P<scheme>tcp|tls)://)?(?P<host>[^\s/:]+|\[[0-9a-fA-F:]+\]):(?P<port>\d{1,5})/?$")


def dask_address(address: str | None, timeout: float = 3.0) -> str | None:
    """A line when a Dask scheduler address is malformed or does not answer (a TCP
    connection within `timeout` seconds), or prefect-dask is missing."""
    if not address:
        return None
    match = _DASK_ADDRESS.match(address)
    if match is None:
        return f"not a Dask scheduler address: {address} (expected tcp://host:8786)"
    try:
        import prefect_dask  # noqa: F401
    except ImportError:
        return 'a Dask address was given but prefect-dask is not installed: pip install -e ".[dask]"'
    try:
        socket.create_connection((match["host"].strip("[]"), int(match["port"])), timeout=timeout).close()
    except OSError as exc:
        return f"no Dask scheduler answers at {address}: {exc.strerror or exc}"
    return None


def staging_root(root: str | None) -> str | None:
    """A line when the staging root is a local path that cannot be a writable folder, or
    a URL whose filesystem backend is missing."""
    if not root:
        return None
    if "://" in root:
        from transforms.discover import url_filesystem

        try:
            url_filesystem(root)
        except (ImportError, ValueError) as exc:
            return f"cannot use the staging root {root}: {str(exc).splitlines()[0]}"
        return None
    path = Path(root)
    if path.exists() and not path.is_dir():
        return f"the staging root {root} is a file, not a folder"
    folder = path
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"cannot write the staging root {root} ({os.strerror(errno.EACCES).lower()})"
    return None
