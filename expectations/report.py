"""A per-run data-quality report as one self-contained HTML file.

Great Expectations' Data Docs load Bootstrap, jQuery and fonts from CDNs and are
unstyled offline (STACK_NOTES.md §2.1), so the report is rendered here from the
``dq_issue`` rows: inline CSS, no scripts, no external links or assets.
Sections: summary, checks run, issues by check, issues by sheet.
"""

from __future__ import annotations

import html
import re
from collections import Counter, defaultdict
from datetime import datetime, timezone
from pathlib import Path

MAX_SHEETS = 2000  # sheets listed in full; the rest are counted (the dq_issue table has them all)

CSS = """
body{font-family:system-ui,"Hiragino Sans","Noto Sans JP",Meiryo,sans-serif;margin:2rem;color:#222}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccc}
h3{font-size:1rem;margin-bottom:.3rem}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.9rem}
th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}td.num{text-align:right}
.error{color:#a40000;font-weight:bold}.warning{color:#8a5a00}.ok{color:#1a7f37}
.muted{color:#666;font-size:.85rem}
"""


def _e(value) -> str:
    return "" if value is None else html.escape(str(value))


def _table(headers: list[str], rows: list[list[str]], numeric: set[int] = frozenset()) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td class='num'>{c}</td>" if i in numeric else f"<td>{c}</td>"
                         for i, c in enumerate(row)) + "</tr>"
        for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _severity(severity: str) -> str:
    return f"<span class='{_e(severity)}'>{_e(severity)}</span>"


def summary_section(issues: list[dict], quarantined: dict[str, str], checks: list, seconds: float | None) -> str:
    """Counts at a glance."""
    by_severity = Counter(i["severity"] for i in issues)
    sheets = {i["project_key"] for i in issues if i["project_key"]}
    failed = sum(1 for c in checks if not c.success)
    items = [
        ("issues", len(issues)), ("errors", by_severity.get("error", 0)),
        ("warnings", by_severity.get("warning", 0)), ("sheets with issues", len(sheets)),
        ("sheets quarantined", len(quarantined)),
        ("checks run / failed", f"{len(checks)} / {failed}" if checks else "–"),
        ("validation time", f"{seconds:.2f} s" if seconds is not None else "–"),
    ]
    verdict = ("<p class='error'>Some sheets are quarantined (error-severity issues).</p>" if quarantined
               else "<p class='ok'>No sheet is quarantined.</p>")
    return "<h2>Summary</h2>" + verdict + _table(["", "value"], [[_e(k), _e(v)] for k, v in items], {1})


def checks_section(checks: list) -> str:
    """Every expectation that ran, failures first."""
    if not checks:
        return ""
    ordered = sorted(checks, key=lambda c: (c.success, c.table_name, c.check_name))
    rows = [[_e(c.table_name), _e(c.check_name), _severity(c.severity),
             "<span class='ok'>pass</span>" if c.success else "<span class='error'>fail</span>",
             _e(c.unexpected), _e(c.description)] for c in ordered]
    return "<h2>Checks run</h2>" + _table(["table", "check", "severity", "result", "issues", "what it checks"],
                                          rows, {4})


def by_check_section(issues: list[dict]) -> str:
    """Issue counts per (table, check)."""
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for issue in issues:
        groups[(issue["table_name"], issue["check_name"], issue["severity"])].append(issue)
    rows = []
    for (table, check, severity), found in sorted(groups.items(), key=lambda kv: (kv[0][2], -len(kv[1]))):
        sheets = len({i["project_key"] for i in found})
        rows.append([_e(table), _e(check), _severity(severity), _e(len(found)), _e(sheets), _e(found[0]["message"])])
    body = _table(["table", "check", "severity", "issues", "sheets", "example"], rows, {3, 4}) if rows else \
        "<p class='ok'>No issues.</p>"
    return "<h2>Issues by check</h2>" + body


def by_sheet_section(issues: list[dict], quarantined: dict[str, str]) -> str:
    """Each sheet's issues with observed and expected values; quarantined sheets first."""
    sheets: dict[str | None, list[dict]] = defaultdict(list)
    for issue in issues:
        sheets[issue["project_key"]].append(issue)
    order = sorted(sheets, key=lambda k: (k not in quarantined, k is None, k or ""))
    parts = ["<h2>Issues by sheet</h2>"]
    for key in order[:MAX_SHEETS]:
        found = sheets[key]
        source = next((i["source_path"] for i in found if i["source_path"]), None)
        title = _e(key) if key else "(no sheet: table-level)"
        parts.append(f"<h3>{title} <span class='muted'>{_e(source)}</span></h3>")
        if key in quarantined:
            parts.append(f"<p class='error'>Quarantined: {_e(quarantined[key])}</p>")
        rows = [[_severity(i["severity"]), _e(i["table_name"]), _e(i["check_name"]), _e(i["fiscal_year"]),
                 _e(i["observed"]), _e(i["expected"]), _e(i["message"])] for i in found]
        parts.append(_table(["severity", "table", "check", "FY", "observed", "expected", "message"], rows))
    if len(order) > MAX_SHEETS:
        parts.append(f"<p class='muted'>{len(order) - MAX_SHEETS} more sheets with issues are in dq_issue.</p>")
    return "".join(parts)


def render_report(run_id: str, issues: list[dict], *, quarantined: dict[str, str] | None = None,
                  checks: list | None = None, seconds: float | None = None) -> str:
    """The report as an HTML string (self-contained)."""
    quarantined, checks = quarantined or {}, checks or []
    created = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return (
        "<!DOCTYPE html><html lang='ja'><head><meta charset='utf-8'>"
        f"<title>Data quality — run {_e(run_id)}</title><style>{CSS}</style></head><body>"
        f"<h1>Data quality report — run {_e(run_id)}</h1><p class='muted'>generated {created}</p>"
        + summary_section(issues, quarantined, checks, seconds)
        + by_check_section(issues) + by_sheet_section(issues, quarantined) + checks_section(checks)
        + "</body></html>"
    )


def write_report(report_dir: Path, run_id: str, issues: list[dict], *, quarantined: dict[str, str] | None = None,
                 checks: list | None = None, seconds: float | None = None) -> Path:
    """Write `<report_dir>/dq_report_<run_id>.html` and return its path."""
    report_dir.mkdir(parents=True, exist_ok=True)
    safe_id = re.sub(r"[^A-Za-z0-9._-]", "_", run_id)
    path = report_dir / f"dq_report_{safe_id}.html"
    path.write_text(render_report(run_id, issues, quarantined=quarantined, checks=checks, seconds=seconds),
                    encoding="utf-8")
    return path
