"""Printed variants of the lower half of the form found by an audit of COLLAPSED merged
cells: an export that drops the empty part of a cell merged over two columns, so that the
cells right of it stand one column left of their header's (the opposite of the empty cell
a merged cell adds).  Each case is a small edit of a form fixture that must parse to the
fixture's own rows, or report what it cannot read."""

from __future__ import annotations

import pytest

from tests.transforms.variants import mutate, parse_sheet, sheet_text


def rows_of(text: str, *tables: str) -> dict[str, list[dict]]:
    """The rows of `tables`, without the columns an edit of the layout may change."""
    parsed = parse_sheet(text)
    return {table: [{k: v for k, v in row.items() if k not in ("project_key", "raw_text")}
                    for row in parsed.tables[table]] for table in tables}


EXPENSE_TOTALS = {"2020": "計\t\t114\t計\t\t74", "2021-23": "計\t\t7\t計\t\t46.1", "2010": "計\t\t0.1\t計\t\t0.7"}


@pytest.mark.parametrize("family", sorted(EXPENSE_TOTALS))
@pytest.mark.parametrize("collapse", [
    lambda cells: cells[:1] + cells[2:],  # block A's 計 merged over 費目 and 用途
    lambda cells: cells[:4] + cells[5:],  # block B's
    lambda cells: [c for c in cells if c],  # both
])
def test_an_expense_total_row_whose_label_is_merged_over_two_columns(family, collapse):
    """`計 | 114 | 計 | 74`: each block's 計 takes the amount printed after it."""
    text = sheet_text(family)
    printed = EXPENSE_TOTALS[family]
    edited = mutate(text, printed, "\t".join(collapse(printed.split("\t"))))
    assert rows_of(edited, "expense", "printed_total") == rows_of(text, "expense", "printed_total")


def test_an_expense_table_whose_total_label_and_titles_are_merged_over_two_columns():
    """The block titles' row collapsed the same way (`A. | | B. | |`)."""
    text = sheet_text("2020")
    edited = mutate(mutate(text, "A.\t\t\tB.\t\t", "A.\t\tB.\t\t"), "計\t\t114\t計\t\t74", "計\t114\t計\t\t74")
    assert rows_of(edited, "expense", "printed_total") == rows_of(text, "expense", "printed_total")


@pytest.mark.parametrize("family, printed, collapsed", [
    ("2016", "コンソーシアム\t\t環境負荷", "コンソーシアム\t環境負荷"),
    ("2021-23", "職員旅費(職員A)\t\t検査", "職員旅費(職員A)\t検査"),
    ("2021-23", "0.02\t\t-", "0.02\t-"),  # (its empty 契約方式等 merged into the amount: read as before)
])
def test_a_payee_whose_name_is_merged_over_its_empty_corporate_number(family, printed, collapsed):
    """A payee without 法人番号 (a person, staff, a consortium) whose name cell spans the
    empty 法人番号 column: its 業務概要, amount … stand one column left of their header's."""
    text = sheet_text(family)
    edited = mutate(text, printed, collapsed)
    assert rows_of(edited, "recipient", "printed_total") == rows_of(text, "recipient", "printed_total")


PLAIN_HEADER = "所管府省名\t事業番号\t事業名\t\t\t\t\t\t\n"


def related_of(rows: str) -> list[tuple]:
    """The related_project rows of the 2020 fixture with `rows` under its plain 関連事業 header."""
    parsed = parse_sheet(mutate(sheet_text("2020"), PLAIN_HEADER, PLAIN_HEADER + rows))
    return [(r["related_ministry"], r["related_project_number"], r["related_project_name"], r["relation"])
            for r in parsed.tables["related_project"]]


@pytest.mark.parametrize("rows", [
    "文部科学省\t0123\t学校安全事業\n総務省\t消防団事業\n",  # (the ministry's cell merged over the empty number)
    "文部科学省\t0123\t学校安全事業\n総務省\t消防団事業\t\t\n",
])
def test_a_related_project_whose_ministry_is_merged_over_its_empty_number(rows):
    assert related_of(rows) == [("文部科学省", "0123", "学校安全事業", None), ("総務省", None, "消防団事業", None)]


def test_a_related_project_whose_ministry_is_merged_over_its_empty_number_keeps_its_role_sharing():
    rows = "文部科学省\t0123\t学校安全事業\t安全教育を担う\n総務省\t消防団事業\t消防団の充実を担う\n"
    assert related_of(rows) == [("文部科学省", "0123", "学校安全事業", "安全教育を担う"),
                                ("総務省", None, "消防団事業", "消防団の充実を担う")]


UNRATED_2020 = "\t受益者との負担関係は妥当であるか。\t○\t"


@pytest.mark.parametrize("printed", [
    "\t受益者との負担関係は妥当であるか。\t\t",  # the rating left blank
    "\t受益者との負担関係は妥当であるか。\t",  # ... its empty cell merged into the question's and dropped
])
def test_a_question_left_unrated_keeps_its_explanation_and_its_own_row(printed):
    """Not the first line of the next question: the explanation would be lost, the two
    questions joined."""
    text = sheet_text("2020")
    expected = rows_of(text, "assessment")["assessment"]
    expected[6]["rating"] = None
    assert rows_of(mutate(text, UNRATED_2020, printed), "assessment")["assessment"] == expected


@pytest.mark.parametrize("printed", [
    "受益者との負担関係は妥当であるか。\t\t",  # (the empty category cell dropped too)
    "受益者との負担関係は妥当であるか。\t",
])
def test_a_question_left_unrated_in_a_row_one_column_left(printed):
    text = sheet_text("2020")
    expected = rows_of(text, "assessment")["assessment"]
    expected[6]["rating"] = None
    assert rows_of(mutate(text, UNRATED_2020, printed), "assessment")["assessment"] == expected


def test_the_last_lines_of_a_question_and_its_explanation_split_over_two_rows_still_continue_them():
    """`| 受益者との | ○ | 国が主体となって…` / `| 負担関係は妥当であるか。 | | 続き。`: no unrated question."""
    text = sheet_text("2020")
    split = mutate(text, UNRATED_2020 + "国が主体となって実施すべき事業であり、国が責任をもって行う必要がある。",
                   "\t受益者との\t○\t国が主体となって実施すべき事業であり、\n\t負担関係は妥当であるか。\t\t国が責任をもって行う必要がある。")
    expected = rows_of(text, "assessment")["assessment"]
    expected[6]["explanation"] = "国が主体となって実施すべき事業であり、\n国が責任をもって行う必要がある。"
    assert rows_of(split, "assessment")["assessment"] == expected
