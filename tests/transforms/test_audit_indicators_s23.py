"""Round 23 of the audit of the indicator, 点検 and 関連事業 sections: each case is a small
edit of a form fixture that must parse to the fixture's own rows, or be reported under a
check name that says what happened."""

from __future__ import annotations

import pytest

from tests.transforms.test_audit_split_cells import TWO_SENTENCES, split_cell
from tests.transforms.variants import parse_sheet, sheet_text


def _rows(text: str, table: str) -> list[dict]:
    return [{k: v for k, v in row.items() if k not in ("project_key", "raw_text")}
            for row in parse_sheet(text).tables[table]]


def _checks(text: str, table: str) -> list[str]:
    return [issue.check_name for issue in parse_sheet(text).issues if issue.table_name == table]


# -- 1. 点検: a sentence between two questions has a check of its own -------------------------------

@pytest.mark.parametrize("family", ["2014", "2020", "2021-23"])
def test_a_sentence_that_may_end_or_begin_a_question_is_reported_as_ambiguous(family):
    """`| 政策目的の…事業か。 | ○ | …` / `| 政策体系の中で優先度の高い事業か。 | |`: the rows
    do not tell which question the sentence belongs to; reported as `ambiguous_assessment`
    (not the generic `section_unreadable`: the section was read), the same rows loaded."""
    text = sheet_text(family)
    split = split_cell(text, TWO_SENTENCES, TWO_SENTENCES[: TWO_SENTENCES.index("。") + 1])
    assert _checks(split, "assessment") == ["ambiguous_assessment"]
    before, after = _rows(text, "assessment"), _rows(split, "assessment")
    assert len(after) == len(before)
    changed = [(b["question"], a["question"]) for b, a in zip(before, after) if a != b]
    assert changed[0][0] == TWO_SENTENCES and changed[1][1].startswith("政策体系の中で優先度の高い事業か。")


# -- 2. 2012-13: a name or goal line on a row of its own above an indicator with a blank cell ------

ACTIVITY_2012 = "\t施設整備の整備件数\t活動実績 (当初見込み)\t件\t1 (1)\t1 (1)\t1 (1)\t- (1)\t"
COMBINED_ROW = "\t活動実績 (当初見込み)\t件\t1 (1)\t1 (1)\t1 (1)\t- (1)\t"


def _activities(rows: list[str]) -> tuple[list[tuple], list[str]]:
    """(name, goal) of each activity indicator of the 2012-13 sheet with `rows` for its
    one activity row, and the check names reported on the indicator table."""
    parsed = parse_sheet(sheet_text("2012-13").replace(ACTIVITY_2012, "\n".join(rows)))
    indicators = {r["indicator_no"]: (r["name"], r["goal"]) for r in parsed.tables["indicator"] if r["kind"] == "activity"}
    return list(indicators.values()), [i.check_name for i in parsed.issues if i.table_name == "indicator"]


def test_names_printed_above_their_rows_go_to_the_indicator_below():
    """平成24's one-row activity indicators, each name printed on the row above its own
    `活動実績 (当初見込み)` row (the top of a name cell merged over two rows): the block's
    first indicator shows the layout, so the line between two indicators is the next one's
    name, not a second line of the one above."""
    assert _activities(["\t件数A", "\t" + COMBINED_ROW[1:], "\t件数B", "\t" + COMBINED_ROW[1:]]) == \
        ([("件数A", None), ("件数B", None)], [])
    assert _activities(["\t件数A", "\t(累計)" + COMBINED_ROW, "\t件数B", "\t(累計)" + COMBINED_ROW]) == \
        ([("件数A\n(累計)", None), ("件数B\n(累計)", None)], [])


def test_a_line_above_an_unnamed_indicator_is_reported_when_the_block_does_not_tell():
    """`件数A | 活動実績…` / `件数B` / `(blank) | 活動実績…`: the second line of 件数A (its
    cell split over rows) and the second indicator left unnamed, or the second one's name
    printed above its row; read as printed (the line above's) and reported."""
    indicators, checks = _activities(["\t件数A" + COMBINED_ROW, "\t件数B", "\t" + COMBINED_ROW[1:]])
    assert indicators == [("件数A\n件数B", None), (None, None)]
    assert checks == ["ambiguous_indicator"]


def test_a_second_line_above_a_named_indicator_is_the_first_ones():
    """The next indicator prints its own name on its row: the line between is the rest of
    the name above (the rows tell), no finding."""
    assert _activities(["\t件数A" + COMBINED_ROW, "\t(累計)", "\t件数B" + COMBINED_ROW]) == \
        ([("件数A\n(累計)", None), ("件数B", None)], [])
    assert _activities(["\t件数A" + COMBINED_ROW, "\t(累計)"]) == ([("件数A\n(累計)", None)], [])


OUTCOME_2012 = "\t独立行政法人通則法に基づく施設整備に係る業務実績評価において、所期の目標以上。\t評価結果"


def _outcomes(between: str, second_goal: str) -> tuple[list[tuple], list[str]]:
    """(name, goal) of each outcome indicator of the 2012-13 sheet with a second indicator
    (指標B, its goal cell printing `second_goal`) stacked under the first, `between` on a
    row of its own between them; and the check names reported on the indicator table."""
    text = sheet_text("2012-13")
    rows = text.split("\n")
    last = next(n for n, line in enumerate(rows) if line.startswith("\t\tA(所期の目標を上回る成果)"))
    second = [f"\t{second_goal}\t指標B\t成果実績\t点\t1\t2\t3\t", "\t\t\t目標値\t点\t1\t2\t3\t4", "\t\t\t達成度\t%\t100\t100\t100\t"]
    rows[last + 1: last + 1] = ([between] if between else []) + second
    parsed = parse_sheet("\n".join(rows))
    indicators = {r["indicator_no"]: (r["name"], r["goal"]) for r in parsed.tables["indicator"] if r["kind"] == "outcome"}
    return list(indicators.values()), [i.check_name for i in parsed.issues if i.table_name == "indicator"]


def test_a_goal_line_above_an_indicator_printing_no_goal_is_reported():
    """2012-13's 成果目標 cell may be merged over stacked indicators (the second then
    shares it) or be each one's own: a goal line on a row of its own above an indicator
    printing no goal ends the shared goal or is the next one's own; reported."""
    (first, second), checks = _outcomes("\t(令和元年度は評価中)", "")
    assert first[1].endswith("所期の目標以上。\n(令和元年度は評価中)") and second[1] == first[1]
    assert checks == ["ambiguous_indicator"]


def test_a_goal_line_above_an_indicator_printing_its_own_goal_is_the_first_ones():
    (first, second), checks = _outcomes("\t(令和元年度は評価中)", "目標B")
    assert first[1].endswith("所期の目標以上。\n(令和元年度は評価中)") and second == ("指標B", "目標B")
    assert checks == []


# -- 3. 関連事業: a plain row two readings fit; a row without ministry nor number --------------------

PLAIN_HEADER = "所管府省名\t事業番号\t事業名\t\t\t\t\t\t\n"
EMPTY_TABLE_ROW = "<tr> <td></td> <td></td> <td></td> </tr>"


def _related(rows: str, html: str = "") -> tuple[list[tuple], list[str]]:
    """The related projects of the 2020 sheet with `rows` under its plain header (and
    `html` rows in its table cell), and the check names reported on their table."""
    text = sheet_text("2020").replace(PLAIN_HEADER, PLAIN_HEADER + rows)
    if html:
        text = text.replace(EMPTY_TABLE_ROW, html)
    parsed = parse_sheet(text)
    return ([(r["related_ministry"], r["related_project_number"], r["related_project_name"], r["relation"])
             for r in parsed.tables["related_project"]],
            [i.check_name for i in parsed.issues if i.table_name == "related_project"])


def test_a_plain_row_two_readings_fit_is_reported_not_loaded():
    """`総務省 | 消防団事業 | | | 役割分担`: the name merged over the empty 事業番号 column (the
    role sharing further right), or the role sharing one cell right and 消防団事業 the
    事業番号; the row does not tell.  Read as printed it loaded the name as the 事業番号."""
    assert _related("総務省\t消防団事業\t\t\t消防団は総務省が担う\n") == ([], ["ambiguous_related"])


def test_a_plain_row_two_readings_fit_is_read_by_its_html_twin():
    """The same row, the export also printing the table as HTML: the HTML names its
    columns, the cell it leaves is the role sharing; one project, no finding."""
    html = "<tr> <td>総務省</td> <td></td> <td>消防団事業</td> </tr>"
    assert _related("総務省\t消防団事業\t\t\t消防団は総務省が担う\n", html) == \
        ([("総務省", None, "消防団事業", "消防団は総務省が担う")], [])


def test_a_row_without_ministry_nor_number_below_a_project_is_its_wrapped_name():
    """The form prints each project's 所管府省名 (the table names other ministries'
    projects): a row below with only a name (and role sharing) is the rest of the
    cells above, split over rows."""
    assert _related("文部科学省\t0123\t学校安全事業の\t学校での安全教育は\n\t\t推進事業\t文部科学省が担う\n") == \
        ([("文部科学省", "0123", "学校安全事業の\n推進事業", "学校での安全教育は\n文部科学省が担う")], [])


def test_a_row_without_ministry_nor_number_the_html_lists_as_its_own_project():
    """... unless the HTML table of the same section lists that name as a project of its
    own: it is that project, not a second line of the one above."""
    html = ("<tr> <td>文部科学省</td> <td>0123</td> <td>学校安全事業</td> </tr>"
            "<tr> <td>文部科学省</td> <td>0124</td> <td>防災教育事業</td> </tr>")
    assert _related("文部科学省\t0123\t学校安全事業\n\t\t防災教育事業\n", html) == \
        ([("文部科学省", "0123", "学校安全事業", None), ("文部科学省", "0124", "防災教育事業", None)], [])
