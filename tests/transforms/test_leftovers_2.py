"""Printed variants the parser still misread (leftovers, second round): each variant of
a form fixture must parse to the stated rows."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.transforms.variants import mutate, sheet_text
from tests.transforms.variants import parse_sheet as parse


# --- lineage: one number of one year under two ministries ----------------------------

def test_a_lineage_number_of_two_ministries_in_one_year_keeps_both_entries():
    """`内閣官房(12)、復興庁(12)`: two past sheets that share a number, not one sheet twice."""
    text = mutate(sheet_text("2020"), "平成31年度\t国土交通省 ( 0241 )", "平成31年度\t内閣官房(12)、復興庁(12)")
    lineage = [(r["past_review_year"], r["past_ministry"], r["past_project_number"])
               for r in parse(text).tables["lineage"]]
    assert lineage == [(2017, None, "0243"), (2018, None, "0239"), (2019, "内閣官房", "12"), (2019, "復興庁", "12")]
    assert not [i for i in parse(text).issues if i.check_name == "duplicate_key"]


# --- execution rate: a footnote mark before the rate -----------------------------------

RATE_ROW_2020 = "\t執行率(%)\t\t77.1%\t100%\t103.9%\t91.7%\t"


@pytest.mark.parametrize("printed", ["※1 91.7%", "※91.7%", "※ 91.7%", "※2 91.7"])
def test_a_rate_with_a_footnote_mark_before_it_is_read_like_an_amount(printed):
    """`※1 91.7%`: note 1, rate 91.7 % (the amounts' rule: `※1 8,068` is 8,068)."""
    text = sheet_text("2020")
    variant = mutate(text, RATE_ROW_2020, RATE_ROW_2020.replace("91.7%", printed))
    rates = {(r["fiscal_year"], r["basis"]): (r["rate"], r["raw_text"]) for r in parse(variant).tables["execution_rate"]}
    assert rates[(2020, "total")] == (Decimal("0.917"), printed)
    original = {(r["fiscal_year"], r["basis"]): r["rate"] for r in parse(text).tables["execution_rate"]}
    assert {key: rate for key, (rate, _) in rates.items()} == original


def test_a_footnote_reference_alone_in_a_rate_cell_is_no_rate():
    variant = mutate(sheet_text("2020"), RATE_ROW_2020, RATE_ROW_2020.replace("91.7%", "※1"))
    rates = {(r["fiscal_year"], r["basis"]): r for r in parse(variant).tables["execution_rate"]}
    assert rates[(2020, "total")]["rate"] is None and rates[(2020, "total")]["raw_text"] == "※1"


# --- free text that opens with ○ is no checkbox ----------------------------------------

PURPOSE_2020 = "平成30年6月15日に施行された住宅宿泊事業法の適正な運営を確保することにより、健全な民泊サービスの普及を目指す。"


def test_free_text_cells_that_open_with_a_circle_keep_their_lines():
    """`事業の目的 ⇥ ○A ⇥ ○B`: two lines of text with bullets, not boxes joined by a space."""
    text = mutate(sheet_text("2020"), PURPOSE_2020, "○住宅宿泊事業法の適正な運営を確保する。\t○健全な民泊サービスの普及を目指す。")
    assert parse(text).project["purpose"] == "○住宅宿泊事業法の適正な運営を確保する。\n○健全な民泊サービスの普及を目指す。"


def test_checkbox_cells_one_box_per_cell_are_still_one_line():
    text = mutate(sheet_text("2020"), "<b>実施方法</b>\t委託・請負", "<b>実施方法</b>\t□直接実施\t■委託・請負\t□補助")
    assert parse(text).project["implementation_method"] == "□直接実施 ■委託・請負 □補助"


# --- checkboxes ticked with レ, or with ✓ / ✔ after the choice -------------------------

@pytest.mark.parametrize("printed, account, method", [
    ("[レ]{} [ ]{}", "一般会計", "■直接実施 □委託・請負"),
    ("(レ){} ( ){}", "一般会計", "■直接実施 □委託・請負"),
    ("( ){} (レ){}", "特別会計", "□直接実施 ■委託・請負"),
    ("（レ）{} （　）{}", "一般会計", "■直接実施 □委託・請負"),  # full width, NFKC
    ("[レ]{}\t[ ]{}", "一般会計", "■直接実施 □委託・請負"),  # one box per cell
    ("□{} レ{}", "特別会計", "□直接実施 ■委託・請負"),
    ("レ {} □{}", "一般会計", "■直接実施 □委託・請負"),
    ("{}✓ {}", "一般会計", "■直接実施 □委託・請負"),
    ("{} {}✔", "特別会計", "□直接実施 ■委託・請負"),
    ("{}\t{}✔", "特別会計", "□直接実施 ■委託・請負"),  # one choice per cell
    ("{}✓、{}", "一般会計", "■直接実施 □委託・請負"),
], ids=["[レ]", "(レ)", "(レ)-second", "full-width", "[レ]-cells", "レ", "レ-space", "✓-after", "✔-after",
        "✔-cells", "✓-comma"])
def test_checkboxes_ticked_with_re_or_a_check_after_the_choice(printed, account, method):
    text = mutate(sheet_text("2020"), "<b>会計区分</b>\t一般会計", "<b>会計区分</b>\t" + printed.format("一般会計", "特別会計"))
    text = mutate(text, "<b>実施方法</b>\t委託・請負", "<b>実施方法</b>\t" + printed.format("直接実施", "委託・請負"))
    variant = parse(text).project
    assert (variant["account_type"], variant["implementation_method"]) == (account, method)


def test_a_special_account_ticked_after_its_name_keeps_its_bracket():
    text = mutate(sheet_text("2020"), "<b>会計区分</b>\t一般会計",
                  "<b>会計区分</b>\t一般会計 特別会計(エネルギー対策特別会計 電源開発促進勘定)✓")
    assert parse(text).project["account_type"] == "特別会計(エネルギー対策特別会計 電源開発促進勘定)"


# --- 予算内訳: the first item's name on a line of its own ------------------------------

ITEM_ROW_2020 = "\t委託費\t194\t153\t事業の見直しによる減\t\t\t\t\t\n"


def budget_items(text: str) -> list[tuple]:
    return [(r["item_no"], r["item_name"], r["fiscal_year"], r["is_request"], r["amount_million_yen"], r["change_reason"])
            for r in parse(text).tables["budget_item"]]


@pytest.mark.parametrize("printed, name", [
    ("\t委託費\n\t\t194\t153\t事業の見直しによる減\t\t\t\t\t\n", "委託費"),
    ("\t委託費\t\t\t\t\t\t\t\t\n\t\t194\t153\t事業の見直しによる減\t\t\t\t\t\n", "委託費"),
    ("\t委託費\n\t(民泊制度)\n\t\t194\t153\t事業の見直しによる減\n", "委託費\n(民泊制度)"),
    ("\t委託費\n\t194\t153\t事業の見直しによる減\n", "委託費"),  # the empty name cell collapsed
], ids=["name-line", "name-line-tabs", "two-name-lines", "collapsed"])
def test_the_first_budget_item_named_on_the_line_above_its_amounts_keeps_its_name(printed, name):
    text = sheet_text("2020")
    variant = mutate(text, ITEM_ROW_2020, printed)
    expected = [(1, name, 2020, False, Decimal("194"), "事業の見直しによる減"),
                (1, name, 2021, True, Decimal("153"), "事業の見直しによる減")]
    assert budget_items(variant) == expected
    assert [row[2:] for row in budget_items(text)] == [row[2:] for row in expected]


def test_a_second_name_line_under_an_item_with_amounts_still_continues_its_name():
    variant = mutate(sheet_text("2020"), ITEM_ROW_2020, "\t委託費\t194\t153\t事業の見直しによる減\n\t(民泊制度)\n")
    assert {row[1] for row in budget_items(variant)} == {"委託費\n(民泊制度)"}


# --- a title naming a ministry and its agency ------------------------------------------

TITLE_2020 = "令和2年度行政事業レビューシート ( 国土交通省 )"


@pytest.mark.parametrize("title", [
    "令和2年度行政事業レビューシート （国土交通省　観光庁）",
    "令和2年度行政事業レビューシート (国土交通省 観光庁)",
    "令和2年度行政事業レビューシート (国土交通省・観光庁)",
    "令和2年度行政事業レビューシート 国土交通省・観光庁",
    "令和2年度行政事業レビューシート 国土交通省　観光庁",
], ids=["bracket-ideographic-space", "bracket-space", "bracket-dot", "bare-dot", "bare-space"])
def test_a_title_naming_a_ministry_and_its_agency_is_the_ministrys_sheet(title):
    """The 府省庁 is the ministry, as the official database files 観光庁's sheets (and as the
    RS adapter reads 府省庁 `国土交通省　観光庁`); 担当部局庁 stays as printed."""
    text = sheet_text("2020")
    variant, original = parse(mutate(text, TITLE_2020, title)), parse(text)
    assert (variant.project["ministry"], variant.project["bureau"]) == ("国土交通省", "観光庁")
    assert variant.project_key == original.project_key


@pytest.mark.parametrize("title, ministry", [
    ("令和2年度行政事業レビューシート (内閣府(地方創生推進事務局))", "内閣府(地方創生推進事務局)"),
    ("令和2年度行政事業レビューシート (内閣府本府)", "内閣府本府"),
    ("令和2年度行政事業レビューシート (観光庁)", "観光庁"),
    ("令和2年度行政事業レビューシート (原子力規制委員会)", "原子力規制委員会"),
], ids=["bureau-in-brackets", "内閣府本府", "agency-alone", "commission"])
def test_titles_naming_one_body_keep_it(title, ministry):
    assert parse(mutate(sheet_text("2020"), TITLE_2020, title)).project["ministry"] == ministry
