"""支出先上位10者リスト as real exports print it beyond the form fixtures: the 国庫債務負担行為
list printed after it, the wordings of its reason column, 入札者数(応募者数) cells and
payee rows without a name or with their values on the last line of a split cell, and the
資金の流れ heading above them.  Values from real records of judgit_2020 (CC BY 4.0)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.transforms.variants import mutate, sheet_text
from tests.transforms.variants import parse_sheet as parse

PAYEE_B1 = "1\t株式会社NTTデータSMS\t2010601032678\tインターフェース機器\t46\t一般競争契約(最低価格)\t3\t87.1%\t"
STAFF_B3 = "3\t職員旅費(職員A)\t\t検査のための出張旅費\t0.02\t\t-\t-\t"


def payees(text: str) -> list[tuple]:
    return [(r["block"], r["rank"], r["name"], r["corporate_number"], r["amount_million_yen"], r["bidder_count"])
            for r in parse(text).tables["recipient"]]


# --- the 国庫債務負担行為等による契約先上位10者リスト after the payees -------------------------

CONTRACTS = """
{title}

A.
\t契約先\t法人番号\t契約概要\t契約額(百万円)\t契約方式等\t入札者数(応募者数)\t落札率\t一者応札又は一者応募又は競争性のない随意契約となった理由及び改善策(支出額10億円以上)
1\t株式会社ゼンリン\t5290001006553\t地図データ整備(令和3年度~令和5年度)\t123\t一般競争契約(最低価格)\t2\t95.0%\t
2\t株式会社パスコ\t4013201004021\t航空写真撮影\t45\t一般競争契約(総合評価)\t1\t99.5%\t
"""


@pytest.mark.parametrize("title", ["**国庫債務負担行為等による契約先上位10者リスト**", "国庫債務負担行為等による契約先上位10者リスト",
                                   "<b>国庫債務負担行為等による契約先上位10者リスト</b>"], ids=["bold", "plain", "tagged"])
def test_the_contract_list_printed_after_the_payees_adds_no_payee(title):
    """Sheets with multi-year contracts print a second ranked list, of contracts (契約額, not
    支出額), under the payees: none of its rows is a payee of the 支出先 blocks."""
    text = sheet_text("2021-23")
    variant = text + CONTRACTS.format(title=title)
    assert payees(variant) == payees(text)
    assert not [i for i in parse(variant).issues if i.check_name == "duplicate_key"]


# --- the reason column as the forms word it -------------------------------------------

REASON = "一者応札又は一者応募又は競争性のない随意契約となった理由及び改善策(支出額10億円以上)"


@pytest.mark.parametrize("wording", [
    "一者応札・一者応募又は競争性のない随意契約となった理由及び改善策(支出額10億円以上)",
    "一者応札・一者応募又は競争性のない随意契約となった理由及び改善策（支出額１０億円以上）",
    "一者応札・一者応募又は競争性のない随意契約となった理由及び改善策",
    "一者応札・一者応募又は競争性のない随意契約となった理由",
], ids=["middle-dot", "fullwidth-digits", "without-amount-note", "without-improvement"])
def test_the_one_bid_reason_column_in_its_other_wordings_is_a_known_column(wording):
    text = sheet_text("2021-23")
    variant = mutate(text, REASON, wording)
    assert payees(variant) == payees(text)
    assert not [i for i in parse(variant).issues if i.check_name == "unknown_label"]


# --- 入札者数(応募者数) -------------------------------------------------------------------

@pytest.mark.parametrize("printed, count", [
    ("3", 3), ("3(3)", 3), ("2 (3)", 2), ("３（３）", 3), ("(3)", 3), ("（４）", 4), ("-(3)", 3), ("-", None), ("―", None),
])
def test_bidders_or_applicants_in_brackets(printed, count):
    """The column counts bidders, or applicants (in brackets) where nobody bid (公募,
    企画競争): `(3)` alone is three applicants; with both printed the bidders count."""
    variant = mutate(sheet_text("2021-23"), PAYEE_B1, PAYEE_B1.replace("\t3\t87.1%", f"\t{printed}\t87.1%"))
    assert ("B", 1, "株式会社NTTデータSMS", "2010601032678", Decimal(46), count) in payees(variant)


# --- a ranked payee row with an amount and no name -------------------------------------

def test_a_ranked_payee_with_an_amount_but_no_name_is_loaded_without_name():
    """The parser drops no printed amount: a payee whose name cell is blank (withheld)
    keeps its rank, amount and other cells, with a NULL name."""
    variant = mutate(sheet_text("2021-23"), STAFF_B3, STAFF_B3.replace("職員旅費(職員A)", ""))
    row = next(r for r in parse(variant).tables["recipient"] if (r["block"], r["rank"]) == ("B", 3))
    assert (row["name"], row["description"], row["amount_million_yen"], row["raw_text"]) == (
        None, "検査のための出張旅費", Decimal("0.02"), "0.02")


def test_ranks_printed_on_empty_form_rows_give_no_payee():
    """The form prints the ranks 1-10 of every block: a rank on an otherwise empty row is
    no payee."""
    text = sheet_text("2021-23")
    variant = mutate(text, STAFF_B3, STAFF_B3 + "\n4\t\t\t\t\t\t\t\t\n5\t\t\t\t\t\t-\t-\t")
    assert payees(variant) == payees(text)


# --- a payee's values printed on the last line of its split name or 業務概要 ------------

@pytest.mark.parametrize("split", [
    "1\t株式会社NTT\t\t\t\t\t\t\t\n\tデータSMS\t2010601032678\tインターフェース機器\t46\t一般競争契約(最低価格)\t3\t87.1%\t",
    "1\t株式会社NTTデータSMS\t\tインターフェース\t\t\t\t\t\n\t\t2010601032678\t機器\t46\t一般競争契約(最低価格)\t3\t87.1%\t",
    "1\t株式会社NTT\t\tインターフェース\t\t\t\t\t\n\tデータSMS\t2010601032678\t機器\t46\t一般競争契約(最低価格)\t3\t87.1%\t",
    "1\t株式会社\t\t\t\t\t\t\t\n\tNTTデータ\t\tインターフェース\t\t\t\t\t\n\tSMS\t2010601032678\t機器\t46\t一般競争契約(最低価格)\t3\t87.1%\t",
], ids=["name", "description", "both", "three-lines"])
def test_a_payee_whose_values_are_on_the_last_line_of_its_split_cells(split):
    """An export that puts the one-line cells of a payee on the last line of its two-line
    name or 業務概要 (as it does for a 費目・用途 row): one payee, its texts joined, its
    values from the last line; the payees after it keep their ranks."""
    text = sheet_text("2021-23")
    rows = parse(mutate(text, PAYEE_B1, split)).tables["recipient"]
    fixture = parse(text).tables["recipient"]
    assert [(r["block"], r["rank"]) for r in rows] == [(r["block"], r["rank"]) for r in fixture]
    payee = rows[1]
    assert (payee["corporate_number"], payee["amount_million_yen"], payee["raw_text"], payee["contract_method"],
            payee["bidder_count"], payee["winning_bid_rate"]) == ("2010601032678", Decimal(46), "46", "一般競争契約(最低価格)",
                                                               3, Decimal("0.871"))
    assert payee["name"].replace("\n", "") == "株式会社NTTデータSMS"
    assert payee["description"].replace("\n", "") == "インターフェース機器"
    assert [r for r in rows if r["rank"] > 1] == [r for r in fixture if r["rank"] > 1]


# --- the 資金の流れ heading with its note in the same cell ------------------------------

FLOW = "**資金の流れ**  \n (資金の受け取り先が何を行っているかについて補足する)  "


@pytest.mark.parametrize("family", ["2010", "2021-23"])
@pytest.mark.parametrize("heading", [
    "**資金の流れ**<br>(資金の受け取り先が何を行っているかについて補足する)",
    "資金の流れ(資金の受け取り先が何を行っているかについて補足する)",
    "**資金の流れ(単位:百万円)**",
    "資金の流れ (単位:百万円)",
], ids=["br-note", "note", "unit", "spaced-unit"])
def test_the_money_flow_heading_with_its_note_in_the_same_cell_opens_its_section(family, heading):
    """Its rows (notes, the unit, text boxes of the chart) are no lines of the section
    above it (備考 in the 2010 form)."""
    text = sheet_text(family)
    variant = parse(mutate(text, FLOW, heading))
    fixture = parse(text)
    assert variant.project["remarks"] == fixture.project["remarks"]
    for table in ("recipient", "expense", "lineage", "printed_total"):
        assert variant.tables[table] == fixture.tables[table]


# --- a block's header row printed again, without its letter ------------------------------

@pytest.mark.parametrize("family", ["2018-19", "2020", "2021-23"])
@pytest.mark.parametrize("gap", ["\n", "\n\n"], ids=["no blank row", "blank row"])
def test_a_header_printed_again_without_its_letter_and_ranks_from_1_opens_the_next_block(family, gap):
    """The B. title row left out: the header row printed again and the ranks restarting
    at 1 open block B (blocks are printed in order) instead of repeating A's ranks."""
    text = sheet_text(family)
    header = next(line for line in text.split("\n") if line.startswith("\t支出先\t法人番号"))
    without = mutate(text, f"\n\nB.\n{header}\n", f"{gap}{header}\n")
    assert payees(without) == payees(text)
    assert [i.check_name for i in parse(without).issues] == [i.check_name for i in parse(text).issues]


def test_a_third_block_without_its_letter_follows_b():
    """After an explicit B. the next unlettered block is C (also without a blank row)."""
    text = sheet_text("2021-23")
    header = next(line for line in text.split("\n") if line.startswith("\t支出先\t法人番号"))
    third = f"{STAFF_B3}\n{header}\n1\t株式会社丙\t\t保守\t5\t随意契約(少額)\t-\t-\t\n2\t株式会社丁\t\t点検\t1\t随意契約(少額)\t-\t-\t"
    rows = payees(mutate(text, STAFF_B3, third))
    assert rows[-2:] == [("C", 1, "株式会社丙", None, Decimal(5), None), ("C", 2, "株式会社丁", None, Decimal(1), None)]
    assert rows[:-2] == payees(text)


@pytest.mark.parametrize("letter", ["", "A.\n"], ids=["header only", "letter and header"])
def test_a_header_repeated_at_a_page_break_with_ranks_continuing_keeps_the_block(letter):
    """A page break inside block A: the header (or the letter and the header) printed
    again at the top of the page, the ranks going on (2, 3 after 1): still block A."""
    text = sheet_text("2018-19")
    header = next(line for line in text.split("\n") if line.startswith("\t支出先\t法人番号"))
    second = next(line for line in text.split("\n") if line.startswith("2\t株式会社クマヒラ"))
    broken = mutate(text, f"\n{second}\n", f"\n\n{letter}{header}\n{second}\n")
    assert payees(broken) == payees(text)
    assert parse(broken).issues == parse(text).issues


def test_a_letter_printed_after_a_repeated_header_names_the_block():
    """The header printed first, the block's B. title below it: the title names the block
    (no block skipped)."""
    text = sheet_text("2021-23")
    header = next(line for line in text.split("\n") if line.startswith("\t支出先\t法人番号"))
    assert payees(mutate(text, f"\nB.\n{header}\n", f"\n{header}\nB.\n")) == payees(text)
