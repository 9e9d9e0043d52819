"""Printed variants of the indicator blocks (成果目標及び成果実績, 活動指標及び活動実績,
単位当たりコスト) found by an audit of empty cells in the middle of a row (a cell merged over
two columns in a measure row, not in its header): each case is a small edit of a form
fixture that must parse to the fixture's own rows."""

from __future__ import annotations

import pytest

from tests.transforms.variants import indicator_rows, mutate, sheet_text, with_gap

OUTCOME_2021 = "\t成果実績\t日\t365\t365\t365\t-\t-"
TARGET_2021 = "\t目標値\t日\t365\t365\t365\t-\t-"
ACTIVITY_2021 = "\t活動実績\t件\t2\t3\t3\t-\t-"
COST_2021 = "\t単位当たりコスト\t千円\t24,622\t6,413.3\t16,200.3\t-"


@pytest.mark.parametrize("line, before", [
    (OUTCOME_2021, 3), (OUTCOME_2021, 4), (OUTCOME_2021, 5), (OUTCOME_2021, 7),
    (TARGET_2021, 4), (TARGET_2021, 6),
    (ACTIVITY_2021, 3), (ACTIVITY_2021, 5),
    (COST_2021, 3), (COST_2021, 4), (COST_2021, 5),
], ids=["actual-unit", "actual-1st", "actual-2nd", "actual-interim", "target-1st", "target-final",
        "activity-unit", "activity-2nd", "cost-unit", "cost-1st", "cost-2nd"])
def test_measure_row_with_an_empty_cell_among_its_values(line, before):
    """`成果実績 | 日 | 365 | | 365 | 365 | - | -` (a value cell merged over two columns):
    each value under its own year or period (they were read one column right, the last
    dropped; after the unit, the unit was lost)."""
    text = sheet_text("2021-23")
    variant = mutate(text, line, with_gap(line, before))
    assert indicator_rows(variant) == indicator_rows(text)


OUTCOME_HEADER_2021 = "<b>単位</b>\t令和元年度\t2年度\t3年度\t<b>中間目標</b>\t<b>目標最終年度</b>"
ACTIVITY_HEADER_2021 = "<b>単位</b>\t令和元年度\t2年度\t3年度\t<b>4年度活動見込</b>\t<b>5年度活動見込</b>"
COST_HEADER_2021 = "<b>単位</b>\t令和元年度\t2年度\t3年度\t<b>4年度活動見込</b>\t"


@pytest.mark.parametrize("family, header, before", [
    ("2021-23", OUTCOME_HEADER_2021, 1), ("2021-23", OUTCOME_HEADER_2021, 2), ("2021-23", OUTCOME_HEADER_2021, 4),
    ("2021-23", OUTCOME_HEADER_2021, 5), ("2021-23", ACTIVITY_HEADER_2021, 3), ("2021-23", ACTIVITY_HEADER_2021, 5),
    ("2021-23", COST_HEADER_2021, 2), ("2021-23", COST_HEADER_2021, 4),
], ids=["outcome-1st", "outcome-2nd", "outcome-interim", "outcome-final", "activity-3rd", "activity-outlook-2",
        "cost-2nd", "cost-outlook"])
def test_year_header_with_an_empty_cell_between_its_columns(family, header, before):
    """`単位 | 令和元年度 | | 2年度 | …` (the header's year cell merged over two columns) over
    measure rows that merge none: each value under its own year or period (from the empty
    cell on they were read one column left: 2年度's value under 令和元年度, …)."""
    text = sheet_text(family)
    variant = mutate(text, header, with_gap(header, before))
    assert indicator_rows(variant) == indicator_rows(text)
