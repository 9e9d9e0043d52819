"""Source adapter for the RS System bulk CSV (行政事業レビュー見える化サイト, review year 2024 on).

The RS System publishes a review year as about fifteen CSV files (one per ZIP), each
listing every project of the year (its 予算事業ID) over one part of the sheet:
``1-2_RS_2024_基本情報_事業概要等.csv``, ``2-1_RS_2024_予算・執行_サマリ.csv``, ...  The
warehouse loads one sheet per file, so a bundle is handled in two steps:

1. `extract_bundles` reads the bundle's files (plain ``.csv`` or their ``.zip``), drops
   the placeholder rows every file carries for projects it has nothing on, and writes
   one small JSON record per (review year, 予算事業ID) holding that project's rows of
   every file, headers exactly as published.  Records are written deterministically and
   only when their bytes change, so the content-hash bookkeeping of text sheets
   (unchanged, edited, removed) works per project.
2. `parse_bytes` turns one record into the contract's rows, like the text parser does
   for a text sheet.

Mapping (money: the CSV's 円 integers become exact 百万円, ``1234567`` -> 1.234567):

- ``project``: 事業名, 政策所管府省庁 (the ministry a printed sheet's title names: 総務省
  for a 消防庁 project), 局・庁, 課/室, 作成責任者 (1-1), 事業開始年度 / 事業終了（予定）年度
  / 終了予定なし, 主要経費, 目的 / 概要, 実施方法 flags (1-2), 政策 / 施策 / 法令名 /
  計画通知名 (1-3), 会計区分 (2-1), 点検 and 所見 texts (4-1), 備考 (6-1).
  ``project_number`` is the 予算事業ID; ``source_format`` is ``rs_csv``.
- ``budget_line`` from the total rows of 2-1 (会計区分 blank), one per 予算年度:
  当初予算（合計） -> initial, 補正予算（合計） -> supplementary, 前年度からの繰越し（合計） ->
  carried_in, 予備費等（合計） -> reserve, 計（歳出予算現額合計） -> total, 執行額（合計） ->
  executed (not for the review year itself: the CSV prints 0 for a year still running),
  翌年度への繰越し(合計） -> carried_out, negative as on the printed sheets; the review
  year's 翌年度要求額（合計） -> the request column (initial) of the next year.  Note that
  this 計 is the 歳出予算現額, before the carry-over to the next year is deducted.
- ``execution_rate`` from 執行率 (already a fraction), basis ``total``.
- ``budget_item`` from 2-2's rows of the review year (item ``項／目``): 当初予算 rows
  and each item's 翌年度要求額 (the request column), as the printed 予算内訳 shows them.
- ``expense`` from 5-3 (費目, 使途, 金額 per block); ``recipient`` from 5-1's payee rows.
- ``lineage`` from 旧事業番号 (``2023-デジ-22-0001``: the 2023 sheet's number) and, from
  review year 2025 on, the previous review year's sheet of the same 予算事業ID (the RS
  System keeps that ID from year to year).

Not mapped yet, and not kept in the records: 3-1 indicators (no sample of that file
was at hand), 3-2, 1-4, 1-5, 5-2 and 5-4.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from transforms.discover import BUNDLE_MAX_BYTES, FileEntry, inspect, member_of_bundle, read_bytes
from transforms.model import Issue, ParsedSheet, ParseError, SourceInfo
from transforms.normalize import nfkc
from transforms.sheet import project_key

FORMAT = "rs_csv"
RECORD_FORMAT = "rs_csv_project/1"
RECORD_MARKER = b'{"format":"rs_csv_project/'
COMMON_COLUMNS = 13  # シート種別 … 係: the same first columns in every file
# the files the mapping below reads; the others (3-1, 3-2, 1-4, 1-5, 5-2, 5-4) are not
# kept in the records (bump RECORD_FORMAT when this changes: bundles are split again)
MAPPED_FILES = ("1-1", "1-2", "1-3", "2-1", "2-2", "4-1", "5-1", "5-3", "6-1")
MILLION = Decimal(1_000_000)
csv.field_size_limit(1 << 24)  # 事業の概要 and other free texts are single cells (default limit: 128 KiB)


# ---------------------------------------------------------------- reading a bundle


@dataclass
class BundleFile:
    """One CSV of a bundle: its code (``2-1``), header and data rows."""

    code: str
    name: str
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp932"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError("neither UTF-8 nor Shift_JIS (cp932) text")


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


def group_by_project(files: list[BundleFile]) -> dict[tuple[int, str], dict]:
    """Records keyed by (review year, 予算事業ID): per file code, the header and that
    project's rows.  Placeholder rows (nothing beyond the common columns) are dropped."""
    records: dict[tuple[int, str], dict] = {}
    for bundle_file in sorted(files, key=lambda f: (f.code, f.name)):
        year_at = bundle_file.header.index("事業年度")
        id_at = bundle_file.header.index("予算事業ID")
        for row in bundle_file.rows:
            project_id = budget_project_id(row[id_at])
            try:
                year = int(row[year_at].strip())
            except ValueError:
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


# ---------------------------------------------------------------- one project record -> rows


def is_record(data: bytes) -> bool:
    return data.startswith(RECORD_MARKER)


def parse_bytes(data: bytes, path: str, sha256: str | None = None) -> ParsedSheet:
    """Parse one project record written by `extract_bundles`.  Raises ParseError."""
    try:
        record = json.loads(data)
        files = {code: _rows(part["header"], part["rows"]) for code, part in record["files"].items()}
        review_year, project_id = int(record["review_year"]), str(record["budget_project_id"])
    except (ValueError, KeyError, TypeError) as exc:
        raise ParseError(f"not a readable RS project record ({type(exc).__name__})") from None
    source = SourceInfo(path, sha256 or hashlib.sha256(data).hexdigest(), len(data), FORMAT, "utf-8")
    issues: list[Issue] = []
    first = next((rows[0] for code in ("1-2", "2-1", *sorted(files)) if (rows := files.get(code))), None)
    if first is None:
        raise ParseError(f"RS project {project_id} ({review_year}): no rows")
    ministry = _ministry(first)
    if not ministry:
        raise ParseError(f"RS project {project_id} ({review_year}): no 府省庁")
    project = _project(files, first, review_year, project_id, ministry)
    if not project["project_name"]:
        raise ParseError(f"RS project {project_id} ({review_year}): no 事業名")
    key = project_key(review_year, ministry, project_id, project["project_name"])
    tables = {
        "budget_line": [], "budget_line_other": [], "execution_rate": [], "budget_item": [], "indicator": [],
        "recipient": [], "expense": [], "assessment": [], "lineage": [], "printed_total": [],
    }
    _budget(files.get("2-1", []), review_year, tables)
    if not tables["budget_line"]:
        raise ParseError(f"RS project {project_id} ({review_year}): the bundle has no 2-1 予算・執行_サマリ "
                         f"total row for it (the 2-1 file is missing, cut short or refused: see its source_file row)")
    tables["budget_item"] = _budget_items(files.get("2-2", []), review_year)
    tables["expense"] = _expenses(files.get("5-3", []))
    tables["recipient"] = _recipients(files.get("5-1", []), review_year)
    tables["lineage"] = _lineage(files.get("1-2", []), review_year, project_id)
    project.update(project_key=key, project_id=key, source_path=path, source_sha256=source.sha256,
                   source_format=FORMAT, form_family="rs")
    tables["project"] = [project]
    for rows in tables.values():
        for row in rows:
            row["project_key"] = key
    return ParsedSheet(key, source, tables, issues)


class _Row(dict):
    """One CSV row by header.  A header is also found by its NFKC form without spaces, so
    the published quirks (`翌年度への繰越し(合計）`) and their corrected or normalised
    spellings (`翌年度への繰越し（合計）`, `(合計)`) read the same column."""

    def get(self, key, default=None):
        value = super().get(key)
        if value is None:
            value = super().get(_header_key(key))
        return default if value is None else value


def _header_key(name: str) -> str:
    return nfkc(name).replace(" ", "")


def _rows(header: list[str], rows: list[list[str]]) -> list[_Row]:
    keys = [_header_key(h) for h in header]
    return [_Row(zip(keys, row)) for row in rows]


def _text(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _ministry(row: dict) -> str | None:
    """The ministry a printed sheet's title names: 政策所管府省庁 (1-1: 所管府省庁), else the
    ministry part of 府省庁 (``国土交通省　観光庁`` -> 国土交通省)."""
    named = _text(row.get("政策所管府省庁")) or _text(row.get("所管府省庁")) or _text(row.get("府省庁"))
    return nfkc(named.split("\u3000")[0].split(" ")[0]) if named else None


def _join(values, separator: str = "\n") -> str | None:
    seen: list[str] = []
    for value in values:
        text = _text(value)
        if text and text not in seen:
            seen.append(text)
    return separator.join(seen) or None


def _year(value: str | None) -> int | None:
    text = _text(value)
    return int(text) if text and text.isdigit() and 1800 < int(text) < 2200 else None


def _flag(value: str | None) -> bool:
    """A published flag: TRUE / FALSE (1-2), t / f (5-4), 1 / blank (実施方法).

    >>> [_flag(v) for v in ("TRUE", "t", "1", "1.0", "FALSE", "f", "", None)]
    [True, True, True, True, False, False, False, False]
    """
    return (value or "").strip().lower() in ("true", "t", "1", "1.0")


_METHODS = ("直接実施", "補助", "負担", "交付", "分担金・拠出金", "その他")


def _project(files: dict[str, list[dict]], first: dict, review_year: int, project_id: str, ministry: str) -> dict:
    overview = files.get("1-2", [])
    basics = overview[0] if overview else {}
    agency = (first.get("府省庁") or "").split("\u3000")
    bureau = _join([agency[1] if len(agency) > 1 else None, first.get("局・庁"), first.get("部")], " ")
    start, end = _year(basics.get("事業開始年度")), _year(basics.get("事業終了（予定）年度"))
    no_end = _flag(basics.get("終了予定なし"))
    start_text = _join([
        f"事業開始年度 {_text(basics.get('事業開始年度'))}" if _text(basics.get("事業開始年度")) else None,
        "開始年度不明" if _flag(basics.get("開始年度不明")) else None,
        f"事業終了（予定）年度 {_text(basics.get('事業終了（予定）年度'))}" if _text(basics.get("事業終了（予定）年度")) else None,
        "終了予定なし" if no_end else None,
    ], " / ")
    policies = files.get("1-3", [])
    review = (files.get("4-1") or [{}])[0]
    accounts = [r.get("会計区分") for r in files.get("2-1", []) if _text(r.get("会計区分"))]
    officials = files.get("1-1", [])
    return {
        "review_year": review_year,
        "ministry": ministry,
        "project_number": project_id,
        "project_name": _text(basics.get("事業名")) or _text(first.get("事業名")),
        "bureau": bureau,
        "division": _join([first.get("課"), first.get("室"), first.get("班"), first.get("係")], " "),
        "responsible_official": _join((r.get("作成責任者") for r in officials), "、"),
        "start_fiscal_year": start,
        "end_fiscal_year": None if no_end and end is None else end,
        "start_end_text": start_text,
        "account_type": _join(accounts, "、"),
        "legal_basis": _join(" ".join(filter(None, (_text(r.get(c)) for c in ("法令名", "条", "項", "号・号の細分"))))
                             for r in policies),
        "related_plans": _join(r.get("計画通知名") for r in policies),
        "main_policy": None,
        "main_expense_category": _join((r.get("主要経費") for r in overview), "、"),
        "purpose": _text(basics.get("事業の目的")),
        "overview": _text(basics.get("事業の概要")),
        "implementation_method": _join((m for m in _METHODS if _flag(basics.get(f"実施方法ー{m}"))), "、"),
        "policy": _join(r.get("政策") for r in policies),
        "policy_measure": _join(r.get("施策") for r in policies),
        "inspection_result": _text(review.get("事業所管部局による点検・改善ー点検結果")),
        "improvement_direction": _text(review.get("事業所管部局による点検・改善ー改善の方向性")),
        "external_expert_opinion": _text(review.get("外部有識者による点検ー所見")),
        "review_team_opinion": _join([review.get("行政事業レビュー推進チームの所見"),
                                      review.get("行政事業レビュー推進チームの所見の詳細")]),
        "reflection": _join([review.get("所見を踏まえた改善点／概算要求における反映状況"),
                             review.get("所見を踏まえた改善点／概算要求における反映状況の詳細")]),
        "remarks": _join([basics.get("備考"), *((r.get("備考") for r in files.get("6-1", [])))]),
        "no_quantitative_goal_reason": None,
    }


def _yen(text: str | None) -> tuple[Decimal | None, str | None]:
    """(百万円, the cell as published) of a 円 amount; (None, cell) when not a number."""
    raw = _text(text)
    if raw is None:
        return None, None
    try:
        value = Decimal(raw.replace(",", ""))
    except InvalidOperation:
        return None, raw
    return (value / MILLION if value.is_finite() else None), raw


_LINES = (
    ("initial", "当初予算（合計）"), ("supplementary", "補正予算（合計）"), ("carried_in", "前年度からの繰越し（合計）"),
    ("reserve", "予備費等（合計）"), ("total", "計（歳出予算現額合計）"), ("executed", "執行額（合計）"),
    ("carried_out", "翌年度への繰越し(合計）"),
)


def _budget(rows: list[dict], review_year: int, tables: dict[str, list[dict]]) -> None:
    seen: set[int] = set()
    for row in rows:
        if _text(row.get("会計区分")):  # an account row: its sums are the total row's
            continue
        year = _year(row.get("予算年度"))
        if year is None or year in seen:
            continue
        seen.add(year)
        for line, column in _LINES:
            if line == "executed" and year >= review_year:
                continue  # not closed yet: the CSV prints 0
            amount, raw = _yen(row.get(column))
            if raw is None:
                continue
            if line == "carried_out" and amount is not None:
                amount = -abs(amount)
            tables["budget_line"].append({"fiscal_year": year, "is_request": False, "line": line,
                                          "amount_million_yen": amount, "raw_text": raw, "label_ja": column})
        rate = _text(row.get("執行率"))
        if rate is not None and year < review_year:
            try:
                value = Decimal(rate)
            except InvalidOperation:
                value = None
            tables["execution_rate"].append({"fiscal_year": year, "basis": "total", "rate": value, "raw_text": rate})
        if year == review_year:
            amount, raw = _yen(row.get("翌年度要求額（合計）"))
            if raw is not None:
                tables["budget_line"].append({"fiscal_year": year + 1, "is_request": True, "line": "initial",
                                              "amount_million_yen": amount, "raw_text": raw,
                                              "label_ja": "翌年度要求額（合計）"})


def _budget_items(rows: list[dict], review_year: int) -> list[dict]:
    items: list[dict] = []
    numbers: dict[tuple[int, bool], int] = defaultdict(int)

    def add(year: int, is_request: bool, name: str, text: str | None, reason: str | None) -> None:
        amount, raw = _yen(text)
        if raw is None:
            return
        numbers[(year, is_request)] += 1
        items.append({"fiscal_year": year, "is_request": is_request, "item_no": numbers[(year, is_request)],
                      "item_name": name, "amount_million_yen": amount, "change_reason": reason, "raw_text": raw})

    for row in rows:
        year = _year(row.get("予算年度"))
        # many rows leave 項 / 目 blank and name the item in 歳出予算項目の補足情報
        name = _join([row.get("項"), row.get("目")], "／") or _text(row.get("歳出予算項目の補足情報"))
        if year is None or name is None:
            continue
        if year != review_year:  # like a printed sheet's 予算内訳: the review year and its request
            continue
        if (row.get("予算種別") or "").strip() == "当初予算":
            add(year, False, name, row.get("予算額（歳出予算項目ごと）"), _text(row.get("備考（歳出予算項目ごと）")))
        add(year + 1, True, name, row.get("翌年度要求額（歳出予算項目ごと）"), None)
    return items


def _expenses(rows: list[dict]) -> list[dict]:
    out: list[dict] = []
    numbers: dict[str, int] = defaultdict(int)
    for row in rows:
        block = _text(row.get("支出先ブロック番号"))
        if block is None:
            continue
        amount, raw = _yen(row.get("金額"))
        numbers[block] += 1
        out.append({"block": block, "row_no": numbers[block], "expense_item": _text(row.get("費目")),
                    "purpose": _text(row.get("使途")), "amount_million_yen": amount, "raw_text": raw})
    return out


def _recipients(rows: list[dict], review_year: int) -> list[dict]:
    """Payees of 5-1.  The file mixes three kinds of rows per block: the block's own row
    (支出先ブロック名 …), a payee row (支出先名, 法人番号, 支出先の合計支出額) and contract rows
    (契約概要, 金額, 契約方式等, 入札者数, 落札率) that belong to the payee above them, with
    or without its name repeated.  A payee is a row naming 支出先名 without a contract
    金額, its amount 支出先の合計支出額 (summing 金額 too would count the money twice); its
    first contract row gives 業務概要 (契約概要), 契約方式等, 入札者数 and 落札率.  A contract
    row with a name but no payee row above it stands for its payee."""
    out: list[dict] = []
    ranks: dict[str, int] = defaultdict(int)
    current: dict | None = None
    for row in rows:
        block, name = _text(row.get("支出先ブロック番号")), _text(row.get("支出先名"))
        if block is None:
            continue
        contract = _text(row.get("金額")) is not None or _text(row.get("契約概要")) is not None
        if contract and current is not None and current["block"] == block and name in (None, current["name"]):
            if current["description"] is None:  # the payee's first contract
                current.update(_contract_fields(row))
            continue
        if name is None:
            continue
        amount, raw = _yen(row.get("支出先の合計支出額") if _text(row.get("支出先の合計支出額")) else row.get("金額"))
        number = _text(row.get("法人番号"))
        if number is not None and not (len(number) == 13 and number.isdigit()):
            number = None  # as for text sheets: a 法人番号 is 13 digits or nothing
        ranks[block] += 1
        current = {"block": block, "rank": ranks[block], "name": name, "corporate_number": number,
                   "description": None, "amount_million_yen": amount, "contract_method": None, "bidder_count": None,
                   "winning_bid_rate": None, "fiscal_year": review_year - 1, "raw_text": raw}
        if contract:
            current.update(_contract_fields(row))
        out.append(current)
    return out


def _contract_fields(row: dict) -> dict:
    rate_text = _text(row.get("落札率"))
    try:
        rate = Decimal(rate_text.rstrip("%")) / 100 if rate_text else None
    except InvalidOperation:
        rate = None
    bidders = _text(row.get("入札者数"))
    return {"description": _text(row.get("契約概要")), "contract_method": _text(row.get("契約方式等")),
            "bidder_count": int(bidders) if bidders and bidders.isdigit() else None, "winning_bid_rate": rate}


# `2023-デジ-22-0001`, also without separators (`2023警察220059`); the review year first
_OLD_NUMBER = re.compile(r"(?<!\d)(20\d\d)-?([^\W\d_]+)-?(\d{2})-?(\d{4})(?:-(\d+))?(?!\d)")


_DASHES = re.compile(r"[ー―‐‑‒–—−－]")


def _lineage(rows: list[dict], review_year: int, project_id: str) -> list[dict]:
    """旧事業番号 entries (``2023-デジ-22-0001``: review year first) and, from 2025 on, the
    previous review year's sheet of the same 予算事業ID."""
    out: dict[tuple[int, str], dict] = {}
    for row in rows:
        for match in _OLD_NUMBER.finditer(_DASHES.sub("-", nfkc(row.get("旧事業番号") or ""))):
            year = int(match.group(1))
            number = "-".join(part for part in match.groups() if part)  # as the 2021-2023 sheets print it
            if year < review_year:
                out.setdefault((year, number), {"past_review_year": year, "past_ministry": None,
                                                "past_project_number": number})
    if review_year > 2024:
        out.setdefault((review_year - 1, project_id), {"past_review_year": review_year - 1, "past_ministry": None,
                                                       "past_project_number": project_id})
    return [out[k] for k in sorted(out)]
