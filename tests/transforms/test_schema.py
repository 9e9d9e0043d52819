"""The contract module: Arrow types, and the generated docs page kept in sync."""

from __future__ import annotations

from decimal import Decimal

import pyarrow as pa

from tests.conftest import ROOT
from transforms import schema


def test_every_sheet_table_carries_project_key_and_types_map():
    for table in schema.SHEET_TABLES:
        assert table.column_names[0] == "project_key"
        assert len(schema.arrow_schema(table)) == len(table.columns)
    assert schema.arrow_schema("budget_line").field("amount_million_yen").type == pa.decimal128(20, 6)


def test_to_arrow_keeps_money_exact():
    table = schema.to_arrow("budget_line", [{"project_key": "k", "fiscal_year": 2020, "is_request": False,
                                             "line": "total", "amount_million_yen": Decimal("-356601.7")}])
    assert table.column("amount_million_yen").to_pylist() == [Decimal("-356601.700000")]


def test_contract_page_is_generated_from_the_schema(request):
    page = ROOT / "docs" / "contract.md"
    text = schema.contract_markdown()
    if request.config.getoption("--regen-golden"):
        page.write_text(text, encoding="utf-8")
    assert page.read_text(encoding="utf-8") == text, "docs/contract.md is stale: run pytest --regen-golden"
