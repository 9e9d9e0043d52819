"""The lower half of a sheet as real exports print it: the 点検・改善 table (項目 / 評価 /
評価に関する説明) and the free-text blocks after it (点検結果, 改善の方向性, the 所見
blocks, 備考). Each case is a small edit of the 2020 form fixture."""

from __future__ import annotations

import pytest

from tests.transforms.variants import mutate, parse_sheet, sheet_text

FORM = sheet_text("2020")
FIRST_QUESTION = "事業の目的は国民や社会のニーズを的確に反映しているか。"
FIRST_EXPLANATION = "平成30年6月15日に施行された住宅宿泊事業法の適正な運営を確保することにより、"
INSPECTION = "\t点検結果\t事業の実施状況を点検した結果、効率的かつ効果的に執行されていることを確認した。"
EXPERT = "事業の成果を分かりやすく示す指標の設定について検討すべき。"
TEAM_HEADING = "<b>行政事業レビュー推進チームの所見</b>"
TEAM_TEXT = "一部の改善内容\n更なる経費の効率化を図り、適正な予算執行に努めること。"


def _assessment(text: str) -> list[tuple]:
    return [(r["category"], r["question"], r["rating"], r["explanation"])
            for r in parse_sheet(text).tables["assessment"]]


def _project(text: str) -> dict:
    return parse_sheet(text).tables["project"][0]


BASE = _assessment(FORM)


@pytest.mark.parametrize("printed, rating", [
    (" ○ ", "○"), ("\u3000○\u3000", "○"), ("〇", "○"), ("◯", "○"), ("―", "-"), ("－", "-"), ("×", "×"),
    ("該当なし", "-"), ("対象外", "-"),
])
def test_a_rating_printed_otherwise_keeps_its_question(printed, rating):
    text = mutate(FORM, f"{FIRST_QUESTION}\t○\t", f"{FIRST_QUESTION}\t{printed}\t")
    rows = _assessment(text)
    assert len(rows) == len(BASE)
    assert rows[0][1:] == (FIRST_QUESTION, rating, BASE[0][3])


def test_an_inspection_text_on_the_row_below_its_label_is_kept():
    label, text = INSPECTION.rsplit("\t", 1)
    edited = mutate(FORM, INSPECTION, f"{label}\t\n\t\t{text}")
    assert _project(edited)["inspection_result"] == text


def test_an_inspection_text_on_several_rows_below_its_label_is_kept():
    label, text = INSPECTION.rsplit("\t", 1)
    edited = mutate(FORM, INSPECTION, f"{label}\n\t\t・{text}\n\t\t・以上")
    assert _project(edited)["inspection_result"] == f"・{text}\n・以上"
    assert _project(edited)["improvement_direction"] == _project(FORM)["improvement_direction"]


def test_an_inspection_text_over_rows_with_bullets_breaks_and_a_blank_row():
    label, text = INSPECTION.rsplit("\t", 1)
    edited = mutate(FORM, INSPECTION, f"{label}\t{text}\n\t\t・効率的<br>に執行\n\n\t\t・以上")
    assert _project(edited)["inspection_result"] == f"{text}\n・効率的\nに執行\n・以上"


@pytest.mark.parametrize("heading", [
    "<b>行政事業レビュー推進チームによる所見</b>", "<b>レビュー推進チームによる所見</b>", "行政事業レビュー推進チームの所見",
])
def test_the_review_team_heading_in_other_wordings(heading):
    project = _project(mutate(FORM, TEAM_HEADING, heading))
    assert (project["external_expert_opinion"], project["review_team_opinion"]) == (EXPERT, TEAM_TEXT)


@pytest.mark.parametrize("heading", [
    "<b>所見を踏まえた改善点</b>", "<b>所見を踏まえた改善点(概算要求における反映状況等)</b>",
    "<b>所見を踏まえた見直し後の状況</b>", "<b>概算要求における反映状況</b>",
])
def test_the_reflection_heading_in_other_wordings(heading):
    project = _project(mutate(FORM, "<b>所見を踏まえた改善点/概算要求における反映状況</b>", heading))
    assert project["review_team_opinion"] == TEAM_TEXT
    assert project["reflection"] == "執行等改善\n経費の効率化を図り、適正な予算執行に努める。"


# --- an explanation continued one cell left, in the rating column ------------------------

BURDEN = "国が主体となって実施すべき事業であり、国が責任をもって行う必要がある。"
OTHER_COSTS = "その他コスト削減や効率化に向けた工夫は行われているか。\t○\t経費支出については使途の必要性などに十分配慮し、"


@pytest.mark.parametrize("old, new, joined", [
    # a question row as the form prints it (項目 / 評価 / 説明 in columns 1 / 2 / 3)
    (BURDEN, "国が主体となって実施すべき事業であり、\n\t\t国が責任をもって行う必要がある。",
     "国が主体となって実施すべき事業であり、\n国が責任をもって行う必要がある。"),
    # a question row itself shifted left (its category cell collapsed: columns 0 / 1 / 2)
    (OTHER_COSTS + "適切な", OTHER_COSTS + "\n\t適切な",
     "経費支出については使途の必要性などに十分配慮し、\n適切な予算執行に当たっている。"),
], ids=["form columns", "shifted row"])
def test_an_explanation_continued_in_the_rating_column_continues_the_explanation(old, new, joined):
    """The export collapsed the merged cell left of an explanation's second line: the
    line sits in the 評価 column, and still continues the explanation above."""
    rows = _assessment(mutate(FORM, old, new))
    assert [r[:3] for r in rows] == [r[:3] for r in BASE]
    changed = [n for n, (row, base) in enumerate(zip(rows, BASE)) if row != base]
    assert changed and {rows[n][3] for n in changed} == {joined}  # (the 2020 fixture prints BURDEN twice)


def test_a_rating_alone_in_the_rating_column_is_no_explanation_line():
    text = mutate(FORM, BURDEN, BURDEN + "\n\t\t○")
    assert _assessment(text) == BASE


def test_a_question_starting_in_the_rating_column_of_the_row_above_is_a_question():
    """After a shifted question row (columns 0 / 1 / 2) the next question, printed in the
    form's columns, starts in the column that was the rating column above: its first
    line (its rating on the line below, in the same column) is no explanation line."""
    line = next(line for line in FORM.split("\n") if line.startswith(OTHER_COSTS))
    text = mutate(FORM, line, line + "\n\t行政のデジタル化による\n\t業務の効率化は図られているか。\t○\t図られている。")
    rows = _assessment(text)
    assert rows[:13] + rows[14:] == BASE  # the explanation above unchanged
    assert rows[13] == ("事業の効率性", "行政のデジタル化による業務の効率化は図られているか。", "○", "図られている。")


def test_a_sentence_in_the_rating_column_of_a_shifted_row_continues_its_explanation():
    """The same column right above a question in the form's columns: a line ending its
    sentence continues the explanation above it (a question's first line does not end
    with 。)."""
    line = next(line for line in FORM.split("\n") if line.startswith(OTHER_COSTS))
    text = mutate(FORM, line, line + "\n\tなお、契約は随時見直している。\n\t業務の効率化は図られているか。\t○\t図られている。")
    rows = _assessment(text)
    assert rows[:12] + rows[14:] == BASE[:12] + BASE[13:]
    assert rows[12] == BASE[12][:3] + (BASE[12][3] + "\nなお、契約は随時見直している。",)
    assert rows[13] == ("事業の効率性", "業務の効率化は図られているか。", "○", "図られている。")
