"""Cells naming review sheets by ministry and 事業番号: a sheet's own number and its lineage.

One reader (`transforms.sections.project_numbers.number_entries`) serves the 事業番号
cell of the header (`own_number`) and the cells of 関連する過去のレビューシートの事業番号.
"""

from __future__ import annotations

import pytest

from tests.conftest import SEED

SEED_TITLE = "令和2年度行政事業レビューシート ( 総務省 )"
SEED_LINEAGE_2019 = "平成31年度\t総務省 ( 0037 )"


@pytest.mark.parametrize(("printed", "entries"), [
    # forms read before: one or several numbers, notes, a ministry before its number
    ("0037", [(None, "0037")]),
    ("0139、0140", [(None, "0139"), (None, "0140")]),
    ("0141の一部", [(None, "0141")]),
    ("0142(新規)", [(None, "0142")]),
    ("0062 0063", [(None, "0062"), (None, "0063")]),
    ("新30 0035", [(None, "新30 0035")]),
    ("0032-2", [(None, "0032-2")]),
    ("総務省 ( 0037 )", [("総務省", "0037")]),
    ("総務省:0037", [("総務省", "0037")]),
    ("総務省0114", [("総務省", "0114")]),
    ("総務省(0037)、文部科学省(0012)", [("総務省", "0037"), ("文部科学省", "0012")]),
    ("2021-総務-20-0032", [(None, "2021-総務-20-0032")]),  # the ministry's abbreviation is part of the number
    ("2023-府-22-0014", [(None, "2023-府-22-0014")]),
    ("-", []), ("該当なし", []), ("新規", []), ("総務省", []),
    # a full-width colon is the colon
    ("総務省：0037", [("総務省", "0037")]),
    # bodies whose names do not end in 省
    ("内閣官房:12", [("内閣官房", "12")]),
    ("内閣官房 0012", [("内閣官房", "0012")]),
    ("内閣官房(0012)", [("内閣官房", "0012")]),
    ("復興庁:167", [("復興庁", "167")]),
    ("デジタル庁 0003", [("デジタル庁", "0003")]),
    ("内閣府:0049", [("内閣府", "0049")]),
    ("会計検査院 0001", [("会計検査院", "0001")]),
    ("原子力規制委員会:0045", [("原子力規制委員会", "0045")]),
    ("内閣法制局 1", [("内閣法制局", "1")]),
    ("資源エネルギー庁:0210", [("資源エネルギー庁", "0210")]),
    # several ministries in one cell, separated by spaces only (a joint sheet)
    ("復興庁 12 国土交通省 529", [("復興庁", "12"), ("国土交通省", "529")]),
    ("復興庁:167 環境省:127", [("復興庁", "167"), ("環境省", "127")]),
    ("復興庁(167) 環境省(127)", [("復興庁", "167"), ("環境省", "127")]),
    ("復興:167 環境:127", [("復興", "167"), ("環境", "127")]),  # any word before a colon names a ministry
    ("内閣官房(12)、復興庁(3)", [("内閣官房", "12"), ("復興庁", "3")]),
])
def test_number_entries(printed, entries):
    from transforms.sections.project_numbers import number_entries

    assert number_entries(printed) == entries


@pytest.mark.parametrize(("printed", "ministry", "expected"), [
    # one ministry's number: the number without the ministry, whatever the colon
    ("総務省：0037", "総務省", "0037"),
    ("総務省:0037", "総務省", "0037"),
    ("総務省 ( 0037 )", "総務省", "0037"),
    ("内閣官房:12", "内閣官房", "12"),
    # a joint sheet lists each ministry's number: the title ministry's one
    ("内閣官房(12)、復興庁(3)", "復興庁", "3"),
    ("内閣官房(12)、復興庁(3)", "内閣官房", "12"),
    ("内閣官房:12 復興庁:3", "復興庁", "3"),
    ("復興庁 12 国土交通省 529", "国土交通省", "529"),
    ("復興庁:167 環境省:127", "環境省", "127"),
    ("復興庁:167 環境省:127", "内閣府", "167"),  # the title ministry not among them: the first, as before
    ("復興:167 環境:127", "復興庁", "167"),  # words before colons as names, as before
    ("内閣官房 167 復興 0127", "内閣官房", "内閣官房 167 復興 0127"),  # not taken apart: as printed, as before
    # numbers without a ministry stay as printed
    ("新30 0035", "総務省", "新30 0035"),
    ("2021-総務-20-0032", "総務省", "2021-総務-20-0032"),
    ("新31-0035(新規)", "総務省", "新31-0035"),
    ("新規", "総務省", None),
])
def test_own_number(printed, ministry, expected):
    from transforms.sections.project_numbers import own_number

    assert own_number(printed, ministry) == expected


def _seed_sheet(title: str, lineage_2019: str | None = None, number: str | None = None):
    """The seed with another title, another 平成31年度 lineage pair and a 事業番号 cell."""
    from transforms.sources.text_sheet import parse_bytes

    text = SEED.read_text(encoding="utf-8")
    if number is not None:
        title = f"{title}\t\t\t事業番号\t{number}"
    text = text.replace(SEED_TITLE, title)
    if lineage_2019 is not None:
        text = text.replace(SEED_LINEAGE_2019, lineage_2019)
    return parse_bytes(text.encode("utf-8"), "x.txt")


@pytest.mark.parametrize(("cell", "expected"), [
    ("内閣官房:12", [(2019, "内閣官房", "12")]),
    ("復興庁 12 国土交通省 529", [(2019, "復興庁", "12"), (2019, "国土交通省", "529")]),
    ("総務省：0037", [(2019, "総務省", "0037")]),
])
def test_lineage_cell_of_a_sheet(cell, expected):
    lineage = _seed_sheet(SEED_TITLE, lineage_2019=f"平成31年度\t{cell}").tables["lineage"]
    assert [(r["past_review_year"], r["past_ministry"], r["past_project_number"])
            for r in lineage if r["past_review_year"] == 2019] == expected


@pytest.mark.parametrize(("ministry", "number", "expected"), [
    ("復興庁", "内閣官房(12)、復興庁(3)", "3"),
    ("総務省", "総務省：0037", "0037"),
])
def test_own_number_of_a_sheet(ministry, number, expected):
    sheet = _seed_sheet(f"令和2年度行政事業レビューシート ( {ministry} )", number=number)
    assert (sheet.project["ministry"], sheet.project["project_number"]) == (ministry, expected)


def test_the_same_ministry_names_serve_the_title():
    """`MINISTRY_ENDING` is also how a title printed without brackets names its ministry."""
    from transforms.read import to_grid
    from transforms.sections.title import parse_title

    assert parse_title(to_grid("令和2年度行政事業レビューシート　内閣官房"))[:2] == (2020, "内閣官房")
