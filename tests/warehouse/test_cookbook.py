"""Every ```sql block of docs/cookbook.md runs against a small warehouse; the main
ones return what their heading promises."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from tests.warehouse.wh_fixtures import A19, A20, E20

COOKBOOK = Path(__file__).resolve().parents[2] / "docs" / "cookbook.md"
_SECTION = re.compile(r"^## (?P<title>.+?)\n(?P<body>.*?)(?=^## |\Z)", re.S | re.M)
_SQL = re.compile(r"```sql\n(?P<sql>.*?)```", re.S)


def recipes() -> list[tuple[str, str]]:
    """(heading, sql) for every sql block, in document order."""
    found = []
    for section in _SECTION.finditer(COOKBOOK.read_text(encoding="utf-8")):
        for block in _SQL.finditer(section["body"]):
            found.append((section["title"], block["sql"]))
    return found


RECIPES = recipes()


def _run(warehouse_path: Path, title_start: str) -> list[dict]:
    sql = next(sql for title, sql in RECIPES if title.split(". ", 1)[-1].startswith(title_start))
    with duckdb.connect(str(warehouse_path), read_only=True) as con:
        cursor = con.execute(sql)
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, row)) for row in cursor.fetchall()]


def test_cookbook_has_about_ten_recipes():
    assert len(RECIPES) >= 10


@pytest.mark.parametrize(("title", "sql"), RECIPES, ids=[t for t, _ in RECIPES])
def test_every_recipe_runs(warehouse_path, title, sql):
    with duckdb.connect(str(warehouse_path), read_only=True) as con:
        cursor = con.execute(sql)
        assert cursor.description, title
        cursor.fetchall()


def test_budget_by_ministry_and_year(warehouse_path):
    rows = _run(warehouse_path, "Budget and execution by ministry")
    soumu = {r["fiscal_year"]: r for r in rows if r["ministry"] == "総務省"}
    assert sorted(soumu) == [2017, 2018, 2019]
    assert soumu[2018]["executed"] == Decimal("3") and soumu[2018]["execution_rate_percent"] == Decimal("75.0")


def test_project_history(warehouse_path):
    rows = _run(warehouse_path, "A project's history")
    assert [(r["review_year"], r["project_number"], r["closed_fiscal_year"]) for r in rows] == [
        (2019, "0037", 2018), (2020, "0041", 2019)
    ]
    assert {r["project_id"] for r in rows} == {A19}


def test_under_executing_three_years_running(warehouse_path):
    rows = _run(warehouse_path, "Projects under-executing")
    assert [(r["project_id"], r["from_fiscal_year"], r["to_fiscal_year"], r["years"]) for r in rows] == [
        (A19, 2016, 2019, 4)
    ]


def test_rates_that_disagree(warehouse_path):
    rows = _run(warehouse_path, "Reported and computed")
    assert [(r["project_key"], r["fiscal_year"]) for r in rows] == [(E20, 2019)]


def test_biggest_restatements(warehouse_path):
    rows = _run(warehouse_path, "Biggest restatements")
    top = rows[0]
    assert (top["project_id"], top["fiscal_year"], top["line"]) == (A19, 2018, "executed")
    assert (top["printed_in"], top["restated_in"], top["change_million_yen"]) == (2019, 2020, Decimal("1"))


def test_tables_that_do_not_add_up(warehouse_path):
    rows = _run(warehouse_path, "Budget tables that do not add up")
    assert [(r["project_key"], r["fiscal_year"], r["difference"]) for r in rows] == [(E20, 2020, Decimal("1"))]


def test_outcome_targets_never_met(warehouse_path):
    rows = _run(warehouse_path, "Outcome targets never met")
    assert [(r["project_id"], r["years_reported"], r["best_achievement_percent"]) for r in rows] == [
        (A19, 4, Decimal("99"))
    ]


def test_top_recipients(warehouse_path):
    rows = _run(warehouse_path, "Top recipients")
    assert [r["recipient_name"] for r in rows] == ["株式会社シー", "株式会社エー", "株式会社ビー"]
    a = rows[1]
    assert (a["projects"], a["ministries"], a["amount_million_yen"]) == (2, 2, Decimal("6.5"))


def test_requested_increases(warehouse_path):
    rows = _run(warehouse_path, "Requested increases")
    top = rows[0]
    assert (top["project_id"], top["request_fiscal_year"], top["increase_million_yen"]) == (A19, 2021, Decimal("1"))


def test_identity_evidence(warehouse_path):
    rows = _run(warehouse_path, "Why are two sheets the same project")
    assert {(r["project_key"], r["evidence"], r["linked_project_key"]) for r in rows} >= {(A20, "lineage", A19)}


def test_the_checks_the_recipes_name_exist():
    """A recipe that counts findings of a check that no longer exists answers 0 forever."""
    from expectations.rules import RULES, WAREHOUSE_RULES

    named = set(re.findall(r"check_name\s*=\s*'([^']+)'", COOKBOOK.read_text(encoding="utf-8")))
    checks = COOKBOOK.with_name("checks.md").read_text(encoding="utf-8")
    assert named and all(f"`{name}`" in checks for name in named)
    assert named <= {rule.check_name for rule in RULES + WAREHOUSE_RULES}


def test_direct_and_re_delegated_blocks(warehouse_path):
    """Block A is paid by the ministry (its recipients got 80 + 3), B only through A;
    the link back from B to A neither repeats A nor loops."""
    rows = _run(warehouse_path, "Where the money goes")
    assert [(r["project_name"], r["block"], r["depth"], r["payment"], r["recipients_million_yen"]) for r in rows] == [
        ("雇用保険事務費", "A", 1, "direct", Decimal("83")),
        ("雇用保険事務費", "B", 2, "re-delegated", None),
    ]
