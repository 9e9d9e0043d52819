"""Layouts of the title and basic-information block that lost or corrupted a `project`
value: each case failed before its fix (audit of the project table)."""

from __future__ import annotations

from tests.transforms.variants import mutate, parse_sheet, sheet_text


def project(text: str) -> dict:
    return parse_sheet(text).project


def test_checkbox_marks_printed_in_cells_of_their_own():
    """Each box in its own cell, its choice in the next (`□ ⇥ 一般会計 ⇥ ■ ⇥ 特別会計`): before,
    the unticked 一般会計 was stored as an account and the methods came out as `□ ■ □\\n直接実施…`."""
    text = mutate(sheet_text("2020"), "<b>会計区分</b>\t一般会計", "<b>会計区分</b>\t□\t一般会計\t■\t特別会計")
    text = mutate(text, "<b>実施方法</b>\t委託・請負", "<b>実施方法</b>\t□\t直接実施\t■\t委託・請負\t□\t補助")
    variant = project(text)
    assert variant["account_type"] == "特別会計"
    assert variant["implementation_method"] == "□直接実施 ■委託・請負 □補助"
