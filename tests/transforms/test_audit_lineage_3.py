"""Printed variants of the lineage table (関連する過去のレビューシートの事業番号) found by a
third audit: a cell of several years beside a cell of as many numbers, and numbers the
table prints but pairs with no year (reported, never dropped silently).  Each case is a
small edit of the 2020 form fixture that must parse to the fixture's own rows, or report
what it cannot read."""

from __future__ import annotations

import pytest

from tests.transforms.test_audit_lineage_title_2 import LINEAGE_2020, lineage_read
from tests.transforms.variants import mutate, parse_sheet, sheet_text

@pytest.mark.parametrize("printed", [
    "平成29年度、平成30年度\t0243、0239\n平成31年度\t国土交通省 ( 0241 )",
    "平成29年度<br>平成30年度\t0243<br>0239\n平成31年度\t国土交通省 ( 0241 )",  # (line breaks in the cells)
    "平成29年度 平成30年度\t0243 0239\n平成31年度\t国土交通省 ( 0241 )",
    "H29、H30\t0243、0239\nH31\t国土交通省 ( 0241 )",
    "平成29年度、平成30年度、平成31年度\t0243、0239、国土交通省 ( 0241 )",
    "平成29年度、平成30年度\n0243、0239\n平成31年度\t国土交通省 ( 0241 )",  # (the numbers on the row below)
])
def test_a_cell_of_years_beside_a_cell_of_as_many_numbers_pairs_them_in_order(printed):
    lineage_read(printed)


@pytest.mark.parametrize("printed", [
    "平成29年度、平成30年度\t0243、0239、0240\n平成31年度\t国土交通省 ( 0241 )",
    "平成29年度、平成30年度、平成31年度\t0243、0239\n平成31年度\t国土交通省 ( 0241 )",
])
def test_a_cell_of_years_beside_a_cell_of_other_count_of_numbers_is_reported(printed):
    """Which year is which number's cannot be told: none of them loaded, a warning."""
    parsed = parse_sheet(mutate(sheet_text("2020"), LINEAGE_2020, printed))
    assert [r["past_project_number"] for r in parsed.tables["lineage"]] == ["0241"]
    assert any(i.table_name == "lineage" and "0243" in i.message and "0239" in i.message for i in parsed.issues)


@pytest.mark.parametrize("printed, unpaired", [
    # numbers two columns right of their years
    ("平成29年度\t\t\t平成30年度\n\t\t0243\t\t\t0239\n平成31年度\t国土交通省 ( 0241 )", ["0243", "0239"]),
    # a number on a row of its own after the pairs
    ("平成29年度\t0243\t平成30年度\t0239\n平成31年度\t国土交通省 ( 0241 )\n0300", ["0300"]),
])
def test_a_lineage_number_paired_with_no_year_is_reported(printed, unpaired):
    parsed = parse_sheet(mutate(sheet_text("2020"), LINEAGE_2020, printed))
    read = [r["past_project_number"] for r in parsed.tables["lineage"]]
    warned = [i.message for i in parsed.issues if i.check_name == "lineage_unpaired"]
    for number in unpaired:
        assert number not in read and any(number in message for message in warned), (read, warned)


@pytest.mark.parametrize("printed", [
    "平成29、30年度\t0243、0239\n平成31年度\t国土交通省 ( 0241 )",  # the era printed once
    "平成29年度、30年度\t0243、0239\n平成31年度\t国土交通省 ( 0241 )",
    "平成29・30年度\t0243・0239\n平成31年度\t国土交通省 ( 0241 )",
    "平成29、30、31年度\t0243、0239、国土交通省 ( 0241 )",
])
def test_years_of_one_era_printed_once_beside_their_numbers(printed):
    lineage_read(printed)
