"""Settle a run: one final status and reason per input file, and which sheets to load.

Inputs are the plan (unchanged / duplicate / refused / parsed files), the parse
outcomes and the data-quality verdicts.  Rules, in order:
1. A file that could not be read or parsed is quarantined with its reason.
2. Two files claiming one sheet key (same project, same review year): the earlier
   path in sorted order wins; the later one is quarantined, naming the winner.
3. A sheet with an error-severity data-quality issue is quarantined.
4. A file with the same bytes as another collapses into it: it takes the original's
   status and key, with a message saying so (not an error).
5. An unchanged file keeps its sheet and the run id of its last change; a file still
   quarantined (the same bytes, nothing else changed: see `discover.plan`) keeps its
   status, reason and run id, and its findings are carried, not reported anew.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from transforms.discover import Plan, member_of_bundle
from transforms.stage import FileOutcome


@dataclass
class Settlement:
    source_files: list[dict] = field(default_factory=list)
    keep_keys: set[str] = field(default_factory=set)  # unchanged sheets copied from the previous warehouse
    drop_keys: set[str] = field(default_factory=set)  # staged sheets kept out of the warehouse
    lost_claims: dict[int, set[str]] = field(default_factory=dict)  # batch -> keys to remove from staging
    file_issues: list[dict] = field(default_factory=list)  # dq_issue rows for quarantined files

    def count(self, status: str) -> int:
        return sum(1 for f in self.source_files if f["status"] == status)


def settle_claims(plan: Plan, outcomes: list[FileOutcome], previous: dict[str, dict]) -> tuple[dict[str, str], dict[int, set[str]], set[str]]:
    """Winner path per sheet key; batch -> losing keys to drop; kept keys that lost."""
    claims: list[tuple[str, str, int | None]] = []  # (path, key, batch or None for kept)
    for entry in plan.unchanged:
        claims.append((entry.path, previous[entry.path]["project_key"], None))
    for outcome in outcomes:
        if outcome.status == "parsed":
            claims.append((outcome.path, outcome.project_key, outcome.batch))
    winners: dict[str, str] = {}
    lost: dict[int, set[str]] = {}
    lost_kept: set[str] = set()
    for path, key, batch in sorted(claims):
        if key not in winners:
            winners[key] = path
        elif batch is not None:
            lost.setdefault(batch, set()).add(key)
        else:
            lost_kept.add(path)
    return winners, lost, lost_kept


def file_format(path: str) -> str:
    """`source_file.format` of a file no adapter parsed: ``rs_csv`` for an RS System CSV
    bundle file or a project record split out of one (``.json``), else ``sheet_text``.

    >>> file_format("/in/2-1_RS_2024_予算・執行_サマリ.csv"), file_format("/w/extracted/2024/000004.json")
    ('rs_csv', 'rs_csv')
    >>> file_format("/in/0037.txt")
    'sheet_text'
    """
    return "rs_csv" if member_of_bundle(path) or path.lower().endswith(".json") else "sheet_text"


def settle(plan: Plan, outcomes: list[FileOutcome], previous: dict[str, dict], quarantined_keys: dict[str, str], run_id: str,
           parser_version: str | None = None) -> Settlement:
    """Final source_file rows and the sets of sheets to keep and to drop.

    `parser_version` is recorded for the files this run read; files carried from the
    previous warehouse (unchanged, still quarantined) keep the version that read them."""
    result = Settlement()
    winners, lost, lost_kept = settle_claims(plan, outcomes, previous)
    result.lost_claims = lost
    by_path: dict[str, dict] = {}
    stat_keys = {entry.path: entry.stat_key for entry in
                 (*plan.refused, *plan.unchanged, *plan.still_quarantined, *plan.to_parse, *(c for c, _ in plan.duplicates))}

    def record(path, sha256, size, status, key=None, message=None, encoding=None, changed_in=run_id, fmt=None,
               version=parser_version):
        row = {"path": path, "sha256": sha256, "size_bytes": size, "format": fmt or file_format(path), "encoding": encoding,
               "status": status, "project_key": key, "message": message, "run_id": changed_in,
               "stat_key": stat_keys.get(path), "parser_version": version}
        by_path[path] = row
        if status == "quarantined" and changed_in == run_id:  # a carried quarantine keeps its finding
            result.file_issues.append({
                "run_id": run_id, "project_key": key, "source_path": path, "table_name": "source_file",
                "check_name": "file_quarantined", "severity": "error", "fiscal_year": None,
                "observed": None, "expected": None, "message": f"{path}: {message}",
            })
        return row

    for entry in plan.refused:
        record(entry.path, entry.sha256, entry.size_bytes, "quarantined", message=entry.problem)
    for entry in plan.unchanged:
        before = previous[entry.path]
        key = before["project_key"]
        if entry.path in lost_kept:
            record(entry.path, entry.sha256, entry.size_bytes, "quarantined", key,
                   f"claims the same project and review year as {winners[key]}")
            continue
        result.keep_keys.add(key)
        record(entry.path, entry.sha256, entry.size_bytes, "unchanged", key, before.get("message"),
               before.get("encoding"), before.get("run_id") or run_id, before.get("format"), before.get("parser_version"))
    for entry in plan.still_quarantined:
        before = previous[entry.path]
        record(entry.path, entry.sha256, entry.size_bytes, "quarantined", before.get("project_key"), before.get("message"),
               before.get("encoding"), before.get("run_id") or run_id, version=before.get("parser_version"))
    for outcome in outcomes:
        key = outcome.project_key
        if outcome.status != "parsed":
            record(outcome.path, outcome.sha256, outcome.size_bytes, "quarantined", key, outcome.message, outcome.encoding)
        elif winners.get(key) != outcome.path:
            record(outcome.path, outcome.sha256, outcome.size_bytes, "quarantined", key,
                   f"claims the same project and review year as {winners[key]}", outcome.encoding)
        elif key in quarantined_keys:
            result.drop_keys.add(key)
            record(outcome.path, outcome.sha256, outcome.size_bytes, "quarantined", key, quarantined_keys[key], outcome.encoding)
        else:
            record(outcome.path, outcome.sha256, outcome.size_bytes, "loaded", key, None, outcome.encoding,
                   fmt=outcome.format)
    for copy, original in plan.duplicates:
        source = by_path.get(original, {})
        status = source.get("status", "quarantined")
        message = f"same content as {original}; collapsed into its sheet"
        if status == "quarantined":
            message = f"same content as {original}, which was quarantined: {source.get('message')}"
        record(copy.path, copy.sha256, copy.size_bytes, status, source.get("project_key"), message, source.get("encoding"),
               run_id if status != "unchanged" else source.get("run_id", run_id),
               version=source.get("parser_version", parser_version))
    result.source_files = [by_path[p] for p in sorted(by_path)]
    return result
