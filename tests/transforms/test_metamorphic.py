"""Metamorphic tests: exports of one sheet that differ only in print parse to the same facts.

Each perturbation is a pure function text -> text that changes a form fixture the way
real exports of the same sheet differ (SHEET_FORMAT.md, "The text layout"): merged
cells printed collapsed or with an extra empty cell, labels with or without `<b>` /
`**`, `<br>` spellings and a multi-line cell printed with `<br>` instead of over
consecutive rows, fullwidth digits and punctuation, white space, blank lines, CRLF, a
BOM.  Applied to every form family, the parse must give the fixture's own rows; only
the columns that record the print (`raw_text`, `label_ja`, `start_end_text`, see
CONTRACT.md) may differ.

Edits that are *not* meaning-preserving and therefore not listed here:
- every row that starts with an empty cell shifted one cell right of its header: a
  row's values are then ambiguous (a `計` / `執行額` row of four values may stand under
  the first four year columns or under the last four), and expense blocks A / B are
  told apart by column;
- empty cells removed before every bold label, also on the 事業名 row of the 2020+
  forms: the 作成責任者 value is printed on the next row *under* its label, so moving
  the label away from it changes what the value belongs to.
"""

from __future__ import annotations

import re

import pytest

from tests.transforms.test_variants import parse
from tests.transforms.variants import FORMS, sheet_text

FAMILIES = sorted(p.name for p in FORMS.iterdir() if (p / "facts.json").exists())

_FULLWIDTH = str.maketrans("0123456789,.%()", "０１２３４５６７８９，．％（）")
_NUMBER = re.compile(r"[▲△]? ?[\d,]+(?:\.\d+)?%?")
_YEAR = re.compile(r"(?:平成|令和|昭和)?[\d元]+ ?年度(?:要求|活動見込)?|- ?年度")
# section titles and category labels of the lower half, printed without tags in the fixtures
_PLAIN_LABELS = {"事業所管部局による点検・改善", "国費投入の必要性", "事業の効率性", "事業の有効性", "関連事業",
                 "点検・改善結果", "点検結果", "改善の方向性", "政策", "施策", "関連する過去のレビューシートの事業番号"}
_PLAIN_TITLES = ("政策評価", "事業所管部局による点検", "関連する過去のレビューシート")
_BUDGET_SPANNED = r"(計|執行額|執行率\(%\)|執行率|当初予算\+補正予算に対する執行額の割合\(%\))"


def _cells(text: str, edit) -> str:
    """`text` with `edit` applied to every TAB-separated field."""
    return "\n".join("\t".join(edit(c) for c in line.split("\t")) for line in text.split("\n"))


def _label_inner(cell: str) -> str:
    return cell[3:-4] if cell.startswith("<b>") and cell.endswith("</b>") else cell


# -- encoding, line ends, blank lines ----------------------------------------------------

def bom(text: str) -> str:
    return "\ufeff" + text


def crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


def blank_lines_between_sections(text: str) -> str:
    starts = ("<b>予算額", "<b>予算の状況", "<b>成果目標及び", "<b>活動指標", "<b>単位当たり", "**") + _PLAIN_TITLES
    return "\n".join(("\n\n" + line) if line.startswith(starts) else line for line in text.split("\n"))


def blank_line_after_every_row(text: str) -> str:
    return text.replace("\n", "\n\n")


def trailing_empty_cells_dropped(text: str) -> str:
    return "\n".join(line.rstrip("\t") for line in text.split("\n"))


def trailing_empty_cells_added(text: str) -> str:
    return "\n".join(line + "\t\t\t" if line else line for line in text.split("\n"))


# -- white space ------------------------------------------------------------------------

def trailing_spaces(text: str) -> str:
    return _cells(text, lambda c: c + "  " if c.strip() else c)


def fullwidth_space_after_labels(text: str) -> str:
    return _cells(text, lambda c: c.replace("</b>", "\u3000</b>") if c.startswith("<b>") else c)


def trailing_fullwidth_spaces(text: str) -> str:
    return _cells(text, lambda c: c + "\u3000" if c.strip() else c)


# -- bold markup --------------------------------------------------------------------------

def labels_without_tags(text: str) -> str:
    return text.replace("<b>", "").replace("</b>", "")


def titles_without_markdown_bold(text: str) -> str:
    return text.replace("**", "")


def plain_titles_in_markdown_bold(text: str) -> str:
    return "\n".join(f"**{line}**" if line.startswith(_PLAIN_TITLES) and "\t" not in line else line
                     for line in text.split("\n"))


def plain_labels_in_tags(text: str) -> str:
    return _cells(text, lambda c: f"<b>{c}</b>" if c in _PLAIN_LABELS else c)


# -- line breaks inside a cell ------------------------------------------------------------

def br_self_closing(text: str) -> str:
    return text.replace("<br>", "<br/>")


def br_upper_case(text: str) -> str:
    return text.replace("<br>", "<BR>")


def br_spaced(text: str) -> str:
    return text.replace("<br>", " <br /> ")


def line_breaks_inside_label_cells(text: str) -> str:
    """Two-line label cells printed with their `<br>`: `事業の目的<br>(目指す姿を…)`,
    `執行率<br>(%)`, `当初予算+補正予算に対する<br>執行額の割合(%)`, `2年度<br>活動見込`."""
    text = re.sub(r"(事業の目的|事業概要|根拠法令|予算額・執行額|予算の状況|執行率|成果目標及び成果実績|活動指標及び活動実績)\(",
                  r"\1<br>(", text)
    text = text.replace("当初予算+補正予算に対する執行額", "当初予算+補正予算に対する<br>執行額")
    return re.sub(r"(\d年度)(活動見込|要求|当初予算)", r"\1<br>\2", text)


def split_cells_printed_with_br(text: str) -> str:
    """An indicator name split over the rows of its block printed as one `<br>` cell on
    the block's first row (活動実績 / 当初見込み; 成果実績 / 目標値 / 達成度)."""
    lines = text.split("\n")
    for labels in (("活動実績", "当初見込み"), ("成果実績", "目標値", "達成度")):
        for at in range(len(lines) - len(labels) + 1):
            rows = [lines[at + k].split("\t") for k in range(len(labels))]
            if not all(label in row for label, row in zip(labels, rows)):
                continue
            positions = {row.index(label) for label, row in zip(labels, rows)}
            name_at = positions.pop() - 1
            if positions or name_at < 0 or not all(row[name_at] for row in rows):
                continue
            rows[0][name_at] = "<br>".join(row[name_at] for row in rows)
            for row in rows[1:]:
                row[name_at] = ""
            lines[at:at + len(rows)] = ["\t".join(row) for row in rows]
    return "\n".join(lines)


# -- fullwidth characters -----------------------------------------------------------------

def fullwidth_numbers(text: str) -> str:
    """`１，２３４`, `５０．５％`, `▲１３４` in number cells."""
    return _cells(text, lambda c: c.translate(_FULLWIDTH) if _NUMBER.fullmatch(c) else c)


def fullwidth_years(text: str) -> str:
    """`平成２９年度`, `３年度要求`, `３２ 年度` in year headers and target-year cells."""
    def edit(cell: str) -> str:
        inner = _label_inner(cell)
        return cell.replace(inner, inner.translate(_FULLWIDTH)) if _YEAR.fullmatch(inner) else cell
    return _cells(text, edit)


def fullwidth_dashes(text: str) -> str:
    return _cells(text, lambda c: "－" if c == "-" else c)


def fullwidth_punctuation(text: str) -> str:
    """`（単位：百万円）`, `執行率（％）`, `（株）` everywhere."""
    return text.replace("(", "（").replace(")", "）").replace(":", "：").replace("%", "％")


# -- merged cells collapsed or widened ----------------------------------------------------

def whole_sheet_one_cell_right(text: str) -> str:
    return "\n".join("\t" + line if line else line for line in text.split("\n"))


def empty_cell_before_first_label(text: str) -> str:
    return re.sub(r"(?m)^(\t*)(<b>)", r"\1\t\2", text)


def basic_information_gaps_collapsed(text: str) -> str:
    """Empty cells between a value and the next label dropped on the basic-information
    rows, except on a row with a value printed below one of its labels (作成責任者)."""
    lines = text.split("\n")
    for at, line in enumerate(lines):
        cells = line.split("\t")
        below = lines[at + 1].split("\t") if at + 1 < len(lines) else []
        value_below = any(i < len(below) and below[i].strip() and not below[i].startswith("<b>")
                          for i, c in enumerate(cells) if i and c.startswith("<b>"))
        if line.startswith("<b>") and line.count("<b>") >= 2 and not value_below:
            lines[at] = re.sub(r"(?<=[^\t])\t\t+(?=<b>)", "\t", line)
    return "\n".join(lines)


def indicator_header_name_cell_collapsed(text: str) -> str:
    """The header's 成果指標 / 活動指標 / 算出根拠 cell, merged over the name and label
    columns below it, printed once: 単位 and the years sit one cell left."""
    return re.sub(r"(<b>(?:成果指標|活動指標|算出根拠)</b>)\t\t(?=<b>単位)", r"\1\t", text)


def indicator_rows_one_cell_left(text: str) -> str:
    """Like the seed's 達成度 row: a measure row below the first of its block one cell left."""
    return re.sub(r"(?m)^\t(\t+)(目標値|達成度|当初見込み|計算式)\t", r"\1\2\t", text)


def budget_rows_one_cell_left(text: str) -> str:
    """The rows under the merged 予算の状況 label printed without its empty cell."""
    return re.sub(r"(?m)^\t(\t(?:当初予算|補正予算|前年度から繰越し|翌年度へ繰越し|予備費等)\t)", r"\1", text)


def budget_total_rows_in_first_column(text: str) -> str:
    return re.sub(rf"(?m)^\t{_BUDGET_SPANNED}\t", r"\1\t", text)


def budget_label_span_collapsed(text: str) -> str:
    """`計` / `執行額` / `執行率` merged over two columns printed as one cell."""
    return re.sub(rf"(?m)^\t{_BUDGET_SPANNED}\t\t", r"\t\1\t", text)


def assessment_questions_in_first_column(text: str) -> str:
    """Question rows printed without the empty cell under their category (as the
    fixtures' own `繰越額が大きい場合…` row)."""
    return re.sub(r"(?m)^\t([^\t]+か。[^\t]*\t(?:○|無|-|△|×))", r"\1", text)


def _composed(*steps):
    """The perturbations applied in order (each finds its cells by their print: a shift
    of the whole sheet comes last, tags are removed after the edits that look for them)."""
    def perturb(text: str) -> str:
        for step in steps:
            text = step(text)
        return text
    perturb.__name__ = "+".join(step.__name__ for step in steps)
    return perturb


PERTURBATIONS = [
    bom, crlf, blank_lines_between_sections, blank_line_after_every_row,
    trailing_empty_cells_dropped, trailing_empty_cells_added, line_breaks_inside_label_cells,
    trailing_spaces, fullwidth_space_after_labels, trailing_fullwidth_spaces,
    labels_without_tags, titles_without_markdown_bold, plain_titles_in_markdown_bold, plain_labels_in_tags,
    br_self_closing, br_upper_case, br_spaced, split_cells_printed_with_br,
    fullwidth_numbers, fullwidth_years, fullwidth_dashes, fullwidth_punctuation,
    whole_sheet_one_cell_right, empty_cell_before_first_label, basic_information_gaps_collapsed,
    indicator_header_name_cell_collapsed, indicator_rows_one_cell_left, budget_rows_one_cell_left,
    budget_total_rows_in_first_column, budget_label_span_collapsed, assessment_questions_in_first_column,
]
PERTURBATIONS += [
    _composed(labels_without_tags, whole_sheet_one_cell_right),
    _composed(empty_cell_before_first_label, labels_without_tags),
    _composed(indicator_header_name_cell_collapsed, empty_cell_before_first_label),
    _composed(fullwidth_numbers, fullwidth_years, fullwidth_punctuation, fullwidth_dashes, trailing_fullwidth_spaces),
    _composed(titles_without_markdown_bold, split_cells_printed_with_br, line_breaks_inside_label_cells,
              trailing_empty_cells_dropped, blank_line_after_every_row, crlf, bom),
]

# (perturbation, family) pairs where the fixture prints something the perturbation changes
CASES = [pytest.param(perturb, family, id=f"{perturb.__name__}-{family}")
         for perturb in PERTURBATIONS for family in FAMILIES if perturb(sheet_text(family)) != sheet_text(family)]
_EXPECTED: dict[str, dict] = {}


def _fixture_facts(family: str) -> dict:
    if family not in _EXPECTED:
        _EXPECTED[family] = parse(sheet_text(family))
    return _EXPECTED[family]


@pytest.mark.parametrize("perturb, family", CASES)
def test_a_perturbed_export_parses_to_the_same_facts(perturb, family):
    assert parse(perturb(sheet_text(family))) == _fixture_facts(family)


def test_every_perturbation_changes_some_fixture():
    assert {case.values[0] for case in CASES} == set(PERTURBATIONS)
