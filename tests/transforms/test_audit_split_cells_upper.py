"""Multi-line cells of the upper half split over rows, found by an audit that split every
text cell of the basic information, the 予算内訳 and the indicator blocks of every form
fixture (and the seed) over two rows: the rest on a new row right below in the same
column, or on the next row of the block where its cell in that column is empty.  The
split text must be read whole (its lines joined as the section joins continued lines)."""

from __future__ import annotations

import pytest

from tests.conftest import SEED
from tests.transforms.variants import mutate, parse_sheet, sheet_text


def _split_below(text: str, line_start: str, head: str, rest: str) -> str:
    """`text` with the cell `head + rest` of the line starting with `line_start` cut after
    `head`, `rest` going on a new line below in the same column (all its other cells empty)."""
    lines = text.split("\n")
    n = next(k for k, line in enumerate(lines) if line.startswith(line_start))
    cells = lines[n].split("\t")
    j = cells.index(head + rest)
    below = [""] * len(cells)
    below[j] = rest
    cells[j] = head
    lines[n:n + 1] = ["\t".join(cells), "\t".join(below)]
    return "\n".join(lines)


@pytest.mark.parametrize("family, line_start, head, rest", [
    ("2020", "<b>事業開始年度</b>", "課長 多", "田 浩人"),
    ("2021-23", "<b>事業開始年度</b>", "事業監理官 奥", "山 剛"),
])
def test_a_responsible_official_below_its_label_split_over_two_rows(family, line_start, head, rest):
    """作成責任者 printed at the end of the 事業名 row, its value on the row below
    (`… | 担当課室 | 観光産業課 | | 課長 多`) and the value's rest on a row of its own:
    the rest is the value's next line, not dropped."""
    text = sheet_text(family)
    split = _split_below(text, line_start, head, rest)
    project = parse_sheet(split).tables["project"][0]
    assert project["responsible_official"] == f"{head}\n{rest}"


def test_the_seeds_responsible_official_split_over_two_rows():
    text = SEED.read_text(encoding="utf-8")
    split = _split_below(text, "<b>事業開始年度</b>", "課長 三", "橋 一彦")
    assert parse_sheet(split).tables["project"][0]["responsible_official"] == "課長 三\n橋 一彦"


def _unit_rows(text: str, measure: str) -> list[str | None]:
    return [r["unit"] for r in parse_sheet(text).tables["indicator"] if r["measure"] == measure]


@pytest.mark.parametrize("family, head, rest", [
    ("2020", "千円/", "件数"), ("2021-23", "千円/", "件数"), ("2018-19", "千円/", "式数"),
])
def test_a_formula_rows_unit_split_over_two_rows(family, head, rest):
    """`| | 計算式 | 千円/ | 52,002/144 | …` then `| | | 件数 |`: the row below holds
    nothing but the rest of the unit cell; the unit is read whole (its lines joined with
    a space, as a unit cell's line break is), not cut to `千円/`."""
    text = sheet_text(family)
    split = _split_below(text, "\t\t計算式\t", head, rest)
    assert _unit_rows(split, "formula") == [f"{head} {rest}"] * len(_unit_rows(text, "formula"))
    assert [r for r in parse_sheet(split).tables["indicator"] if r["measure"] != "formula"] == \
        [r for r in parse_sheet(text).tables["indicator"] if r["measure"] != "formula"]


def test_the_seeds_formula_unit_split_over_two_rows():
    text = SEED.read_text(encoding="utf-8")
    split = _split_below(text, "\t\t計算式\t", "千円/都", "道府県数")
    assert _unit_rows(split, "formula") == ["千円/都 道府県数"] * 4


def _reasons(text: str) -> list[tuple[str, str | None]]:
    return [(r["item_name"], r["change_reason"]) for r in parse_sheet(text).tables["budget_item"]]


@pytest.mark.parametrize("family, item_line, total_line, item", [
    ("2020", "\t委託費\t194\t153\t", "\t計\t194\t153\t", "委託費"),
    ("2021-23", "\t諸謝金\t4.3\t91\t", "\t計\t23\t483\t", "諸謝金"),
])
def test_the_rest_of_the_last_items_reason_on_the_total_row(family, item_line, total_line, item):
    """`| 委託費 | 194 | 153 | 事業の見直` then `| 計 | 194 | 153 | しによる減`: the 計 row
    holds no reason of its own; its text is the last line of the last item's reason, not
    dropped."""
    text = sheet_text(family)
    if "事業の見直しによる減" in text:
        text = mutate(text, "事業の見直しによる減", "")
    split = mutate(mutate(text, item_line, item_line + "事業の見直"), total_line, total_line + "しによる減")
    expected = [(name, "事業の見直\nしによる減" if name == item else reason) for name, reason in _reasons(text)]
    assert _reasons(split) == expected
