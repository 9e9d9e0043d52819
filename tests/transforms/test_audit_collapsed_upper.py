"""Collapsed merged cells in the upper half of the sheet, found by an audit that deleted
one empty cell at a time (and the same empty cell on every row of a block) from the
basic information, the budget tables and the indicator blocks of every form fixture:
a merged cell exported one cell narrower than the rest of its table must still be
read as the fixture's own rows."""

from __future__ import annotations

import pytest

from tests.transforms.variants import mutate, parse_sheet, sheet_text

BUDGET_TITLE = "<b>予算額・執行額(単位:百万円)</b>"
BUDGET_TABLES = ("budget_line", "budget_line_other", "execution_rate")
FIVE_COLUMN_BUDGETS = ["2014", "2016", "2018-19", "2020", "2021-23"]


def _rows(text: str, table: str) -> list[dict]:
    """The rows of `table` without the sheet's key and the file's hash (the text was edited)."""
    return [{k: v for k, v in row.items() if k not in ("project_key", "source_sha256")}
            for row in parse_sheet(text).tables[table]]


def collapse_column(text: str, first: str, last: str, column: int) -> str:
    """`text` with cell `column` deleted on every line from the one starting with `first`
    to the one starting with `last` where that cell is empty and not trailing: a column
    of the table merged into its neighbour on those rows."""
    lines = text.split("\n")
    start = next(n for n, line in enumerate(lines) if line.startswith(first))
    end = next(n for n in range(start, len(lines)) if lines[n].startswith(last))
    for n in range(start, end + 1):
        cells = lines[n].split("\t")
        if column < len(cells) and not cells[column] and any(cells[column + 1:]):
            lines[n] = "\t".join(cells[:column] + cells[column + 1:])
    return "\n".join(lines)


@pytest.mark.parametrize("family", FIVE_COLUMN_BUDGETS)
def test_a_budget_header_whose_title_cell_collapsed_one_cell(family):
    """The title cell merged over one column fewer on the header row than the labels
    below it: every year stands one cell left of its values."""
    text = sheet_text(family)
    collapsed = mutate(text, BUDGET_TITLE + "\t\t\t", BUDGET_TITLE + "\t\t")
    for table in BUDGET_TABLES:
        assert _rows(collapsed, table) == _rows(text, table)


@pytest.mark.parametrize("family", FIVE_COLUMN_BUDGETS)
def test_a_budget_table_with_its_second_column_collapsed_where_empty(family):
    """The header and the lines under 予算の状況 lose the empty cell of the column of
    計 / 執行額; the rows without a request value (執行額, the rates) are read under the
    same years as the full ones."""
    text = sheet_text(family)
    collapsed = collapse_column(text, BUDGET_TITLE, "\t執行率", 1)
    assert collapsed != text
    for table in BUDGET_TABLES:
        assert _rows(collapsed, table) == _rows(text, table)


@pytest.mark.parametrize("family", ["2010", "2012-13", "2014", "2016", "2020"])
def test_a_policy_measure_row_collapsed_into_the_blocks_heading_column(family):
    """`施策 | 観光立国の推進` printed from the first column (the block's heading cell,
    merged down the block, collapsed on that row): its value then stands in the column of
    the labels below, and `本事業の成果と上位施策・測定指標との関係` with its free text
    are no further lines of the 施策."""
    text = sheet_text(family)
    collapsed = mutate(text, "\n\t施策\t", "\n施策\t")
    assert _rows(collapsed, "project") == _rows(text, "project")


def _issues(text: str, check: str) -> list:
    return [i for i in parse_sheet(text).issues if i.check_name == check]


@pytest.mark.parametrize("rows_collapsed, old_new", [
    (("planned",), [("\t当初見込み\t件\t", "\t当初見込み\t")]),
    (("actual", "planned"), [("\t活動実績\t件\t", "\t活動実績\t"), ("\t当初見込み\t件\t", "\t当初見込み\t")]),
])
def test_a_blank_unit_cell_collapsed_before_a_dash_is_reported(rows_collapsed, old_new):
    """`当初見込み | - | - | 600 | 600 |` under `単位 | 25年度 | 26年度 | 27年度 | 28年度活動見込`:
    a unit `-` and 600 for 26年度 and 27年度, or a blank unit cell merged away and 600 for
    27年度 and the outlook.  Nothing beyond the last column tells which: the row's values
    are not loaded and the row is reported, never read a year early."""
    text = sheet_text("2016")
    collapsed = text
    for old, new in old_new:
        collapsed = mutate(collapsed, old, new)
    kept = [r for r in _rows(text, "indicator") if not (r["kind"] == "activity" and r["measure"] in rows_collapsed)]
    assert _rows(collapsed, "indicator") == kept
    found = _issues(collapsed, "ambiguous_amounts")
    assert len(found) == len(rows_collapsed) and all(i.table_name == "indicator" for i in found)


def test_a_blank_unit_cell_collapsed_before_a_number_keeps_the_name_and_goal():
    """`成果実績 | 5 | 4 | 3 | -`: the row's blank unit cell merged away moves its values
    one cell left, not the goal and name cells printed left of its label."""
    text = sheet_text("2014")
    collapsed = mutate(text, "\t成果実績\t件\t", "\t成果実績\t")
    expected = [dict(r, unit=None) if r["kind"] == "outcome" and r["measure"] == "actual" else r
                for r in _rows(text, "indicator")]
    assert _rows(collapsed, "indicator") == expected
