"""Multi-line cells of the lower half split over rows, the way real exports print them:
the first lines stay in the cell's row, the rest goes on the row below, in the same
column, the other cells of that row empty.  Each case must parse to the fixture's own
rows, the cell's text whole (its lines joined as the section joins them)."""

from __future__ import annotations

import pytest

from tests.transforms.variants import parse_sheet, sheet_text


def split_cell(text: str, cell: str, head: str) -> str:
    """`text` with the cell printing `cell` (its only line holding it) cut after `head`:
    the rest on a new row right below, in the same column, all other cells empty."""
    assert cell.startswith(head) and cell != head
    lines = text.split("\n")
    found = [n for n, line in enumerate(lines) if cell in line.split("\t")]
    assert len(found) == 1, f"{cell!r} is in {len(found)} rows"
    cells = lines[found[0]].split("\t")
    column = cells.index(cell)
    below = [""] * len(cells)
    cells[column], below[column] = head, cell[len(head):]
    lines[found[0]: found[0] + 1] = ["\t".join(cells), "\t".join(below)]
    return "\n".join(lines)


def _rows(text: str, table: str) -> list[dict]:
    return [{k: v for k, v in row.items() if k not in ("project_key", "raw_text")}
            for row in parse_sheet(text).tables[table]]


# -- 点検: a question's bracketed note on the row below ---------------------------------------

NOTE_QUESTIONS = [
    ("2014", "不用率が大きい場合、その理由は妥当か。(理由を右に記載)"),
    ("2020", "不用率が大きい場合、その理由は妥当か。(理由を右に記載)"),
    ("2020", "繰越額が大きい場合、その理由は妥当か。(理由を右に記載)"),  # (its row one column left)
    ("2021-23", "関連する事業がある場合、他部局・他府省等と適切な役割分担を行っているか。"
             "(役割分担の具体的な内容を各事業の右に記載)"),
]


@pytest.mark.parametrize("family, question", NOTE_QUESTIONS, ids=[f"{f}-{q[:3]}" for f, q in NOTE_QUESTIONS])
def test_a_questions_note_on_the_row_below_ends_that_question(family, question):
    """`| 不用率が大きい場合、その理由は妥当か。 | ○ | …` / `| (理由を右に記載) | |`: a line all in
    brackets is a note ending the question above, not the first line of the next one (nor
    lost before the 関連事業 table)."""
    text = sheet_text(family)
    split = split_cell(text, question, question[: question.index("(")])
    assert _rows(split, "assessment") == _rows(text, "assessment")


# -- 推進チームの所見 / 改善点: the 判定 cell split over two rows ------------------------------------

@pytest.mark.parametrize("family, judgement, head, field", [
    ("2020", "一部の改善内容", "一部の", "review_team_opinion"),
    ("2014", "予算要求の縮減", "予算要", "reflection"),
    ("2012-13", "現状通り", "現状", "review_team_opinion"),
])
def test_a_judgement_split_over_two_rows_stays_before_its_text(family, judgement, head, field):
    """`一部の | 更なる経費の効率化を…` / `改善内容`: the judgement's rest comes before the
    text right of it (`一部の\\n改善内容\\n更なる…`), not after it."""
    text = sheet_text(family)
    expected = parse_sheet(text).project[field]
    assert expected.startswith(judgement + "\n")
    read = parse_sheet(split_cell(text, judgement, head)).project[field]
    assert read == expected.replace(judgement, f"{head}\n{judgement[len(head):]}", 1)


# -- 関連事業: a plain row's name or relation split over two rows -----------------------------------

PLAIN_HEADER = "所管府省名\t事業番号\t事業名\t\t\t\t\t\t\n"
SCHOOL = "文部科学省\t0123\t学校安全事業の推進事業\t学校での安全教育は文部科学省が担う\n"


def _with_related(rows: str) -> str:
    return sheet_text("2020").replace(PLAIN_HEADER, PLAIN_HEADER + rows)


@pytest.mark.parametrize("head", ["学校安全事", "学校安全事業の"])
def test_a_related_projects_name_split_over_two_rows_is_one_project(head):
    text = _with_related(SCHOOL + "総務省\t\t消防団の充実強化事業\t\t\n")
    expected = _rows(text, "related_project")
    assert len(expected) == 2
    expected[0]["related_project_name"] = f"{head}\n{expected[0]['related_project_name'][len(head):]}"
    assert _rows(split_cell(text, "学校安全事業の推進事業", head), "related_project") == expected


def test_a_related_projects_relation_split_over_two_rows_is_one_relation():
    text = sheet_text("2021-23")
    relation = "防災情報の収集は内閣府、通信機器の整備は防衛省が担う"
    expected = _rows(text, "related_project")
    expected[0]["relation"] = "防災情報の収集は内閣府、\n通信機器の整備は防衛省が担う"
    assert _rows(split_cell(text, relation, "防災情報の収集は内閣府、"), "related_project") == expected


def test_a_split_name_listed_whole_by_the_html_table_is_one_project():
    """The HTML table cell names the project whole, the plain rows split it: one project."""
    html = "<tr> <td>文部科学省</td> <td>0123</td> <td>学校安全事業の推進事業</td> </tr>"
    text = _with_related(SCHOOL).replace("<tr> <td></td> <td></td> <td></td> </tr>", html)
    whole = _rows(text, "related_project")
    assert len(whole) == 1
    assert _rows(split_cell(text, "学校安全事業の推進事業", "学校安全事"), "related_project") == whole


# -- 点検: a whole sentence on an unrated row between two questions ---------------------------------

TWO_SENTENCES = "政策目的の達成手段として必要かつ適切な事業か。政策体系の中で優先度の高い事業か。"


def _assessment_findings(text: str) -> list[str]:
    return [issue.message for issue in parse_sheet(text).issues if issue.table_name == "assessment"]


@pytest.mark.parametrize("family", ["2014", "2020", "2021-23"])
def test_a_question_split_after_its_first_sentence_is_reported(family):
    """`| 政策目的の…事業か。 | ○ | …` / `| 政策体系の中で優先度の高い事業か。 | |` above the next
    rated question: the second sentence of the question above, a question left unrated, or
    the first sentence of the next one (its rating on its last row) — the rows do not tell."""
    text = sheet_text(family)
    assert not _assessment_findings(text)
    split = split_cell(text, TWO_SENTENCES, TWO_SENTENCES[: TWO_SENTENCES.index("。") + 1])
    assert any("政策体系の中で優先度の高い事業か。" in message for message in _assessment_findings(split))


def test_a_question_left_without_rating_nor_explanation_is_reported():
    """A whole question printed with an empty rating and explanation, between two rated
    ones, reads like the first sentence of the next question: reported."""
    text = sheet_text("2020")
    blank = text.replace("\t整備された施設や成果物は十分に活用されているか。\t-\t", "\t整備された施設や成果物は十分に活用されているか。\t\t")
    assert blank != text
    assert any("整備された施設" in message for message in _assessment_findings(blank))


def test_a_rating_under_the_empty_cell_of_its_question_is_not_reported():
    text = sheet_text("2020")
    question = "\t地方自治体、民間等に委ねることができない事業なのか。"
    assert not _assessment_findings(text.replace(question + "\t", question + "\n\t\t"))


# -- 費目・用途: the rest of the last 用途 on the 計 row ---------------------------------------------

def onto_total_row(text: str, cell: str, head: str) -> str:
    """`text` with the cell printing `cell` on the row above a 計 row cut after `head`, the
    rest in the same column of the 計 row (empty there): the export merged the split
    cell's second row with the next row of the form."""
    lines = text.split("\n")
    (n,) = [n for n, line in enumerate(lines[:-1]) if cell in line.split("\t") and lines[n + 1].startswith("計\t")]
    cells, below = lines[n].split("\t"), lines[n + 1].split("\t")
    column = cells.index(cell)
    assert not below[column]
    cells[column], below[column] = head, cell[len(head):]
    lines[n: n + 2] = ["\t".join(cells), "\t".join(below)]
    return "\n".join(lines)


@pytest.mark.parametrize("family, purpose, head", [
    ("2020", "民泊制度運営システムの改修業務", "民泊制度運営シ"),  # block A
    ("2010", "旧外地関係の文書整理にかかる支払", "旧外地関係の文書"),  # block B
    ("2016", "環境負荷軽減型酪農経営支援事業において実施する酪農経営における環境負荷軽減の取組の効果検証に必要な"
             "データの調査・分析を行い、測定手法を作成", "環境負荷軽減型酪農経営支援事業において実施する"),
])
def test_the_rest_of_the_last_purpose_on_the_total_row_continues_it(family, purpose, head):
    """`委託費 | 民泊制度運営シ | 4` / `計 | ステムの改修業務 | 114`: the export put the split
    cell's rest on the 計 row, whose own 用途 is blank."""
    text = sheet_text(family)
    moved = onto_total_row(text, purpose, head)
    assert "\n計\t" + purpose[len(head):] in moved or "\t計\t" + purpose[len(head):] in moved
    expected = _rows(text, "expense")
    (changed,) = [row for row in expected if row["purpose"] == purpose]
    changed["purpose"] = f"{head}\n{purpose[len(head):]}"
    assert _rows(moved, "expense") == expected
    assert _rows(moved, "printed_total") == _rows(text, "printed_total")


# -- 点検結果 / 改善の方向性: the label split over two rows ------------------------------------------

@pytest.mark.parametrize("family", ["2014", "2020", "2021-23"])
@pytest.mark.parametrize("label, head", [("点検結果", "点検"), ("改善の方向性", "改善の")])
def test_a_result_label_split_over_two_rows_keeps_its_text(family, label, head):
    """`| 点検 | 本事業の…` / `| 結果 |`: the label's two lines make the label, its text
    right of the first."""
    text = sheet_text(family)
    fields = ("inspection_result", "improvement_direction")
    expected = {field: parse_sheet(text).project[field] for field in fields}
    split = parse_sheet(split_cell(text, label, head)).project
    assert {field: split[field] for field in fields} == expected
