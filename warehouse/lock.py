"""One build at a time per warehouse file: an exclusive `flock` on `<live>.lock`.

Kept apart from `warehouse.publish` (which loads DuckDB and pyarrow) so that the
command line can tell "another build is running" before it imports anything heavy.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def lock_path(live_path: Path) -> Path:
    return Path(f"{live_path}.lock")


@contextmanager
def writer_lock(live_path: Path) -> Iterator[Path]:
    """Exclusive, non-blocking lock on `<live>.lock` for the whole build-and-publish.

    Raises BlockingIOError when another run holds it.
    """
    path = lock_path(live_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        if not _try_lock(fd):
            raise BlockingIOError(f"another run holds {path}")
        yield path
    finally:
        os.close(fd)  # releases the flock


def held_by_another_run(live_path: Path) -> bool:
    """Whether a running build holds the lock now (False when there is no lock file,
    or it cannot be opened: the build itself then reports what it meets)."""
    try:
        fd = os.open(lock_path(live_path), os.O_RDWR)
    except OSError:
        return False
    try:
        return not _try_lock(fd)
    finally:
        os.close(fd)


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True
