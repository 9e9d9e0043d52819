"""Parse batches of files and stream their rows into Parquet staging, one part per batch.

Layout: ``<staging_dir>/<table>/part-<batch>.parquet`` for every contract table a
sheet produces, typed by `transforms.schema`, zstd-compressed.  A batch returns only
small per-file outcomes, never the rows, so memory stays flat in the number of files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from transforms.discover import FileEntry
from transforms.model import ParseError
from transforms.schema import SHEET_TABLES, to_arrow
from transforms.sources.text_sheet import DEFAULT_MAX_LINE, parse_file


@dataclass
class FileOutcome:
    path: str
    sha256: str | None
    size_bytes: int | None
    status: str  # "parsed" or "quarantined"
    project_key: str | None = None
    project_name: str | None = None
    encoding: str | None = None
    message: str | None = None
    issues: list[dict] = field(default_factory=list)  # dq_issue rows without run_id
    batch: int = 0


@dataclass
class BatchResult:
    batch: int
    outcomes: list[FileOutcome]
    rows: dict[str, int]


def part_path(staging_dir: Path, table: str, batch: int) -> Path:
    return Path(staging_dir) / table / f"part-{batch:05d}.parquet"


def parse_batch(entries: list[FileEntry], staging_dir: str | Path, batch: int, *, max_bytes: int, max_line: int = DEFAULT_MAX_LINE) -> BatchResult:
    """Parse each file; write the batch's rows to Parquet; report one outcome per file.

    Within a batch a second file claiming an already parsed sheet key is quarantined
    (the earlier path in sorted order wins); the flow settles claims across batches.
    """
    rows: dict[str, list[dict]] = {t.name: [] for t in SHEET_TABLES}
    outcomes: list[FileOutcome] = []
    claimed: dict[str, str] = {}
    for entry in entries:
        outcome = FileOutcome(entry.path, entry.sha256, entry.size_bytes, "parsed", batch=batch)
        try:
            sheet = parse_file(entry.path, max_bytes=max_bytes, max_line=max_line)
        except ParseError as exc:
            outcome.status, outcome.message = "quarantined", str(exc)
            outcomes.append(outcome)
            continue
        except OSError as exc:
            outcome.status, outcome.message = "quarantined", f"unreadable: {exc.strerror or exc}"
            outcomes.append(outcome)
            continue
        except Exception as exc:  # a parser bug must not stop the other files
            outcome.status = "quarantined"
            outcome.message = f"parser failure ({type(exc).__name__}: {exc}); please report this file"
            outcomes.append(outcome)
            continue
        outcome.project_key = sheet.project_key
        outcome.project_name = sheet.project.get("project_name")
        outcome.encoding = sheet.source.encoding
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
    counts = write_batch(rows, staging_dir, batch)
    return BatchResult(batch, outcomes, counts)


def write_batch(rows: dict[str, list[dict]], staging_dir: str | Path, batch: int) -> dict[str, int]:
    counts = {}
    for table in SHEET_TABLES:
        table_rows = rows.get(table.name, [])
        counts[table.name] = len(table_rows)
        if not table_rows:
            continue
        path = part_path(Path(staging_dir), table.name, batch)
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(to_arrow(table, table_rows), path, compression="zstd")
    return counts


def drop_keys(staging_dir: str | Path, batch: int, keys: set[str]) -> None:
    """Remove the rows of `keys` from one batch's parts (a claim lost across batches)."""
    for table in SHEET_TABLES:
        path = part_path(Path(staging_dir), table.name, batch)
        if not path.exists():
            continue
        data = pq.read_table(path)
        mask = pc.invert(pc.is_in(data["project_key"], value_set=pa.array(sorted(keys))))
        kept = data.filter(mask)
        if kept.num_rows:
            pq.write_table(kept, path, compression="zstd")
        else:
            path.unlink()
