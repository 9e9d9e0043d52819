"""Sheets of two review years linked through the ministry + number entries they print.

Each case parses two small sheets and resolves identity over their `project` and
`lineage` rows: a lineage entry naming another body (`内閣官房:12`), a lineage cell
naming two ministries (`復興庁 12 国土交通省 529`), a joint sheet's own number
(`内閣官房(12)、復興庁(3)`) and a number printed with its ministry and a full-width
colon (`総務省：0037`).  Before the shared entry reader none of these pairs was linked.
"""

from __future__ import annotations

import pytest

from transforms.sources.text_sheet import parse_bytes
from warehouse.identity import PastNumber, Sheet, resolve_identity

ERA_LABELS = {2019: "令和元年度", 2020: "令和2年度", 2021: "令和3年度"}


def _sheet(review_year: int, ministry: str, number: str, lineage: str | None = None):
    """A small sheet: title, 事業名 and 事業番号, a budget table, and one lineage pair."""
    lines = [
        f"{ERA_LABELS[review_year]}行政事業レビューシート ({ministry})",
        f"<b>事業名</b>\t{ministry}の事業\t\t<b>事業番号</b>\t{number}",
        "<b>予算額・執行額(単位:百万円)</b>\t\t\t29年度\t30年度\t令和元年度\t2年度\t3年度要求",
        "\t予算の状況\t当初予算\t10\t10\t10\t10\t12",
        "\t計\t\t10\t10\t10\t10\t12",
    ]
    if lineage is not None:
        lines += ["関連する過去のレビューシートの事業番号", lineage]
    return parse_bytes("\n".join(lines).encode("utf-8"), f"{review_year}-{ministry}.txt")


def _identity(*parsed):
    sheets = [Sheet(p.project_key, p.project["review_year"], p.project["ministry"], p.project["project_number"],
                    p.project["project_name"]) for p in parsed]
    lineage = [PastNumber(p.project_key, r["past_review_year"], r["past_ministry"], r["past_project_number"])
               for p in parsed for r in p.tables["lineage"]]
    return resolve_identity(sheets, lineage)


@pytest.mark.parametrize(("earlier", "later"), [
    # another body's number in the lineage
    ((2019, "内閣官房", "0012", None), (2020, "内閣府", "0049", "令和元年度\t内閣官房:12")),
    # two ministries' numbers in one lineage cell, separated by spaces only
    ((2019, "復興庁", "0012", None), (2020, "国土交通省", "0529", "令和元年度\t復興庁 12 国土交通省 529")),
    # a joint sheet: its own number is the title ministry's entry
    ((2020, "復興庁", "内閣官房(12)、復興庁(3)", None), (2021, "復興庁", "0005", "令和2年度\t0003")),
    # a number printed with its ministry and a full-width colon
    ((2019, "総務省", "総務省：0037", None), (2020, "総務省", "0041", "令和元年度\t0037")),
])
def test_sheets_of_two_review_years_are_one_project(earlier, later):
    first, second = _sheet(*earlier), _sheet(*later)
    identity = _identity(first, second)
    assert identity.project_ids == {first.project_key: first.project_key, second.project_key: first.project_key}
    assert [(link["project_key"], link["linked_project_key"], link["evidence"]) for link in identity.links] == [
        (second.project_key, first.project_key, "lineage")]


def test_an_entry_of_another_ministry_does_not_link_the_own_ministrys_number():
    """`内閣官房:12` names 内閣官房's sheet 0012, not the 内閣府 sheet 0012 of the same year."""
    own_ministry = _sheet(2019, "内閣府", "0012")
    later = _sheet(2020, "内閣府", "0049", "令和元年度\t内閣官房:12")
    assert _identity(own_ministry, later).links == []


def test_one_number_of_two_ministries_in_one_lineage_cell_links_both_past_sheets():
    """`内閣官房(12)、復興庁(12)`: both earlier sheets numbered 12 are this project's past."""
    cabinet, reconstruction = _sheet(2019, "内閣官房", "0012"), _sheet(2019, "復興庁", "0012")
    later = _sheet(2020, "復興庁", "0005", "令和元年度\t内閣官房(12)、復興庁(12)")
    identity = _identity(cabinet, reconstruction, later)
    first = min(cabinet.project_key, reconstruction.project_key)
    assert set(identity.project_ids.values()) == {first}
    assert sorted((link["linked_project_key"], link["evidence"]) for link in identity.links) == sorted(
        [(cabinet.project_key, "lineage"), (reconstruction.project_key, "lineage")])
