"""Printed variants of the 予算内訳 found by an audit of that table: lines with two empty
cells among their amounts, a reason printed on the 計 row: each case is a small edit of a
form fixture that must parse to the fixture's own rows, or be reported when nothing
printed tells how to read it."""

from __future__ import annotations

import pytest

from tests.transforms.variants import mutate, parse_sheet, sheet_text

HEADER_2021 = "<b>4年度当初予算</b>\t<b>5年度要求</b>\t<b>主な増減理由</b>"
ITEMS_2021 = ("\t庁費\t12.8\t267\t事業の拡充による増", "\t職員旅費\t5.9\t125", "\t諸謝金\t4.3\t91", "\t計\t23\t483")
ITEMS_3 = ("\t庁費\t10\t12.8\t267\t事業の拡充による増", "\t職員旅費\t5\t5.9\t125", "\t諸謝金\t4\t4.3\t91", "\t計\t19\t23\t483")


def _rows(text: str, table: str) -> list[dict]:
    rows = parse_sheet(text).tables[table]
    if table == "printed_total":
        rows = [row for row in rows if row["table_name"] == "budget_item"]
    return [{k: v for k, v in row.items() if k not in ("project_key", "raw_text")} for row in rows]


def _issues(text: str) -> list[str]:
    return [i.check_name for i in parse_sheet(text).issues if i.table_name == "budget_item"]


def _three_columns(*lines: str) -> str:
    """The 2021-23 fixture with a 3年度当初予算 column before its two, its lines printed as `lines`."""
    text = mutate(sheet_text("2021-23"), HEADER_2021, "<b>3年度当初予算</b>\t" + HEADER_2021)
    for old, new in zip(ITEMS_2021, lines):
        text = mutate(text, old, new)
    return text


# --- 1. two empty cells among the amounts of a line -------------------------------------

@pytest.mark.parametrize("line, printed", [
    (ITEMS_2021[0], "\t庁費\t12.8\t\t267\t\t事業の拡充による増"),  # both amount cells merged over two columns
    (ITEMS_2021[0], "\t庁費\t12.8\t\t\t267\t事業の拡充による増"),  # the budget cell merged over three columns
    (ITEMS_2021[0], "\t庁費\t\t12.8\t\t267\t事業の拡充による増"),  # the name and the budget cell merged
    (ITEMS_2021[1], "\t職員旅費\t\t5.9\t\t125"),
    (ITEMS_2021[1], "\t職員旅費\t5.9\t\t\t125"),
    (ITEMS_2021[1], "\t職員旅費\t5.9\t\t125\t\t人員増"),
], ids=["two-merged", "merged-over-three", "name-and-budget-merged", "name-and-budget-merged-no-reason",
        "over-three-no-reason", "two-merged-reason"])
def test_two_empty_cells_among_the_amounts_that_only_merged_cells_fit(line, printed):
    """`\\t庁費\\t\\t12.8\\t\\t267\\t理由`: every cell of the line fits a column only when each
    empty cell is the empty part of a merged cell: read so (the budget was read as the
    request, the request and the reason lost)."""
    text = sheet_text("2021-23")
    if line == ITEMS_2021[1] and printed.endswith("人員増"):
        text = mutate(text, line, line + "\t人員増")
        line += "\t人員増"
    variant = mutate(text, line, printed)
    for table in ("budget_item", "printed_total"):
        assert _rows(variant, table) == _rows(text, table)
    assert not _issues(variant)


def test_a_reason_three_cells_past_the_budget_of_a_line_without_a_request():
    """`\\t職員旅費\\t5.9\\t\\t\\t\\t人員増`: a blank request, the reason past a cell merged
    over three columns: the reason is kept (it was dropped, standing beyond the cell
    after the reason column)."""
    text = mutate(sheet_text("2021-23"), ITEMS_2021[1], "\t職員旅費\t5.9\t\t人員増")
    variant = mutate(text, "\t職員旅費\t5.9\t\t人員増", "\t職員旅費\t5.9\t\t\t\t人員増")
    assert _rows(variant, "budget_item") == _rows(text, "budget_item")
    assert not _issues(variant)


def test_two_merged_cells_among_three_amounts():
    """`5 | | 5.9 | | 125` under three amount columns: the 3年度 and 4年度 cells merged over
    two columns each (the request was lost)."""
    text = _three_columns(*ITEMS_3)
    variant = mutate(text, ITEMS_3[1], "\t職員旅費\t5\t\t5.9\t\t125")
    assert _rows(variant, "budget_item") == _rows(text, "budget_item")
    assert not _issues(variant)


def test_every_amount_and_the_reason_past_a_merged_cell():
    """`10 | | 12.8 | | 267 | | 理由` under three amount columns: each cell merged over two
    columns (the reason was lost)."""
    text = _three_columns(*ITEMS_3)
    variant = mutate(text, ITEMS_3[0], "\t庁費\t10\t\t12.8\t\t267\t\t事業の拡充による増")
    assert _rows(variant, "budget_item") == _rows(text, "budget_item")
    assert not _issues(variant)


def test_two_empty_cells_read_two_ways_are_reported():
    """`5 | | | 5.9` under three amount columns: a blank 4年度 budget past a merged cell, or
    a 3年度 cell merged over three columns and a blank request: reported, not loaded."""
    text = _three_columns(ITEMS_3[0], "\t職員旅費\t5\t\t\t5.9", *ITEMS_3[2:])
    assert "職員旅費" not in {r["item_name"] for r in _rows(text, "budget_item")}
    assert "ambiguous_amounts" in _issues(text)


# --- 2. a reason printed on the 計 row ---------------------------------------------------

def _reasons(text: str) -> dict[str, str | None]:
    return {r["item_name"]: r["change_reason"] for r in _rows(text, "budget_item")}


def test_a_reason_on_the_total_row_is_reported_when_the_last_item_has_none():
    """`\\t計\\t23\\t483\\t事業の見直しによる減` under items whose last has no reason: the
    reason of the total's change, which no row of the warehouse holds.  Reported with its
    text, the items and the total loaded as printed (it was dropped silently)."""
    text = sheet_text("2021-23")
    variant = mutate(text, ITEMS_2021[3], ITEMS_2021[3] + "\t事業の見直しによる減")
    assert _reasons(variant) == _reasons(text)
    assert _rows(variant, "printed_total") == _rows(text, "printed_total")
    found = [i for i in parse_sheet(variant).issues if i.table_name == "budget_item"]
    assert [i.check_name for i in found] == ["section_unreadable"]
    assert "事業の見直しによる減" in found[0].message and "line 26" in found[0].message


def test_a_reason_on_the_total_row_of_a_single_item_is_that_items():
    """One item and its 計: the total's change is the item's, so is its reason."""
    text = sheet_text("2021-23")
    for line in ITEMS_2021[1:3]:
        text = mutate(text, line + "\t", "\t")
    variant = mutate(text, ITEMS_2021[0], "\t庁費\t12.8\t267")
    variant = mutate(variant, ITEMS_2021[3], ITEMS_2021[3] + "\t事業の拡充による増")
    assert _reasons(variant) == _reasons(text) == {"庁費": "事業の拡充による増"}
    assert not _issues(variant)


def test_a_reason_continued_on_the_total_row_is_still_the_last_items():
    """The last item's two-line reason whose second line went on the 計 row: unchanged."""
    text = sheet_text("2021-23")
    variant = mutate(text, ITEMS_2021[2], ITEMS_2021[2] + "\t事業の見直")
    variant = mutate(variant, ITEMS_2021[3], ITEMS_2021[3] + "\tしによる減")
    assert _reasons(variant)["諸謝金"] == "事業の見直\nしによる減"
    assert not _issues(variant)


@pytest.mark.parametrize("reason, total, expected", [
    ("\t事業の見直", "\tしによる\n\t\t\t\t減", "事業の見直\nしによる\n減"),  # three lines, the last below the 計
    ("\t事業の見直", "\n\t\t\t\tしによる減", "事業の見直\nしによる減"),  # the 計 row's part blank
], ids=["below-total", "only-below-total"])
def test_the_last_line_of_a_reason_below_the_total_row_is_kept(reason, total, expected):
    """A multi-line 主な増減理由 cell of the last item whose last line went below the 計
    row, alone in the reason column: the item's (it was dropped)."""
    text = sheet_text("2021-23")
    variant = mutate(text, ITEMS_2021[2], ITEMS_2021[2] + reason)
    variant = mutate(variant, ITEMS_2021[3], ITEMS_2021[3] + total)
    assert _reasons(variant)["諸謝金"] == expected
    assert not _issues(variant)


def test_a_total_reason_continued_below_the_total_row_is_reported_whole():
    """The reason of the total's change over two lines, the second below the 計 row:
    reported whole, named by the 計 line."""
    text = sheet_text("2021-23")
    variant = mutate(text, ITEMS_2021[3], ITEMS_2021[3] + "\t事業の見直し\n\t\t\t\tによる減")
    assert _reasons(variant) == _reasons(text)
    found = [i for i in parse_sheet(variant).issues if i.table_name == "budget_item"]
    assert [i.check_name for i in found] == ["section_unreadable"]
    assert "事業の見直し\nによる減" in found[0].message and "line 26 '計'" in found[0].message
