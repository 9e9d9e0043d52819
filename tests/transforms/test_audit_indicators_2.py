"""Printed variants of the indicator blocks found by a second audit of empty cells (a
cell merged over two columns, printed uncollapsed) inserted at each position of each
indicator line of the form fixtures: each case is a small edit of a fixture that must
parse to the fixture's own rows."""

from __future__ import annotations

import pytest

from tests.transforms.variants import indicator_rows, mutate, sheet_text, with_gap


TARGETS_HEADER_2019 = "<b>中間目標</b>\t<b>目標最終年度</b>"
TARGET_YEARS_2019 = "\t- 年度\t32 年度"
TARGETS_HEADER_2020 = TARGETS_HEADER_2019
TARGET_YEARS_2020 = "\t- 年度\t3 年度"


@pytest.mark.parametrize("family, line, before", [
    ("2018-19", TARGETS_HEADER_2019, 1), ("2018-19", TARGET_YEARS_2019, 2),
    ("2020", TARGETS_HEADER_2020, 1), ("2020", TARGET_YEARS_2020, 2),
], ids=["2019-header", "2019-years", "2020-header", "2020-years"])
def test_empty_cell_before_the_final_target(family, line, before):
    """`中間目標 | | 目標最終年度` over `- 年度 | 32 年度` (or the reverse): the row of target
    years gives each target column its year (the final target had none)."""
    text = sheet_text(family)
    variant = mutate(text, line, with_gap(line, before))
    assert indicator_rows(variant) == indicator_rows(text)


ACTUAL_2010 = "\t成果実績\t回\t0\t1\t1\t"
ACHIEVEMENT_2010 = "\t達成度\t%\t0\t100\t100\t"
ACTUAL_2012 = "\t成果実績\t点\t100\t100\t-\t"
ACHIEVEMENT_2012 = "\t達成度\t%\t100\t100\t-\t"


@pytest.mark.parametrize("family, line, before", [
    ("2010", ACTUAL_2010, 3), ("2010", ACTUAL_2010, 4), ("2010", ACTUAL_2010, 5),
    ("2010", ACHIEVEMENT_2010, 3), ("2010", ACHIEVEMENT_2010, 5),
    ("2012-13", ACTUAL_2012, 3), ("2012-13", ACTUAL_2012, 4), ("2012-13", ACHIEVEMENT_2012, 5),
], ids=["2010-actual-1st", "2010-actual-2nd", "2010-actual-3rd", "2010-achievement-1st", "2010-achievement-3rd",
        "2012-actual-1st", "2012-actual-2nd", "2012-achievement-3rd"])
def test_old_form_row_with_an_empty_cell_among_its_values(family, line, before):
    """`成果実績 | 回 | 0 | | 1 | 1 |` under `19年度 | 20年度 | 21年度 | 目標値(23年度)`: an
    actual or 達成度 row leaves the target column blank, so its values end under the
    last year (they were read one column right, the last one as the final target)."""
    text = sheet_text(family)
    variant = mutate(text, line, with_gap(line, before))
    assert indicator_rows(variant) == indicator_rows(text)


@pytest.mark.parametrize("family, line", [
    ("2010", ACTUAL_2010), ("2010", ACHIEVEMENT_2010), ("2012-13", ACTUAL_2012), ("2012-13", ACHIEVEMENT_2012),
], ids=["2010-actual", "2010-achievement", "2012-actual", "2012-achievement"])
def test_old_form_row_with_an_empty_cell_before_its_unit(family, line):
    """`成果実績 | | 回 | 0 | 1 | 1 |` (the label's cell merged over two columns): the unit
    is read as the unit, not as the first year's value."""
    text = sheet_text(family)
    variant = mutate(text, line, with_gap(line, 2))
    assert indicator_rows(variant) == indicator_rows(text)


ACTIVITY_2012 = "\t活動実績 (当初見込み)\t件\t1 (1)\t1 (1)\t1 (1)\t- (1)\t"


@pytest.mark.parametrize("before", [3, 4, 5, 6], ids=["1st", "2nd", "3rd", "outlook"])
def test_actual_and_planned_row_with_an_empty_cell(before):
    """平成24's `活動実績 (当初見込み) | 件 | 1 (1) | | 1 (1) | 1 (1) | - (1) |`: its pairs of
    actual and planned values count as values, the row's last one beyond the header's
    last column tells the merged cell (the values were read one column right, the
    outlook's lost)."""
    text = sheet_text("2012-13")
    variant = mutate(text, ACTIVITY_2012, with_gap(ACTIVITY_2012, before))
    assert indicator_rows(variant) == indicator_rows(text)


POLICY_HEADER_2020 = ("\t測定指標\t民泊制度運営システムの利用者数(住宅宿泊事業者)(施策全体)\t\t\t\t\t単位\t平成29年度\t30年度"
                      "\t令和元年度\t中間目標 -年度\t目標年度 3年度\t")
POLICY_ACTUAL_2020 = "\t\t実績値\t\t\t\t人\t-\t15,254\t18,068\t-\t-\t"
POLICY_TARGET_2020 = "\t\t目標値\t\t\t\t人\t-\t-\t20,000\t-\t40,000\t"


@pytest.mark.parametrize("line, before", [
    (POLICY_HEADER_2020, 8), (POLICY_HEADER_2020, 10), (POLICY_HEADER_2020, 12),
    (POLICY_ACTUAL_2020, 7), (POLICY_ACTUAL_2020, 9), (POLICY_ACTUAL_2020, 11),
    (POLICY_TARGET_2020, 8), (POLICY_TARGET_2020, 11),
], ids=["header-unit", "header-2nd", "header-final", "actual-unit", "actual-2nd", "actual-final",
        "target-1st", "target-final"])
def test_policy_table_with_an_empty_cell_among_its_columns(line, before):
    """The policy table's `実績値 | | | | 人 | - | | 15,254 …` (its label's cell merged over
    several columns, and a value cell over two), or its header's `単位 | | 平成29年度 …`:
    the row is read from its unit cell, the first after its label (values were read one
    column off and the unit lost)."""
    text = sheet_text("2020")
    variant = mutate(text, line, with_gap(line, before))
    assert indicator_rows(variant) == indicator_rows(text)


OUTCOME_HEADER_2021 = ("<b>成果目標及び成果実績(アウトカム)</b>\t<b>定量的な成果目標</b>\t<b>成果指標</b>\t\t<b>単位</b>"
                       "\t令和元年度")
OUTCOME_ROW_2021 = ("\t各種事態発生時に必要な通信機器等により、統幕の対処能力を確保する。"
                    "\t統合幕僚監部が行う指揮通信、情報収集能力等の整備により、対処能力を保持した日数\t成果実績")
ACTIVITY_HEADER_2021 = "<b>活動指標及び活動実績(アウトプット)</b>\t<b>活動指標</b>\t\t<b>単位</b>"
ACTIVITY_ROW_2021 = "\t統合幕僚監部の任務遂行に必要な通信機器等の調達件数\t活動実績"
COST_HEADER_2021 = "<b>単位当たりコスト</b>\t<b>算出根拠</b>\t\t<b>単位</b>"


@pytest.mark.parametrize("line, before", [
    (OUTCOME_HEADER_2021, 2), (OUTCOME_HEADER_2021, 3), (OUTCOME_ROW_2021, 2), (OUTCOME_ROW_2021, 3),
    (ACTIVITY_HEADER_2021, 2), (ACTIVITY_ROW_2021, 2), (COST_HEADER_2021, 2),
], ids=["outcome-header-goal", "outcome-header-name", "outcome-row-goal", "outcome-row-name", "activity-header",
        "activity-row", "cost-header"])
def test_empty_cell_among_the_name_and_goal_columns(line, before):
    """`定量的な成果目標 | | 成果指標 | | 単位` over rows that merge no cell, or a row
    `| goal | | name | 成果実績` under the usual header: the goal and the name are read from
    their own columns (the goal was lost or took the name, the activity's name was lost)."""
    text = sheet_text("2021-23")
    variant = mutate(text, line, with_gap(line, before))
    assert indicator_rows(variant) == indicator_rows(text)
