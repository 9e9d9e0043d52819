"""Budget and payment layouts the parser missed (probe leftovers O6, O8, O11, L5 and
footnote marks before amounts): each variant of a form fixture must parse to the
fixture's own rows, or to the stated values."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.transforms.variants import mutate, sheet_text
from tests.transforms.variants import parse_sheet as parse

PRINTED = {"raw_text", "label_ja", "source_path", "source_sha256"}  # what a variant may change


def rows(text: str, table: str) -> list[dict]:
    return [{k: v for k, v in row.items() if k not in PRINTED} for row in parse(text).tables[table]]


# --- O11: a 予算内訳 header without years ------------------------------------------

ITEM_HEADER_2020 = "<b>令和2・3年度予算内訳(単位:百万円)</b>\t<b>歳出予算目</b>\t<b>2年度当初予算</b>\t<b>3年度要求</b>"


@pytest.mark.parametrize("family, old, new", [
    ("2020", ITEM_HEADER_2020, "<b>令和2・3年度予算内訳(単位:百万円)</b>\t<b>歳出予算目</b>\t<b>当初予算</b>\t<b>要求額</b>"),
    ("2020", ITEM_HEADER_2020, "<b>予算内訳(単位:百万円)</b>\t<b>歳出予算目</b>\t<b>予算額</b>\t<b>要求額</b>"),
    ("2020", ITEM_HEADER_2020, "<b>予算内訳(単位:百万円)</b>\t<b>歳出予算目</b>\t<b>当初予算額</b>\t<b>概算要求額</b>"),
    ("2020", ITEM_HEADER_2020, "<b>予算内訳(単位:百万円)</b>\t<b>歳出予算目</b>\t<b>当初予算</b>\t<b>3年度要求</b>"),
    ("2014", "<b>費目</b>\t<b>26年度当初予算</b>\t<b>27年度要求</b>", "<b>費目</b>\t<b>当初予算</b>\t<b>要求</b>"),
    ("2021-23", "<b>歳出予算目</b>\t<b>4年度当初予算</b>\t<b>5年度要求</b>", "<b>歳出予算目</b>\t<b>予算額</b>\t<b>要求額</b>"),
], ids=["当初予算-要求額", "予算額-要求額", "当初予算額-概算要求額", "当初予算-3年度要求", "2014-当初予算-要求", "2022-予算額-要求額"])
def test_budget_items_under_a_header_without_years_belong_to_the_review_and_request_years(family, old, new):
    """`当初予算` / `予算額` is the review year's budget, `要求` the next year's request, as
    the years printed in other sheets' headers say (`2年度当初予算`, `3年度要求`)."""
    text = sheet_text(family)
    variant = mutate(text, old, new)
    assert rows(variant, "budget_item") == rows(text, "budget_item")
    assert rows(variant, "printed_total") == rows(text, "printed_total")
    assert not [i for i in parse(variant).issues if i.check_name in ("section_unreadable", "unknown_label")]


# --- O6: a budget label split over two rows of its column ----------------------------

BUDGET_TABLES = ("budget_line", "budget_line_other", "execution_rate")


@pytest.mark.parametrize("family, old, new", [
    # the brief's case: neither half a label of its own, the amounts on either row
    ("2010", "\t費用総額(執行ベース)\t0\t0\t45", "\t費用\n\t総額(執行ベース)\t0\t0\t45"),
    ("2010", "\t費用総額(執行ベース)\t0\t0\t45\t\t\n", "\t費用\t0\t0\t45\t\t\n\t総額(執行ベース)\n"),
    # the first line a label on its own (費用総額, 執行率), the amounts beside the second
    ("2010", "\t費用総額(執行ベース)\t0\t0\t45", "\t費用総額\n\t(執行ベース)\t0\t0\t45"),
    ("2012-13", "\t執行率(%)\t100\t98.1\t99", "\t執行率\n\t(%)\t100\t98.1\t99"),
    ("2018-19", "\t当初予算+補正予算に対する執行額の割合(%)\t\t#DIV/0!",
     "\t当初予算+補正予算に対する執行額の割合\n\t(%)\t\t#DIV/0!"),
    # the second line a label on its own (計), the amounts beside the first
    ("2020", "\t計\t\t70\t109\t181\t206\t153\t\t\n", "\t予算\t\t70\t109\t181\t206\t153\t\t\n\t計\n"),
    # the first line beside the 予算の状況 group label
    ("2020", "\t予算の状況\t当初予算\t70\t109\t193\t194\t153\t\t\n", "\t予算の状況\t当初\n\t\t予算\t70\t109\t193\t194\t153\t\t\n"),
], ids=["費用-総額-below", "費用-総額-above", "費用総額-執行ベース", "執行率-%", "割合-%", "予算-計", "予算の状況-当初-予算"])
def test_a_budget_label_split_over_two_rows_gives_one_row(family, old, new):
    text = sheet_text(family)
    variant = mutate(text, old, new)
    for table in BUDGET_TABLES:
        assert rows(variant, table) == rows(text, table), table
    assert not [i for i in parse(variant).issues if i.check_name == "unknown_label"]


def test_the_joined_label_is_kept_as_printed():
    text = mutate(sheet_text("2010"), "\t費用総額(執行ベース)\t0\t0\t45", "\t費用総額\n\t(執行ベース)\t0\t0\t45")
    assert {r["label_ja"] for r in parse(text).tables["budget_line_other"]} == {"費用総額(執行ベース)"}


# --- O8: the title's year and the budget table's columns a year apart -----------------

HEADER_2020 = "平成29年度\t30年度\t令和元年度\t2年度\t3年度要求"
FAMILIES = ("2010", "2012-13", "2014", "2016", "2018-19", "2020", "2021-23")


def _lines(text: str) -> list[tuple]:
    return [(r["fiscal_year"], r["is_request"], r["line"], r["amount_million_yen"]) for r in parse(text).tables["budget_line"]]


@pytest.mark.parametrize("header, shift", [
    ("平成30年度\t令和元年度\t2年度\t3年度\t4年度要求", 1),  # the title a year behind the columns, or the columns ahead
    ("平成28年度\t29年度\t30年度\t令和元年度\t2年度要求", -1),  # the columns a year behind the title
])
def test_a_title_year_and_budget_columns_a_year_apart_keep_both_prints_and_warn(header, shift):
    """The title names the review year (SHEET_FORMAT.md); the columns keep the years they
    print and only the printed 要求 column is the request.  Which of the two is the
    misprint the sheet cannot tell, so a warning says they disagree."""
    text = sheet_text("2020")
    sheet = parse(mutate(text, HEADER_2020, header))
    assert sheet.project["review_year"] == 2020
    assert _lines(mutate(text, HEADER_2020, header)) == [(y + shift, r, line, a) for y, r, line, a in _lines(text)]
    [issue] = [i for i in sheet.issues if i.check_name == "review_year_mismatch"]
    assert (issue.table_name, issue.fiscal_year, issue.observed, issue.expected) == (
        "budget_line", 2021 + shift, f"{3 + shift}年度要求", "令和3年度要求 (FY2021)")
    assert {r["fiscal_year"] for r in sheet.tables["recipient"]} == {2019}  # paid in the year before the title's


@pytest.mark.parametrize("family", FAMILIES)
def test_a_title_year_that_agrees_with_the_request_column_gives_no_warning(family):
    assert not [i for i in parse(sheet_text(family)).issues if i.check_name == "review_year_mismatch"]


# --- L5: payee blocks printed side by side -------------------------------------------

def side_by_side(text: str, titles: bool = True, totals: tuple[str, str] | None = None) -> str:
    """The fixture's payee blocks A. and B. printed next to each other in one set of rows
    (`A.` … `B.` over one header naming 支出先 … 支出額 twice), each with a 計 row if given."""
    head, heading, rest = text.partition("支出先上位10者リスト**\n\n")
    left, right = [block.strip("\n").split("\n")[1:] for block in rest.split("\n\n")]
    if totals:
        amount_at = left[0].split("\t").index("支出額(百万円)")
        left, right = [lines + ["\t計" + "\t" * (amount_at - 1) + total] for lines, total in zip((left, right), totals)]
    width = max(len(line.split("\t")) for line in left)
    lines = ["A." + "\t" * width + "B."] if titles else []
    for n in range(max(len(left), len(right))):
        cells = left[n].split("\t") if n < len(left) else []
        if n < len(right):
            cells += [""] * (width - len(cells)) + right[n].split("\t")
        lines.append("\t".join(cells))
    return head + heading + "\n".join(lines) + "\n"


def _payees(text: str) -> list[dict]:
    return rows(text, "recipient")


@pytest.mark.parametrize("family", ["2010", "2014", "2020", "2021-23"])
@pytest.mark.parametrize("titles", [True, False], ids=["titled", "untitled"])
def test_payee_blocks_printed_side_by_side_are_both_read(family, titles):
    """Block B's payees to the right of block A's, in the same rows (B longer than A in
    2021-23): each block's rows with its own letter, as when the blocks are stacked."""
    text = sheet_text(family)
    variant = side_by_side(text, titles)
    assert _payees(variant) == _payees(text)
    assert not [i for i in parse(variant).issues if i.check_name in ("unknown_label", "section_unreadable")]


def test_side_by_side_payee_blocks_keep_their_own_totals():
    text = side_by_side(sheet_text("2014"), totals=("19", "0.2"))
    totals = [(t["block"], t["amount_million_yen"]) for t in parse(text).tables["printed_total"] if t["table_name"] == "recipient"]
    assert totals == [("A", Decimal("19")), ("B", Decimal("0.2"))]
    assert _payees(text) == _payees(sheet_text("2014"))


def test_side_by_side_payee_blocks_under_a_header_whose_first_rank_cell_collapsed():
    text = side_by_side(sheet_text("2021-23"))
    assert text.count("\n\t支出先") == 1
    assert _payees(mutate(text, "\n\t支出先", "\n支出先")) == _payees(sheet_text("2021-23"))


# --- a footnote mark before an amount ---------------------------------------------------

@pytest.mark.parametrize("printed, amount", [
    ("※18,068", "18068"),  # the mark glued to the number
    ("※ 18,068", "18068"),
    ("※1 8,068", "8068"),  # footnote 1, then the number: a footnote's number is followed by a space
    ("※１　８，０６８", "8068"),  # fullwidth, an ideographic space
    ("※12 345", "345"),
    ("※2 ▲ 356,601", "-356601"),
    ("※1", None),  # a footnote reference alone (※1, ※2 …) is no amount
    ("※", None),
    ("※1 -", None),
    ("18,068※1", "18068"),  # a mark after the number, as before
])
def test_an_amount_after_a_footnote_mark(printed, amount):
    from transforms.normalize import parse_amount

    assert parse_amount(printed) == (None if amount is None else Decimal(amount))


BUDGET_ROW_2020 = "当初予算\t70\t109\t193\t194\t153"
PAYEE_2020 = "\t住宅宿泊事業等制度コールセンター運営\t67\t一般競争契約(最低価格)"
EXPENSE_2020 = "委託費\t住宅宿泊事業等制度コールセンター運営\t67\t委託費"


@pytest.mark.parametrize("row, value, printed, table", [
    (BUDGET_ROW_2020, "194", "※1 194", "budget_line"),
    (BUDGET_ROW_2020, "194", "※194", "budget_line"),
    (PAYEE_2020, "67", "※1 67", "recipient"),
    (PAYEE_2020, "67", "※67", "recipient"),
    (EXPENSE_2020, "67", "※2 67", "expense"),
])
def test_a_footnote_mark_before_a_budget_or_payment_amount_keeps_the_amount(row, value, printed, table):
    text = sheet_text("2020")
    variant = mutate(text, row, row.replace(value, printed))
    assert rows(variant, table) == rows(text, table)
    assert printed in {r["raw_text"] for r in parse(variant).tables[table]}


@pytest.mark.parametrize("printed, amount", [("※1 194", Decimal(194)), ("※1194", Decimal(1194))])
def test_a_footnote_number_is_told_from_the_amount_by_the_space_after_it(printed, amount):
    text = mutate(sheet_text("2020"), BUDGET_ROW_2020, BUDGET_ROW_2020.replace("194", printed))
    [initial] = [r for r in parse(text).tables["budget_line"] if r["line"] == "initial" and r["fiscal_year"] == 2020]
    assert (initial["amount_million_yen"], initial["raw_text"]) == (amount, printed)
