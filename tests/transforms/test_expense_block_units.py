"""費目・用途 blocks whose 金額 headers name different units (audit of expense.py).

Each block prints its own `金額 (百万円)` header; a block whose header says 千円 (or
円) holds amounts in that unit, whatever the block left of it uses.  Before, the first
block's unit was applied to every block: 74,000 千円 became 74,000 百万円.
"""

from __future__ import annotations

from decimal import Decimal

from tests.transforms.variants import mutate, parse_sheet, sheet_text

HEADER_2020 = "費目\t用途\t金額 (百万円)\t費目\t用途\t金額 (百万円)"


def amounts(text: str) -> list[tuple]:
    sheet = parse_sheet(text)
    return ([(r["block"], r["amount_million_yen"]) for r in sheet.tables["expense"]],
            [(r["block"], r["amount_million_yen"]) for r in sheet.tables["printed_total"] if r["table_name"] == "expense"])


def test_a_block_in_thousand_yen_beside_one_in_million_yen():
    text = sheet_text("2020")
    variant = mutate(text, HEADER_2020, "費目\t用途\t金額 (百万円)\t費目\t用途\t金額 (千円)")
    variant = mutate(variant, "開発等業務\t74", "開発等業務\t74,012")
    variant = mutate(variant, "計\t\t114\t計\t\t74", "計\t\t114\t計\t\t74,012")
    expenses, totals = amounts(variant)
    assert expenses == [("A", Decimal(67)), ("B", Decimal("74.012")), ("A", Decimal(43)), ("A", Decimal(4))]
    assert totals == [("A", Decimal(114)), ("B", Decimal("74.012"))]


def test_a_block_in_million_yen_beside_one_in_yen():
    text = sheet_text("2020")
    variant = mutate(text, HEADER_2020, "費目\t用途\t金額(円)\t費目\t用途\t金額 (百万円)")
    for old, new in (("運営\t67\t", "運営\t67,245,100\t"), ("運用\t43\t", "運用\t43,000,000\t"),
                     ("改修業務\t4\t", "改修業務\t4,000,000\t"), ("計\t\t114\t", "計\t\t114,245,100\t")):
        variant = mutate(variant, old, new)
    expenses, totals = amounts(variant)
    assert expenses == [("A", Decimal("67.245100")), ("B", Decimal(74)), ("A", Decimal("43.000000")),
                        ("A", Decimal("4.000000"))]
    assert totals == [("A", Decimal("114.245100")), ("B", Decimal(74))]


def test_a_block_header_without_unit_keeps_the_unit_of_the_section_title():
    text = sheet_text("2020")
    variant = mutate(text, "**費目・用途**", "**費目・用途(単位:千円)**")
    variant = mutate(variant, HEADER_2020, "費目\t用途\t金額\t費目\t用途\t金額")
    expenses, _ = amounts(variant)
    assert expenses == [("A", Decimal("0.067")), ("B", Decimal("0.074")), ("A", Decimal("0.043")), ("A", Decimal("0.004"))]
