"""The newer forms (review years 2016-2023) as SHEET_FORMAT.md describes them: each
variant is a small edit of the nearest form fixture, asserting the facts the contract
requires of it.

Most statements are printed by the fixtures themselves (tests/fixtures/forms/2016,
2018-19, 2020, 2021-23 and the seed, checked row by row in test_forms.py and
test_seed.py); these are the ones no fixture prints.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.conftest import SEED
from tests.transforms.variants import mutate, parse_sheet, sheet_text

HEADER_2019 = "28年度\t29年度\t30年度\t31年度\t32年度要求"
HEADER_2016 = "平成25年度\t26年度\t27年度\t28年度\t29年度要求"


def _rows(text: str, table: str, **where) -> list[dict]:
    return [r for r in parse_sheet(text).tables[table] if all(r[k] == v for k, v in where.items())]


def _facts(text: str, *tables: str) -> dict[str, list]:
    """The rows of `tables` without the sheet's key and source columns, comparable across
    edits of one fixture."""
    sheet = parse_sheet(text)
    return {t: sorted(str(sorted((k, str(v)) for k, v in r.items() if k != "project_key" and not k.startswith("source_")))
                      for r in sheet.tables[t])
            for t in tables}


def _columns(text: str) -> set[tuple[int, bool]]:
    return {(r["fiscal_year"], r["is_request"]) for r in parse_sheet(text).tables["budget_line"]}


@pytest.mark.parametrize("family, title, header, printed, review_year", [
    ("2016", "平成28年度", HEADER_2016, ("平成29年度", "平成26年度\t27年度\t28年度\t29年度\t30年度要求"), 2017),
    ("2018-19", "令和元年度", HEADER_2019, ("平成30年度", "27年度\t28年度\t29年度\t30年度\t31年度要求"), 2018),
    ("2018-19", "令和元年度", HEADER_2019, ("平成31年度", HEADER_2019), 2019),
    ("2021-23", "令和4年度", "令和元年度\t2年度\t3年度\t4年度\t5年度要求",
     ("令和3年度", "平成30年度\t令和元年度\t2年度\t3年度\t4年度要求"), 2021),
])
def test_a_sheet_of_a_neighbouring_year_in_the_same_layout(family, title, header, printed, review_year):
    """平成29 in the 平成28 layout, 平成30 and a 平成31 title in the 令和元 one, 令和3 with
    平成30 and 令和 in one header: the title dates the sheet, the header its columns."""
    new_title, new_header = printed
    text = mutate(sheet_text(family), f"{title}行政事業レビューシート", f"{new_title}行政事業レビューシート")
    sheet = parse_sheet(mutate(text, header, new_header))
    assert sheet.project["review_year"] == review_year
    assert {(r["fiscal_year"], r["is_request"]) for r in sheet.tables["budget_line"]} == \
        {(review_year - 3 + i, False) for i in range(4)} | {(review_year + 1, True)}
    assert not [i for i in sheet.issues if i.severity == "error"]


def test_the_share_of_initial_plus_supplementary_on_a_2018_sheet():
    """平成30: `#DIV/0!` is a NULL rate with its print, `3,450%` the fraction 34.5."""
    text = mutate(sheet_text("2018-19"), "令和元年度行政事業レビューシート", "平成30年度行政事業レビューシート")
    text = mutate(text, HEADER_2019, "27年度\t28年度\t29年度\t30年度\t31年度要求")
    rates = {r["fiscal_year"]: (r["rate"], r["raw_text"])
             for r in _rows(text, "execution_rate", basis="initial_plus_supplementary")}
    assert rates == {2015: (None, "#DIV/0!"), 2016: (Decimal("0.029"), "2.9%"), 2017: (Decimal("34.5"), "3,450%")}


@pytest.mark.parametrize("header", [
    "平成28年度\t平成29年度\t平成30年度\t平成31年度\t平成32年度要求",
    "28年度\t29年度\t30年度\t令和元年度\t2年度要求",
    "平成28年度\t29年度\t30年度\t31年度\t令和2年度要求",
])
def test_a_2019_header_printing_heisei32_or_reiwa_for_the_request(header):
    """平成32 never existed but is FY2020, as is 令和2 (or a bare 2 after 令和元)."""
    assert _columns(mutate(sheet_text("2018-19"), HEADER_2019, header)) == _columns(sheet_text("2018-19"))


def test_a_negative_printed_with_a_space_and_thousands_separators():
    text = mutate(sheet_text("2020"), "\t0\t0\t▲ 12\t0", "\t0\t0\t▲ 356,601\t0")
    carried_out = {r["fiscal_year"]: (r["amount_million_yen"], r["raw_text"])
                   for r in _rows(text, "budget_line", line="carried_out")}
    assert carried_out[2019] == (Decimal(-356601), "▲ 356,601")


@pytest.mark.parametrize("printed, number", [
    ("新30-0035", "新30-0035"), ("新30 0035", "新30 0035"),
    ("国土交通省:127 復興庁:167", "127"), ("復興庁:167 国土交通省:127", "127"),  # a joint sheet: its title ministry's
])
def test_project_numbers_printed_on_a_whole_sheet(printed, number):
    text = mutate(sheet_text("2018-19"), "<b>事業番号</b>\t0529", f"<b>事業番号</b>\t{printed}")
    sheet = parse_sheet(text)
    assert (sheet.project["ministry"], sheet.project["project_number"]) == ("国土交通省", number)
    assert sheet.issues == []


def test_ratings_cross_and_yes_next_to_the_fixtures_circle_none_and_dash():
    text = mutate(sheet_text("2018-19"), "ことができない事業なのか。\t△", "ことができない事業なのか。\t×")
    text = mutate(text, "一者応札又は一者応募となったものはないか。\t無", "一者応札又は一者応募となったものはないか。\t有")
    ratings = [r["rating"] for r in parse_sheet(text).tables["assessment"]]
    assert ratings[1] == "×" and ratings[4] == "有"
    assert set(ratings) == {"○", "×", "有", "無", "-"}


def test_a_unit_cost_in_yen_keeps_its_unit_and_printed_values():
    """The unit cost is not money of the budget table: no conversion, its 単位 says 円."""
    text = mutate(sheet_text("2020"), "\t単位当たりコスト\t千円\t361.1\t652.5\t1,349.3",
                  "\t単位当たりコスト\t円\t361,100\t652,500\t1,349,300")
    text = mutate(text, "\t計算式\t千円/件数\t52,002/144", "\t計算式\t円/件数\t52,002,000/144")
    cost = _rows(text, "indicator", kind="unit_cost", period="year")
    assert {(r["fiscal_year"], r["unit"], r["value"]) for r in cost if r["measure"] == "actual"} == {
        (2017, "円", Decimal(361100)), (2018, "円", Decimal(652500)), (2019, "円", Decimal(1349300))}
    formula = [r for r in cost if r["measure"] == "formula" and r["fiscal_year"] == 2017]
    assert [(r["unit"], r["value"], r["raw_text"]) for r in formula] == [("円/件数", None, "52,002,000/144")]


def test_the_policy_block_under_its_older_action_programme_title():
    """`…経済・財政再生アクション・プログラムとの関係` reads like `…新経済・財政再生計画との関係`."""
    text = sheet_text("2018-19")
    old = mutate(text, "政策評価、新経済・財政再生計画との関係", "政策評価、経済・財政再生アクション・プログラムとの関係")
    assert _facts(old, "indicator") == _facts(text, "indicator")
    assert parse_sheet(old).project["policy_measure"] == "国土技術政策総合研究所(横須賀)の推進"
    assert parse_sheet(old).issues == []


def test_a_measurement_indicator_on_a_2016_sheet():
    """The 平成28 form with a 測定指標 table: `policy` rows in 平成 years, its target year `32年度`."""
    policy_measure = "\t施策\t生産局畜産部の推進\t\t\t\t\t\t\t\t\t\t\n"
    text = mutate(sheet_text("2016"), policy_measure, policy_measure +
                  "\t測定指標\t飼料作付面積\t\t\t\t\t単位\t25年度\t26年度\t27年度\t目標年度 32年度\t\n"
                  "\t\t実績値\t\t\t\tha\t100\t110\t120\t-\t\n"
                  "\t\t目標値\t\t\t\tha\t100\t110\t120\t200\t\n")
    sheet = parse_sheet(text)
    policy = {(r["fiscal_year"], r["period"], r["measure"]): (r["value"], r["raw_text"])
              for r in sheet.tables["indicator"] if r["kind"] == "policy"}
    assert policy == {
        (2013, "year", "actual"): (100, "100"), (2014, "year", "actual"): (110, "110"),
        (2015, "year", "actual"): (120, "120"), (2020, "final_target", "actual"): (None, "-"),
        (2013, "year", "target"): (100, "100"), (2014, "year", "target"): (110, "110"),
        (2015, "year", "target"): (120, "120"), (2020, "final_target", "target"): (200, "200"),
    }
    assert {r["name"] for r in sheet.tables["indicator"] if r["kind"] == "policy"} == {"飼料作付面積"}
    assert sheet.issues == []


BUDGET_ITEM_TITLE_2016 = "<b>平成28・29年度予算内訳(単位:百万円)</b>\t<b>費目</b>"


@pytest.mark.parametrize("old, new", [
    (BUDGET_ITEM_TITLE_2016, "<b>平成28・29年度予算内訳(単位:百万円)</b>\n\t<b>費目</b>"),
    (BUDGET_ITEM_TITLE_2016, "平成28・29年度予算内訳(単位:百万円)\t費目"),
    (BUDGET_ITEM_TITLE_2016, "<b>予算内訳(単位:百万円)</b>\t<b>費目</b>"),
    ("<b>28年度当初予算</b>\t<b>29年度要求</b>", "<b>平成28年度当初予算</b>\t<b>平成29年度要求</b>"),
], ids=["title alone", "no tags", "title without years", "heisei item headers"])
def test_the_budget_item_year_headers_are_never_the_main_table(old, new):
    """`28年度当初予算 29年度要求` below the budget table changes none of its columns."""
    text = mutate(sheet_text("2016"), "\t委託費\t-\t-", "\t委託費\t12\t10")
    text = mutate(text, "\t計\t-\t-\t", "\t計\t12\t10\t")
    tables = ("budget_line", "execution_rate", "budget_item")
    assert _facts(mutate(text, old, new), *tables) == _facts(text, *tables)
    items = {(r["fiscal_year"], r["is_request"]): r["amount_million_yen"]
             for r in parse_sheet(mutate(text, old, new)).tables["budget_item"]}
    assert items == {(2016, False): 12, (2017, True): 10}


def test_a_related_project_table_in_one_cell_goes_only_to_related_project():
    """The seed's 関連事業 HTML <table>, filled with two projects and printed again as plain
    rows, gives the two projects once each, and changes no other table."""
    seed = SEED.read_text(encoding="utf-8")
    text = mutate(seed, "<tbody> <tr> <td></td> <td></td> <td></td> </tr> </tbody>",
                  "<tbody> <tr> <td>総務省</td> <td>0038</td> <td>番号制度推進経費</td> </tr>"
                  " <tr> <td>内閣府</td> <td>0012</td> <td>マイナンバー広報</td> </tr> </tbody>")
    text = mutate(text, "所管府省名\t事業番号\t事業名\t\t\t\t\t\t\n",
                  "所管府省名\t事業番号\t事業名\t\t\t\t\t\t\n総務省\t0038\t番号制度推進経費\t\t\t\t\t\t\n"
                  "内閣府\t0012\tマイナンバー広報\t\t\t\t\t\t\n")
    tables = tuple(t for t in parse_sheet(seed).tables if t != "related_project")
    assert _facts(text, *tables) == _facts(seed, *tables)
    sheet = parse_sheet(text)
    assert sheet.issues == []
    assert [(r["related_no"], r["related_ministry"], r["related_project_number"], r["related_project_name"])
            for r in sheet.tables["related_project"]] == [(1, "総務省", "0038", "番号制度推進経費"),
                                                          (2, "内閣府", "0012", "マイナンバー広報")]


@pytest.mark.parametrize("repeat_header", [False, True], ids=["one header", "header repeated"])
def test_stacked_outcomes_each_with_its_data_source(repeat_header):
    """From 平成30 each outcome has its own 出典 row; the next indicator's rows follow it."""
    text = sheet_text("2018-19")
    lines = text.split("\n")
    header, years, actual, target, achievement, source = lines[24:30]
    second = [actual.replace("多種多様な施設・設備の機能維持及び機能回復", "利用者の満足度を高める")
              .replace("改修施設・設備数", "利用者満足度").replace("\t式\t1\t1\t1\t-\t-", "\t%\t80\t85\t90\t-\t-"),
              target.replace("\t式\t1\t1\t1\t-\t1", "\t%\t80\t80\t80\t-\t90"), achievement,
              source.replace("国土技術政策総合研究所(横須賀)調べ", "利用者アンケート")]
    stacked = mutate(text, source + "\n", "\n".join([source] + ([header, years] if repeat_header else []) + second) + "\n")
    rows = [r for r in parse_sheet(stacked).tables["indicator"] if r["kind"] == "outcome"]
    first = [r for r in parse_sheet(text).tables["indicator"] if r["kind"] == "outcome"]
    assert [r for r in rows if r["indicator_no"] == 1] == [r for r in first]
    cells = {(r["period"], r["measure"], r["fiscal_year"]): r["value"] for r in rows if r["indicator_no"] == 2}
    assert {(r["name"], r["goal"], r["unit"]) for r in rows if r["indicator_no"] == 2} == {
        ("利用者満足度", "利用者の満足度を高める", "%")}
    assert cells[("year", "actual", 2018)] == 90 and cells[("final_target", "target", 2020)] == 90
    assert cells[("year", "achievement", 2016)] == 100 and cells[("interim_target", "target", None)] is None


def test_an_achievement_printed_with_its_percent_sign_stays_the_percent():
    """達成度 `90.3%` on the 令和2 form is 90.3, not the fraction a 執行率 becomes."""
    text = mutate(sheet_text("2020"), "\t達成度\t%\t-\t-\t90.3\t", "\t達成度\t%\t-\t-\t90.3%\t")
    cells = [(r["value"], r["raw_text"]) for r in _rows(text, "indicator", kind="outcome", measure="achievement",
                                                         period="year", fiscal_year=2019)]
    assert cells == [(Decimal("90.3"), "90.3%")]


@pytest.mark.parametrize("printed", ["52002", "52,002÷144", "52,002/144=361.1", "-"])
def test_a_formula_cell_is_raw_text_only_even_when_it_reads_as_a_number(printed):
    text = mutate(sheet_text("2020"), "\t52,002/144\t", f"\t{printed}\t")
    cells = [(r["value"], r["raw_text"]) for r in _rows(text, "indicator", kind="unit_cost", measure="formula",
                                                         fiscal_year=2017)]
    assert cells == [(None, printed)]
