"""Section headings split over two rows, the way exports print a wrapped cell: the
heading's first part on its row, the rest on a new row below in the same column (with
the same markup), the other cells of that row empty.  Each case must parse as the
unedited fixture does."""

from __future__ import annotations

import re

import pytest

from tests.transforms.test_audit_split_cells import split_cell
from tests.transforms.variants import mutate, parse_sheet, sheet_text

_MARKUP = re.compile(r"^(<b>|\*\*)(.*)(</b>|\*\*)$")


def split_heading(text: str, heading: str, head: str) -> str:
    """`text` with the row whose first or second cell prints a heading starting with
    `heading` (in any markup) cut after `head`: the rest on a new row below, in the same
    column, with the same markup."""
    lines = text.split("\n")

    def plain(cell: str) -> str:
        return _MARKUP.sub(r"\2", cell.strip())

    whole_cells = any(heading in map(plain, line.split("\t")[:2]) for line in lines)

    def prints(cell: str) -> bool:  # (the heading alone; else with more words: `所見を踏まえた改善点/…`)
        return plain(cell) == heading or (not whole_cells and plain(cell).startswith(heading))

    found = [n for n, line in enumerate(lines) if any(map(prints, line.split("\t")[:2]))]
    assert len(found) == 1, f"{heading!r} heads {len(found)} rows"
    cells = lines[found[0]].split("\t")
    column = next(i for i, cell in enumerate(cells) if prints(cell))
    whole = plain(cells[column])
    markup = _MARKUP.match(cells[column].strip())
    before, after = (markup.group(1), markup.group(3)) if markup else ("", "")
    below = [""] * len(cells)
    cells[column], below[column] = f"{before}{head}{after}", f"{before}{whole[len(head):]}{after}"
    lines[found[0]: found[0] + 1] = ["\t".join(cells), "\t".join(below)]
    return "\n".join(lines)


def _parse(text: str) -> dict:
    """Every table of the parse, without the columns that record the print."""
    sheet = parse_sheet(text)
    return {name: [{k: v for k, v in row.items() if k not in ("raw_text", "source_sha256")} for row in rows]
            for name, rows in sheet.tables.items()}


FAMILIES = ["2010", "2012-13", "2014", "2016", "2018-19", "2020", "2021-23"]

HEADINGS = [
    ("外部有識者の所見", ["外部", "外部有識", "外部有識者の"]),
    ("行政事業レビュー推進チームの所見", ["行政", "行政事業", "行政事業レビュー", "行政事業レビュー推進チームの"]),
    ("所見を踏まえた改善点", ["所見", "所見を踏ま"]),
    ("備考", ["備"]),
    ("事業所管部局による点検・改善", ["事業所管部局による点検・"]),
    ("項目", ["項"]),
]


@pytest.mark.parametrize("family", FAMILIES)
@pytest.mark.parametrize("heading, heads", HEADINGS, ids=[h for h, _ in HEADINGS])
def test_a_lower_half_heading_split_over_two_rows_opens_its_section(family, heading, heads):
    """`<b>外部有識</b>` / `<b>者の所見</b>`: the two rows make the heading; its text is not
    merged into the section above, nor the rest of the heading read as a text or question."""
    text = sheet_text(family)
    expected = _parse(text)
    for head in heads:
        assert _parse(split_heading(text, heading, head)) == expected, head


SEED_HEADINGS = [
    ("2020", "予算額・執行額(単位:百万円)", "予算額・"),
    ("2020", "成果目標及び成果実績(アウトカム)", "成果目標"),
    ("2020", "活動指標及び活動実績(アウトプット)", "活動指標及び活動実"),
    ("2020", "単位当たりコスト", "単位当た"),
    ("2020", "政策評価、新経済・財政再生計画との関係", "政策評価、新経済・"),
    ("2020", "所見を踏まえた改善点/概算要求における反映状況", "所見を踏まえた改善点/概算要求における反映"),
    ("2016", "定量的な成果目標の設定が困難な場合", "定量的な"),
    ("2012-13", "関連する過去のレビューシートの事業番号", "関連する過去のレビ"),
    ("2014", "資金の流れ", "資金の"),
    ("2014", "費目・使途", "費目・"),
    ("2014", "支出先上位10者リスト", "支出先上"),
]


@pytest.mark.parametrize("family, heading, head", SEED_HEADINGS, ids=[h[:8] for _, h, _ in SEED_HEADINGS])
def test_any_section_heading_split_over_two_rows_opens_its_section(family, heading, head):
    """`**資金の**` / `**流れ**`, `<b>予算額・</b> | 29年度 | …` / `<b>執行額(単位:百万円)</b>`: the
    section is found, its rows read as unedited."""
    text = sheet_text(family)
    assert _parse(split_heading(text, heading, head)) == _parse(text)


def test_a_split_inspection_result_label_on_the_2010_form_keeps_the_sections_start():
    """2010: `事業所管部局による点検 | 点検 | 本事業の…` / `| 結果 |`: the row still opens the
    点検結果 rows (not a repeated 点検 heading, left out), its text kept."""
    text = sheet_text("2010")
    expected = parse_sheet(text).project
    split = parse_sheet(split_cell(text, "点検結果", "点検")).project
    fields = ("inspection_result", "improvement_direction")
    assert {f: split[f] for f in fields} == {f: expected[f] for f in fields}


@pytest.mark.parametrize("printed, reported", [
    ("平成2\t0243\t平成30年度\t0239\n5年度\n平成31年度\t国土交通省 ( 0241 )", "1990 0243"),  # a year cell split over rows
    ("平成29年度\t0243\t令和9年度\t0239\n平成31年度\t国土交通省 ( 0241 )", "2027 0239"),  # after the sheet's own year
])
def test_a_lineage_year_no_review_sheet_can_have_is_reported(printed, reported):
    """`平成2` / `5年度` read 1990, before the first review sheets: reported, not loaded."""
    sheet = parse_sheet(mutate(sheet_text("2020"), "平成29年度\t0243\t平成30年度\t0239\t\t\t\t", printed))
    years = sorted(r["past_review_year"] for r in sheet.tables["lineage"])
    assert 1990 not in years and 2027 not in years and 2019 in years
    assert any(i.check_name == "ambiguous_lineage" and reported in i.message for i in sheet.issues)
