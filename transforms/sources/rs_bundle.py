"""Split an RS System CSV bundle into one record file per project (`transforms.sources.rs_csv`
maps a record onto the contract).

The RS System publishes a review year as about fifteen CSV files (one per ZIP), each
listing every project of the year (its 予算事業ID) over one part of the sheet.  The
warehouse loads one sheet per file, so `extract_bundles` reads the bundle's files (plain
``.csv`` or their ``.zip``), drops the placeholder rows every file carries for projects
it has nothing on, and writes one small JSON record per (review year, 予算事業ID) holding
that project's rows of the files the mapping reads, headers exactly as published.
Records are written deterministically and only when their bytes change, so the
content-hash bookkeeping of text sheets (unchanged, edited, removed) works per project;
`expand_bundles` does this inside discovery and skips a bundle split before.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import re
import unicodedata
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from transforms.discover import BUNDLE_MAX_BYTES, FileEntry, inspect, member_of_bundle, read_bytes
from transforms.normalize import nfkc

RECORD_FORMAT = "rs_csv_project/3"  # 2: records keep the 3-1 rows; 3: and every other file
RECORD_MARKER = b'{"format":"rs_csv_project/'
COMMON_COLUMNS = 13  # シート種別 … 係: the same first columns in every file
# the files the mapping reads; others are not kept in the records (bump RECORD_FORMAT
# when this changes: bundles are split again)
MAPPED_FILES = ("1-1", "1-2", "1-3", "1-4", "1-5", "2-1", "2-2", "3-1", "3-2", "4-1", "5-1", "5-2", "5-3", "5-4", "6-1")
csv.field_size_limit(1 << 24)  # 事業の概要 and other free texts are single cells (default limit: 128 KiB)


def is_record(data: bytes) -> bool:
    """Whether a file's bytes are a project record written by `extract_bundles`."""
    return data.startswith(RECORD_MARKER)


@dataclass
class BundleFile:
    """One CSV of a bundle: its code (``2-1``), header and data rows."""

    code: str
    name: str
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)


def _decode(data: bytes) -> str:
    """The CSV's text: UTF-8 (the published files start with a BOM), else cp932."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if data.startswith(codecs.BOM_UTF8):  # UTF-8 by its BOM: damaged, not another encoding
            cut = " (the file ends inside a character: a download cut short?)" if exc.end >= len(data) - 3 else ""
            raise ValueError(f"UTF-8 (it starts with a BOM) but byte {exc.start:,} is invalid{cut}") from None
    try:
        return data.decode("cp932")
    except UnicodeDecodeError:
        raise ValueError("neither UTF-8 nor Shift_JIS (cp932) text") from None


def read_member(code: str, name: str, data: bytes) -> BundleFile:
    """Parse one CSV's bytes; ValueError with a one-line reason for a file that is not one."""
    text = _decode(data)
    if text.lstrip()[:15].lower().startswith(("<!doctype", "<html")):
        raise ValueError(f"{name}: an HTML page, not a CSV (a download that returned the site's error page?)")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if not header or "予算事業ID" not in header or "事業年度" not in header:
        raise ValueError(f"{name}: not an RS System CSV (no 事業年度 / 予算事業ID header)")
    found = BundleFile(code, name, [h.strip() for h in header])
    width = len(header)
    for number, row in enumerate(reader, start=2):
        if not "".join(row).strip():
            continue
        if len(row) > width and not "".join(row[width:]).strip():
            row = row[:width]  # empty cells after the last column (a spreadsheet round trip)
        if len(row) != width:
            raise ValueError(f"{name}: line {number} has {len(row)} cells, the header {width}")
        found.rows.append(row)
    return found


def _zip_entry_name(info: zipfile.ZipInfo) -> str:
    """An entry's name; names stored without the UTF-8 flag are read as Shift_JIS."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("cp932")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def read_bundle_file(path: str, code: str) -> list[BundleFile]:
    """The CSV(s) of one bundle file: the file itself, or the ``.csv`` entries of a ZIP."""
    data = read_bytes(path, BUNDLE_MAX_BYTES)
    name = os.path.basename(path)
    if not name.lower().endswith(".zip"):
        return [read_member(code, name, data)]
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ValueError(f"{name}: not a readable ZIP archive") from None
    found = []
    with archive:
        for info in archive.infolist():
            entry = _zip_entry_name(info)
            if entry.startswith("__MACOSX/") or os.path.basename(entry).startswith("._"):
                continue  # resource forks of an archive made on a Mac
            if entry.lower().endswith(".csv") and not info.is_dir():
                if info.file_size > BUNDLE_MAX_BYTES:
                    raise ValueError(f"{name}: {entry} unpacks to {info.file_size:,} bytes, over the limit "
                                     f"of {BUNDLE_MAX_BYTES:,}")
                found.append(read_member(code, f"{name}:{entry}", archive.read(info)))
    if not found:
        raise ValueError(f"{name}: the ZIP archive holds no .csv file")
    return found


def cell_text(value: str | None) -> str | None:
    """A published cell as text, white space around it dropped; None when blank."""
    value = (value or "").strip()
    return value or None


def whole_year(text: str | None) -> int | None:
    """A year cell as an int, also as a spreadsheet round trip writes it (`2024.0`).

    >>> whole_year("2024"), whole_year("2024.0"), whole_year(" ２０２４ "), whole_year("R6"), whole_year("")
    (2024, 2024, 2024, None, None)
    """
    text = unicodedata.normalize("NFKC", text or "").strip()
    if text.endswith(".0"):
        text = text[:-2]
    return int(text) if text.isdigit() and 1800 < int(text) < 2200 else None


def group_by_project(files: list[BundleFile]) -> dict[tuple[int, str], dict]:
    """Records keyed by (review year, 予算事業ID): per file code, the header and that
    project's rows.  Placeholder rows (nothing beyond the common columns) are dropped."""
    records: dict[tuple[int, str], dict] = {}
    for bundle_file in sorted(files, key=lambda f: (f.code, f.name)):
        year_at = bundle_file.header.index("事業年度")
        id_at = bundle_file.header.index("予算事業ID")
        for row in bundle_file.rows:
            project_id = budget_project_id(row[id_at])
            year = whole_year(row[year_at])
            if year is None:
                continue
            if not project_id:
                continue
            record = records.setdefault((year, project_id), {
                "format": RECORD_FORMAT, "review_year": year, "budget_project_id": project_id, "files": {}})
            part = record["files"].setdefault(bundle_file.code, {
                "name": bundle_file.name, "header": bundle_file.header, "rows": []})
            if "".join(row[COMMON_COLUMNS:]).strip() or not part["rows"]:
                part["rows"].append(row)
    for record in records.values():  # a file's lone placeholder row names the project, nothing more
        for part in record["files"].values():
            if len(part["rows"]) == 1 and not "".join(part["rows"][0][COMMON_COLUMNS:]).strip():
                part["placeholder"] = True
    return records


def budget_project_id(text: str) -> str:
    """A 予算事業ID in one form: `0004`, `4`, `4.0` and `４` are `4`.

    >>> budget_project_id(" 0004 "), budget_project_id("4.0"), budget_project_id("４"), budget_project_id("A-1")
    ('4', '4', '4', 'A-1')
    """
    text = nfkc(text)
    if re.fullmatch(r"\d+(?:\.0+)?", text):
        return str(int(text.split(".")[0]))
    return text


def record_bytes(record: dict) -> bytes:
    """The record as stable JSON (same rows, same bytes), starting with `RECORD_MARKER`."""
    body = {"format": record["format"], **{k: v for k, v in sorted(record.items()) if k != "format"}}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


@dataclass
class Extraction:
    """What `extract_bundles` did: record files now current, and bundle files it refused."""

    records: list[str] = field(default_factory=list)
    written: int = 0
    removed: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)  # (path, one-line reason)


def extract_bundles(members: list[str], out_dir: str | Path) -> Extraction:
    """Split the RS CSV bundle files `members` into one record file per project under
    ``out_dir/<review year>/``; a record whose bytes did not change is not rewritten,
    one of a project no longer in the bundle is deleted.  A file that cannot be read
    is refused with a reason; the others are still split."""
    result = Extraction()
    by_year: dict[int, list[BundleFile]] = defaultdict(list)
    read_part: dict[tuple[str, int], str] = {}  # (file code, year) -> the file that gave it
    for path in sorted(members):
        code, year = member_of_bundle(path) or ("", 0)
        if code not in MAPPED_FILES:
            continue
        if (code, year) in read_part:  # the CSV and its ZIP, or a second download (`… (1).csv`)
            result.refused.append((path, f"a second {code} file of review year {year} beside "
                                         f"{os.path.basename(read_part[(code, year)])}; only that one is read"))
            continue
        try:
            by_year[year].extend(read_bundle_file(path, code))
            read_part[(code, year)] = path
        except Exception as exc:  # noqa: BLE001 - one bad file is refused, the others are still split
            result.refused.append((path, _reason(exc).removeprefix(os.path.basename(path) + ": ")))
    out = Path(out_dir)
    for year, files in sorted(by_year.items()):
        folder = out / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        wanted = {}
        for (review_year, project_id), record in group_by_project(files).items():
            name = f"{_padded(project_id)}.json" if review_year == year else f"{review_year}_{_padded(project_id)}.json"
            target = folder / name  # under the file name's year (a row of another 事業年度 is named so)
            wanted[str(target)] = record_bytes(record)
        existing = set(os.listdir(folder))
        for target, data in sorted(wanted.items()):
            path = Path(target)
            if path.name in existing:
                try:
                    if path.read_bytes() == data:
                        result.records.append(target)
                        continue
                except OSError:
                    pass
            # Written in place: `expand_bundles` records the split (its manifest) only after
            # every record is written, so a split cut short is done again, byte-compared.
            path.write_bytes(data)
            result.records.append(target)
            result.written += 1
        for stale in sorted(folder.glob("*.json")):
            if str(stale) not in wanted:
                stale.unlink()
                result.removed += 1
    return result


MANIFEST = ".bundles.json"


def expand_bundles(entries: list[FileEntry], out_dir: str | Path, max_bytes: int,
                   known: dict[str, tuple[str, str]] | None = None) -> list[FileEntry]:
    """Discovered files with every RS CSV bundle file replaced by the project records
    split out of it (under `out_dir`), in sorted path order.

    A bundle file that cannot be read keeps its entry with the reason as its problem
    (the run refuses it like any unreadable file).  When the bundle files' paths and
    hashes are those of the last split, the records are not written again.
    """
    members = [e for e in entries if not e.problem and member_of_bundle(e.path)]
    if not members:
        return entries
    kept = [e for e in entries if e not in members]
    out = Path(out_dir)
    signature = [RECORD_FORMAT, *sorted([e.path, e.sha256] for e in members)]
    manifest = out / MANIFEST
    try:
        last = json.loads(manifest.read_text(encoding="utf-8"))
        reuse = last["members"] == signature and all(os.path.exists(p) for p in last["records"])
    except (OSError, ValueError, KeyError, TypeError):
        reuse = False
    if reuse:
        records, refused = last["records"], last["refused"]
    else:
        split = extract_bundles([e.path for e in members], out)
        records, refused = split.records, [list(r) for r in split.refused]
        out.mkdir(parents=True, exist_ok=True)
        manifest.write_text(json.dumps({"members": signature, "records": records, "refused": refused},
                                       ensure_ascii=False), encoding="utf-8")
    by_path = {e.path: e for e in members}
    kept += [FileEntry(path, by_path[path].size_bytes, problem=reason) for path, reason in refused]
    kept += [inspect(path, max_bytes, known) for path in records]
    return sorted(kept, key=lambda e: e.path)


def _reason(exc: Exception) -> str:
    """The one-line reason a bundle file cannot be split."""
    if isinstance(exc, ValueError) and not isinstance(exc, UnicodeError):
        return str(exc)
    if isinstance(exc, OSError):
        return f"unreadable: {exc.strerror or exc}"
    if isinstance(exc, csv.Error):
        return f"not a readable CSV ({exc})"
    return f"not readable ({type(exc).__name__}: {exc})"  # a damaged ZIP entry, an encrypted archive, ...


def _padded(project_id: str) -> str:
    return project_id.zfill(6) if project_id.isdigit() else re.sub(r"[^\w-]", "_", project_id)
