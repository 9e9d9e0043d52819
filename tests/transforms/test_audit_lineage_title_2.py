"""Printed variants of the lineage table (関連する過去のレビューシートの事業番号), of the
sheet title and of its repetition at a page break, found by a second audit of those
sections: each case is a small edit of a form fixture that must parse to the fixture's
own rows, or report what it cannot read."""

from __future__ import annotations

import pytest

from tests.transforms.test_audit_lineage_title import TITLE_2020, assert_title_read
from tests.transforms.variants import mutate, parse_sheet, sheet_text

LINEAGE_2020 = "平成29年度\t0243\t平成30年度\t0239\t\t\t\t\n平成31年度\t国土交通省 ( 0241 )"


def rows_of(text: str, table: str) -> list[dict]:
    return [{k: v for k, v in row.items() if k != "project_key"} for row in parse_sheet(text).tables[table]]


def lineage_read(printed: str) -> None:
    """The 2020 fixture with its lineage table printed as `printed` reads the fixture's rows."""
    text = sheet_text("2020")
    assert rows_of(mutate(text, LINEAGE_2020, printed), "lineage") == rows_of(text, "lineage")


@pytest.mark.parametrize("printed", [
    "平成29年度\t\t平成30年度\t\t\n\t0243\t\t0239\n平成31年度\t国土交通省 ( 0241 )",  # numbers one column right
    "\t平成29年度\t\t平成30年度\n0243\t\t0239\n平成31年度\t国土交通省 ( 0241 )",  # ... one column left
    "平成29年度\t\t平成30年度\t\t平成31年度\n\t0243\t\t0239\t\t国土交通省 ( 0241 )",
    "平成29年度\t\t平成30年度\t\t平成31年度\n\t0243\t\t0239\t\t-\n平成31年度\t国土交通省 ( 0241 )",  # (a year without its number)
])
def test_lineage_numbers_one_column_beside_their_years(printed):
    lineage_read(printed)


@pytest.mark.parametrize("printed", [
    "\t平成29年度\t\t平成30年度\n\t\t0243\n平成31年度\t国土交通省 ( 0241 )",  # 0243 in column 2: 29's or 30's?
    "平成29年度\t\t平成30年度\t\t平成31年度\n\t0243\t\t0239\n平成31年度\t国土交通省 ( 0241 )",  # 29, 30 or 30, 31?
])
def test_lineage_numbers_between_two_years_are_reported(printed):
    """Numbers that either shift puts under a year may be either year's: no row, a warning."""
    parsed = parse_sheet(mutate(sheet_text("2020"), LINEAGE_2020, printed))
    assert [r["past_project_number"] for r in parsed.tables["lineage"]] == ["0241"]
    assert any(i.table_name == "lineage" and "0243" in i.message for i in parsed.issues)


@pytest.mark.parametrize("printed", [
    "平成29年度 0243 平成30年度 0239\n平成31年度 国土交通省 ( 0241 )",  # two pairs in one cell
    "平成29年度 0243<br>平成30年度 0239\n平成31年度 国土交通省 ( 0241 )",  # ... on two lines of the cell
    "平成29年度 0243、平成30年度 0239\n平成31年度 国土交通省 ( 0241 )",
    "平成29年度:0243、平成30年度:0239、平成31年度:国土交通省 ( 0241 )",  # every pair in one cell
    "H29:0243 H30:0239\nH31:国土交通省 ( 0241 )",
    "平成29年度\t0243 平成30年度 0239\n平成31年度\t国土交通省 ( 0241 )",  # a number, then the next pair
    "平成29年度 0243 平成30年度 0239 平成31年度(令和元年度) 国土交通省 ( 0241 )",  # (a second reading)
])
def test_several_lineage_pairs_in_one_cell(printed):
    lineage_read(printed)


@pytest.mark.parametrize("printed", [
    "令和2年度\n行政事業\nレビューシート ( 国土交通省 )",  # year, head and tail of the title words on three rows
    "令和2年度\n行政\n事業レビューシート ( 国土交通省 )",
    "令和2年度\n行政事業\nレビューシート\n( 国土交通省 )",
    "令和2年度\n\n行政事業\n\nレビューシート ( 国土交通省 )",  # (blank rows between)
    "令和2年度\n行政事業\tレビューシート ( 国土交通省 )",  # (the year on the row above a split cell)
])
def test_a_title_split_over_three_rows(printed):
    assert_title_read(printed)


# a title printed split, as the sheet's own title and (its print title rows) at the top of
# every later page
SPLIT_TITLES = [
    "令和2年度\n行政事業レビューシート ( 国土交通省 )",  # the year on a row of its own
    "令和2年度\t行政事業レビューシート ( 国土交通省 )",  # ... in a cell of its own
    "令和2年度行政事業レビューシート\t( 国土交通省 )",  # the ministry in a cell of its own
    "令和2年度行政事業レビューシート\n( 国土交通省 )",  # ... on a row of its own
    "令和2年度行政事業\nレビューシート ( 国土交通省 )",  # the title words split over rows
    "令和2年度行政事業\tレビューシート ( 国土交通省 )",  # ... over cells
    "令和2年度\n\n行政事業\nレビューシート ( 国土交通省 )",
]
# (the line after which the page break falls: inside which section)
PAGE_BREAK_AFTER = [
    "\t\t予備費等\t",  # budget rows
    "\t委託費\t194\t153",  # 予算内訳 rows
    "\t平成33年度までに民泊",  # between the rows of an outcome indicator
    "\t制度周知を行った自治体数",  # ... of an activity indicator
    "\t\t実績値",  # ... of a policy KPI
    "\t政策目的の達成手段として",  # 点検 rows
    "事業の成果を分かりやすく示す指標",  # inside an opinion text
    "平成29年度\t0243",  # lineage rows
    "委託費\t住宅宿泊事業者等情報管理",  # 費目・用途 rows
    "1\tエヌ・ティ・ティ",  # payee rows
]


@pytest.mark.parametrize("after", PAGE_BREAK_AFTER)
@pytest.mark.parametrize("title", SPLIT_TITLES)
def test_a_split_title_repeated_at_a_page_break_leaves_the_rows_unchanged(title, after):
    text = mutate(sheet_text("2020"), TITLE_2020, title)
    lines = text.split("\n")
    at = next(n for n, line in enumerate(lines) if line.startswith(after)) + 1
    parsed, fixture = parse_sheet("\n".join(lines[:at] + [title] + lines[at:])), parse_sheet(text)
    assert fixture.project["review_year"] == 2020 and fixture.project["ministry"] == "国土交通省"
    assert {k: v for k, v in parsed.tables.items() if k != "project"} == \
        {k: v for k, v in fixture.tables.items() if k != "project"}
    assert {k: v for k, v in parsed.project.items() if k != "source_sha256"} == \
        {k: v for k, v in fixture.project.items() if k != "source_sha256"}
    assert [i.message for i in parsed.issues] == [i.message for i in fixture.issues]
