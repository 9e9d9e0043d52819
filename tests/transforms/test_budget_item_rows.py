"""予算内訳 rows as real exports split them: item names and the 計 label printed on a
line of their own, above or below their amounts.  Each variant of a form fixture must
parse to the fixture's own items and printed totals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.transforms.variants import mutate, sheet_text
from tests.transforms.variants import parse_sheet as parse

PRINTED = {"raw_text"}  # what a variant may change


def items(text: str) -> list[tuple]:
    return [(r["item_no"], r["item_name"], r["fiscal_year"], r["is_request"], r["amount_million_yen"], r["change_reason"])
            for r in parse(text).tables["budget_item"]]


def totals(text: str) -> list[tuple]:
    return [(r["fiscal_year"], r["is_request"], r["amount_million_yen"])
            for r in parse(text).tables["printed_total"] if r["table_name"] == "budget_item"]


def renamed(text: str, old: str, new: str) -> list[tuple]:
    """The fixture's items with item `old` named `new`."""
    return [(no, new if name == old else name, *rest) for no, name, *rest in items(text)]


# --- a later item named on the line above its amounts ---------------------------------

@pytest.mark.parametrize("printed, name", [
    ("\t職員旅費\n\t\t5.9\t125", "職員旅費"),
    ("\t職員旅費\t\t\t\n\t\t5.9\t125", "職員旅費"),
    ("\t職員旅費\n\t5.9\t125", "職員旅費"),  # the empty name cell collapsed
    ("\t職員\n\t旅費\n\t\t5.9\t125", "職員\n旅費"),  # a two-line name, both lines above
], ids=["name-line", "name-line-tabs", "collapsed", "two-name-lines"])
def test_a_later_item_named_on_the_line_above_its_amounts_is_an_item_of_its_own(printed, name):
    """A name-only line followed by amounts without a name: the name of those amounts,
    not a second line of the item above."""
    text = sheet_text("2021-23")
    variant = mutate(text, "\t職員旅費\t5.9\t125", printed)
    assert items(variant) == renamed(text, "職員旅費", name)
    assert totals(variant) == totals(text)


def test_the_last_item_named_on_the_line_above_its_amounts():
    text = sheet_text("2021-23")
    variant = mutate(text, "\t諸謝金\t4.3\t91", "\t諸謝金\n\t\t4.3\t91")
    assert items(variant) == items(text) and totals(variant) == totals(text)


def test_every_item_named_on_the_line_above_its_amounts():
    text = sheet_text("2021-23")
    variant = text
    for row in ("庁費\t12.8\t267", "職員旅費\t5.9\t125", "諸謝金\t4.3\t91"):
        name, amounts = row.split("\t", 1)
        variant = mutate(variant, f"\t{row}", f"\t{name}\n\t\t{amounts}")
    assert items(variant) == items(text) and totals(variant) == totals(text)


def test_a_name_continued_below_its_amounts_before_the_next_item_still_continues_it():
    """A name-only line between two complete rows is the rest of the name above it."""
    text = sheet_text("2021-23")
    variant = mutate(text, "\t庁費\t12.8\t267\t事業の拡充による増", "\t庁費\t12.8\t267\t事業の拡充による増\n\t(一般)")
    assert items(variant) == renamed(text, "庁費", "庁費\n(一般)")
    last = mutate(text, "\t諸謝金\t4.3\t91", "\t諸謝金\t4.3\t91\n\t(謝金)")  # followed by 計
    assert items(last) == renamed(text, "諸謝金", "諸謝金\n(謝金)")


def test_a_name_continued_below_and_a_later_item_named_above_its_amounts():
    """Both layouts in one table: the line under a complete row that a complete row follows
    continues it; the line over nameless amounts names them.  (Lines between a complete
    row and nameless amounts all name the amounts: nothing printed tells where the name
    above would end.)"""
    text = sheet_text("2021-23")
    variant = mutate(text, "\t庁費\t12.8\t267\t事業の拡充による増", "\t庁費\t12.8\t267\t事業の拡充による増\n\t(一般)")
    variant = mutate(variant, "\t諸謝金\t4.3\t91", "\t諸謝金\n\t\t4.3\t91")
    assert items(variant) == renamed(text, "庁費", "庁費\n(一般)")


def test_an_item_with_dash_amounts_named_on_the_line_above():
    text = sheet_text("2016")
    variant = mutate(text, "\t委託費\t-\t-", "\t委託費\n\t\t-\t-")
    assert items(variant) == items(text) and totals(variant) == totals(text)
    assert [amount for *_, amount, _ in items(variant)] == [None, None]


def test_a_zero_or_negative_item_named_above_its_amounts():
    text = mutate(sheet_text("2021-23"), "\t職員旅費\t5.9\t125", "\t職員旅費\t0\t▲ 1")
    variant = mutate(text, "\t職員旅費\t0\t▲ 1", "\t職員旅費\n\t\t0\t▲ 1")
    assert items(variant) == items(text)
    assert [r[4] for r in items(variant) if r[1] == "職員旅費"] == [Decimal("0"), Decimal("-1")]


# --- the 計 label on a line of its own ------------------------------------------------

def test_a_total_label_on_the_line_above_its_amounts_is_the_total():
    """`計` alone, the amounts on the next line: the printed total, not a second line of
    the last item's name and an item named by its first amount."""
    text = sheet_text("2021-23")
    variant = mutate(text, "\t計\t23\t483", "\t計\n\t\t23\t483")
    assert items(variant) == items(text) and totals(variant) == totals(text)


@pytest.mark.parametrize("printed", ["\t\t23\t483\n\t計", "\t23\t483\n\t計"], ids=["name-cell-empty", "collapsed"])
def test_a_total_label_on_the_line_below_its_amounts_is_the_total(printed):
    """Amounts without a name, then `計` alone: the total printed with its label below."""
    text = sheet_text("2021-23")
    variant = mutate(text, "\t計\t23\t483", printed)
    assert items(variant) == items(text) and totals(variant) == totals(text)


def test_the_last_item_named_above_and_the_total_label_below_its_amounts():
    text = sheet_text("2021-23")
    variant = mutate(mutate(text, "\t諸謝金\t4.3\t91", "\t諸謝金\n\t\t4.3\t91"), "\t計\t23\t483", "\t\t23\t483\n\t計")
    assert items(variant) == items(text) and totals(variant) == totals(text)


def test_a_total_label_in_the_first_column_with_the_amounts_in_their_own():
    """`計` printed one cell left of the item names (a merged label cell), its amounts
    under the amount columns: the amounts stay in their columns."""
    text = sheet_text("2021-23")
    variant = mutate(text, "\t計\t23\t483", "計\t\t23\t483")
    assert items(variant) == items(text) and totals(variant) == totals(text)


# --- the change reason printed on the name's line --------------------------------------

def test_a_change_reason_on_the_line_of_a_name_printed_above_its_amounts():
    """Name and 主な増減理由 top-aligned over the two lines of the item, the amounts on the
    lower line: the reason is that item's."""
    text = sheet_text("2021-23")
    variant = mutate(text, "\t庁費\t12.8\t267\t事業の拡充による増", "\t庁費\t\t\t事業の拡充による増\n\t\t12.8\t267")
    assert items(variant) == items(text)
    later = mutate(text, "\t職員旅費\t5.9\t125", "\t職員旅費\t\t\t出張の増\n\t\t5.9\t125")
    assert {r[5] for r in items(later) if r[1] == "職員旅費"} == {"出張の増"}


def test_a_name_and_its_reason_both_continued_on_the_next_line():
    text = mutate(sheet_text("2021-23"), "\t庁費\t12.8\t267\t事業の拡充による増", "\t庁費\t12.8\t267\t事業の拡充\n\t(一般)\t\t\tによる増")
    assert {(r[1], r[5]) for r in items(text) if r[0] == 1} == {("庁費\n(一般)", "事業の拡充\nによる増")}


# --- the first item's name split with its amounts beside the second line ----------------

def test_the_first_item_name_split_with_the_amounts_beside_its_second_line():
    """Nothing above the first item for its first line to continue: it begins that name."""
    text = sheet_text("2021-23")
    variant = mutate(text, "\t庁費\t12.8\t267\t事業の拡充による増", "\t庁費\n\t(一般)\t12.8\t267\t事業の拡充による増")
    assert items(variant) == renamed(text, "庁費", "庁費\n(一般)")


# --- the amount columns' header split over two lines ------------------------------------

def test_a_header_with_当初予算_and_要求_on_the_line_below_their_years():
    """`4年度` / `当初予算` and `5年度` / `要求` as two-line header cells: the second line
    marks the request column and is no item."""
    text = sheet_text("2021-23")
    variant = mutate(text, "<b>4年度当初予算</b>\t<b>5年度要求</b>\t<b>主な増減理由</b>\t\t\t\t\t\n",
                     "<b>4年度</b>\t<b>5年度</b>\t<b>主な増減理由</b>\t\t\t\t\t\n\t\t<b>当初予算</b>\t<b>要求</b>\n")
    assert items(variant) == items(text) and totals(variant) == totals(text)


# --- the 計 label split over two lines ---------------------------------------------------

@pytest.mark.parametrize("printed", ["\t合\n\t計\t23\t483", "\t合\t23\t483\n\t計"], ids=["amounts-beside-計", "amounts-beside-合"])
def test_a_total_label_split_over_two_lines_is_the_total(printed):
    """`合` on one line and `計` on the next (a two-line label cell), the amounts beside
    either half: the printed total, neither a line of the last item's name nor an item."""
    text = sheet_text("2021-23")
    variant = mutate(text, "\t計\t23\t483", printed)
    assert items(variant) == items(text) and totals(variant) == totals(text)


@pytest.mark.parametrize("printed", ["\t合\n\t\t23\t483\n\t計", "\t合\n\t23\t483\n\t計", "\t合\t\t\t\n\t\t23\t483\n\t計\t\t\t"],
                         ids=["under-amount-columns", "collapsed", "trailing-tabs"])
def test_a_total_label_split_around_its_amounts_is_the_total(printed):
    """`合` on the line above amounts printed without a name and `計` on the line below
    them (a two-line label cell whose amounts the export put on a line between its two
    lines): the printed total, not an item named `合`."""
    text = sheet_text("2021-23")
    variant = mutate(text, "\t計\t23\t483", printed)
    assert items(variant) == items(text) and totals(variant) == totals(text)
    assert parse(variant).issues == parse(text).issues


def test_a_subtotal_label_split_over_two_lines_is_no_item():
    """`小` / `計` split the same way: a 小計, skipped like one printed on one line."""
    text = sheet_text("2021-23")
    one_line = mutate(text, "\t諸謝金\t4.3\t91", "\t諸謝金\t4.3\t91\n\t小計\t23\t483")
    split = mutate(text, "\t諸謝金\t4.3\t91", "\t諸謝金\t4.3\t91\n\t小\n\t計\t23\t483")
    around = mutate(text, "\t諸謝金\t4.3\t91", "\t諸謝金\t4.3\t91\n\t小\n\t\t23\t483\n\t計")  # the amounts between the halves
    assert items(split) == items(around) == items(one_line) == items(text)
    assert totals(split) == totals(around) == totals(one_line) == totals(text)


# --- a (項) printed on a line of its own above its (目) items ---------------------------

def marked(*lines: str) -> str:
    """The 2021-23 fixture with its three item rows printed as `lines`."""
    fixture = sheet_text("2021-23").split("\n")
    at = next(k for k, line in enumerate(fixture) if line.startswith("\t庁費\t12.8"))
    assert fixture[at + 2].startswith("\t諸謝金\t4.3")
    return "\n".join(fixture[:at] + list(lines) + fixture[at + 3:])


@pytest.mark.parametrize("second", [["\t(目)職員旅費\t5.9\t125"], ["\t(目)職員旅費", "\t\t5.9\t125"]],
                         ids=["item-row", "name-above-amounts"])
def test_a_section_line_between_items_starts_the_items_below_it(second):
    """`(項)…` on a line of its own above `(目)…` items: the 項 of the items below it (named
    項／目 as with a 項 column), neither the rest of the name above nor part of the next."""
    text = marked("\t(項)運営費", "\t(目)庁費\t12.8\t267\t事業の拡充による増", "\t(項)共通費", *second, "\t(目)諸謝金\t4.3\t91")
    assert {(r[0], r[1]) for r in items(text)} == {
        (1, "(項)運営費／(目)庁費"), (2, "(項)共通費／(目)職員旅費"), (3, "(項)共通費／(目)諸謝金")}
    assert totals(text) == totals(sheet_text("2021-23"))
