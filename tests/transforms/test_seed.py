"""Every fact of the reference sheet (令和2年度, 総務省), checked against the contract."""

from __future__ import annotations

from decimal import Decimal

import pytest

from transforms.sources.text_sheet import parse_bytes


@pytest.fixture(scope="module")
def sheet():
    from tests.conftest import SEED

    return parse_bytes(SEED.read_bytes(), "seed.txt", "0" * 64)


def rows(sheet, table, **where):
    return [r for r in sheet.tables[table] if all(r.get(k) == v for k, v in where.items())]


def test_all_tables_match_golden(sheet, golden):
    tables = {name: [{k: v for k, v in r.items() if k not in ("source_path",)} for r in table_rows]
              for name, table_rows in sheet.tables.items()}
    golden("seed_tables", tables)


def test_project_header(sheet):
    project = sheet.project
    assert (project["review_year"], project["ministry"]) == (2020, "総務省")
    assert project["project_name"] == "住民基本台帳ネットワークシステムセキュリティ対策経費"
    assert project["project_number"] is None
    assert project["start_fiscal_year"] == 2003 and project["end_fiscal_year"] is None
    assert project["responsible_official"] == "課長 三橋 一彦"
    assert project["division"] == "住民制度課"


def test_budget_lines_as_printed(sheet):
    budget = {(r["fiscal_year"], r["is_request"], r["line"]): r["amount_million_yen"] for r in sheet.tables["budget_line"]}
    assert {fy for fy, req, _ in budget if not req} == {2017, 2018, 2019, 2020}
    assert budget[(2021, True, "initial")] == Decimal(4) and budget[(2021, True, "total")] == Decimal(4)
    assert budget[(2020, False, "executed")] == Decimal(2)  # printed under 2020
    assert (2021, True, "executed") not in budget  # blank cell -> no row
    assert all(budget[(fy, False, "total")] == 4 for fy in (2017, 2018, 2019, 2020))


def test_execution_rates_on_both_bases(sheet):
    rates = sheet.tables["execution_rate"]
    assert len(rates) == 8
    assert {r["basis"] for r in rates} == {"total", "initial_plus_supplementary"}
    assert all(r["rate"] == Decimal("0.5") for r in rates)


def test_budget_items_exclude_total(sheet):
    items = sheet.tables["budget_item"]
    assert len(items) == 8
    assert "計" not in {r["item_name"] for r in items}
    initial = [r["amount_million_yen"] for r in items if not r["is_request"]]
    assert sum(initial) == Decimal(3)  # printed 計 is 4: within the rounding of four cells


def test_outcome_indicator(sheet):
    outcome = rows(sheet, "indicator", kind="outcome")
    assert {r["indicator_no"] for r in outcome} == {1}
    series = lambda m: [r["value"] for r in outcome if r["measure"] == m and r["period"] == "year"]
    assert series("actual") == [Decimal(3), Decimal("2.9"), Decimal("2.9")]
    assert series("target") == [Decimal(3)] * 3
    assert series("achievement") == [Decimal("99.3"), Decimal(97), Decimal(97)]
    final = rows(sheet, "indicator", kind="outcome", measure="target", period="final_target")
    assert [(r["value"], r["fiscal_year"]) for r in final] == [(Decimal(3), None)]


def test_activity_indicator_is_one_with_two_line_name(sheet):
    activity = rows(sheet, "indicator", kind="activity")
    assert {r["name"] for r in activity} == {"住基ネット担当者説明会(書面)の開催\n住基ネット担当者研修会(47都道府県)への参加"}
    assert [r["value"] for r in activity if r["measure"] == "actual" and r["period"] == "year"] == [47, 47, 47]
    assert [r["value"] for r in activity if r["measure"] == "planned" and r["period"] == "year"] == [47, 47, 47]
    outlook = rows(sheet, "indicator", kind="activity", measure="planned", period="outlook", fiscal_year=2020)
    assert [r["value"] for r in outlook] == [47]


def test_unit_cost_with_formula(sheet):
    cost = rows(sheet, "indicator", kind="unit_cost")
    assert [r["value"] for r in cost if r["measure"] == "actual" and r["period"] == "year"] == [Decimal("37.7"), Decimal("37.4"), Decimal(46)]
    formulas = [r for r in cost if r["measure"] == "formula" and r["period"] == "year"]
    assert formulas[0]["raw_text"] == "1,770/47" and formulas[0]["value"] is None


def test_lineage_and_other_tables(sheet):
    lineage = sheet.tables["lineage"]
    assert len(lineage) == 10
    assert (lineage[0]["past_review_year"], lineage[0]["past_project_number"]) == (2010, "0032-2")
    assert (lineage[-1]["past_review_year"], lineage[-1]["past_ministry"], lineage[-1]["past_project_number"]) == (2019, "総務省", "0037")
    expense = sheet.tables["expense"]
    assert [(r["block"], r["amount_million_yen"]) for r in expense] == [("A", Decimal("1.2")), ("B", Decimal("0.8")), ("B", Decimal("0.2"))]
    assert len(sheet.tables["assessment"]) >= 14
    assert sheet.issues == []
