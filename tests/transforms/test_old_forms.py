"""The oldest forms (review years 2010-2015) as SHEET_FORMAT.md describes them: each
variant is a small edit of the nearest form fixture, asserting the facts the contract
requires of it.

Most variants are also fixtures of their own (tests/fixtures/forms/2010, 2012-13, 2014);
these are the ones no fixture prints.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.transforms.variants import mutate, parse_sheet, sheet_text

# the 2010 labels 外務省 prints, and what every other ministry prints instead
ANKEN_2010 = [("案件名", "事業名"), ("案件番号", "事業番号"), ("案件開始年度", "事業開始年度"),
              ("案件の目的", "事業の目的"), ("案件概要", "事業概要")]


def _relabel(text: str, pairs: list[tuple[str, str]]) -> str:
    for old, new in pairs:
        text = mutate(text, f"<b>{old}</b>", f"<b>{new}</b>")
    return text


def _rows(text: str, table: str, **where) -> list[dict]:
    return [r for r in parse_sheet(text).tables[table] if all(r[k] == v for k, v in where.items())]


def test_the_2010_sheet_of_the_ministry_of_agriculture_names_its_project_yosan_jigyo():
    """農水省 2010: 予算事業名 is the project name; the other labels are the common ones."""
    text = mutate(sheet_text("2010"), "(外務省)", "(農林水産省)")
    text = _relabel(text, [(old, "予算事業名" if old == "案件名" else new) for old, new in ANKEN_2010])
    project = parse_sheet(text).project
    assert (project["review_year"], project["ministry"], project["project_number"], project["project_name"]) == \
        (2010, "農林水産省", "3", "旧外地関係整理")
    assert project["purpose"].startswith("旧外地官署") and project["overview"].startswith("旧外地官署が行った")


@pytest.mark.parametrize("printed, start", [("昭和62年度", 1987), ("21年度", 2009), ("平成元年度", 1989)])
def test_a_2010_start_year_cell_printed_alone(printed, start):
    """2010 prints the start year only: the end stays NULL and the text is kept."""
    text = mutate(sheet_text("2010"), "<b>案件開始年度</b>\t", f"<b>案件開始年度</b>\t{printed}")
    project = parse_sheet(text).project
    assert (project["start_fiscal_year"], project["end_fiscal_year"], project["start_end_text"]) == \
        (start, None, printed)


def test_a_2011_sheet_in_the_2010_layout_takes_its_year_from_the_request_column():
    """No year in the title: `24年度要求` makes the review year 2011 and every column moves."""
    text = mutate(sheet_text("2010"), "19年度\t20年度\t21年度\t22年度\t23年度要求",
                  "20年度\t21年度\t22年度\t23年度\t24年度要求")
    text = mutate(text, "19年度\t20年度\t21年度\t<b>目標値(23年度)", "20年度\t21年度\t22年度\t<b>目標値(24年度)")
    text = mutate(text, "19年度\t20年度\t21年度\t<b>22年度活動見込", "20年度\t21年度\t22年度\t<b>23年度活動見込")
    sheet = parse_sheet(text)
    assert sheet.project["review_year"] == 2011
    initial = {(r["fiscal_year"], r["is_request"]): r["amount_million_yen"]
               for r in sheet.tables["budget_line"] if r["line"] == "initial"}
    assert initial == {(2008, False): 70, (2009, False): 49, (2010, False): 37, (2011, False): 16, (2012, True): 11}
    years = {(r["kind"], r["period"], r["fiscal_year"]) for r in sheet.tables["indicator"]}
    assert ("outcome", "final_target", 2012) in years and ("activity", "outlook", 2011) in years
    assert min(y for _, _, y in years) == 2008


def test_the_2012_sheet_of_the_foreign_ministry_with_its_anken_labels():
    text = mutate(sheet_text("2012-13"), "(総務省)", "(外務省)")
    text = _relabel(text, [("事業名", "案件名"), ("事業番号", "案件番号"), ("事業の目的", "案件の目的"),
                           ("事業概要", "案件概要"), ("事業開始・終了(予定)年度", "案件開始・終了(予定)年度")])
    project = parse_sheet(text).project
    assert (project["ministry"], project["project_number"], project["project_name"]) == \
        ("外務省", "0185", "国立研究開発法人情報通信研究機構施設整備費補助金")
    assert (project["start_fiscal_year"], project["end_fiscal_year"]) == (1993, 2013)
    assert project["purpose"] and project["overview"]


@pytest.mark.parametrize("printed, start, end", [
    ("昭和62年度開始", 1987, None),
    ("平成20年度~平成24年度", 2008, 2012),
    ("平成23年度~平成56年度", 2011, 2044),  # beyond 平成31 still 1988 + n
    ("平成14年度~", 2002, None),
    ("22年度 ~ 27年度", 2010, 2015),
    ("平成24年4月1日~平成25年3月31日", 2012, 2012),  # dates: their fiscal years
    ("別紙参照", None, None),
])
def test_the_combined_start_end_cell_of_2012_in_a_whole_sheet(printed, start, end):
    project = parse_sheet(mutate(sheet_text("2012-13"), "平成5年度~平成25年度", printed)).project
    assert (project["start_fiscal_year"], project["end_fiscal_year"], project["start_end_text"]) == \
        (start, end, printed)


def test_a_finished_2012_project_without_a_request_column():
    """The title alone dates the sheet; the last column is the review year, not a request."""
    text = mutate(sheet_text("2012-13"), "\t24年度\t25年度要求", "\t24年度")
    text = mutate(mutate(text, "\t90\t2,090", "\t90"), "\t3,590\t2,090", "\t3,590")
    fixture = parse_sheet(sheet_text("2012-13")).tables["budget_line"]
    sheet = parse_sheet(text)
    assert sheet.project["review_year"] == 2012
    assert sheet.tables["budget_line"] == [r for r in fixture if not r["is_request"]]
    assert {r["fiscal_year"] for r in sheet.tables["budget_line"]} == {2009, 2010, 2011, 2012}


def test_not_a_number_prints_in_the_2012_budget_table():
    """`△5` is -5; `―`, `集計中`, `-` and `#DIV/0!` are rows with NULL and their print;
    a rate printed without `%` over 100 is still a percent."""
    text = mutate(sheet_text("2012-13"), "補正予算\t0\t0\t3,500\t0", "補正予算\t△5\t―\t集計中\t-")
    text = mutate(text, "執行率(%)\t100\t98.1\t99", "執行率(%)\t100.4\t#DIV/0!\t集計中")
    supplementary = {r["fiscal_year"]: (r["amount_million_yen"], r["raw_text"])
                     for r in _rows(text, "budget_line", line="supplementary")}
    assert supplementary == {2009: (Decimal(-5), "△5"), 2010: (None, "―"), 2011: (None, "集計中"), 2012: (None, "-")}
    rates = {r["fiscal_year"]: (r["rate"], r["raw_text"]) for r in _rows(text, "execution_rate")}
    assert rates == {2009: (Decimal("1.004"), "100.4"), 2010: (None, "#DIV/0!"), 2011: (None, "集計中")}


def test_not_a_number_prints_in_the_2010_budget_table():
    text = mutate(sheet_text("2010"), "\t執行率\t0%\t0%\t111%", "\t執行率\t#DIV/0!\t―\t111%")
    text = mutate(text, "\t予算額(補正後)\t70\t52", "\t予算額(補正後)\t△5\t集計中")
    rates = {r["fiscal_year"]: (r["rate"], r["raw_text"]) for r in _rows(text, "execution_rate")}
    assert rates == {2007: (None, "#DIV/0!"), 2008: (None, "―"), 2009: (Decimal("1.11"), "111%")}
    totals = {r["fiscal_year"]: (r["amount_million_yen"], r["raw_text"]) for r in _rows(text, "budget_line", line="total")}
    assert totals[2007] == (Decimal(-5), "△5") and totals[2008] == (None, "集計中")


def test_the_2012_combined_activity_cell_with_not_a_number_prints():
    """`集計中 (1)`: actual NULL with its print, planned 1; `- (-)`: both NULL; a cell
    without brackets is the actual value only."""
    text = mutate(sheet_text("2012-13"), "1 (1)\t1 (1)\t1 (1)\t- (1)", "1 (1)\t1\t集計中 (1)\t- (-)")
    cells = {(r["fiscal_year"], r["measure"]): (r["value"], r["raw_text"])
             for r in _rows(text, "indicator", kind="activity")}
    assert cells == {
        (2009, "actual"): (1, "1 (1)"), (2009, "planned"): (1, "1 (1)"),
        (2010, "actual"): (1, "1"),
        (2011, "actual"): (None, "集計中 (1)"), (2011, "planned"): (1, "集計中 (1)"),
        (2012, "actual"): (None, "- (-)"), (2012, "planned"): (None, "- (-)"),
    }


def test_a_2015_sheet_dated_by_its_nendo_title_with_two_start_end_cells():
    """From 平成27: `平成27年度…` and two cells, the end `終了予定なし` (NULL, text kept)."""
    text = mutate(sheet_text("2014"), "平成26年行政事業レビューシート", "平成27年度行政事業レビューシート")
    text = mutate(text, "<b>事業開始・終了(予定)年度</b>\t昭和18年度開始\t\t",
                  "<b>事業開始年度</b>\t昭和18年度\t<b>事業終了(予定)年度</b>\t終了予定なし")
    project = parse_sheet(text).project
    assert (project["review_year"], project["start_fiscal_year"], project["end_fiscal_year"]) == (2015, 1943, None)
    assert "昭和18年度" in project["start_end_text"] and "終了予定なし" in project["start_end_text"]


def test_an_old_achievement_stays_the_printed_percent():
    """達成度 `50%` is 50 (not the fraction 0.5 a 執行率 becomes); `―` and `集計中` are NULL."""
    text = mutate(sheet_text("2012-13"), "達成度\t%\t100\t100\t-", "達成度\t%\t50%\t―\t集計中")
    cells = {r["fiscal_year"]: (r["value"], r["raw_text"])
             for r in _rows(text, "indicator", kind="outcome", measure="achievement", period="year")}
    assert cells == {2009: (Decimal(50), "50%"), 2010: (None, "―"), 2011: (None, "集計中")}
