"""Printed variants of the indicator blocks (成果目標 / 活動指標): each mutation of a
fixture sheet must parse to the fixture's own rows (or to the stated values).

Found by mutating fixture sheets; each case failed before its fix in
`transforms/sections/indicators.py` (a target year on the wrong column, a row's
values shifted into its unit, a combined activity row read as actual values only,
a goal and name above the measure rows lost) except the ones kept as guards: the
unmutated fixture, the final-target cell alone, a collapsed target-year row and a
blank unit cell.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.conftest import SEED
from tests.transforms.test_variants import mutate, parse, sheet_text
from transforms.sources.text_sheet import parse_bytes

TARGET_YEARS_2020 = "\t\t\t\t\t\t\t\t- 年度\t3 年度"


def indicator_rows(text: str) -> list[dict]:
    return parse_bytes(text.encode("utf-8"), "variant.txt").tables["indicator"]


def target_years(text: str) -> set[tuple[str, int | None]]:
    """(period, fiscal_year) of the outcome rows under 中間目標 / 目標最終年度."""
    return {(r["period"], r["fiscal_year"]) for r in indicator_rows(text)
            if r["kind"] == "outcome" and r["period"] in ("interim_target", "final_target")}


@pytest.mark.parametrize("printed, expected", [
    # the fixture itself: interim `- 年度`, final `3 年度`
    ("\t\t\t\t\t\t\t\t- 年度\t3 年度", {("interim_target", None), ("final_target", 2021)}),
    # only the interim cell printed: its year is the interim target's, not the final one's
    ("\t\t\t\t\t\t\t\t2 年度\t", {("interim_target", 2020), ("final_target", None)}),
    ("\t\t\t\t\t\t\t\t2 年度", {("interim_target", 2020), ("final_target", None)}),
    # only the final cell printed
    ("\t\t\t\t\t\t\t\t\t3 年度", {("interim_target", None), ("final_target", 2021)}),
    # the row collapsed one cell to the left (a merged cell before it): both cells still count
    ("\t\t\t\t\t\t\t2 年度\t3 年度", {("interim_target", 2020), ("final_target", 2021)}),
], ids=["fixture", "interim only", "interim only, no trailing tab", "final only", "collapsed row"])
def test_target_year_cells_sit_under_their_columns(printed, expected):
    assert target_years(mutate(sheet_text("2020"), TARGET_YEARS_2020, printed)) == expected


ACHIEVEMENT_SEED = "\t\t達成度\t%\t99.3\t97\t97\t-\t-\t"


def by_cell(rows: list[dict]) -> dict[tuple, dict]:
    return {(r["kind"], r["indicator_no"], r["measure"], r["period"], r["fiscal_year"]): r for r in rows}


@pytest.mark.parametrize("printed", [
    "\t\t達成度\t99.3\t97\t97\t-\t-\t",  # the `%` cell missing
    "\t\t達成度\t\t99.3\t97\t97\t-\t-\t",  # the `%` cell blank
], ids=["unit cell missing", "unit cell blank"])
def test_an_achievement_row_without_its_unit_cell(printed):
    """The values stay under their years; the row prints no unit, so its unit is None."""
    text = SEED.read_text(encoding="utf-8")
    original, variant = by_cell(indicator_rows(text)), by_cell(indicator_rows(mutate(text, ACHIEVEMENT_SEED, printed)))
    assert variant.keys() == original.keys()
    for key, row in original.items():
        if key[2] == "achievement" and key[0] == "outcome":
            assert variant[key] == dict(row, unit=None), key
        else:
            assert variant[key] == row, key


COMBINED_2012 = "\t活動実績 (当初見込み)\t件\t1 (1)\t1 (1)\t1 (1)\t- (1)\t"


@pytest.mark.parametrize("lower", ["\t\t(当初見込み)", "\t\t(当初見込み)\t\t\t\t\t\t", "\t\t(当初見込)", "\t\t（当初見込み）"],
                         ids=["label alone", "trailing tabs", "short wording", "fullwidth brackets"])
def test_the_combined_activity_label_split_over_two_rows(lower):
    """平成24: `活動実績` on the row with the `1 (1)` cells and `(当初見込み)` alone below."""
    text = sheet_text("2012-13")
    split = COMBINED_2012.replace("活動実績 (当初見込み)", "活動実績") + "\n" + lower
    assert parse(mutate(text, COMBINED_2012, split)) == parse(text)


GOAL_2020 = "平成33年度までに民泊制度運営システムの利用者数(住宅宿泊事業者)を40,000人にする"
NAME_2020 = "民泊制度運営システムの利用者数(住宅宿泊事業者)"
OUTCOME_2020 = f"{TARGET_YEARS_2020}\n\t{GOAL_2020}\t{NAME_2020}\t成果実績"


@pytest.mark.parametrize("printed", [
    # goal and name at the top of their merged cells: on the target-year row
    f"\t{GOAL_2020}\t{NAME_2020}{TARGET_YEARS_2020[2:]}\n\t\t\t成果実績",
    # the goal alone up there
    f"\t{GOAL_2020}{TARGET_YEARS_2020[1:]}\n\t\t{NAME_2020}\t成果実績",
], ids=["goal and name", "goal"])
def test_goal_and_name_printed_on_the_target_year_row(printed):
    text = sheet_text("2020")
    assert parse(mutate(text, OUTCOME_2020, printed)) == parse(text)


def test_a_filled_kpi_row_names_its_kpi():
    seed = SEED.read_text(encoding="utf-8")
    assert not [r for r in indicator_rows(seed) if r["kind"] == "policy" and r["name"]]  # the template: no KPI named
    text = mutate(seed, "(第一階層) KPI\tKPI (第一階層)", "(第一階層) KPI\tマイナンバーカード交付率")
    named = {r["name"] for r in indicator_rows(text) if r["kind"] == "policy"}
    assert named == {"マイナンバーカード交付率"}


def _names(text: str, kind: str) -> set[tuple]:
    return {(r["name"], r["goal"]) for r in indicator_rows(text) if r["kind"] == kind}


def test_name_and_goal_lines_on_rows_of_their_own():
    text = sheet_text("2020")
    (name, goal), = _names(text, "outcome")
    # lines after the measure rows continue the goal and the name (a split multi-line cell)
    after = mutate(text, "\t\t達成度\t%\t-\t-\t90.3\t-\t-\t", "\t\t達成度\t%\t-\t-\t90.3\t-\t-\t\n\t目標三行目\t名前続き")
    assert _names(after, "outcome") == {(f"{name}\n名前続き", f"{goal}\n目標三行目")}
    # name lines above the block's first measure row belong to its first indicator
    above = mutate(text, "\t制度周知を行った自治体数\t活動実績", "\t活動一\n\t活動二\n\t制度周知を行った自治体数\t活動実績")
    assert _names(above, "activity") == {("活動一\n活動二\n制度周知を行った自治体数", None)}


@pytest.mark.parametrize("heading, before", [
    ("<b>成果目標及び成果実績(アウトカム)</b>", "\t\t達成度\t%\t-\t-\t90.3"),
    ("<b>活動指標及び活動実績(アウトプット)</b>", "\t\t当初見込み\t-\t47"),
])
def test_a_header_repeated_inside_an_indicator_at_a_page_break(heading, before):
    text = sheet_text("2020")
    header = next(line for line in text.split("\n") if line.startswith(heading))
    assert parse(mutate(text, before, f"{header}\n{before}")) == parse(text)


def test_values_printed_with_their_unit_an_approximation_or_an_estimate_note():
    """`47県` (the row's own unit), `約47`, `47(見込)` are 47; other words stay NULL with the print kept."""
    seed = SEED.read_text(encoding="utf-8")
    text = mutate(seed, "\t住基ネット担当者説明会(書面)の開催\t活動実績\t県\t47\t47\t47\t-\t-\t",
                  "\t住基ネット担当者説明会(書面)の開催\t活動実績\t県\t47県\t約47\t47(見込)\t47以上\t2割\t")
    actual = sorted((r["fiscal_year"], r["value"], r["raw_text"]) for r in indicator_rows(text)
                    if r["kind"] == "activity" and r["measure"] == "actual")
    assert actual == [(2017, 47, "47県"), (2018, 47, "約47"), (2019, 47, "47(見込)"), (2020, None, "47以上"),
                      (2021, None, "2割")]


def test_a_unit_named_like_a_measure_label_stays_the_unit():
    """Real outcome indicators print units such as 達成率: the row is still 成果実績 (not a 達成度 row)."""
    seed = SEED.read_text(encoding="utf-8")
    text = mutate(seed, "\t成果実績\t点数\t3\t2.9\t2.9", "\t成果実績\t達成率\t3\t2.9\t2.9")
    rows = [r for r in indicator_rows(text) if r["kind"] == "outcome" and r["measure"] == "actual"]
    assert {r["unit"] for r in rows} == {"達成率"}
    assert sorted((r["fiscal_year"], r["value"]) for r in rows if r["period"] == "year") == [
        (2017, 3), (2018, Decimal("2.9")), (2019, Decimal("2.9"))]


@pytest.mark.parametrize("family, header", [
    ("2020", "<b>活動指標</b>\t\t<b>単位</b>"),
    ("2016", "<b>成果指標</b>\t\t<b>単位</b>"),
    ("2021-23", "<b>算出根拠</b>\t\t<b>単位</b>"),
])
def test_a_header_name_cell_merged_over_two_columns_printed_once(family, header):
    """The header's name cell spans the name and label columns of the rows below; printed
    once, its 単位 and years sit one cell left of the rows' units and values, its name
    column does not: names and goals stay the rows' own (they were lost)."""
    text = sheet_text(family)
    assert parse(mutate(text, header, header.replace("\t\t", "\t"))) == parse(text)


def test_a_collapsed_header_name_cell_keeps_the_final_target_year_printed_below():
    """2014: the year `26 年度` under 目標最終年度 stays a target year, not a column of a
    header continued on the next row, when the header's name cell printed once."""
    text = sheet_text("2014")
    collapsed = mutate(text, "<b>成果指標</b>\t\t<b>単位</b>", "<b>成果指標</b>\t<b>単位</b>")
    assert target_years(collapsed) == target_years(text) == {("final_target", 2014)}


def test_a_collapsed_header_name_cell_on_a_header_one_cell_right():
    """The header printed after an extra empty cell and with its name cell once: its 単位
    stands over the rows' units, its name column one right of theirs (on their labels)."""
    text = sheet_text("2020")
    header = "<b>活動指標及び活動実績(アウトプット)</b>\t<b>活動指標</b>\t\t<b>単位</b>"
    shifted = "\t<b>活動指標及び活動実績(アウトプット)</b>\t<b>活動指標</b>\t<b>単位</b>"
    assert parse(mutate(text, header, shifted)) == parse(text)


@pytest.mark.parametrize("family, old, printed, year", [
    ("2018-19", "\t- 年度\t32 年度", "\t- 年度\t2025 年度", 2025),
    ("2014", "\t\t\t\t\t\t\t\t26 年度", "\t\t\t\t\t\t\t\t2025 年度", 2025),
])
def test_a_target_year_printed_in_gregorian_numbers_on_a_heisei_form(family, old, printed, year):
    """`2025 年度` under 目標最終年度 is the year 2025, not 平成2025 (the official database
    made that mistake and stored 4043)."""
    finals = {r["fiscal_year"] for r in indicator_rows(mutate(sheet_text(family), old, printed))
              if r["kind"] == "outcome" and r["period"] == "final_target"}
    assert finals == {year}


@pytest.mark.parametrize("label", ["活動実績(累計)", "活動実績(累積)", "活動実績（累計）"])
def test_a_cumulative_activity_row_is_the_actual_row(label):
    """`活動実績(累計)` (a count since the project began) is the activity's actual row: not an
    unknown label whose values are read as the next row's, under the name of the one after."""
    base = [r for r in indicator_rows(SEED.read_text(encoding="utf-8")) if r["kind"] == "activity"]
    text = SEED.read_text(encoding="utf-8").replace("\t活動実績\t県", f"\t{label}\t県")
    sheet = parse_bytes(text.encode("utf-8"), "variant.txt")
    assert [r for r in sheet.tables["indicator"] if r["kind"] == "activity"] == base
    assert "unknown_label" not in [i.check_name for i in sheet.issues]
