"""Payee and lineage cells an audit found read narrower or other than printed: a lone
number after an empty 入札者数 cell, open year ranges and project numbers wrapped in the
lineage pairs.  Each case is a small edit of a form fixture."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.transforms.variants import mutate, parse_sheet, sheet_text

# --- a lone number after the 契約方式 cell: the 入札者数 or the 落札率 ---------------------

HEADER_2014 = "\t支出先\t業務概要\t支出額(百万円)\t契約方式等\t入札者数\t落札率"
PAYEE_2014 = "2\t中央日化サービス株式会社\t浴室整備\t2\t一般競争契約(最低価格)\t3\t77.6%"
PAYEE_2021 = "1\t株式会社NTTデータSMS\t2010601032678\tインターフェース機器\t46\t一般競争契約(最低価格)\t3\t87.1%\t"


def _payee(text: str, block: str, rank: int) -> dict:
    return next(r for r in parse_sheet(text).tables["recipient"] if (r["block"], r["rank"]) == (block, rank))


def _warnings(text: str) -> list[str]:
    return [i.message for i in parse_sheet(text).issues if i.table_name == "recipient"]


@pytest.mark.parametrize("family, old, new", [
    ("2014", PAYEE_2014, PAYEE_2014.replace("\t3\t77.6%", "\t\t1")),
    ("2021-23", PAYEE_2021, PAYEE_2021.replace("\t3\t87.1%\t", "\t\t1\t")),
    ("2021-23", PAYEE_2021, PAYEE_2021.replace("\t3\t87.1%\t", "\t\t1")),  # (its trailing cell dropped)
    ("2014", PAYEE_2014, PAYEE_2014.replace("\t3\t77.6%", "\t\t4")),
], ids=["2014", "2021", "2021-trailing-dropped", "2014-four"])
def test_a_whole_number_after_an_empty_bidders_cell_is_reported_not_read_as_a_rate(family, old, new):
    """`一般競争契約 | | 1` under `契約方式等 | 入札者数 | 落札率`: the empty cell is a blank
    入札者数 or the empty part of a 契約方式 cell merged over two columns, the `1` one
    bidder or a rate of 100 %: the row does not tell.  The payee is loaded without either
    value and the cell reported (file and line), never a 100 % rate."""
    text = mutate(sheet_text(family), old, new)
    payee = _payee(text, "A" if family == "2014" else "B", 2 if family == "2014" else 1)
    assert (payee["bidder_count"], payee["winning_bid_rate"]) == (None, None)
    assert payee["contract_method"] == "一般競争契約(最低価格)" and payee["amount_million_yen"] is not None
    line = next(n for n, printed in enumerate(text.split("\n"), 1) if printed == new)
    assert [m for m in _warnings(text) if "入札者数" in m and f"line {line}" in m and "variant.txt" in m]


@pytest.mark.parametrize("header, count", [
    (HEADER_2014.replace("契約方式等\t", "契約方式等\t\t"), 1),  # the header's own merged 契約方式 cell
    (HEADER_2014.replace("\t落札率", ""), 1),  # no 落札率 column
], ids=["header-merged-cell", "no-rate-column"])
def test_a_lone_number_the_header_places_is_read_under_its_column(header, count):
    """The header tells where the number stands: past its own merged 契約方式 cell, or in
    the only column left of it: one bidder, no rate, nothing reported."""
    text = mutate(sheet_text("2014"), HEADER_2014, header)
    text = mutate(text, PAYEE_2014, PAYEE_2014.replace("\t3\t77.6%", "\t\t1"))
    payee = _payee(text, "A", 2)
    assert (payee["bidder_count"], payee["winning_bid_rate"]) == (count, None)
    assert not [m for m in _warnings(text) if "入札者数" in m]


@pytest.mark.parametrize("printed, rate", [("87.1%", Decimal("0.871")), ("87.1", Decimal("0.871")), ("0.871", Decimal("0.871"))])
def test_a_rate_printed_as_a_rate_after_an_empty_bidders_cell_is_kept(printed, rate):
    """A percent or a decimal fraction cannot be a count of bidders: a rate, as printed."""
    text = mutate(sheet_text("2021-23"), PAYEE_2021, PAYEE_2021.replace("\t3\t87.1%\t", f"\t\t{printed}\t"))
    payee = _payee(text, "B", 1)
    assert (payee["bidder_count"], payee["winning_bid_rate"]) == (None, rate)
    assert not [m for m in _warnings(text) if "入札者数" in m]


def test_bidders_and_a_whole_rate_both_printed_are_read_as_printed():
    """`1 | 1`: one bidder at 100 % (a rate printed as a fraction): both cells filled, nothing to choose."""
    text = mutate(sheet_text("2021-23"), PAYEE_2021, PAYEE_2021.replace("\t3\t87.1%\t", "\t1\t1\t"))
    payee = _payee(text, "B", 1)
    assert (payee["bidder_count"], payee["winning_bid_rate"]) == (1, Decimal(1))


# --- lineage: a range of years without its end (`平成29年度～`) ---------------------------

LINEAGE_2020 = "平成29年度\t0243\t平成30年度\t0239\t\t\t\t\n平成31年度\t国土交通省 ( 0241 )"


def _lineage(text: str) -> list[tuple]:
    return [(r["past_review_year"], r["past_ministry"], r["past_project_number"]) for r in parse_sheet(text).tables["lineage"]]


def _lineage_warnings(text: str) -> list[str]:
    return [i.message for i in parse_sheet(text).issues if i.table_name == "lineage"]


@pytest.mark.parametrize("printed", [
    "平成28年度～\t0243\t平成31年度\t国土交通省 ( 0241 )",
    "平成28年度～ 0243\t平成31年度 国土交通省 ( 0241 )",  # a year and its number in one cell
    "平成28年度~0243\t平成31年度\t国土交通省 ( 0241 )",
    "平成28年度～\t0243\n平成31年度\t国土交通省 ( 0241 )",  # the next year on the next row
    "平成28年度以降\t0243\t平成31年度\t国土交通省 ( 0241 )",
    "平成28年度～\t平成31年度\n0243\t国土交通省 ( 0241 )",  # a grid: the numbers under their years
], ids=["cells", "one-cell", "no-space", "next-row", "ikou", "grid"])
def test_an_open_range_ends_before_the_next_year_the_table_prints(printed):
    """`平成28年度～ 0243` then `平成31年度 …`: the number from 2016 up to the next printed
    year, not 2016 alone."""
    text = mutate(sheet_text("2020"), LINEAGE_2020, printed)
    assert _lineage(text) == [(2016, None, "0243"), (2017, None, "0243"), (2018, None, "0243"), (2019, "国土交通省", "0241")]
    assert not _lineage_warnings(text)


@pytest.mark.parametrize("printed", ["平成29年度～\t0243", "平成29年度～ 0243", "平成29年度～\n0243"],
                         ids=["cells", "one-cell", "grid"])
def test_an_open_range_last_in_the_table_is_reported(printed):
    """The last pair `平成29年度～ 0243` on a 2020 sheet: the form does not say where the
    range ends (the sheet's own year is no past sheet): the start year is loaded, the rest
    of the range reported (file, the cell), never read silently as 2017 alone."""
    text = mutate(sheet_text("2020"), LINEAGE_2020, printed)
    assert _lineage(text) == [(2017, None, "0243")]
    assert [m for m in _lineage_warnings(text) if "variant.txt" in m and "平成29年度" in m and "end" in m]


def test_an_open_range_from_the_last_past_year_needs_no_end():
    """`平成31年度～` on a 2020 sheet: 2019 is the last year a past sheet can have."""
    text = mutate(sheet_text("2020"), LINEAGE_2020, "平成29年度\t0243\t平成31年度～\t0241")
    assert _lineage(text) == [(2017, None, "0243"), (2019, None, "0241")]
    assert not _lineage_warnings(text)


# --- lineage: a number wrapped over two lines of its cell --------------------------------

WRAPPED = [(2017, None, "新29-0243"), (2018, None, "0239"), (2019, "国土交通省", "2019-国交-18-0241")]


@pytest.mark.parametrize("printed", [
    "平成29年度\t新29-\t平成30年度\t0239\n\t0243\n平成31年度\t国土交通省 ( 2019-国交-\n\t18-0241 )",  # split over rows
    "平成29年度\t新29-<br>0243\t平成30年度\t0239\n平成31年度\t国土交通省 ( 2019-国交-<br>18-0241 )",  # a line break
    "平成29年度 新29-<br>0243\t平成30年度 0239\n平成31年度 国土交通省 ( 2019-国交-<br>18-0241 )",  # year and number in one cell
    "平成29年度\t平成30年度\t平成31年度\n新29-\t0239\t国土交通省 ( 2019-国交-\n0243\t\t18-0241 )",  # a grid
], ids=["rows", "br", "one-cell", "grid"])
def test_a_number_wrapped_after_a_dash_is_read_whole(printed):
    """A long number wraps at a dash (`新29-` / `0243`): the dash ending the first line
    tells that the number goes on, on the line below (or the row below, at its column)."""
    text = mutate(sheet_text("2020"), LINEAGE_2020, printed)
    assert _lineage(text) == WRAPPED
    assert not _lineage_warnings(text)


def test_two_numbers_wrapped_on_one_row_are_each_read_whole():
    text = mutate(sheet_text("2020"), LINEAGE_2020, "平成29年度\t新29-\t平成30年度\t新30-\n\t0243\t\t0239")
    assert _lineage(text) == [(2017, None, "新29-0243"), (2018, None, "新30-0239")]
    assert not _lineage_warnings(text)


def test_a_number_ending_in_a_dash_without_its_end_is_reported():
    """`新30-` with no line that could end it: reported, not loaded as printed."""
    text = mutate(sheet_text("2020"), LINEAGE_2020, "平成29年度\t0243\t平成30年度\t新30-")
    assert _lineage(text) == [(2017, None, "0243")]
    assert [m for m in _lineage_warnings(text) if "新30-" in m and "variant.txt" in m]
