"""Budget lines printed over several rows (audit of the 予算額・執行額 table).

The RS System that replaced the sheets in 2024 keeps 予備費等1 … 予備費等4 and the
第1次 … 第5次補正予算 apart; sheets of the years before print such lines as rows of
their own under one budget line (`予備費等1` / `予備費等2`, `補正予算(第1次)` /
`補正予算(第2次)`, or a second row under a label cell merged over both).  The table's
計 counts all of them, so the line is their sum; before, the second row was lost
(an unknown label, or a duplicate with the first kept).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.transforms.variants import mutate, parse_sheet, sheet_text

# the 2021-23 fixture (令和元年度 … 4年度, 5年度要求): its 予備費等 row and its 計 row
RESERVE = "\t\t予備費等\t0\t0\t0\t0\t\t\t\n"
TOTAL = "\t計\t\t88\t41\t100\t24\t483\t\t\n"
SUPPLEMENTARY = "\t\t補正予算\t0\t2\t0\t1\t\t\t\n"


def lines(text: str, line: str) -> dict[int, tuple]:
    rows = parse_sheet(text).tables["budget_line"]
    return {r["fiscal_year"]: (r["amount_million_yen"], r["raw_text"]) for r in rows if r["line"] == line}


@pytest.mark.parametrize("first, second", [
    ("予備費等1", "予備費等2"),
    ("予備費等 1", "予備費等 2"),
    ("予備費等①", "予備費等②"),
    ("予備費等(1)", "予備費等(2)"),
    ("予備費等", ""),  # the label cell merged over both rows: printed on the first only
])
def test_reserve_printed_on_two_rows_is_their_sum(first, second):
    text = mutate(sheet_text("2021-23"), RESERVE,
                  f"\t\t{first}\t0\t▲ 0.3\t0\t0\t\t\t\n\t\t{second}\t0\t12.5\t-\t0\t\t\t\n")
    text = mutate(text, TOTAL, "\t計\t\t88\t53.2\t100\t24\t483\t\t\n")
    sheet = parse_sheet(text)
    reserve = {r["fiscal_year"]: r for r in sheet.tables["budget_line"] if r["line"] == "reserve"}
    assert {year: r["amount_million_yen"] for year, r in reserve.items()} == {
        2019: Decimal(0), 2020: Decimal("12.2"), 2021: Decimal(0), 2022: Decimal(0)}
    assert reserve[2020]["raw_text"] == "▲ 0.3 + 12.5"  # every printed cell kept
    assert reserve[2021]["raw_text"] == "0 + -"
    assert not [i for i in sheet.issues if i.check_name in ("duplicate_cell", "unknown_label")]


def test_supplementary_budgets_printed_one_row_each_are_summed():
    text = mutate(sheet_text("2021-23"), SUPPLEMENTARY,
                  "\t\t補正予算(第1次)\t0\t2\t0\t1\t\t\t\n\t\t補正予算(第2次)\t0\t3,028\t0\t0\t\t\t\n")
    text = mutate(text, TOTAL, "\t計\t\t88\t3,069\t100\t24\t483\t\t\n")
    assert lines(text, "supplementary")[2020] == (Decimal(3030), "2 + 3,028")
    assert lines(text, "total")[2020] == (Decimal(3069), "3,069")


def test_a_component_line_printed_twice_apart_is_still_a_duplicate():
    """The same label on rows that are not neighbours is a repeated print, not a second
    line: the first is kept and a warning says so (as before)."""
    text = mutate(sheet_text("2021-23"), TOTAL, TOTAL + "\t\t予備費等\t9\t9\t9\t9\t\t\t\n")
    assert lines(text, "reserve")[2020] == (Decimal(0), "0")
    assert any(i.check_name == "duplicate_cell" for i in parse_sheet(text).issues)


# --- a label and its values on neighbouring rows ------------------------------------
# The export splits a multi-line cell over consecutive rows (SHEET_FORMAT.md): a label
# cell with a blank line above or below its text, beside one-line values, leaves the
# label alone on one row and the values, under no label, on the other.  Before, the
# values were dropped without a word.

EXECUTED_2020 = "\t執行額\t\t54\t109\t188\t189\t\t\t\n"
TOTAL_2020 = "\t計\t\t70\t109\t181\t206\t153\t\t\n"


@pytest.mark.parametrize("old, new", [
    (EXECUTED_2020, "\t執行額\n\t\t\t54\t109\t188\t189\t\t\t\n"),
    (EXECUTED_2020, "\t\t\t54\t109\t188\t189\t\t\t\n\t執行額\n"),
    (TOTAL_2020, "\t計\n\t\t\t70\t109\t181\t206\t153\t\t\n"),
    (TOTAL_2020, "\t\t\t70\t109\t181\t206\t153\t\t\n\t計\n"),
], ids=["執行額-above", "執行額-below", "計-above", "計-below"])
def test_a_label_on_a_row_of_its_own_takes_the_values_beside_it(old, new):
    text = sheet_text("2020")
    variant = mutate(text, old, new)
    fixture, sheet = parse_sheet(text), parse_sheet(variant)
    assert sheet.tables["budget_line"] and (
        sorted(_facts(sheet.tables["budget_line"])) == sorted(_facts(fixture.tables["budget_line"])))
    assert sheet.tables["execution_rate"] == fixture.tables["execution_rate"]
    assert not sheet.issues


def test_values_under_no_label_are_reported():
    text = mutate(sheet_text("2020"), EXECUTED_2020, EXECUTED_2020 + "\n\t\t\t1\t2\t3\t4\t\t\t\n")
    issues = [i for i in parse_sheet(text).issues if i.table_name == "budget_line"]
    assert [i.check_name for i in issues] == ["unknown_label"]
    assert "1 2 3 4" in issues[0].message


def _facts(rows: list[dict]) -> list[tuple]:
    return [(r["fiscal_year"], r["is_request"], r["line"], r["amount_million_yen"], r["raw_text"]) for r in rows]


# --- a header cell merged over two columns ------------------------------------------
# A hand-edited sheet may merge the `27年度要求` header over two columns while the rows
# keep their values in the right (or left) half: the header then collapses one cell
# short of the values.  Before, the request column was read from the empty half and
# its amounts were lost without a word.

def test_request_values_one_cell_right_of_their_merged_header():
    text = sheet_text("2014")
    variant = mutate(text, "\t145\t390\t", "\t145\t\t390\t")  # 当初予算 (the request is printed here ...)
    variant = mutate(variant, "\t490\t390\t", "\t490\t\t390\t")  # ... and under 計 only
    fixture, sheet = parse_sheet(text), parse_sheet(variant)
    requests = [(r["line"], r["amount_million_yen"]) for r in sheet.tables["budget_line"] if r["is_request"]]
    assert requests == [("initial", Decimal(390)), ("total", Decimal(390))]
    assert _facts(sheet.tables["budget_line"]) == _facts(fixture.tables["budget_line"])


def test_values_one_cell_left_of_a_merged_header():
    text = sheet_text("2014")
    header = "平成23年度\t24年度\t25年度\t26年度\t27年度要求"
    variant = mutate(text, header, "平成23年度\t24年度\t25年度\t\t26年度\t27年度要求")  # 26年度 merged over two
    for old in ("\t145\t390\t", "\t490\t390\t"):
        variant = mutate(variant, old, old.replace("\t390", "\t\t390"))
    fixture, sheet = parse_sheet(text), parse_sheet(variant)
    assert _facts(sheet.tables["budget_line"]) == _facts(fixture.tables["budget_line"])
