"""Printed variants of the 予算内訳, the 支出先上位10者リスト and the 費目・用途 found by an
audit of empty cells in the middle of a row (a cell merged over two columns in the line,
or in its header, not in the other): each case is a small edit of a form fixture that must
parse to the fixture's own rows, or be reported when nothing printed tells how to read it."""

from __future__ import annotations

import pytest

from tests.transforms.variants import mutate, parse_sheet, sheet_text

ITEMS_2021 = ("\t庁費\t12.8\t267\t事業の拡充による増", "\t職員旅費\t5.9\t125", "\t諸謝金\t4.3\t91", "\t計\t23\t483")
HEADER_2021 = "<b>4年度当初予算</b>\t<b>5年度要求</b>\t<b>主な増減理由</b>"


def _rows(text: str, table: str) -> list[dict]:
    rows = parse_sheet(text).tables[table]
    if table == "printed_total":
        rows = [row for row in rows if row["table_name"] == "budget_item"]
    return [{k: v for k, v in row.items() if k not in ("project_key", "raw_text")} for row in rows]


def _assert_same(variant: str, text: str, tables: tuple[str, ...] = ("budget_item", "printed_total")) -> None:
    for table in tables:
        assert _rows(variant, table) == _rows(text, table)


def _issues(text: str, table: str) -> list[str]:
    return [i.check_name for i in parse_sheet(text).issues if i.table_name == table]


# --- 1. 予算内訳: an empty cell among the amounts or before the reason ------------------

@pytest.mark.parametrize("printed, expected", [
    ("\t職員旅費\t5.9\t\t125\t人員増", "\t職員旅費\t5.9\t125\t人員増"),  # the budget cell merged over two columns
    ("\t職員旅費\t5.9\t\t125", "\t職員旅費\t5.9\t125"),  # the same, without a reason
    ("\t庁費\t12.8\t267\t\t事業の拡充による増", ITEMS_2021[0]),  # the request cell merged
    ("\t計\t23\t\t483", ITEMS_2021[3]),
], ids=["budget-merged", "budget-merged-no-reason", "request-merged", "total"])
def test_budget_item_empty_cell_among_the_amounts_of_a_line(printed, expected):
    """`\\t職員旅費\\t5.9\\t\\t125\\t人員増`: the request is 125 and the reason 人員増 (the
    request was lost, "125" stored as the reason); `\\t庁費\\t12.8\\t267\\t\\t理由`: the reason
    is kept (it was dropped)."""
    text = sheet_text("2021-23")
    if expected != ITEMS_2021[0] and expected != ITEMS_2021[3]:
        text = mutate(text, ITEMS_2021[1], expected)
    variant = mutate(text, expected, printed)
    _assert_same(variant, text)
    assert not _issues(variant, "budget_item")


def test_budget_item_empty_cell_among_the_columns_of_the_header():
    """`4年度当初予算 | | 5年度要求 | 主な増減理由` (the header's budget cell merged over two
    columns) over lines printed without the empty cell: each request read under 5年度要求
    (the reason was read as the request, the requests lost)."""
    text = sheet_text("2021-23")
    variant = mutate(text, HEADER_2021, HEADER_2021.replace("</b>\t<b>5", "</b>\t\t<b>5"))
    _assert_same(variant, text)
    assert not _issues(variant, "budget_item")


def test_budget_item_empty_cell_read_two_ways_is_reported():
    """Three amount columns, a line with two empty cells among its amounts and reason
    (`\t職員旅費\t4.0\t\t5.9\t\t人員増`): a blank 4年度 budget and a merged request
    cell, or a merged budget cell and a blank request; nothing tells, reported, not loaded."""
    text = mutate(sheet_text("2021-23"), HEADER_2021, "<b>3年度当初予算</b>\t" + HEADER_2021)
    text = mutate(text, ITEMS_2021[1], "\t職員旅費\t4.0\t\t5.9\t\t人員増")
    rows = _rows(text, "budget_item")
    assert "職員旅費" not in {r["item_name"] for r in rows}
    assert "ambiguous_amounts" in _issues(text, "budget_item")


# --- 2. 予算内訳 columns headed `当初` without 予算 -------------------------------------

@pytest.mark.parametrize("printed", [
    "R4当初\tR5要求", "令和4当初\t令和5要求", "4年度当初\t5年度要求", "R4年度当初\tR5年度要求", "当初\t要求",
    "4年度\n当初", "R4 当初\tR5 要求",
], ids=["era-letter", "era-name", "year", "era-letter-nendo", "no-year", "two-lines", "spaced"])
def test_budget_item_column_headed_tousho_without_yosan(printed):
    """`R4当初` / `R5要求`: the review year's budget, read as `4年度当初予算` is (the
    column was reported unknown and not loaded)."""
    text = sheet_text("2021-23")
    if "\n" in printed:  # a two-line header: the years, then the amount words below them
        variant = mutate(text, "<b>4年度当初予算</b>\t<b>5年度要求</b>\t<b>主な増減理由</b>\t\t\t\t\t\n",
                         "4年度\t5年度\t<b>主な増減理由</b>\t\t\t\t\t\n\t\t当初\t要求\n")
    else:
        variant = mutate(text, "<b>4年度当初予算</b>\t<b>5年度要求</b>", printed)
    _assert_same(variant, text)
    assert not _issues(variant, "budget_item")


# --- 3. 支出先上位10者リスト: an empty cell in a payee row or in its header --------------

def _with_empty_cell(text: str, line: str, position: int) -> str:
    """`text` with an empty cell inserted before the cell at `position` of `line`."""
    cells = line.split("\t")
    return mutate(text, line, "\t".join([*cells[:position], "", *cells[position:]]))


RECIPIENT_LINES = {
    "2021-23": ("\t支出先\t法人番号\t業務概要\t支出額(百万円)\t契約方式等\t入札者数(応募者数)\t落札率\t",
                "1\t株式会社NTTデータSMS\t2010601032678\tインターフェース機器\t46\t一般競争契約(最低価格)\t3\t87.1%\t",
                "3\t職員旅費(職員A)\t\t検査のための出張旅費\t0.02\t\t-\t-\t"),
    "2014": ("\t支出先\t業務概要\t支出額(百万円)\t契約方式等\t入札者数\t落札率",
             "2\t中央日化サービス株式会社\t浴室整備\t2\t一般競争契約(最低価格)\t3\t77.6%"),
    "2010": ("\t支出先\t業務概要\t支出額(百万円)\t契約方式",
             "1\t個人A\t旧外地特別会計に属する債務に関する支払い\t0.1\t"),
}
RECIPIENT_CASES = [(family, k, position) for family, lines in RECIPIENT_LINES.items() for k, line in enumerate(lines)
                   for position in range(1, len(line.rstrip("\t").split("\t")))]


@pytest.mark.parametrize("family, k, position", RECIPIENT_CASES,
                         ids=[f"{f}-{'header' if k == 0 else f'row{k}'}-{p}" for f, k, p in RECIPIENT_CASES])
def test_recipient_row_or_header_with_an_empty_cell(family, k, position):
    """A payee row with a cell merged over two columns (`1\\t株式会社…\\t\\t2010601032678\\t…`),
    or its header (`支出先 | | 法人番号 | …`): each value read in its column (the 法人番号
    was read as the 業務概要, the amount as the 契約方式, a 入札者数 of 3 as a 落札率 of 3 %)."""
    text = sheet_text(family)
    variant = _with_empty_cell(text, RECIPIENT_LINES[family][k], position)
    _assert_same(variant, text, ("recipient", "printed_total"))
    assert _issues(variant, "recipient") == _issues(text, "recipient")


# --- 4. 費目・用途: an empty cell in a row, its header or its block titles --------------

EXPENSE_LINES = {
    "2021-23": ("A.\t\t\tB.\t\t", "費目\t用途\t金額 (百万円)\t費目\t用途\t金額 (百万円)"),
    "2010": ("費目\t使途\t金額 (百万円)\t費目\t使途\t金額 (百万円)",),
}
EXPENSE_CASES = [(family, k, position) for family, lines in EXPENSE_LINES.items() for k, line in enumerate(lines)
                 for position in range(1, len(line.rstrip("\t").split("\t")))]


@pytest.mark.parametrize("family, k, position", EXPENSE_CASES, ids=[f"{f}-{k}-{p}" for f, k, p in EXPENSE_CASES])
def test_expense_header_or_titles_with_an_empty_cell(family, k, position):
    """`費目 | 用途 | | 金額` (a merged 用途 header cell) over rows without it: each amount
    read (they were lost, the next block's 費目 read as the amount); `A. | | | | B.`: the
    B block's rows are B's (they were read as A's)."""
    text = sheet_text(family)
    variant = _with_empty_cell(text, EXPENSE_LINES[family][k], position)
    _assert_same(variant, text, ("expense", "printed_total"))
    assert _issues(variant, "expense") == _issues(text, "expense")


def _first_expense_row(text: str) -> str:
    return next(line for line in text.split("\n") if line.startswith("委託費\t"))


@pytest.mark.parametrize("position", range(1, 6))
def test_expense_row_with_an_empty_cell(position):
    """A 費目・用途 row with a merged cell (`委託費\t\t住宅宿泊…\t67\t委託費\t…`): its
    amount and the next block's cells read in their columns (the amount was lost, the B
    block's 費目 read as A's amount)."""
    text = sheet_text("2020")
    variant = _with_empty_cell(text, _first_expense_row(text), position)
    _assert_same(variant, text, ("expense", "printed_total"))
