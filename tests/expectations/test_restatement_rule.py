"""The cross-sheet restatement rule, run as SQL on a small warehouse-shaped database."""

from __future__ import annotations

import duckdb

from expectations.rules import RESTATEMENT, rule_sql


def _findings(lines: list[tuple]) -> list[tuple]:
    con = duckdb.connect()
    con.execute("create table project (project_key varchar, project_id varchar, review_year integer)")
    con.execute("create table budget_line (project_key varchar, fiscal_year integer, is_request boolean, line varchar, "
                "amount_million_yen decimal(20, 6), raw_text varchar, label_ja varchar)")
    con.execute("insert into project values ('t2023', 'p', 2023), ('r2024', 'p', 2024), ('r2025', 'p', 2025)")
    con.executemany("insert into budget_line values (?, ?, false, ?, ?, ?, ?)", lines)
    return sorted(con.execute(f"select project_key, fiscal_year from ({rule_sql(RESTATEMENT)})").fetchall())


def test_a_restated_total_is_found_whatever_the_source():
    # the RS System record's 計 is after the carry-over, like a printed sheet's: comparable
    assert _findings([
        ("t2023", 2023, "total", 100, "100", "計"),
        ("r2024", 2023, "total", 100, "150000000 - 50000000", "計（歳出予算現額合計） - 翌年度への繰越し(合計）"),
        ("r2025", 2023, "total", 160, "160000000", "計（歳出予算現額合計）"),
    ]) == [("r2025", 2023)]


def test_other_lines_are_compared_too():
    assert _findings([
        ("r2024", 2023, "initial", 90, "90000000", "当初予算（合計）"),
        ("t2023", 2023, "initial", 80, "80", "当初予算"),
    ]) == [("r2024", 2023)]
