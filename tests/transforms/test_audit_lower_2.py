"""Printed variants of the lower half of the form found by a second audit of it: lineage
grids whose numbers spread over two rows, lineage year ranges and dashes among the
numbers.  Each case is a small edit of a form fixture that must parse to the rows it
prints, or report what it cannot read."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.transforms.test_audit_lineage_title_2 import LINEAGE_2020, lineage_read
from tests.transforms.variants import mutate, parse_sheet, sheet_text

OWN = [(2017, None, "0243"), (2018, None, "0239"), (2019, "国土交通省", "0241")]  # the fixture's lineage


def lineage_of(printed: str) -> tuple[list[tuple], list[str]]:
    """The lineage rows (year, ministry, number) of the 2020 fixture with its lineage table
    printed as `printed`, and the messages of the lineage issues."""
    parsed = parse_sheet(mutate(sheet_text("2020"), LINEAGE_2020, printed))
    rows = [(r["past_review_year"], r["past_ministry"], r["past_project_number"]) for r in parsed.tables["lineage"]]
    return rows, [i.message for i in parsed.issues if i.table_name == "lineage"]


@pytest.mark.parametrize("printed", [
    "平成29年度\t平成30年度\n0243\n\t0239\n平成31年度\t国土交通省 ( 0241 )",
    "平成29年度\t平成30年度\t平成31年度\n0243\t\t国土交通省 ( 0241 )\n\t0239",
    "平成29年度\t\t平成30年度\t\t\n\t0243\n\t\t\t0239\n平成31年度\t国土交通省 ( 0241 )",  # (one column right)
])
def test_a_lineage_grid_whose_numbers_spread_over_two_rows(printed):
    """Each number stands under its year's column, on the first or the second row below."""
    lineage_read(printed)


@pytest.mark.parametrize("printed", [
    "平成29年度\t平成30年度\n0243\t0239、\n\t0240\n平成31年度\t国土交通省 ( 0241 )",
    "平成29年度\t平成30年度\n0243\t0239\n\t0240\n平成31年度\t国土交通省 ( 0241 )",
    "平成29年度\t\t平成30年度\n\t0243\t\t0239、\n\t\t\t0240\n平成31年度\t国土交通省 ( 0241 )",
])
def test_a_lineage_grid_cell_of_two_numbers_wrapped_onto_the_next_row(printed):
    rows, issues = lineage_of(printed)
    assert rows == OWN[:2] + [(2018, None, "0240"), OWN[2]] and not issues, (rows, issues)


@pytest.mark.parametrize("printed, unpaired", [
    ("平成29年度\t平成30年度\n0243\t0239\n\t\t0300\n平成31年度\t国土交通省 ( 0241 )", "0300"),  # (under no year)
    ("平成29年度\t平成30年度\n0243\t0239\n\t0300\t0301\n平成31年度\t国土交通省 ( 0241 )", "0301"),
])
def test_a_number_on_the_second_row_of_a_grid_under_no_year_is_still_reported(printed, unpaired):
    rows, issues = lineage_of(printed)
    assert OWN[:2] == rows[:2] and all(unpaired not in row for row in rows), rows
    assert any(unpaired in message for message in issues), issues


@pytest.mark.parametrize("printed", [
    "平成29年度～平成30年度\t0243\n平成31年度\t国土交通省 ( 0241 )",
    "平成29年度~平成30年度\t0243\n平成31年度\t国土交通省 ( 0241 )",
    "平成29年度-平成30年度\t0243\n平成31年度\t国土交通省 ( 0241 )",
    "平成29年度 ～ 平成30年度\t0243\n平成31年度\t国土交通省 ( 0241 )",
    "平成29～30年度\t0243\n平成31年度\t国土交通省 ( 0241 )",  # (the era printed once)
    "H29～H30\t0243\tH31\t国土交通省 ( 0241 )",
    "平成29年度～平成30年度 0243\n平成31年度 国土交通省 ( 0241 )",  # (the years and the number in one cell)
    "平成29年度～平成30年度\t平成31年度\n0243\t国土交通省 ( 0241 )",  # (a grid)
    "平成29年度～平成30年度\n0243\n平成31年度\n国土交通省 ( 0241 )",  # (down one column)
])
def test_a_lineage_year_range_beside_one_number_gives_it_each_year(printed):
    rows, issues = lineage_of(printed)
    assert rows == [(2017, None, "0243"), (2018, None, "0243"), OWN[2]] and not issues, (rows, issues)


def test_a_lineage_year_range_over_two_eras():
    rows, issues = lineage_of("平成30年度～令和元年度\t0239\n令和2年度\t国土交通省 ( 0241 )")
    assert rows == [(2018, None, "0239"), (2019, None, "0239"), (2020, "国土交通省", "0241")] and not issues


@pytest.mark.parametrize("printed", [
    "平成28年度、平成29年度、平成30年度\t-、0243、0239\n平成31年度\t国土交通省 ( 0241 )",
    "平成28年度、平成29年度、平成30年度\t―、0243、0239\n平成31年度\t国土交通省 ( 0241 )",
    "平成28年度 平成29年度 平成30年度\t- 0243 0239\n平成31年度\t国土交通省 ( 0241 )",
    "平成28年度、平成29年度\t-、0243\n平成30年度\t0239\n平成31年度\t国土交通省 ( 0241 )",
    "平成28年度\t平成29年度\t平成30年度\n-\t0243\t0239\n平成31年度\t国土交通省 ( 0241 )",  # (a grid: read before)
])
def test_a_dash_among_lineage_numbers_skips_its_year(printed):
    rows, issues = lineage_of(printed)
    assert rows == OWN and not issues, (rows, issues)


@pytest.mark.parametrize("printed", [
    "平成29年度～平成30年度\t0243、0239、0240\n平成31年度\t国土交通省 ( 0241 )",  # (3 numbers, 2 years)
    "平成28年度、平成29年度、平成30年度\t-、0243\n平成31年度\t国土交通省 ( 0241 )",  # (2 numbers and a dash, 3 years)
])
def test_lineage_years_beside_other_count_of_numbers_are_still_reported(printed):
    rows, issues = lineage_of(printed)
    assert rows == OWN[2:] and any("0243" in message for message in issues), (rows, issues)


# --- 支出先上位10者リスト: a payee row past a merged cell whose last cell still fits ----------

PAYEE_ROWS = {  # (a fixture's payee row, the same payee printed without its last values)
    "2014": ("1\t株式会社京津管理\t消防設備更新\t17\t随意契約(少額)\t-\t-", [
        "1\t株式会社京津管理\t消防設備更新\t17\t随意契約(少額)\t3",  # (ending at 入札者数: a blank 落札率)
        "1\t株式会社京津管理\t消防設備更新\t17\t随意契約(少額)\t-",
        "1\t株式会社京津管理\t消防設備更新\t17\t随意契約(少額)",  # (ending at 契約方式)
    ]),
    "2020": ("1\tエヌ・ティ・ティ・コミュニケーションズ株式会社\t7010001064648\t住宅宿泊事業等制度コールセンター運営"
             "\t67\t一般競争契約(最低価格)\t1\t73.8%\t", [
                 "1\tエヌ・ティ・ティ・コミュニケーションズ株式会社\t7010001064648\t住宅宿泊事業等制度コールセンター運営"
                 "\t67\t一般競争契約(最低価格)\t1",
                 "1\tエヌ・ティ・ティ・コミュニケーションズ株式会社\t7010001064648\t住宅宿泊事業等制度コールセンター運営"
                 "\t67\t随意契約(少額)\t-",
                 "1\tエヌ・ティ・ティ・コミュニケーションズ株式会社\t7010001064648\t住宅宿泊事業等制度コールセンター運営"
                 "\t67\t随意契約(少額)",
             ]),
}
# the last value, 入札者数, moved right by a merged cell left of it still fits the 落札率 column; an
# empty cell just before that last value (a blank 入札者数, or 契約方式 merged) is left out: a
# blank 入札者数 and a 落札率 of 1 (100 %) or `-` read as printed, which cannot be told apart
PAYEE_CASES = [(family, row, position) for family, (_, rows) in PAYEE_ROWS.items() for row in rows
               for position in range(1, len(row.split("\t")) - 1)]


def _payees(text: str) -> tuple[list[dict], list[str]]:
    parsed = parse_sheet(text)
    return parsed.tables["recipient"], [i.check_name for i in parsed.issues if i.table_name == "recipient"]


@pytest.mark.parametrize("family, row, position", PAYEE_CASES,
                         ids=[f"{f}-{row.count(chr(9)) + 1}cells-{n}-{p}" for n, (f, row, p) in enumerate(PAYEE_CASES)])
def test_a_payee_row_past_a_merged_cell_ending_with_a_value_that_still_fits(family, row, position):
    """`1 | 株式会社京津管理 | | 消防設備更新 | 17 | 随意契約(少額) | 3` reads as the row
    without its empty cell (the 業務概要 was read as the 支出額, the 入札者数 as a 落札率,
    or the payee lost when the empty cell stood before its name)."""
    text = mutate(sheet_text(family), PAYEE_ROWS[family][0], row)
    cells = row.split("\t")
    variant = mutate(text, row, "\t".join(cells[:position] + [""] + cells[position:]))
    assert _payees(variant) == _payees(text)


# --- 予算内訳: three amount columns, one empty cell among them ---------------------------

HEADER_2021 = "<b>4年度当初予算</b>\t<b>5年度要求</b>\t<b>主な増減理由</b>"
ITEMS_2021 = ("\t庁費\t12.8\t267\t事業の拡充による増", "\t職員旅費\t5.9\t125", "\t諸謝金\t4.3\t91", "\t計\t23\t483")
ITEMS_3 = ("\t庁費\t10\t12.8\t267\t事業の拡充による増", "\t職員旅費\t5\t5.9\t125", "\t諸謝金\t4\t4.3\t91", "\t計\t19\t23\t483")


def _three_columns(*lines: str) -> str:
    """The 2021-23 fixture with a 3年度当初予算 column before its two, its lines printed as
    `lines` (by default with a 3年度 amount each)."""
    text = mutate(sheet_text("2021-23"), HEADER_2021, "<b>3年度当初予算</b>\t" + HEADER_2021)
    for old, new in zip(ITEMS_2021, lines or ITEMS_3):
        text = mutate(text, old, new)
    return text


def _amounts(text: str, item: str) -> tuple[list[tuple], list[str]]:
    parsed = parse_sheet(text)
    return ([(r["fiscal_year"], r["amount_million_yen"]) for r in parsed.tables["budget_item"] if r["item_name"] == item],
            [i.check_name for i in parsed.issues if i.table_name == "budget_item"])


@pytest.mark.parametrize("line", ["\t職員旅費\t5\t\t5.9", "\t職員旅費\t5\t\t5.9\t\t"])
def test_an_empty_cell_among_three_amounts_in_a_table_with_merged_cells_is_reported(line):
    """`5 | | 5.9` under three amount columns: a blank 4年度 budget, or a 3年度 cell merged
    over two columns and a blank request.  Where another line of the table stands past a
    merged cell for sure (`10 | | 12.8 | 267 | 理由`), nothing tells: reported, not loaded
    (it was read as printed)."""
    text = _three_columns("\t庁費\t10\t\t12.8\t267\t事業の拡充による増", line, *ITEMS_3[2:])
    amounts, issues = _amounts(text, "職員旅費")
    assert amounts == [] and "ambiguous_amounts" in issues, (amounts, issues)
    assert [amount for _, amount in _amounts(text, "庁費")[0]] == [10, Decimal("12.8"), 267]


def test_an_empty_cell_among_three_amounts_in_a_table_without_merged_cells_is_a_blank_amount():
    """The same line among lines printed under the header's columns: a blank 4年度 budget."""
    amounts, issues = _amounts(_three_columns(ITEMS_3[0], "\t職員旅費\t5\t\t5.9", *ITEMS_3[2:]), "職員旅費")
    assert amounts == [(2021, 5), (2023, Decimal("5.9"))] and not issues, (amounts, issues)


def test_an_empty_cell_among_three_amounts_and_a_reason_that_only_a_blank_amount_fits():
    """`5 | | 125 | 人員増`: read past a merged cell, the reason would stand under 5年度要求:
    a blank 4年度 budget, in any table."""
    text = _three_columns("\t庁費\t10\t\t12.8\t267\t事業の拡充による増", "\t職員旅費\t5\t\t125\t人員増", *ITEMS_3[2:])
    amounts, issues = _amounts(text, "職員旅費")
    assert amounts == [(2021, 5), (2023, 125)] and not issues, (amounts, issues)
