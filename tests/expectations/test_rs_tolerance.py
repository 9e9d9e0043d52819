"""The rounding a check allows depends on the unit a cell was printed in: an RS System
CSV amount is whole yen (its labels end in （合計）), exact to 0.000001 百万円; a printed
sheet's cell is rounded to its last digit in 百万円."""

from __future__ import annotations

import duckdb

from expectations.rules import TOTAL_IDENTITY, rule_sql

LINES = ("initial", "supplementary", "carried_in", "carried_out", "reserve", "total")


def _findings(rows: list[tuple]) -> list[tuple]:
    con = duckdb.connect()
    con.execute("create table budget_line (project_key varchar, fiscal_year integer, is_request boolean, line varchar, "
                "amount_million_yen decimal(20, 6), raw_text varchar, label_ja varchar)")
    con.executemany("insert into budget_line values (?, 2023, false, ?, ?, ?, ?)", rows)
    return con.execute(f"select project_key, observed from ({rule_sql(TOTAL_IDENTITY)})").fetchall()


def test_an_rs_total_off_by_2_9_million_yen_is_found_a_printed_one_within_rounding_is_not():
    rs = [("rs", line, amount, raw, label) for line, amount, raw, label in (
        ("initial", 1000, "1000000000", "当初予算（合計）"), ("supplementary", 0, "0", "補正予算（合計）"),
        ("carried_in", 0, "0", "前年度からの繰越し（合計）"), ("carried_out", 0, "0", "翌年度への繰越し(合計）"),
        ("reserve", -2.9, "-2900000", "予備費等（合計）"), ("total", 1000, "1000000000", "計（歳出予算現額合計）"))]
    printed = [("text", line, amount, raw, label) for line, amount, raw, label in (
        ("initial", 1000, "1,000", "当初予算"), ("supplementary", 0, "0", "補正予算"), ("carried_in", 0, "0", "前年度から繰越し"),
        ("carried_out", 0, "0", "翌年度へ繰越し"), ("reserve", -2, "▲2", "予備費等"), ("total", 1000, "1,000", "計"))]
    assert _findings(rs + printed) == [("rs", "1000000000")]
