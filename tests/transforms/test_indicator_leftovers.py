"""Indicator blocks printed in ways the form fixtures do not show: stacked indicators
whose first lacks its measure row, 達成度 to the right of another row, page breaks
inside a block, one goal for two indicators, cells with a bracketed repeat, notes
under a block.  Each mutation parses to the fixture's own rows, or to the stated rows.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.conftest import SEED
from tests.transforms.test_variants import mutate, parse, sheet_text
from transforms.sources.text_sheet import parse_bytes

GOAL = "平成33年度までに民泊制度運営システムの利用者数(住宅宿泊事業者)を40,000人にする"
NAME = "民泊制度運営システムの利用者数(住宅宿泊事業者)"
ACTUAL_2020 = f"\t{GOAL}\t{NAME}\t成果実績\t人\t-\t15,254\t18,068\t-\t-"
TARGET_2020 = "\t\t\t目標値\t人\t-\t-\t20,000\t-\t40,000"
ACHIEVEMENT_2020 = "\t\t達成度\t%\t-\t-\t90.3\t-\t-\t"
PLANNED_2020 = "\t\t当初見込み\t-\t47\t150\t150\t150\t-\t"
OUTCOME_HEADER_2020 = ("\t<b>定量的な成果目標</b>\t<b>成果指標</b>\t\t<b>単位</b>\t平成29年度\t30年度\t令和元年度"
                       "\t<b>中間目標</b>\t<b>目標最終年度</b>")
ACTIVITY_HEADER = ("\t<b>活動指標</b>\t\t<b>単位</b>\t平成29年度\t30年度\t令和元年度\t<b>2年度活動見込</b>"
                   "\t<b>3年度活動見込</b>\t")
SEED_TARGET = "\t\t\t目標値\t点数\t3\t3\t3\t-\t3"
SEED_ACHIEVEMENT = "\t\t達成度\t%\t99.3\t97\t97\t-\t-\t"
SEED_PLANNED = "\t住基ネット担当者研修会(47都道府県)への参加\t当初見込み"


def indicator_rows(text: str) -> list[dict]:
    return parse_bytes(text.encode("utf-8"), "variant.txt").tables["indicator"]


def cells(text: str, kind: str) -> dict[tuple, tuple]:
    """(indicator_no, measure, period, fiscal_year) -> (value, name, goal, unit) of one kind."""
    return {(r["indicator_no"], r["measure"], r["period"], r["fiscal_year"]):
            (r["value"], r["name"], r["goal"], r["unit"]) for r in indicator_rows(text) if r["kind"] == kind}


def renumbered(found: dict[tuple, tuple], by: int) -> dict[tuple, tuple]:
    return {(no + by, *rest): value for (no, *rest), value in found.items()}


# ------------------------------------------------------------------ I1
def test_the_first_of_stacked_outcomes_without_its_actual_row():
    """The second indicator's 成果実績 row opens it: it never joins the first, which
    printed only 目標値 and 達成度 (the form prints 成果実績 first)."""
    text = sheet_text("2020")
    first = "\t目標一\t指標一\t目標値\t件\t1\t2\t3\t-\t4\n\t\t達成度\t%\t-\t-\t50\t-\t-\t"
    found = cells(mutate(text, ACTUAL_2020, f"{first}\n{ACTUAL_2020}"), "outcome")
    expected = renumbered(cells(text, "outcome"), 1)
    expected.update({
        (1, "target", "year", 2017): (Decimal(1), "指標一", "目標一", "件"),
        (1, "target", "year", 2018): (Decimal(2), "指標一", "目標一", "件"),
        (1, "target", "year", 2019): (Decimal(3), "指標一", "目標一", "件"),
        (1, "target", "interim_target", None): (None, "指標一", "目標一", "件"),
        (1, "target", "final_target", 2021): (Decimal(4), "指標一", "目標一", "件"),
        (1, "achievement", "year", 2017): (None, "指標一", "目標一", "%"),
        (1, "achievement", "year", 2018): (None, "指標一", "目標一", "%"),
        (1, "achievement", "year", 2019): (Decimal(50), "指標一", "目標一", "%"),
        (1, "achievement", "interim_target", None): (None, "指標一", "目標一", "%"),
        (1, "achievement", "final_target", 2021): (None, "指標一", "目標一", "%"),
    })
    assert found == expected


def test_the_first_of_stacked_activities_without_its_actual_row():
    text = sheet_text("2020")
    actual = "\t制度周知を行った自治体数\t活動実績"
    found = cells(mutate(text, actual, f"\t説明会の開催\t当初見込み\t回\t1\t2\t3\t4\t-\n{actual}"), "activity")
    expected = renumbered(cells(text, "activity"), 1)
    expected.update({(1, "planned", period, year): (value, "説明会の開催", None, "回") for period, year, value in [
        ("year", 2017, Decimal(1)), ("year", 2018, Decimal(2)), ("year", 2019, Decimal(3)),
        ("outlook", 2020, Decimal(4)), ("outlook", 2021, None)]})
    assert found == expected


# ------------------------------------------------------------------ I2
@pytest.mark.parametrize("family, old, new", [
    # 達成度 on the 目標値 line, right of its last value
    ("2020", f"{TARGET_2020}\n{ACHIEVEMENT_2020}", f"{TARGET_2020}\t達成度\t%\t-\t-\t90.3\t-\t-"),
    # the seed, whose 達成度 row is shifted one cell left of its 目標値 row
    ("seed", f"{SEED_TARGET}\n{SEED_ACHIEVEMENT}", f"{SEED_TARGET}\t達成度\t%\t99.3\t97\t97\t-\t-"),
    # ... on the 成果実績 line, 目標値 below
    ("2020", f"{ACTUAL_2020}\n{TARGET_2020}\n{ACHIEVEMENT_2020}",
     f"{ACTUAL_2020}\t達成度\t%\t-\t-\t90.3\t-\t-\n{TARGET_2020}"),
    # the 2018-19 layout (目標値 then 達成度 rows of the same width)
    ("2018-19", "\t\t\t目標値\t式\t1\t1\t1\t-\t1\n\t\t\t達成度\t%\t100\t100\t100\t-\t-",
     "\t\t\t目標値\t式\t1\t1\t1\t-\t1\t達成度\t%\t100\t100\t100\t-\t-"),
], ids=["after target", "seed", "after actual", "2018-19"])
def test_an_achievement_row_printed_right_of_another_row(family, old, new):
    text = SEED.read_text(encoding="utf-8") if family == "seed" else sheet_text(family)
    assert parse(mutate(text, old, new)) == parse(text)


def test_an_achievement_row_right_of_another_row_without_its_unit_cell():
    """As on a line of its own (test_indicator_variants): the values stay under their
    years and the row has no unit."""
    text = SEED.read_text(encoding="utf-8")
    variant = mutate(text, f"{SEED_TARGET}\n{SEED_ACHIEVEMENT}", f"{SEED_TARGET}\t達成度\t99.3\t97\t97\t-\t-")
    expected = {key: (value, name, goal, None if key[1] == "achievement" else unit)
                for key, (value, name, goal, unit) in cells(text, "outcome").items()}
    assert cells(variant, "outcome") == expected


# ------------------------------------------------------------------ I4-I6
@pytest.mark.parametrize("page_break", [
    ACTIVITY_HEADER,  # the header row repeated at the top of the next page
    f"<b>活動指標及び活動実績(アウトプット)</b>{ACTIVITY_HEADER}",  # ... with its heading
    f"\n\n{ACTIVITY_HEADER}\n",  # ... and blank lines around it
    "- 2 -\n" + ACTIVITY_HEADER,  # ... under a page number
], ids=["header", "heading and header", "blank lines", "page number"])
def test_a_page_break_between_the_lines_of_an_activity_name(page_break):
    """The seed's activity name spans its two rows; a header printed again between
    them leaves one indicator with both lines (the 当初見込み row opens no indicator)."""
    text = SEED.read_text(encoding="utf-8")
    assert parse(mutate(text, SEED_PLANNED, f"{page_break}\n{SEED_PLANNED}")) == parse(text)


@pytest.mark.parametrize("family, before", [
    ("2020", TARGET_2020), ("2020", ACHIEVEMENT_2020), ("2020", PLANNED_2020), ("seed", SEED_PLANNED),
], ids=["before target", "before achievement", "before planned", "seed, before planned"])
@pytest.mark.parametrize("artefact", ["2", "\t\t\t2", "12"], ids=["page number", "page number right", "two digits"])
def test_a_bare_page_number_between_the_rows_of_an_indicator(family, before, artefact):
    """A printed page's number alone on its line, without the dashes `- 2 -` (which the
    section reader drops already): no value, no new indicator."""
    text = SEED.read_text(encoding="utf-8") if family == "seed" else sheet_text(family)
    assert parse(mutate(text, before, f"{artefact}\n{before}")) == parse(text)


@pytest.mark.parametrize("family, old, page_break", [
    ("2020", TARGET_2020, f"\n令和2年度行政事業レビューシート ( 国土交通省 )\n\n{OUTCOME_HEADER_2020}\n"
                          "\t\t\t\t\t\t\t\t- 年度\t3 年度"),
    ("2020", ACHIEVEMENT_2020, f"2/3\n{OUTCOME_HEADER_2020}"),
    ("2020", PLANNED_2020, f"\n- 2 -\n令和2年度行政事業レビューシート ( 国土交通省 )\n{ACTIVITY_HEADER}"),
], ids=["title, header and target years", "page number and header", "page number, title and header"])
def test_page_break_artefacts_together_inside_a_block(family, old, page_break):
    """Guards: blank lines, `- 2 -`, the title and the header at one break."""
    text = sheet_text(family)
    assert parse(mutate(text, old, f"{page_break}\n{old}")) == parse(text)


# ------------------------------------------------------------------ I16
def test_one_goal_printed_once_for_two_stacked_outcomes():
    """A goal cell merged over the rows of two indicators prints once, on the first
    one's first row: 定量的な成果目標 is the goal of both."""
    text = sheet_text("2020")
    second = "\t\t指標二\t成果実績\t件\t1\t2\t3\t-\t-\n\t\t\t目標値\t件\t1\t2\t3\t-\t4\n\t\t達成度\t%\t100\t100\t100\t-\t-"
    rows = indicator_rows(mutate(text, ACHIEVEMENT_2020, f"{ACHIEVEMENT_2020}\n{second}"))
    assert {(r["indicator_no"], r["name"], r["goal"]) for r in rows if r["kind"] == "outcome"} == {
        (1, NAME, GOAL), (2, "指標二", GOAL)}


def test_an_outcome_under_a_header_of_its_own_keeps_its_missing_goal():
    """Guard: with a header row of its own the second indicator has a goal cell of its
    own; printed empty, it has no goal."""
    text = sheet_text("2020")
    second = (f"{OUTCOME_HEADER_2020}\n\t\t\t\t\t\t\t\t- 年度\t3 年度\n"
              "\t\t指標二\t成果実績\t件\t1\t2\t3\t-\t-\n\t\t\t目標値\t件\t1\t2\t3\t-\t4")
    rows = indicator_rows(mutate(text, ACHIEVEMENT_2020, f"{ACHIEVEMENT_2020}\n{second}"))
    assert {(r["indicator_no"], r["name"], r["goal"]) for r in rows if r["kind"] == "outcome"} == {
        (1, NAME, GOAL), (2, "指標二", None)}


# ------------------------------------------------------------------ O10
@pytest.mark.parametrize("printed, value", [
    ("1 [1]", 1), ("12 [12]", 12), ("12[12]", 12), ("１２［１２］", 12), ("47 [注1]", 47), ("1,234 [1,234]", 1234),
    ("- [1]", None), ("[1]", None),
])
def test_an_activity_cell_with_a_bracketed_repeat_or_footnote(printed, value):
    """The value is the number before the bracket; raw_text keeps the print."""
    text = mutate(sheet_text("2020"), "\t活動実績\t-\t144\t", f"\t活動実績\t-\t{printed}\t")
    row, = [r for r in indicator_rows(text)
            if r["kind"] == "activity" and r["measure"] == "actual" and r["fiscal_year"] == 2017]
    assert (row["value"], row["raw_text"]) == (None if value is None else Decimal(value), printed)


# ------------------------------------------------------------------ notes
@pytest.mark.parametrize("note", [
    "※\t47",  # the mark in a cell of its own, a number beside it
    "(注)\t1\t件",
    "※参考\t人\t10\t20\t30",  # a note that reads like a row of values
    "(注)成果実績\t人\t10",  # a note that starts with a measure label
    "\t\t※成果実績\t人\t10\t20\t30",
    "※1 令和元年度は速報値",  # guards: one cell in the first column
    "（注）達成度は参考値",
], ids=["mark and number", "(注) and number", "reads like values", "note on a label", "note on a label, shifted",
        "note", "fullwidth (注)"])
@pytest.mark.parametrize("after", [ACHIEVEMENT_2020, PLANNED_2020], ids=["outcome", "activity"])
def test_a_note_under_an_indicator_block_is_no_row(note, after):
    """No indicator, row or value, and no unknown-label warning: the contract has no
    column for a block's note, so it is dropped."""
    text = sheet_text("2020")
    sheet = parse_bytes(mutate(text, after, f"{after}\n{note}").encode(), "variant.txt")
    original = parse_bytes(text.encode(), "variant.txt")
    assert sheet.tables["indicator"] == original.tables["indicator"]
    assert [i.message for i in sheet.issues] == [i.message for i in original.issues]


# ------------------------------------------------------------------ name lines that read as something else
# Real names (judgit_2020) carry lines such as `（令和元年度）` (日本薬局方調査事業's activities,
# 民間教育訓練機関…'s outcome) or `計算式` (政府調達苦情処理…'s outcome).  A name with more lines
# than its block has rows prints the rest on rows of their own, in the name column.
STACKED_2020 = "\t\t指標二\t成果実績\t件\t1\t2\t3\t-\t-\n\t\t\t目標値\t件\t1\t2\t3\t-\t4"


@pytest.mark.parametrize("printed, line", [("（令和元年度）", "(令和元年度)"), ("(平成30年度)", "(平成30年度)"),
                                          ("（29年度）", "(29年度)")])
def test_a_name_line_printing_a_year_on_a_row_of_its_own(printed, line):
    """The line is the name's (it was dropped as a row of target years), and the
    outcome stacked below keeps the target years of the header's year row."""
    text = sheet_text("2020")
    activity = cells(mutate(text, PLANNED_2020, f"{PLANNED_2020}\n\t{printed}"), "activity")
    assert {name for _, name, _, _ in activity.values()} == {f"制度周知を行った自治体数\n{line}"}
    outcome = indicator_rows(mutate(text, ACHIEVEMENT_2020, f"{ACHIEVEMENT_2020}\n\t\t{printed}\n{STACKED_2020}"))
    assert {(r["indicator_no"], r["name"]) for r in outcome if r["kind"] == "outcome"} == {
        (1, f"{NAME}\n{line}"), (2, "指標二")}
    assert {r["fiscal_year"] for r in outcome if r["kind"] == "outcome" and r["period"] == "final_target"} == {2021}


def test_a_name_line_reading_like_the_unit_costs_formula_label():
    """`計算式` is a row of the unit-cost block only: in an outcome's name column it is a
    line of the name (it was read as an empty formula row and dropped)."""
    text = sheet_text("2020")
    lines = "\t\t計算式\n\t\t(受け入れた件数)/(申立て件数)"
    found = cells(mutate(text, ACHIEVEMENT_2020, f"{ACHIEVEMENT_2020}\n{lines}"), "outcome")
    assert found == {key: (value, f"{NAME}\n計算式\n(受け入れた件数)/(申立て件数)", goal, unit)
                     for key, (value, _, goal, unit) in cells(text, "outcome").items()}


# ------------------------------------------------------------------ page breaks in the unit-cost and policy blocks
UNIT_COST_HEADER_2020 = ("<b>単位当たりコスト</b>\t<b>算出根拠</b>\t\t<b>単位</b>\t平成29年度\t30年度\t令和元年度"
                         "\t<b>2年度活動見込</b>\t\t")
POLICY_HEADER_2020 = ("\t測定指標\t民泊制度運営システムの利用者数(住宅宿泊事業者)(施策全体)\t\t\t\t\t単位\t平成29年度\t30年度"
                      "\t令和元年度\t中間目標 -年度\t目標年度 3年度\t")


@pytest.mark.parametrize("before, page_break", [
    ("\t\t計算式\t千円/件数", UNIT_COST_HEADER_2020),
    ("\t\t計算式\t千円/件数", f"- 3 -\n令和2年度行政事業レビューシート ( 国土交通省 )\n{UNIT_COST_HEADER_2020}"),
    ("\t\t目標値\t\t\t\t人\t-\t-\t20,000", POLICY_HEADER_2020),
    ("\t\t目標値\t\t\t\t人\t-\t-\t20,000", f"2/3\n{POLICY_HEADER_2020}"),
], ids=["unit cost: header", "unit cost: page number, title, header", "policy: header", "policy: page number, header"])
def test_a_header_repeated_inside_a_unit_cost_or_policy_indicator(before, page_break):
    """The rows after the repeated header go on the indicator above (the 計算式 rows were a
    second unit-cost indicator without its 算出根拠, the 目標値 row a second 測定指標)."""
    text = sheet_text("2020")
    assert UNIT_COST_HEADER_2020 in text and POLICY_HEADER_2020 in text
    assert parse(mutate(text, before, f"{page_break}\n{before}")) == parse(text)


# ------------------------------------------------------------------ headings on a row of their own
@pytest.mark.parametrize("family, heading", [
    ("2020", "<b>成果目標及び成果実績(アウトカム)</b>"),  # guards: these worked
    ("2020", "<b>活動指標及び活動実績(アウトプット)</b>"),
    ("2020", "<b>単位当たりコスト</b>"),
    ("2018-19", "<b>単位当たりコスト</b>"),
    ("2014", "<b>単位当たりコスト</b>"),
    ("2012-13", "<b>単位当たりコスト</b>"),  # the one-row layout: its value and 算出根拠 on the row below
])
@pytest.mark.parametrize("alone", [lambda h: h, lambda h: h[3:-4], lambda h: f"\t{h}"],
                         ids=["bold", "plain, first column", "bold, second column"])
def test_a_section_heading_alone_on_the_row_above_its_header(family, heading, alone):
    """The heading cell merged over a row above the header prints alone there.  The
    unit-cost block was not found (a heading needed 算出根拠 or 単位 beside it, to tell it
    from the 単位当たりコスト measure row): its rows were read as activity rows and lost."""
    text = sheet_text(family)
    line = next(line for line in text.split("\n") if line.startswith(heading))
    variant = mutate(text, line, f"{alone(heading)}\n{line[len(heading):]}")
    assert parse(variant) == parse(text)


# ------------------------------------------------------------------ 平成24 combined cells
def test_a_combined_activity_cell_printing_only_the_planned_value():
    """`(1)` under 活動見込 prints the planned value alone: no actual row (a blank part
    of a cell, like a blank cell, is no row; it was an actual row with a NULL value)."""
    text = mutate(sheet_text("2012-13"), "\t1 (1)\t- (1)\t", "\t1 (1)\t(1)\t")
    outlook = [(r["measure"], r["value"], r["raw_text"]) for r in indicator_rows(text)
               if r["kind"] == "activity" and r["period"] == "outlook"]
    assert outlook == [("planned", Decimal(1), "(1)")]
