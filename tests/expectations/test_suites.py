"""The suites derive from the contract: every constraint of `transforms.schema` has a check."""

from __future__ import annotations

import pyarrow as pa
import pytest

from expectations.rules import BATCH, RULES, WAREHOUSE_RULES
from expectations.suites import (
    arrow_type_mismatches,
    build_suites,
    duckdb_type_mismatches,
)
from transforms import schema

SEVERITIES = set(schema.SEVERITIES)


@pytest.fixture(scope="module")
def suites():
    return build_suites()


def _checks(suite) -> dict[str, dict]:
    return {e.meta["check_name"]: e.meta for e in suite.expectations}


def test_one_suite_per_staged_table(suites):
    assert set(suites) == {t.name for t in schema.SHEET_TABLES}


@pytest.mark.parametrize("table", schema.SHEET_TABLES, ids=lambda t: t.name)
def test_every_contract_constraint_has_a_check(suites, table):
    checks = _checks(suites[table.name])
    for col in table.columns:
        if not col.nullable:
            assert checks[f"not_null.{col.name}"]["severity"] == "error"
        if col.domain:
            assert checks[f"in_domain.{col.name}"]["expected"] == "one of " + ", ".join(col.domain)
    if table.key:
        assert checks["key_unique"]["severity"] == "error"
        assert checks["duplicate_row"]["severity"] == "warning"
    if table is not schema.PROJECT:
        assert checks["project_fk"]["severity"] == "error"
    assert "not_blank" in checks  # project_key, at least
    for name, meta in checks.items():
        assert meta["table_name"] == table.name and meta["severity"] in SEVERITIES, name


def test_year_ranges_follow_the_brief(suites):
    project = _checks(suites["project"])
    budget = _checks(suites["budget_line"])
    assert project["year_range.review_year"]["expected"] == "2009..2040"
    assert budget["year_range.fiscal_year"]["expected"] == "1980..2040"


def test_sheet_identity_is_an_error_when_missing(suites):
    project = _checks(suites["project"])
    for column in ("project_name", "ministry", "review_year"):
        assert project[f"not_null.{column}"]["severity"] == "error"
    assert project["has_budget_rows"]["severity"] == "error"


def test_every_rule_is_in_its_tables_suite_once(suites):
    for rule in RULES:
        names = [e.meta["check_name"] for e in suites[rule.table_name].expectations]
        assert names.count(rule.check_name) == 1
        assert rule.severity in SEVERITIES and BATCH in rule.sql


def test_rule_sql_is_safe_for_sqlalchemy_text():
    """No `:word` bind syntax, `?` or stray braces in the queries GE hands to SQLAlchemy."""
    import re

    for rule in RULES + WAREHOUSE_RULES:
        assert not re.search(r"(?<![:\w]):\w", rule.sql), rule.check_name
        assert "?" not in rule.sql and rule.sql.replace(BATCH, "").count("{") == 0, rule.check_name


def test_arrow_type_mismatches():
    table = schema.BUDGET_LINE
    assert arrow_type_mismatches(table, schema.arrow_schema(table)) == []
    wrong = schema.arrow_schema(table).set(4, pa.field("amount_million_yen", pa.float64()))
    assert arrow_type_mismatches(table, wrong) == [
        "amount_million_yen is double, contract says decimal128(20, 6)"]
    assert arrow_type_mismatches(table, wrong.remove(5))[-1] == "raw_text is missing"


def test_duckdb_type_mismatches():
    table = schema.EXECUTION_RATE
    described = {c.name: c.type for c in table.columns}
    assert duckdb_type_mismatches(table, described) == []
    described["rate"] = "DOUBLE"
    assert duckdb_type_mismatches(table, described) == ["rate is DOUBLE, contract says DECIMAL(12,6)"]
