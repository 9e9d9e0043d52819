"""The HTML report renders offline: inline CSS, no scripts, no external assets."""

from __future__ import annotations

import re

from expectations.report import render_report, write_report

ISSUES = [
    {"run_id": "r1", "project_key": "k1", "source_path": "a/k1.txt", "table_name": "budget_line",
     "check_name": "budget_total_identity", "severity": "warning", "fiscal_year": 2018, "observed": "9",
     "expected": "4 ± 3", "message": "FY2018 — 計 (total) is 9 but … add up to 4"},
    {"run_id": "r1", "project_key": "k2", "source_path": "a/k2.txt", "table_name": "project",
     "check_name": "not_blank", "severity": "error", "fiscal_year": None, "observed": '"<script>"',
     "expected": "non-blank project_name", "message": "project — 事業名 (project_name) is <b>blank</b>"},
    {"run_id": "r1", "project_key": None, "source_path": None, "table_name": "budget_line",
     "check_name": "column_types", "severity": "error", "fiscal_year": None, "observed": "x",
     "expected": "y", "message": "table-level finding"},
]


def test_report_is_self_contained(tmp_path):
    path = write_report(tmp_path / "reports", "run/1 ü", ISSUES, quarantined={"k2": "not_blank: blank"})
    assert path.parent == tmp_path / "reports" and path.name == "dq_report_run_1__.html"
    html = path.read_text(encoding="utf-8")
    assert "<style>" in html and "<meta charset='utf-8'>" in html
    assert not re.search(r"https?://|//cdn|(src|href)\s*=|@import|<script|<link", html, re.I)


def test_report_sections_and_escaping():
    html = render_report("r1", ISSUES, quarantined={"k2": "not_blank: blank"}, seconds=1.5)
    for text in ("Summary", "Issues by check", "Issues by sheet", "budget_total_identity", "4 ± 3",
                 "a/k1.txt", "Quarantined", "(no sheet: table-level)", "1.50 s"):
        assert text in html, text
    assert "&lt;b&gt;blank&lt;/b&gt;" in html and "<b>blank</b>" not in html
    assert html.index(">k2 <") < html.index(">k1 <")  # quarantined sheets first


def test_report_without_issues():
    html = render_report("r2", [])
    assert "No issues." in html and "No sheet is quarantined." in html
