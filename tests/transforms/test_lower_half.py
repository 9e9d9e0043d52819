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
