"""Parse batches of files and stream their rows into Parquet staging, one part per batch.

Layout: ``<staging>/<table>/part-<batch>.parquet`` for every contract table a sheet
produces, typed by `transforms.schema`, zstd-compressed.  A batch returns only small
per-file outcomes, never the rows, so memory stays flat in the number of files.

The staging root is a local folder or a URL: ``file:///abs/path``, or any fsspec
URL (``memory://run``, ``s3://bucket/run`` with s3fs installed, ...).  Parts are
written through pyarrow filesystems (`staging_filesystem`); readers list them with
`list_parts` and, for a non-local root, register `fsspec_filesystem` with DuckDB.
"""

from __future__ import annotations

import atexit
import gc
import os
import signal
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.fs as pafs
import pyarrow.parquet as pq

from transforms.discover import FileEntry, is_url, unreadable
from transforms.model import DEFAULT_MAX_LINE, ParseError
from transforms.schema import SHEET_TABLES, Table, arrow_schema, to_arrow

COMPRESSION = "zstd"


@dataclass
class FileOutcome:
    path: str
    sha256: str | None
    size_bytes: int | None
    status: str  # "parsed" or "quarantined"
    project_key: str | None = None
    project_name: str | None = None
    encoding: str | None = None
    format: str | None = None  # the adapter that parsed it (ParsedSheet.source.format)
    message: str | None = None
    issues: list[dict] = field(default_factory=list)  # dq_issue rows without run_id
    batch: int = 0


@dataclass
class BatchResult:
    batch: int
    outcomes: list[FileOutcome]
    rows: dict[str, int]


# ---------------------------------------------------------------- where staging lives


def local_path(root: str | Path) -> Path | None:
    """The local folder of a staging root (a plain path or ``file://``), else None."""
    text = str(root)
    if not is_url(text):
        return Path(text).absolute()
    if text.startswith("file://"):
        return Path(text[len("file://"):]).absolute()
    return None


def fsspec_filesystem(root: str | Path):
    """(fsspec filesystem, path inside it) of a non-local staging root, or (None, local path)."""
    local = local_path(root)
    if local is not None:
        return None, str(local)
    import fsspec

    return fsspec.core.url_to_fs(str(root))


def staging_filesystem(root: str | Path) -> tuple[pafs.FileSystem, str]:
    """(pyarrow filesystem, base path inside it) for a staging root."""
    fs, base = fsspec_filesystem(root)
    if fs is None:
        return pafs.LocalFileSystem(), base
    return pafs.PyFileSystem(pafs.FSSpecHandler(fs)), base.rstrip("/")


def _join(root: str | Path, *parts: str) -> str:
    return "/".join([str(root).rstrip("/"), *parts])


def part_name(table: str, batch: int) -> str:
    return f"{table}/part-{batch:05d}.parquet"


def part_path(staging_dir: Path, table: str, batch: int) -> Path:
    """The local file of one part (local staging only)."""
    return Path(staging_dir) / part_name(table, batch)


def list_parts(root: str | Path, table: str) -> list[str]:
    """The table's Parquet parts, sorted: local paths for a local root, else URLs
    (readable by DuckDB once `fsspec_filesystem(root)` is registered)."""
    local = local_path(root)
    if local is not None:
        directory = local / table
        return sorted(str(p) for p in directory.glob("*.parquet")) if directory.is_dir() else []
    fs, base = fsspec_filesystem(root)
    directory = f"{base.rstrip('/')}/{table}"
    if not fs.exists(directory):
        return []
    names = sorted(p for p in fs.ls(directory, detail=False) if p.endswith(".parquet"))
    return [fs.unstrip_protocol(p) for p in names]


def remove_staging(root: str | Path) -> None:
    """Delete a staging root and everything under it (missing is fine)."""
    import shutil

    local = local_path(root)
    if local is not None:
        shutil.rmtree(local, ignore_errors=True)
        return
    fs, base = fsspec_filesystem(root)
    if fs.exists(base):
        fs.rm(base, recursive=True)


# ---------------------------------------------------------------- parsing


def start_parser_process() -> None:
    """The initializer of a parser process (a worker of the build's process pool).

    - It ignores Ctrl-C (the terminal sends it to every process of the build): the build
      cancels the batches not started and waits for the running ones, so no parser dies
      mid-write or prints a traceback of its own.
    - It leaves without tearing down: when the pool closes, the process ends at once
      (`os._exit` as its first exit handler) instead of freeing its caches object by
      object, which took 0.7-0.8 s per process after a 10,000-sheet parse, waited for by
      the build.  Nothing is pending then: a batch's Parquet files are closed and its
      result sent before the pool hands out the next task or closes.

    (It lives here, beside `parse_batch`: a spawned process imports the module of its
    initializer, and this module imports only the parsers' own packages.)
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    atexit.register(os._exit, 0)


def parse_batch(entries: list[FileEntry], staging_dir: str | Path, batch: int, *, max_bytes: int, max_line: int = DEFAULT_MAX_LINE) -> BatchResult:
    """Parse each file; write the batch's rows to Parquet; report one outcome per file.

    Within a batch a second file claiming an already parsed sheet key is quarantined
    (the earlier path in sorted order wins); the flow settles claims across batches.
    """
    # The parsers are imported here: a run that parses nothing never loads them.
    from transforms.sources import parse_file

    rows: dict[str, list[dict]] = {t.name: [] for t in SHEET_TABLES}
    outcomes: list[FileOutcome] = []
    claimed: dict[str, str] = {}
    # The batch's rows are long-lived containers: collecting them over and over in
    # the youngest generations is pure overhead (~5 % of parse time).
    threshold = gc.get_threshold()
    gc.set_threshold(max(threshold[0], 20_000), *threshold[1:])
    try:
        for entry in entries:
            outcome = FileOutcome(entry.path, entry.sha256, entry.size_bytes, "parsed", batch=batch)
            try:
                sheet = parse_file(entry.path, max_bytes=max_bytes, max_line=max_line, sha256=entry.sha256)
            except ParseError as exc:
                outcome.status, outcome.message = "quarantined", str(exc)
                outcomes.append(outcome)
                continue
            except OSError as exc:
                outcome.status, outcome.message = "quarantined", unreadable(exc)
                outcomes.append(outcome)
                continue
            except Exception as exc:  # a parser bug must not stop the other files
                outcome.status = "quarantined"
                outcome.message = f"parser failure ({type(exc).__name__}: {exc}); please report this file"
                outcomes.append(outcome)
                continue
            outcome.project_key = sheet.project_key
            outcome.project_name = sheet.project.get("project_name")
            outcome.encoding, outcome.format = sheet.source.encoding, sheet.source.format
            outcome.issues = [i.as_row("", sheet.project_key, entry.path) for i in sheet.issues]
            if sheet.project_key in claimed:
                outcome.status = "quarantined"
                outcome.message = f"claims the same project and review year as {claimed[sheet.project_key]}"
                outcomes.append(outcome)
                continue
            claimed[sheet.project_key] = entry.path
            for name, table_rows in sheet.tables.items():
                rows[name].extend(table_rows)
            outcomes.append(outcome)
    finally:
        gc.set_threshold(*threshold)
    counts = write_batch(rows, staging_dir, batch)
    return BatchResult(batch, outcomes, counts)


# ---------------------------------------------------------------- writing


_STRUCTS: dict[str, tuple[pa.Schema, pa.StructType]] = {}


def rows_to_arrow(table: Table, rows: list[dict]) -> pa.Table:
    """`schema.to_arrow`, fast: pyarrow converts the row dicts in C++.

    Decimals with more places than the column's scale (which `to_arrow` rounds) and
    anything else pyarrow refuses take the exact `to_arrow` path, so the result is
    always the table `to_arrow` builds.
    """
    cached = _STRUCTS.get(table.name)
    if cached is None:
        contract = arrow_schema(table)
        cached = _STRUCTS[table.name] = (contract, pa.struct([f.with_nullable(True) for f in contract]))
    contract, struct = cached
    try:
        array = pa.array(rows, type=struct)
    except (pa.ArrowInvalid, pa.ArrowTypeError, TypeError, ValueError, OverflowError):
        return to_arrow(table, rows)
    batch = pa.RecordBatch.from_struct_array(array)
    return pa.Table.from_arrays(batch.columns, schema=contract)


def write_batch(rows: dict[str, list[dict]], staging_dir: str | Path, batch: int) -> dict[str, int]:
    counts = {}
    filesystem, base = staging_filesystem(staging_dir)
    made: set[str] = set()
    for table in SHEET_TABLES:
        table_rows = rows.get(table.name, [])
        counts[table.name] = len(table_rows)
        if not table_rows:
            continue
        directory = _join(base, table.name)
        if directory not in made:
            filesystem.create_dir(directory, recursive=True)
            made.add(directory)
        pq.write_table(rows_to_arrow(table, table_rows), _join(base, part_name(table.name, batch)),
                       filesystem=filesystem, compression=COMPRESSION)
    return counts


def drop_keys(staging_dir: str | Path, batch: int, keys: set[str]) -> None:
    """Remove the rows of `keys` from one batch's parts (a claim lost across batches)."""
    filesystem, base = staging_filesystem(staging_dir)
    for table in SHEET_TABLES:
        path = _join(base, part_name(table.name, batch))
        if filesystem.get_file_info(path).type != pafs.FileType.File:
            continue
        data = pq.read_table(path, filesystem=filesystem)
        mask = pc.invert(pc.is_in(data["project_key"], value_set=pa.array(sorted(keys))))
        kept = data.filter(mask)
        if kept.num_rows:
            pq.write_table(kept, path, filesystem=filesystem, compression=COMPRESSION)
        else:
            filesystem.delete_file(path)
