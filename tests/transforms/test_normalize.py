"""Table-driven and property tests of era and number normalisation."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from transforms.normalize import nfkc, parse_number, parse_percent
from transforms.years import (
    EraReader, era_label, era_to_year, parse_fiscal_year, parse_start_end, year_to_era,
)


@pytest.mark.parametrize("raw, expected", [
    ("1,234", Decimal(1234)), ("▲1", Decimal(-1)), ("▲ 356,601", Decimal(-356601)), ("△5", Decimal(-5)),
    ("-3", Decimal(-3)), ("0.7", Decimal("0.7")), ("０．７", Decimal("0.7")), ("１，２３４", Decimal(1234)),
    ("0", Decimal(0)), (" 12 ", Decimal(12)), ("-", None), ("―", None), ("ー", None), ("－", None),
    ("集計中", None), ("#DIV/0!", None), ("", None), (None, None), ("abc", None), ("50%", None),
])
def test_parse_number(raw, expected):
    assert parse_number(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("50%", Decimal("0.5")), ("94.6", Decimal("0.946")), ("100.4%", Decimal("1.004")), ("85％", Decimal("0.85")),
    ("#DIV/0!", None), ("-", None), ("0%", Decimal(0)),
])
def test_parse_percent(raw, expected):
    assert parse_percent(raw) == expected


@pytest.mark.parametrize("cells, review_year, expected", [
    (["平成29年度", "30年度", "令和元年度", "2年度", "3年度要求"], 2020, [2017, 2018, 2019, 2020, 2021]),
    (["28年度", "29年度", "30年度", "31年度", "32年度要求"], 2019, [2016, 2017, 2018, 2019, 2020]),
    (["19年度", "20年度", "21年度", "22年度", "23年度要求"], None, [2007, 2008, 2009, 2010, 2011]),
    (["平成30年度", "令和元年度", "2年度", "3年度", "4年度要求"], 2021, [2018, 2019, 2020, 2021, 2022]),
    (["2年度", "3年度", "4年度"], 2022, [2020, 2021, 2022]),
    (["平成30年度", "31年度", "2年度"], 2020, [2018, 2019, 2020]),
    # a bare first column: 平成 on sheets before 2020 (the contract), else the nearest reading
    (["2年度"], 2019, [1990]),
    (["2年度"], None, [1990]),
    (["29年度", "30年度", "元年度", "2年度"], 2021, [2017, 2018, 2019, 2020]),
    (["3年度"], 2021, [2021]),
    # Western years are read as printed, never as an era year made of their last digits
    (["2015年度", "2016年度", "2017年度要求"], 2016, [2015, 2016, 2017]),
    (["平成27年度(2015年度)"], 2016, [2015]),
    # an alternative reading in brackets, era letters
    (["29年度", "30年度", "31(元)年度", "2年度"], 2020, [2017, 2018, 2019, 2020]),
    (["令和元(平成31)年度", "2019(R1)年度", "平成31(令和元)年度"], 2020, [2019, 2019, 2019]),
    (["H29年度", "H30年度", "R1年度", "R2年度"], 2019, [2017, 2018, 2019, 2020]),
])
def test_era_reader_inherits_eras(cells, review_year, expected):
    reader = EraReader(review_year)
    assert [reader.read(c) for c in cells] == expected


@pytest.mark.parametrize("text, expected", [
    ("昭和62年度開始", (1987, None)), ("平成20年度~平成24年度", (2008, 2012)), ("平成23年度~平成56年度", (2011, 2044)),
    ("平成14年度~", (2002, None)), ("22年度 ~ 27年度", (2010, 2015)), ("平成24年4月1日~平成25年3月31日", (2012, 2012)),
    ("別紙参照", (None, None)), ("平成24年度～平成26年度", (2012, 2014)), ("", (None, None)),
    # a dash between two years is a range, a dash alone is "not printed"
    ("平成23年度-平成27年度", (2011, 2015)), ("平成23年度－平成27年度", (2011, 2015)), ("平成23年度―平成27年度", (2011, 2015)),
    ("2012年度~2016年度", (2012, 2016)), ("平成14年度-", (2002, None)), ("-", (None, None)),
    # two years without a separator
    ("(開始)平成20年度 (終了)平成24年度", (2008, 2012)), ("平成20年度/平成24年度", (2008, 2012)),
    ("平成20年度 平成24年度", (2008, 2012)), ("平成20年度(2008年度)", (2008, None)),
    # a start with a word for "no end", an era-less end, a month without a day
    ("平成20年度開始・終了予定なし", (2008, None)), ("平成20年度(終了予定なし)", (2008, None)),
    ("平成5~25年度", (1993, 2013)), ("平成20年4月~平成25年3月", (2008, 2012)), ("終了予定なし", (None, None)),
])
def test_start_end_cells(text, expected):
    assert parse_start_end(text) == expected


def test_single_year_cells():
    assert parse_fiscal_year("平成31年度") == 2019 == parse_fiscal_year("令和元年度")
    assert parse_fiscal_year("- 年度") is None
    assert parse_fiscal_year("平成32年度") == 2020


@given(st.integers(min_value=1926, max_value=2060))
def test_era_round_trip(year):
    era, n = year_to_era(year)
    assert era_to_year(era, n) == year
    assert parse_fiscal_year(era_label(year)) == year


@given(st.text(max_size=30))
def test_number_parsing_never_raises(text):
    value = parse_number(text)
    assert value is None or isinstance(value, Decimal)
    assert parse_percent(text) is None or isinstance(parse_percent(text), Decimal)
    nfkc(text)


@given(st.decimals(min_value=-10**9, max_value=10**9, places=3, allow_nan=False, allow_infinity=False))
def test_printed_numbers_round_trip(value):
    printed = f"{abs(value):,}"
    marked = ("▲ " if value < 0 else "") + printed
    assert parse_number(marked) == value
    assert parse_number(printed.translate(str.maketrans("0123456789,.", "０１２３４５６７８９，．"))) == abs(value)


@pytest.mark.parametrize("start, end, combined, review_year, expected", [
    ("平成15年度", "終了予定なし", None, 2020, (2003, None)),
    ("2015年度", "2025年度", None, 2020, (2015, 2025)),  # Western years in the two cells
    ("平成23年度-平成27年度", None, None, 2014, (2011, 2015)),  # a range in the start cell alone
    (None, None, "平成23年度－平成27年度", 2014, (2011, 2015)),
])
def test_start_and_end_cells_of_the_basic_information(start, end, combined, review_year, expected):
    from transforms.sections.header import start_end_years

    assert start_end_years(start and nfkc(start), end and nfkc(end), combined and nfkc(combined), review_year)[:2] == expected


@pytest.mark.parametrize("title, expected", [
    ("令和2年度行政事業レビューシート ( 総務省 )", (2020, "総務省")),
    ("平成24年行政事業レビューシート（外務省）", (2012, "外務省")),
    ("行政事業レビューシート (外務省)", (None, "外務省")),  # 2010: no year in the title
    ("令和元年度　行政事業レビューシート　（内閣府）", (2019, "内閣府")),
    ("<b>令和3年度行政事業レビューシート(国土交通省)</b>", (2021, "国土交通省")),
    ("令和5年度 行政事業レビューシート 【経済産業省】", (2023, "経済産業省")),
    ("令和5年度 行政事業レビューシート 〔環境省〕", (2023, "環境省")),
    # the ministry in the next cell or row, or the row above; without brackets; a bracketed year
    ("令和2年度行政事業レビューシート\t( 総務省 )", (2020, "総務省")),
    ("令和2年度行政事業レビューシート\n( 総務省 )", (2020, "総務省")),
    ("( 総務省 )\n令和2年度行政事業レビューシート", (2020, "総務省")),
    ("令和2年度行政事業レビューシート　総務省", (2020, "総務省")),
    ("令和2年度行政事業レビューシート ＜総務省＞", (2020, "総務省")),
    ("行政事業レビューシート（令和2年度）（総務省）", (2020, "総務省")),
    ("令和2年度行政事業レビューシート（最終公表）（総務省）", (2020, "総務省")),
    ("令和2年度行政事業レビュー シート ( 総務省 )", (2020, "総務省")),
    ("行政事業レビューシート（令和2年度）", (2020, None)),  # a year is never the ministry
])
def test_title_variants(title, expected):
    from transforms.read import to_grid
    from transforms.sections.title import parse_title

    assert parse_title(to_grid(title))[:2] == expected


LINEAGE = "関連する過去のレビューシートの事業番号\n"


@pytest.mark.parametrize("rows, expected", [
    ("平成22年度\t0032-2\t平成23年度\t0038", [(2010, None, "0032-2"), (2011, None, "0038")]),
    ("平成22年度\t総務省 ( 0037 )\t平成23年度\t新23-0012", [(2010, "総務省", "0037"), (2011, None, "新23-0012")]),
    ("平成22年度\t-\t平成23年度\t該当なし\t平成24年度\t新規\t平成25年度\t0038", [(2013, None, "0038")]),
    ("平成29年度\t文部科学省\t0012\t平成30年度\t0013", [(2017, "文部科学省", "0012"), (2018, None, "0013")]),
    ("2018年度\t0036\t2019年度\t0039", [(2018, None, "0036"), (2019, None, "0039")]),
    ("平成22年度\t\t平成23年度\t0038", [(2011, None, "0038")]),  # a year whose number cell is empty
    # several numbers in one cell (a merger), a note of a part, a ministry without a space
    ("平成30年度\t0139、0140\t令和元年度\t0141の一部", [(2018, None, "0139"), (2018, None, "0140"), (2019, None, "0141")]),
    ("平成30年度\t0062<br>0063\t令和元年度\t総務省0114", [(2018, None, "0062"), (2018, None, "0063"), (2019, "総務省", "0114")]),
])
def test_lineage_pairs(rows, expected):
    from transforms.read import to_grid
    from transforms.sections.context import SheetContext
    from transforms.sections.lineage import parse_lineage

    found = parse_lineage(to_grid(LINEAGE + rows), SheetContext("x.txt", 2020))
    assert [(r["past_review_year"], r["past_ministry"], r["past_project_number"]) for r in found] == expected


TITLE = "令和2年度行政事業レビューシート ( 総務省 )"


@pytest.mark.parametrize("header, number", [
    (TITLE + "\t\t\t事業番号\t0037", "0037"),  # a label cell and a value cell
    (TITLE + "\n<b>事業番号</b>\t0037", "0037"),
    (TITLE + " 事業番号 0037", "0037"),  # inside the title cell
    (TITLE + "\t事業番号:新02-0001", "新02-0001"),
    (TITLE + "\t\t\t事業番号\t復興庁:167 総務省:0037", "0037"),  # a joint sheet: the title ministry's entry
    (TITLE, None),  # not printed (the seed)
    (TITLE + "\t(詳細は事業番号922-1~922-10)参照", None),  # a reference in text is no own number
])
def test_own_project_number(header, number):
    from tests.conftest import SEED
    from transforms.sources.text_sheet import parse_bytes

    sheet = parse_bytes(SEED.read_text(encoding="utf-8").replace(TITLE, header).encode("utf-8"), "x.txt")
    assert sheet.project["project_number"] == number
