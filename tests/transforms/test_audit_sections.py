"""Printed variants of the 点検 table, the lineage table, the title and the 予算内訳 found
by an audit of those sections: each case is a small edit of a form fixture that must
parse to the fixture's own rows."""

from __future__ import annotations

import pytest

from tests.transforms.variants import mutate, parse_sheet, sheet_text

QUESTION_2020 = "\t地方自治体、民間等に委ねることができない事業なのか。"
RATED_2020 = QUESTION_2020 + "\t○\t事業の実施に当たっては、必要最小限の経費で効率的な執行に努めている。"


def _rows(text: str, table: str) -> list[dict]:
    return [{k: v for k, v in row.items() if k != "project_key"} for row in parse_sheet(text).tables[table]]


@pytest.mark.parametrize("family", ["2010", "2020"])
@pytest.mark.parametrize("printed", ["国費投入の必要性(注)", "国費投入の必要性 (※1)", "国費投入の必要性【必須】"])
def test_a_category_printed_with_a_note_is_stored_as_the_contracts_category(family, printed):
    """A category the parser knows by its label key (its note dropped) is stored under the
    contract's name: the printed text is outside the column's domain and would block the sheet."""
    text = sheet_text(family)
    assert _rows(mutate(text, "国費投入の必要性\t", printed + "\t"), "assessment") == _rows(text, "assessment")


def test_an_explanation_after_the_empty_cell_of_a_merged_rating_is_kept():
    """A rating cell merged over two columns, exported as the rating and an empty cell."""
    text = sheet_text("2020")
    shifted = mutate(text, RATED_2020, RATED_2020.replace("\t○\t", "\t○\t\t"))
    assert _rows(shifted, "assessment") == _rows(text, "assessment")


@pytest.mark.parametrize("family, question", [
    ("2020", QUESTION_2020),
    ("2010", "\t地方自治体、民間等に委ねることができない事業なのか。"),
    ("2014", "\t競争性のない随意契約となったものはないか。"),
])
def test_a_rating_on_the_row_below_its_question_is_that_questions(family, question):
    """A question cell merged over two rows exported with the question on the upper row and
    its rating and explanation on the lower one, under an empty question cell."""
    text = sheet_text(family)
    below = mutate(text, question + "\t", question + "\n\t\t")
    assert _rows(below, "assessment") == _rows(text, "assessment")


TITLE_2014 = "平成26年行政事業レビューシート ( 財務省 )"


@pytest.mark.parametrize("printed", [
    "財務省\t平成26年行政事業レビューシート",  # the ministry in a cell of its own before the title
    "( 財務省 )\t平成26年行政事業レビューシート",
    "平成26年\t行政事業レビューシート ( 財務省 )",  # the year in a cell of its own
    "平成26年\n行政事業レビューシート ( 財務省 )",  # ... on the row above (a two-line title cell)
    "行政事業レビューシート ( 財務省 )\t平成26年",
])
def test_a_title_split_over_cells_keeps_its_ministry_and_year(printed):
    from tests.transforms.test_audit_lineage_title import assert_title_read

    assert_title_read(printed, "2014", TITLE_2014, (2014, "財務省"))


@pytest.mark.parametrize("printed", [
    "平成31年度\t国土交通省\n\t( 0241 )",  # a two-line cell split over two rows
    "平成31年度\t国土交通省 (\n\t0241 )",
])
def test_a_lineage_entry_naming_its_ministry_wrapped_over_two_rows(printed):
    text = sheet_text("2020")
    wrapped = mutate(text, "平成31年度\t国土交通省 ( 0241 )", printed)
    assert _rows(wrapped, "lineage") == _rows(text, "lineage")


def test_budget_item_columns_headed_by_their_years_alone():
    """`4年度` / `5年度` without 当初予算 / 要求: the year after the review year is the request."""
    text = sheet_text("2021-23")
    bare = mutate(text, "<b>4年度当初予算</b>\t<b>5年度要求</b>", "<b>4年度</b>\t<b>5年度</b>")
    for table in ("budget_item", "printed_total"):
        assert _rows(bare, table) == _rows(text, table)
