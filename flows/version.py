"""Which code read a file: the fingerprint recorded in `source_file.parser_version`.

A build skips a file whose bytes were loaded before only when the same code would
read it: the parser (`transforms/`, its label tables included) and the checks that
decide whether its sheet loads (`expectations/`).  After an upgrade, or any edit of
those packages, every file is parsed and checked again, without `--full-refresh`.
"""

from __future__ import annotations

import hashlib
import importlib.util
from functools import lru_cache
from pathlib import Path

PACKAGES = ("transforms", "expectations")
SUFFIXES = (".py", ".csv", ".json", ".sql")


@lru_cache(maxsize=1)
def parser_version() -> str:
    """The `fingerprint` of the installed `PACKAGES`."""
    roots = {}
    for package in PACKAGES:
        spec = importlib.util.find_spec(package)
        if spec is not None and spec.submodule_search_locations:
            roots[package] = Path(next(iter(spec.submodule_search_locations)))
    return fingerprint(roots)


def fingerprint(roots: dict[str, Path]) -> str:
    """16 hex digits of the SHA-256 of every source and table file (`SUFFIXES`) under
    each root: its name and relative path, then its bytes, in sorted order.  Compiled
    files and anything else (reports, caches) do not count."""
    digest = hashlib.sha256()
    for name, root in sorted(roots.items()):
        for path in sorted(p for p in root.rglob("*") if p.suffix in SUFFIXES and "__pycache__" not in p.parts):
            digest.update(f"{name}/{path.relative_to(root).as_posix()}\0".encode())
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()[:16]
