"""Printed variants of the lineage table (関連する過去のレビューシートの事業番号) and of the
sheet title found by an audit of those sections: each case is a small edit of a form
fixture that must parse to the fixture's own rows."""

from __future__ import annotations

import pytest

from tests.transforms.variants import mutate, parse_sheet, sheet_text

TITLE_2020 = "令和2年度行政事業レビューシート ( 国土交通省 )"
LINEAGE_2020 = "平成29年度\t0243\t平成30年度\t0239\t\t\t\t\n平成31年度\t国土交通省 ( 0241 )"


def _rows(text: str, table: str) -> list[dict]:
    return [{k: v for k, v in row.items() if k != "project_key"} for row in parse_sheet(text).tables[table]]


@pytest.mark.parametrize("printed", [
    "平成29年度 0243\t平成30年度 0239\n平成31年度 国土交通省 ( 0241 )",  # a year and its number in one cell
    "平成29年度\u30000243\t平成30年度\u30000239\n平成31年度\u3000国土交通省 ( 0241 )",  # an ideographic space
    "H29:0243\tH30:0239\nH31:国土交通省 ( 0241 )",
    "平成29年度:0243\t平成30年度:0239\n平成31年度 国土交通省 ( 0241 )",
    "平成29年度 0243\t平成30年度\t0239\n平成31年度\t国土交通省 ( 0241 )",  # one pair in one cell, one in two
])
def test_a_lineage_year_and_its_number_in_one_cell(printed):
    text = sheet_text("2020")
    assert _rows(mutate(text, LINEAGE_2020, printed), "lineage") == _rows(text, "lineage")


@pytest.mark.parametrize("printed", [
    "平成29\t0243\t平成30\t0239\t\t\t\t\n平成31\t国土交通省 ( 0241 )",  # an era year without 年 / 年度
    "平成29\t0243\t平成30年度\t0239\t\t\t\t\n平成31年\t国土交通省 ( 0241 )",
    "平成29 0243\t平成30 0239\n平成31 国土交通省 ( 0241 )",  # ... and its number in the same cell
])
def test_a_lineage_year_printed_without_nen(printed):
    text = sheet_text("2020")
    assert _rows(mutate(text, LINEAGE_2020, printed), "lineage") == _rows(text, "lineage")


@pytest.mark.parametrize("printed", [
    "平成29年度\n0243\n平成30年度\n0239\n平成31年度\n国土交通省 ( 0241 )",  # one column: a year, its number below
    "\t平成29年度\n\t0243\n\t平成30年度\n\t0239\n\t平成31年度\n\t国土交通省 ( 0241 )",
    "平成29年度\t平成30年度\n0243\t0239\n平成31年度\n国土交通省 ( 0241 )",  # a grid, its last pair alone
])
def test_lineage_pairs_printed_down_one_column(printed):
    text = sheet_text("2020")
    assert _rows(mutate(text, LINEAGE_2020, printed), "lineage") == _rows(text, "lineage")


@pytest.mark.parametrize("printed", [
    "令和2年度\n行政事業レビューシート ( 国土交通省 )",  # (the year alone on the row above: read before)
    "令和2年度\n行政事業レビューシート\t( 国土交通省 )",
    "令和2年度\n行政事業レビューシート 国土交通省",
    "令和2年度行政事業\nレビューシート ( 国土交通省 )",  # the title words split
    "令和2年度\t行政事業\nレビューシート ( 国土交通省 )",
    "令和2年度 行政事業\nレビューシート ( 国土交通省 )",
    "令和2年度行政事業\tレビューシート ( 国土交通省 )",
    "令和2年度\t行政事業\tレビューシート\t( 国土交通省 )",
    "令和2年度 行政事業\nレビューシート\n( 国土交通省 )",
    "令和2年度行政事業レビュー\nシート ( 国土交通省 )",
    "令和2年度\t行政\t事業レビューシート ( 国土交通省 )",
])
def test_title_words_split_over_rows_or_cells(printed):
    assert_title_read(printed)


@pytest.mark.parametrize("printed", [
    "令和二年度行政事業レビューシート ( 国土交通省 )",  # kanji numerals
    "2020年度行政事業レビューシート ( 国土交通省 )",  # a Western year
    "R2年度行政事業レビューシート ( 国土交通省 )",  # an era letter
    "R2 年度 行政事業レビューシート ( 国土交通省 )",
    "令和2(2020)年度行政事業レビューシート ( 国土交通省 )",  # a second reading in brackets
    "行政事業レビューシート(R2年度) ( 国土交通省 )",
])
def test_a_title_year_printed_otherwise(printed):
    assert_title_read(printed)


@pytest.mark.parametrize("printed, year", [
    ("平成三十年度行政事業レビューシート ( 国土交通省 )", 2018),
    ("平成二十六年行政事業レビューシート ( 国土交通省 )", 2014),
    ("令和元(平成31)年度行政事業レビューシート ( 国土交通省 )", 2019),
    ("H30年度行政事業レビューシート ( 国土交通省 )", 2018),
    ("R1年度行政事業レビューシート ( 国土交通省 )", 2019),
    ("2014年度行政事業レビューシート ( 国土交通省 )", 2014),
    ("令和三年度\n行政事業レビューシート ( 国土交通省 )", 2021),
])
def test_a_title_year_read_as_printed(printed, year):
    from transforms.read import to_grid
    from transforms.sections.locate import split_sections
    from transforms.sections.title import parse_title

    text = mutate(sheet_text("2020"), TITLE_2020, printed)
    assert parse_title(split_sections(to_grid(text)).get("header"))[:2] == (year, "国土交通省")


def assert_title_read(printed: str, form: str = "2020", title: str = TITLE_2020,
                      expected: tuple[int, str] = (2020, "国土交通省")) -> None:
    """The `form` fixture with its `title` printed as `printed` reads the same year, ministry
    and key as the fixture (its title row found by `parse_title` itself)."""
    from transforms.read import to_grid
    from transforms.sections.locate import split_sections
    from transforms.sections.title import parse_title

    text = mutate(sheet_text(form), title, printed)
    assert parse_title(split_sections(to_grid(text)).get("header"))[:2] == expected
    project, fixture = parse_sheet(text).project, parse_sheet(sheet_text(form)).project
    assert (project["project_key"], project["review_year"], project["ministry"]) == \
        (fixture["project_key"], fixture["review_year"], fixture["ministry"])


@pytest.mark.parametrize("printed", [
    "行政事業レビューシート 令和2年度 国土交通省",
    "行政事業レビューシート 令和2年度 ( 国土交通省 )",
    "行政事業レビューシート 国土交通省 令和2年度",
])
def test_a_year_after_the_title_words_is_no_part_of_the_ministry(printed):
    assert_title_read(printed)


@pytest.mark.parametrize("printed", [
    "平成二十九年度\t0243\t平成三十年度\t0239\t\t\t\t\n平成三十一年度\t国土交通省 ( 0241 )",
    "平成二十九年度 0243\t平成三十年度 0239\n平成三十一年度 国土交通省 ( 0241 )",
])
def test_a_lineage_year_in_kanji_numerals(printed):
    text = sheet_text("2020")
    assert _rows(mutate(text, LINEAGE_2020, printed), "lineage") == _rows(text, "lineage")
