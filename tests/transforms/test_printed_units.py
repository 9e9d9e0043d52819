"""Amounts and rates printed with a unit or bracket the money tables do not usually show:
`4百万` (百万円 without 円), `1.2億`, and an execution rate in brackets `(50%)`.  Each
was stored as NULL (raw_text only) before."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.conftest import SEED
from transforms.sources.text_sheet import parse_bytes

TOTAL_ROW = "\t計\t\t4\t4\t4\t4\t4"
RATE_ROW = "\t執行率(%)\t\t50%\t50%\t50%\t50%"


def tables(text: str) -> dict[str, list[dict]]:
    return parse_bytes(text.encode("utf-8"), "variant.txt").tables


def seed() -> str:
    text = SEED.read_text(encoding="utf-8")
    assert TOTAL_ROW in text and RATE_ROW in text
    return text


@pytest.mark.parametrize("printed, amount", [("4百万", Decimal(4)), ("0.04億", Decimal(4)), ("4 百万", Decimal(4))])
def test_a_budget_amount_with_its_unit_short_of_円(printed, amount):
    text = seed().replace(TOTAL_ROW, f"\t計\t\t{printed}\t4\t4\t4\t4")
    totals = {r["fiscal_year"]: r for r in tables(text)["budget_line"] if r["line"] == "total" and not r["is_request"]}
    assert totals[2017]["amount_million_yen"] == amount
    assert totals[2017]["raw_text"] == printed


def test_an_execution_rate_in_brackets_is_the_rate():
    text = seed().replace(RATE_ROW, "\t執行率(%)\t\t(50%)\t(50%)\t50%\t50%")
    rates = {r["fiscal_year"]: r["rate"] for r in tables(text)["execution_rate"] if r["basis"] == "total"}
    assert rates[2017] == rates[2018] == rates[2019] == Decimal("0.5")
