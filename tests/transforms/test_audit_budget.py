"""Printed variants of the 予算内訳 and the 点検 found by an audit of those sections: each
case is a small edit of a form fixture that must parse to the fixture's own rows, or be
reported when nothing printed tells how to read it."""

from __future__ import annotations

import pytest

from tests.transforms.variants import mutate, parse_sheet, sheet_text

ITEMS_2021 = ("\t庁費\t12.8\t267\t事業の拡充による増", "\t職員旅費\t5.9\t125", "\t諸謝金\t4.3\t91", "\t計\t23\t483")


def _rows(text: str, table: str) -> list[dict]:
    rows = parse_sheet(text).tables[table]
    if table == "printed_total":
        rows = [row for row in rows if row["table_name"] == "budget_item"]
    return [{k: v for k, v in row.items() if k not in ("project_key", "raw_text")} for row in rows]


def _assert_same_items(variant: str, text: str) -> None:
    for table in ("budget_item", "printed_total"):
        assert _rows(variant, table) == _rows(text, table)


def _with_gap(line: str) -> str:
    """`line` with an empty cell after its label (its name cell merged over two columns)."""
    label, rest = line[1:].split("\t", 1)
    return f"\t{label}\t\t{rest}"


# --- 1. amounts one cell right of the header's columns past an empty cell ----------------

@pytest.mark.parametrize("gapped", [[0], [1], [3], [0, 1, 2, 3]], ids=["with-reason", "no-reason", "total", "every"])
def test_budget_item_amounts_past_an_empty_cell_after_the_name(gapped):
    """`\\t庁費\\t\\t12.8\\t267\\t…` under `歳出予算目 | 4年度当初予算 | 5年度要求`: the budget
    is 12.8, the request 267, the reason the text after them (not 12.8 as the request)."""
    text = sheet_text("2021-23")
    variant = text
    for k in gapped:
        variant = mutate(variant, ITEMS_2021[k], _with_gap(ITEMS_2021[k]))
    _assert_same_items(variant, text)


def test_budget_item_amounts_named_above_past_two_empty_cells():
    text = sheet_text("2021-23")
    variant = mutate(text, ITEMS_2021[1], "\t職員旅費\n\t\t\t5.9\t125")
    _assert_same_items(variant, text)


def test_budget_item_amounts_one_cell_left_of_a_header_with_an_empty_cell_after_its_name():
    """The header's name cell merged over two columns (`歳出予算目 | | 4年度当初予算 | …`), the
    lines' not: each line's amounts stand one cell left of their header (267 was read as
    the budget, the reason as the request)."""
    text = sheet_text("2021-23")
    variant = mutate(text, "<b>歳出予算目</b>\t", "<b>歳出予算目</b>\t\t")
    _assert_same_items(variant, text)


def test_a_blank_budget_under_a_header_the_table_follows_is_a_request_only():
    """`\\t新規\\t\\t50` in a table printed under its header's columns: a new item, its request."""
    text = mutate(sheet_text("2021-23"), ITEMS_2021[2], ITEMS_2021[2] + "\n\t新規\t\t50")
    new = [(r["fiscal_year"], r["is_request"], r["amount_million_yen"]) for r in _rows(text, "budget_item")
           if r["item_name"] == "新規"]
    assert new == [(2023, True, 50)]


def test_a_line_read_either_way_in_a_table_with_shifted_lines_is_reported():
    """`\\t新規\\t\\t50` where another line stands past a merged cell: a blank budget or a
    merged name cell, nothing tells; reported and not loaded, the other lines read."""
    text = sheet_text("2021-23")
    variant = mutate(text, ITEMS_2021[0], _with_gap(ITEMS_2021[0]))
    variant = mutate(variant, ITEMS_2021[2], ITEMS_2021[2] + "\n\t新規\t\t50")
    sheet = parse_sheet(variant)
    assert "新規" not in {r["item_name"] for r in sheet.tables["budget_item"]}
    assert [i.check_name for i in sheet.issues if i.table_name == "budget_item"] == ["ambiguous_amounts"]
    _assert_same_items(variant.replace("\n\t新規\t\t50", ""), text)


# --- 2. a 予算内訳 header printing its years without 年度 ------------------------------

HEADERS = {"2021-23": "<b>4年度当初予算</b>\t<b>5年度要求</b>", "2018-19": "<b>31年度当初予算</b>\t<b>32年度要求</b>",
           "2014": "<b>26年度当初予算</b>\t<b>27年度要求</b>"}


@pytest.mark.parametrize("family, printed", [
    ("2021-23", "R4当初予算\tR5要求"),
    ("2021-23", "Ｒ４当初予算\tＲ５要求"),  # full-width letters and digits
    ("2021-23", "令和4当初予算\t令和5要求"),
    ("2021-23", "令和４当初予算\t令和５要求"),
    ("2021-23", "R.4予算額\tR.5概算要求額"),
    ("2021-23", "令和4\t令和5"),
    ("2021-23", "2022当初予算\t2023要求"),
    ("2018-19", "H31当初予算\tH32要求"),
    ("2018-19", "平成31当初予算\t平成32要求"),
    ("2014", "H26当初予算\tH27要求"),
])
def test_budget_item_columns_headed_by_an_era_year_without_nendo(family, printed):
    """`R4当初予算` / `R5要求`: the review year's budget and the next year's request, read
    as `4年度当初予算` / `5年度要求` are (the columns were reported unknown, or the table
    not loaded at all)."""
    text = sheet_text(family)
    variant = mutate(text, HEADERS[family], printed)
    _assert_same_items(variant, text)
    assert not [i for i in parse_sheet(variant).issues if i.table_name == "budget_item"]


# --- 3. 点検 categories printed in brackets or numbered --------------------------------

CATEGORIES = ("国費投入の必要性", "事業の効率性", "事業の有効性", "関連事業")


@pytest.mark.parametrize("family", ["2010", "2014", "2020"])
@pytest.mark.parametrize("style", [
    "({})", "({})", "【{}】", "[{}]", "〔{}〕", "<{}>", "《{}》", "1.{}", "１．{}", "(1){}", "①{}", "1 {}", "Ⅰ.{}",
], ids=["paren", "fullwidth-paren", "lenticular", "square", "tortoise", "angle", "double-angle", "number-dot",
        "fullwidth-number", "number-paren", "circled", "number-space", "roman"])
def test_a_category_printed_in_brackets_or_numbered_is_stored_as_the_contracts_category(family, style):
    """`(国費投入の必要性)`, `【国費投入の必要性】`, `1.国費投入の必要性` …: the category the
    brackets or the number hold (the categories were stored NULL)."""
    text = sheet_text(family)
    variant = text
    for number, category in enumerate(CATEGORIES, 1):
        printed = style.format(category).replace("1", str(number)).replace("１", "１２３４"[number - 1]) \
            .replace("①", "①②③④"[number - 1]).replace("Ⅰ", "ⅠⅡⅢⅣ"[number - 1])
        variant = mutate(variant, f"\n{category}\t", f"\n{printed}\t")
    assert _rows(variant, "assessment") == _rows(text, "assessment")
