"""Printed variants of the title and the basic-information block (事業名 … 実施方法) that
real sheets of 2010-2023 plausibly contain: each must give the stated project columns.

Found by probing transforms.sections.header with mutations of the form fixtures; every
case here failed before its fix (a value missing, cut short or read as another year).
"""

from __future__ import annotations

import pytest

from tests.transforms.variants import mutate, sheet_text
from transforms.sources.text_sheet import parse_bytes


def project(text: str) -> dict:
    return parse_bytes(text.encode("utf-8"), "variant.txt").project


@pytest.mark.parametrize("old, new, column", [
    ("<b>担当部局庁</b>", "<b>担当部局庁名</b>", "bureau"),
    ("<b>担当部局庁</b>", "<b>担当部局・庁</b>", "bureau"),
    ("<b>担当課室</b>", "<b>担当課・室</b>", "division"),
    ("<b>作成責任者</b>", "<b>作成責任者名</b>", "responsible_official"),
    ("<b>根拠法令(具体的な条項も記載)</b>", "<b>根拠法令等</b>", "legal_basis"),
    ("<b>関係する計画、通知等</b>", "<b>関係する計画、通知</b>", "related_plans"),
    ("<b>関係する計画、通知等</b>", "<b>関係する計画通知等</b>", "related_plans"),
    ("<b>主要政策・施策</b>", "<b>主要政策</b>", "main_policy"),
    ("<b>事業の目的(目指す姿を簡潔に。3行程度以内)</b>", "<b>事業目的</b>", "purpose"),
    ("<b>事業概要(5行程度以内。別添可)</b>", "<b>事業の概要</b>", "overview"),
    ("<b>実施方法</b>", "<b>事業の実施方法</b>", "implementation_method"),
])
def test_a_basic_information_label_worded_otherwise(old, new, column):
    text = sheet_text("2020")
    variant = parse_bytes(mutate(text, old, new).encode("utf-8"), "variant.txt")
    assert variant.project[column] == project(text)[column]
    assert not [i for i in variant.issues if i.check_name == "unknown_label"]


@pytest.mark.parametrize("family, old, new, column, value", [
    # a job title and a name in two cells (below the label, or beside it)
    ("2020", "観光産業課\t\t課長 多田 浩人", "観光産業課\t\t課長\t多田 浩人", "responsible_official", "課長\n多田 浩人"),
    ("2014", "総務課長<br>渡部 康人", "総務課長\t渡部 康人", "responsible_official", "総務課長\n渡部 康人"),
    # the ministry and the bureau, two accounts, two laws, two paragraphs in cells of their own
    ("2020", "\t観光庁\t\t<b>作成", "\t国土交通省\t観光庁\t<b>作成", "bureau", "国土交通省\n観光庁"),
    ("2020", "<b>会計区分</b>\t一般会計", "<b>会計区分</b>\t一般会計\tエネルギー対策特別会計", "account_type",
     "一般会計\nエネルギー対策特別会計"),
    ("2020", "国土交通省設置法第4条\t", "国土交通省設置法第4条\t住宅宿泊事業法\t", "legal_basis", "国土交通省設置法第4条\n住宅宿泊事業法"),
    ("2020", "普及を目指す。\t", "普及を\t目指す。\t", "purpose",
     "平成30年6月15日に施行された住宅宿泊事業法の適正な運営を確保することにより、健全な民泊サービスの普及を\n目指す。"),
])
def test_a_value_spread_over_the_cells_of_its_row(family, old, new, column, value):
    text = sheet_text(family)
    variant = project(mutate(text, old, new))
    assert variant[column] == value
    assert {k: v for k, v in variant.items() if k not in (column, "project_key", "project_id", "source_sha256")} == \
        {k: v for k, v in project(text).items() if k not in (column, "project_key", "project_id", "source_sha256")}


def test_a_name_continued_on_a_row_of_its_own_leaves_the_official_below_his_label():
    """2018-2023 print 作成責任者's value on the row below its label; a 事業名 whose second line
    the export put on a row of its own pushes that row one further down."""
    first = "<b>事業名</b>\t健全な民泊サービスの普及\t\t\t<b>担当部局庁</b>\t観光庁\t\t<b>作成責任者</b>\t\t\n"
    variant = project(mutate(sheet_text("2020"), first, first + "\t(民泊制度の運営)\n"))
    assert variant["project_name"] == "健全な民泊サービスの普及\n(民泊制度の運営)"
    assert variant["responsible_official"] == "課長 多田 浩人"


@pytest.mark.parametrize("start, end, years", [
    ("2005", "2025", (2005, 2025)),  # Gregorian years without 年度
    ("H17", "R5", (2005, 2023)),  # era letters without 年度
    ("平成17", "令和5", (2005, 2023)),  # era years without 年度
    ("17年度", "終了予定なし", (2005, None)),  # no era: a start is no year after the request year
])
def test_start_and_end_cells_printed_without_nendo_or_without_era(start, end, years):
    text = mutate(sheet_text("2020"), "<b>事業開始年度</b>\t平成29年度\t<b>事業終了(予定)年度</b>\t終了予定なし",
                  f"<b>事業開始年度</b>\t{start}\t<b>事業終了(予定)年度</b>\t{end}")
    variant = project(text)
    assert (variant["start_fiscal_year"], variant["end_fiscal_year"]) == years


def test_the_start_end_text_keeps_an_end_printed_without_nendo():
    text = mutate(sheet_text("2020"), "<b>事業終了(予定)年度</b>\t終了予定なし", "<b>事業終了(予定)年度</b>\t2025")
    assert project(text)["start_end_text"] == "平成29年度 / 2025"



@pytest.mark.parametrize("title", ["国土交通省　令和2年度行政事業レビューシート", "令和2年度行政事業レビューシート\t府省庁名:国土交通省"])
def test_a_ministry_printed_before_the_title_words_or_labelled(title):
    text = mutate(sheet_text("2020"), "令和2年度行政事業レビューシート ( 国土交通省 )", title)
    assert project(text)["ministry"] == "国土交通省"


def test_a_title_without_ministry_takes_the_one_the_bureau_names():
    """No ministry on the title line: 担当部局庁 printed with its ministry names it."""
    text = mutate(sheet_text("2010"), "行政事業レビューシート (外務省)\n", "行政事業レビューシート\n")
    text = mutate(text, "<b>担当部局庁</b>\tアジア大洋州局", "<b>担当部局庁</b>\t外務省アジア大洋州局")
    assert project(text)["ministry"] == "外務省"



@pytest.mark.parametrize("printed, account, method", [
    ("◎{} ○{}", "一般会計", "■直接実施 □委託・請負"),  # ◎ the chosen one among ○
    ("□{} ▣{}", "特別会計", "□直接実施 ■委託・請負"),
    ("〇{} ●{}", "特別会計", "□直接実施 ■委託・請負"),  # 〇 (the kanji zero) typed for ○
])
def test_checkboxes_ticked_with_other_marks(printed, account, method):
    text = mutate(sheet_text("2020"), "<b>会計区分</b>\t一般会計", "<b>会計区分</b>\t" + printed.format("一般会計", "特別会計"))
    text = mutate(text, "<b>実施方法</b>\t委託・請負", "<b>実施方法</b>\t" + printed.format("直接実施", "委託・請負"))
    variant = project(text)
    assert (variant["account_type"], variant["implementation_method"]) == (account, method)
