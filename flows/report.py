"""The run report: one HTML page per build run, `<reports>/<run_id>/index.html`.

Everything is read from the published warehouse through one read-only connection:
the `load_run` row (files seen/loaded/unchanged/quarantined), row counts of every
table, the quarantined files and their reasons (`source_file`), this run's
data-quality findings grouped by check (`dq_issue`) and budget (計) against
execution (執行額) per fiscal year summed over `v_budget_latest`.

The page works offline: inline CSS, an inline SVG chart (no `xmlns` URL needed in
HTML5), no script and no external URL.  The data-quality report that
`expectations/` writes into the same folder is linked by its relative file name.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

import duckdb

EXAMPLES_PER_CHECK = 3
MAX_QUARANTINED = 500  # listed in full; the rest are counted (source_file has them all)

CSS = """
body{font-family:system-ui,"Hiragino Sans","Noto Sans JP",Meiryo,sans-serif;margin:2rem;color:#222;max-width:70rem}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.9rem}
th,td{border:1px solid #ddd;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}td.num{text-align:right;font-variant-numeric:tabular-nums}
.error{color:#a40000;font-weight:bold}.warning{color:#8a5a00}.ok{color:#1a7f37}
.muted{color:#666;font-size:.85rem}ul.examples{margin:0;padding-left:1.1rem}
svg text{font-size:11px;fill:#333}
"""
TOTAL_COLOUR, EXECUTED_COLOUR = "#4e79a7", "#f28e2b"


@dataclass
class ReportData:
    """What the page shows, as plain values read from the warehouse."""

    run: dict
    latest_run_id: str
    table_rows: list[tuple[str, int]]
    quarantined: list[tuple[str, str | None]]  # (path, reason)
    quarantined_total: int
    checks: list[tuple]  # (severity, check, table, issues, sheets, [examples])
    carried_issues: int
    budget: list[tuple]  # (fiscal year, 計, 執行額, 計 of the sheets that print 執行額)
    dq_report: str | None = None  # file name of the data-quality report beside index.html
    created: str = field(default_factory=lambda: datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))


def write_run_report(warehouse: Path, run_id: str, out_dir: Path) -> Path:
    """Write `<out_dir>/index.html` for `run_id` from the warehouse (read-only); return its path."""
    out_dir = Path(out_dir)
    data = read_report_data(Path(warehouse), run_id)
    out_dir.mkdir(parents=True, exist_ok=True)
    data.dq_report = next((p.name for p in sorted(out_dir.glob("*.html")) if p.name != "index.html"), None)
    path = out_dir / "index.html"
    tmp = path.with_suffix(".html.tmp")
    tmp.write_text(render_run_report(data), encoding="utf-8")
    tmp.replace(path)  # readers never see a half-written page
    return path


def read_report_data(warehouse: Path, run_id: str) -> ReportData:
    """Read everything the page shows; `LookupError` when `run_id` is not in load_run."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        cursor = con.execute("select * from load_run where run_id = ?", [run_id])
        names = [d[0] for d in cursor.description]
        row = cursor.fetchone()
        if row is None:
            raise LookupError(f"no run {run_id!r} in load_run of {warehouse}")
        latest = con.execute("select run_id from load_run order by started_at desc, run_id desc limit 1").fetchone()[0]
        tables = [t for (t,) in con.execute(
            "select table_name from duckdb_tables() where schema_name = 'main' order by table_name").fetchall()]
        counts = [(t, con.execute(f'select count(*) from "{t}"').fetchone()[0]) for t in tables]
        quarantined = con.execute(
            "select path, message from source_file where status = 'quarantined' order by path limit ?",
            [MAX_QUARANTINED]).fetchall()
        quarantined_total = con.execute("select count(*) from source_file where status = 'quarantined'").fetchone()[0]
        checks = con.execute(
            """
            select severity, check_name, table_name, count(*) as issues, count(distinct project_key) as sheets,
                   list(coalesce(project_key, source_path, '') || ': ' || message
                        order by project_key, fiscal_year, message)[1:?] as examples
            from dq_issue where run_id = ?
            group by all order by severity, issues desc, check_name, table_name nulls first
            """, [EXAMPLES_PER_CHECK, run_id]).fetchall()
        carried = con.execute("select count(*) from dq_issue where run_id <> ?", [run_id]).fetchone()[0]
        budget = _budget_by_year(con)
    return ReportData(dict(zip(names, row)), latest, counts, quarantined, quarantined_total, checks, carried, budget)


def _budget_by_year(con) -> list[tuple]:
    """計 and 執行額 summed per fiscal year (latest sheet per project and year)."""
    sums = ("select fiscal_year, sum(total), sum(executed), sum(total) filter (where executed is not null) "
            "from {} group by 1 order by 1")
    try:
        return con.execute(sums.format("v_budget_latest")).fetchall()
    except duckdb.CatalogException:  # a warehouse without the views: pivot the actual columns
        return con.execute(sums.format(
            "(select project_key, fiscal_year, max(amount_million_yen) filter (where line = 'total') as total, "
            "max(amount_million_yen) filter (where line = 'executed') as executed "
            "from budget_line where not is_request group by 1, 2)")).fetchall()


# --- rendering -------------------------------------------------------------------------


def _e(value) -> str:
    return "" if value is None else html.escape(str(value))


def _amount(value) -> str:
    """Millions of yen as printed: grouped, no trailing zeros; '–' for missing."""
    if value is None:
        return "–"
    value = Decimal(value)
    return f"{value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize():,f}"


def _table(headers: list[str], rows: list[list[str]], numeric: frozenset[int] = frozenset()) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td class='num'>{c}</td>" if i in numeric else f"<td>{c}</td>"
                                    for i, c in enumerate(row)) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def render_run_report(data: ReportData) -> str:
    """The whole page as an HTML string."""
    run = data.run
    return (
        "<!DOCTYPE html><html lang='ja'><head><meta charset='utf-8'>"
        f"<title>Build {_e(run['run_id'])}</title><style>{CSS}</style></head><body>"
        f"<h1>Build {_e(run['run_id'])}: <span class='{_status_class(run['status'])}'>{_e(run['status'])}</span></h1>"
        f"<p class='muted'>started {_time(run['started_at'])} UTC, finished {_time(run['finished_at'])} UTC; "
        f"page generated {data.created}</p>"
        + _summary_section(data) + _quarantine_section(data) + _checks_section(data) + _budget_section(data)
        + "</body></html>"
    )


def _time(value) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S") if isinstance(value, datetime) else _e(value)


def _status_class(status: str) -> str:
    return {"completed": "ok", "completed_with_quarantine": "warning"}.get(status, "error")


def _summary_section(data: ReportData) -> str:
    run = data.run
    found = {sev: sum(c[3] for c in data.checks if c[0] == sev) for sev in ("error", "warning")}
    cells = [_e(run.get(f"files_{k}")) for k in ("seen", "loaded", "unchanged", "quarantined", "removed")]
    parts = ["<h2>Summary</h2>",
             _table(["files seen", "loaded", "unchanged", "quarantined", "removed", "errors", "warnings"],
                    [cells + [f"{found['error']:,}", f"{found['warning']:,}"]], frozenset(range(7)))]
    if data.dq_report:
        parts.append(f"<p>Data-quality report of this run: <a href='{_e(data.dq_report)}'>{_e(data.dq_report)}</a></p>")
    note = "" if data.latest_run_id == run["run_id"] else \
        f" <span class='muted'>(warehouse as of the later run {_e(data.latest_run_id)})</span>"
    parts.append(f"<h3>Rows per table{note}</h3>")
    parts.append(_table(["table", "rows"], [[_e(t), f"{n:,}"] for t, n in data.table_rows], frozenset({1})))
    return "".join(parts)


def _quarantine_section(data: ReportData) -> str:
    if not data.quarantined:
        return "<h2>Quarantined files</h2><p class='ok'>No file is quarantined.</p>"
    rows = [[_e(path), _e(reason)] for path, reason in data.quarantined]
    more = data.quarantined_total - len(data.quarantined)
    tail = f"<p class='muted'>{more:,} more in table source_file.</p>" if more > 0 else ""
    return f"<h2>Quarantined files ({data.quarantined_total:,})</h2>" + _table(["file", "reason"], rows) + tail


def _checks_section(data: ReportData) -> str:
    head = "<h2>Data-quality findings of this run, by check</h2>"
    carried = (f"<p class='muted'>{data.carried_issues:,} findings from earlier runs still apply to unchanged "
               "sheets (table dq_issue).</p>") if data.carried_issues else ""
    if not data.checks:
        return head + "<p class='ok'>No warnings or errors in this run.</p>" + carried
    rows = [[f"<span class='{_e(sev)}'>{_e(sev)}</span>", _e(check), _e(table), f"{issues:,}", f"{sheets:,}",
             "<ul class='examples'>" + "".join(f"<li>{_e(x)}</li>" for x in examples) + "</ul>"]
            for sev, check, table, issues, sheets, examples in data.checks]
    return head + _table(["severity", "check", "table", "findings", "sheets", "examples"], rows,
                         frozenset({3, 4})) + carried


def _budget_section(data: ReportData) -> str:
    head = "<h2>Budget (計) and execution (執行額) by fiscal year, 百万円</h2>"
    rows = [[_e(fy), _amount(total), _amount(executed), _rate(executed, base)] for fy, total, executed, base in data.budget]
    note = ("<p class='muted'>Summed over v_budget_latest: per project and year the latest review sheet; "
            "要求 (request) columns excluded.  執行額 is missing for years not closed at the review; "
            "執行額 / 計 counts only the sheets that print 執行額.</p>")
    table = _table(["fiscal year", "計", "執行額", "執行額 / 計"], rows, frozenset({1, 2, 3})) if rows else \
        "<p class='muted'>No budget rows in the warehouse yet.</p>"
    return head + budget_chart_svg(data.budget) + note + table


def _rate(executed, base) -> str:
    return f"{executed / base:.1%}" if base and executed is not None else "–"


def _nice_ceiling(value: float) -> float:
    """The smallest 1, 2, 4, 6 or 8 × 10^k not below `value` (axis maximum; quarters stay round)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 4, 6, 8, 10) if step * power >= value)


def budget_chart_svg(budget: list[tuple], width: int = 760, height: int = 300) -> str:
    """Grouped bars per fiscal year: 計 (total) and 執行額 (executed); hover titles give values."""
    left, right, top, bottom = 70, 10, 28, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [float(v) for _, t, x, *_ in budget for v in (t, x) if v is not None]
    high = _nice_ceiling(max(values, default=0.0))
    low = -_nice_ceiling(-min(values)) if values and min(values) < 0 else 0.0
    y = lambda v: top + plot_h * (high - v) / (high - low)  # noqa: E731 - a tiny scale
    parts = [f"<svg viewBox='0 0 {width} {height}' width='{width}' height='{height}' role='img' "
             "aria-label='budget and execution by fiscal year'>"]
    for i in range(5):  # horizontal grid with labels
        v = low + (high - low) * i / 4
        label = _amount(Decimal(str(round(v, 6))))
        parts.append(f"<line x1='{left}' x2='{width - right}' y1='{y(v):.1f}' y2='{y(v):.1f}' stroke='#ddd'/>"
                     f"<text x='{left - 6}' y='{y(v) + 4:.1f}' text-anchor='end'>{label}</text>")
    slot = plot_w / max(len(budget), 1)
    bar = max(min(slot * 0.38, 40), 1)
    every = math.ceil(len(budget) / 16) or 1
    for n, (fy, total, executed, *_) in enumerate(budget):
        x0 = left + n * slot + (slot - 2 * bar) / 2
        for k, (label, value, colour) in enumerate((("計", total, TOTAL_COLOUR), ("執行額", executed, EXECUTED_COLOUR))):
            if value is None:
                continue
            y1, y2 = sorted((y(float(value)), y(0.0)))
            parts.append(f"<rect x='{x0 + k * bar:.1f}' y='{y1:.1f}' width='{bar:.1f}' "
                         f"height='{max(y2 - y1, 0.5):.1f}' fill='{colour}'><title>FY{_e(fy)} {label}: {_amount(value)} 百万円</title></rect>")
        if n % every == 0:
            parts.append(f"<text x='{x0 + bar:.1f}' y='{height - bottom + 16}' text-anchor='middle'>{_e(fy)}</text>")
    parts.append(f"<line x1='{left}' x2='{width - right}' y1='{y(0.0):.1f}' y2='{y(0.0):.1f}' stroke='#888'/>")
    for k, (label, colour) in enumerate((("計 (budget total)", TOTAL_COLOUR), ("執行額 (executed)", EXECUTED_COLOUR))):
        lx = left + 10 + k * 170
        parts.append(f"<rect x='{lx}' y='8' width='12' height='12' fill='{colour}'/>"
                     f"<text x='{lx + 18}' y='18'>{label}</text>")
    if not budget:
        parts.append(f"<text x='{left + plot_w / 2}' y='{top + plot_h / 2}' text-anchor='middle'>no data</text>")
    parts.append("</svg>")
    return "".join(parts)


def latest_report(warehouse: Path, run_id: str | None = None) -> tuple[str, Path]:
    """(run_id, report path) of the given run or of the latest one, from load_run."""
    sql = "select run_id, report_path from load_run "
    sql += "where run_id = ?" if run_id else "order by started_at desc, run_id desc limit 1"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        row = con.execute(sql, [run_id] if run_id else []).fetchone()
    if row is None:
        raise LookupError(f"no run {run_id!r} in load_run" if run_id else "no run in load_run yet")
    found, path = row
    return found, Path(path) if path else Path(warehouse).parent / "reports" / found / "index.html"
