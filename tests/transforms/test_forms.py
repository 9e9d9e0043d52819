"""One hand-checked sheet per form family parses to exactly its facts.

Each folder of tests/fixtures/forms/ holds `sheet.txt` and `facts.json` (see its
README); adding a folder adds a case.  Facts are compared as a multiset of rows with
`benchmarks.roundtrip.compare`, and no table may hold rows the facts do not list.
"""

from __future__ import annotations

import codecs

import json
from decimal import Decimal
from pathlib import Path

import pytest

from benchmarks.roundtrip import compare
from transforms.model import ParseError
from transforms.schema import TABLES
from transforms.sources.text_sheet import parse_bytes

FORMS = Path(__file__).resolve().parents[1] / "fixtures" / "forms"
CASES = sorted(p.name for p in FORMS.iterdir() if (p / "facts.json").exists())
DECIMAL_COLUMNS = {(t.name, c.name) for t in TABLES.values() for c in t.columns if c.type.startswith("DECIMAL")}


def load_case(name: str) -> tuple[bytes, dict]:
    """The sheet's bytes and its facts with Decimal columns as Decimals."""
    folder = FORMS / name
    facts = json.loads((folder / "facts.json").read_text(encoding="utf-8"))["facts"]
    typed = {
        table: [{k: (Decimal(v) if (table, k) in DECIMAL_COLUMNS and v is not None else v) for k, v in row.items()}
                for row in rows]
        for table, rows in facts.items()
    }
    return (folder / "sheet.txt").read_bytes(), typed


def test_every_family_has_a_case():
    assert CASES == ["2010", "2012-13", "2014", "2016", "2018-19", "2020", "2021-23"]


@pytest.mark.parametrize("name", CASES)
def test_form_parses_to_exactly_its_facts(name):
    data, facts = load_case(name)
    sheet = parse_bytes(data, f"forms/{name}/sheet.txt")
    exact, total, misses = compare(sheet.tables, facts)
    assert misses == [] and exact == total
    extra = {t: len(sheet.tables[t]) - len(rows) for t, rows in facts.items()
             if t != "project" and len(sheet.tables[t]) != len(rows)}
    assert extra == {}, f"rows beyond the facts: {extra}"
    assert sheet.issues == []


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp932", "utf-16", "utf-16-le", "utf-16-be"])
def test_form_survives_reencoding_and_crlf(name, encoding):
    """Also UTF-16 without a BOM, in either byte order, whatever the share of ASCII."""
    data, facts = load_case(name)
    text = data.decode("utf-8").replace("\n", "\r\n")
    try:
        encoded = text.encode(encoding)
    except UnicodeEncodeError:
        pytest.skip(f"{name} holds characters {encoding} cannot encode")
    sheet = parse_bytes(encoded, f"forms/{name}/sheet.txt")
    exact, total, misses = compare(sheet.tables, facts)
    assert misses == []


@pytest.mark.parametrize("name", CASES)
def test_a_stray_byte_after_a_utf8_bom_is_a_warning_like_without_the_bom(name):
    data, facts = load_case(name)
    sheet = parse_bytes(codecs.BOM_UTF8 + "課".encode("cp932") + b"\n" + data, "v.txt")
    assert compare(sheet.tables, facts)[2] == []
    assert [i.check_name for i in sheet.issues] == ["undecodable_bytes"]


@pytest.mark.parametrize("name", CASES)
def test_a_sheet_cut_short_loads_what_it_has_and_says_what_is_missing(name):
    data, _ = load_case(name)
    lines = data.decode("utf-8").split("\n")
    budget_end = next(n for n, line in enumerate(lines) if "予算内訳" in line or "成果目標" in line)
    sheet = parse_bytes("\n".join(lines[:budget_end]).encode(), "cut.txt")
    assert sheet.tables["budget_line"] and not sheet.tables["indicator"]
    [issue] = [i for i in sheet.issues if i.check_name == "section_missing"]
    assert "indicators" in issue.message and "assessment" in issue.message and "cut.txt" in issue.message


@pytest.mark.parametrize("first, second", [("2018-19", "2020"), ("2010", "2010")])
def test_two_sheets_in_one_file_are_refused_with_the_line_of_the_second(first, second):
    one, two = load_case(first)[0], load_case(second)[0]
    with pytest.raises(ParseError, match=r"two sheets in one file: a second 予算額・執行額 table at line \d+"):
        parse_bytes(one + b"\n" + two, "two.txt")


@pytest.mark.parametrize("data, reason", [
    (codecs.BOM_UTF8, "empty file"), (codecs.BOM_UTF16_LE + " \n".encode("utf-16-le"), "empty file"),
    (b"\x00" * 100, "binary file"),
])
def test_a_byte_order_mark_alone_is_an_empty_file_and_nul_bytes_a_binary_one(data, reason):
    with pytest.raises(ParseError, match=reason):
        parse_bytes(data, "x.txt")


def test_a_utf32_export_is_read():
    data, facts = load_case("2020")
    assert compare(parse_bytes(data.decode("utf-8").encode("utf-32"), "x.txt").tables, facts)[2] == []


def test_unknown_labels_are_reported_with_label_section_and_file():
    data, _ = load_case("2018-19")
    text = data.decode("utf-8")
    changes = {
        "\t執行額\t": ("\t執行済額\t", "budget"),
        "<b>担当部局庁</b>": ("<b>所管部署</b>", "basic"),
        "\t当初見込み\t": ("\t当初計画\t", "activity"),
        "\t計算式\t": ("\t計算方法\t", "unit_cost"),
        "<b>単位</b>\t28年度": ("<b>単位</b>\t28年度\t<b>参考値</b>", "outcome"),
    }
    for old, (new, section) in changes.items():
        assert old in text
        sheet = parse_bytes(text.replace(old, new, 1).encode(), "forms/changed.txt")
        label = new.strip("\t").replace("<b>", "").replace("</b>", "").split("\t")[-1]
        messages = [i.message for i in sheet.issues if i.check_name == "unknown_label"]
        assert len(messages) == 1, (old, messages)
        assert "forms/changed.txt" in messages[0] and label in messages[0] and f"section {section}" in messages[0]


# ------------------------------------------------------------------ variants the fixtures do not show
HEAD = [
    "平成30年度行政事業レビューシート (総務省)",
    "<b>事業名</b>\tテスト事業\t\t<b>担当部局庁</b>\t自治行政局",
    "<b>予算額・執行額(単位:百万円)</b>\t\t\t27年度\t28年度\t29年度\t30年度\t31年度要求",
    "\t予算の状況\t当初予算\t10\t10\t10\t10\t12",
    "\t計\t\t10\t10\t10\t10\t12",
]


def parse_lines(*lines: str):
    return parse_bytes("\n".join(HEAD + list(lines)).encode(), "variant.txt")


def test_indicators_stacked_in_one_block_and_a_name_continued_on_its_own_row():
    sheet = parse_lines(
        "<b>成果目標及び成果実績(アウトカム)</b>\t<b>定量的な成果目標</b>\t<b>成果指標</b>\t\t<b>単位</b>\t27年度\t28年度\t29年度\t<b>目標最終年度</b>",
        "\t\t\t\t\t\t\t\t32 年度",
        "\t目標A\t指標A\t成果実績\t件\t1\t2\t3\t-",
        "\t\t\t目標値\t件\t1\t2\t3\t4",
        "\t目標B\t指標B\t成果実績\t%\t10\t20\t30\t-",
        "\t\t(続き)\t目標値\t%\t10\t20\t30\t40",
        "<b>活動指標及び活動実績(アウトプット)</b>\t<b>活動指標</b>\t\t<b>単位</b>\t27年度\t28年度\t29年度\t<b>30年度活動見込</b>",
        "\t研修会の開催\t活動実績\t回\t5\t5\t5\t-",
        "\t(都道府県)\t当初見込み\t回\t5\t5\t5\t5",
        "\t※説明会を含む",
    )
    rows = sheet.tables["indicator"]
    outcome = {(r["indicator_no"], r["name"], r["goal"]) for r in rows if r["kind"] == "outcome"}
    assert outcome == {(1, "指標A", "目標A"), (2, "指標B\n(続き)", "目標B")}
    finals = {r["indicator_no"]: (r["fiscal_year"], r["value"]) for r in rows
              if r["kind"] == "outcome" and r["period"] == "final_target" and r["measure"] == "target"}
    assert finals == {1: (2020, Decimal(4)), 2: (2020, Decimal(40))}  # 平成32 = FY2020
    assert {r["name"] for r in rows if r["kind"] == "activity"} == {"研修会の開催\n(都道府県)\n※説明会を含む"}


def test_budget_rows_shifted_either_way_are_aligned_by_their_label():
    text = "\n".join(HEAD[:3] + [
        "\t\t予算の状況\t当初予算\t10\t11\t12\t13\t14",  # one cell right
        "補正予算\t1\t1\t1\t1",  # one cell left: label, then values
        "\t\t計\t\t11\t12\t13\t14\t14",  # one cell right, a merged cell kept
    ]).encode()
    rows = parse_bytes(text, "shifted.txt").tables["budget_line"]
    got = {(r["line"], r["fiscal_year"]): r["amount_million_yen"] for r in rows}
    assert [got[("initial", fy)] for fy in range(2015, 2020)] == [10, 11, 12, 13, 14]
    assert [got[("supplementary", fy)] for fy in range(2015, 2019)] == [1, 1, 1, 1]
    assert [got[("total", fy)] for fy in range(2015, 2020)] == [11, 12, 13, 14, 14]


def test_budget_item_header_years_are_not_read_from_its_title():
    sheet = parse_lines(
        "<b>平成30・31年度予算内訳(単位:百万円)</b>\t<b>歳出予算目</b>\t<b>30年度当初予算</b>\t<b>31年度要求</b>\t<b>主な増減理由</b>",
        "\t庁費\t10\t12\t増",
        "\t計\t10\t12",
    )
    items = sheet.tables["budget_item"]
    assert [(r["fiscal_year"], r["is_request"], r["change_reason"]) for r in items] == [(2018, False, "増"), (2019, True, "増")]
    assert len(sheet.tables["budget_line"]) == 10  # the main table is the one above, untouched


@pytest.mark.parametrize(("printed", "review_year", "expected"), [
    ("昭和62年度開始", 2012, (1987, None)),
    ("平成20年度~平成24年度", 2012, (2008, 2012)),
    ("平成23年度~平成56年度", 2013, (2011, 2044)),
    ("平成14年度~", 2014, (2002, None)),
    ("22年度 ~ 27年度", 2014, (2010, 2015)),
    ("8年度 ~ 26年度", 2014, (1996, 2014)),  # a bare first year is 平成 before 2020
    ("平成24年4月1日~平成25年3月31日", 2012, (2012, 2012)),
    ("別紙参照", 2013, (None, None)),
    ("~平成25年度", 2013, (None, 2013)),
])
def test_combined_start_end_cell(printed, review_year, expected):
    from transforms.sections.header import start_end_years

    assert start_end_years(None, None, printed, review_year)[:2] == expected


@pytest.mark.parametrize(("printed", "ministry", "expected"), [
    ("198", "外務省", "198"), ("0019", "総務省", "0019"), ("新30-0035", "総務省", "新30-0035"),
    ("新30 0035", "総務省", "新30 0035"), ("復興庁:167 環境省:127", "復興庁", "167"),
    ("復興庁:167 環境省:127", "環境省", "127"), ("-", "総務省", None),
])
def test_project_number_forms(printed, ministry, expected):
    from transforms.sections.project_numbers import own_number

    assert own_number(printed, ministry) == expected


def test_recipient_name_continued_on_a_row_without_rank_and_unknown_column_reported():
    sheet = parse_lines(
        "**支出先上位10者リスト**",
        "A.",
        "\t支出先\t法人番号\t業務概要\t支出額(百万円)\t備考欄",
        "1\tINTERNATIONAL ASSOCIATION\t\t調査\t0.3\t",
        "\tFOR RESEARCH\t\t(分担金)",
        "2\t職員旅費(職員A)\t\t旅費\t0.1",
    )
    recipients = sheet.tables["recipient"]
    assert [(r["rank"], r["name"], r["description"]) for r in recipients] == [
        (1, "INTERNATIONAL ASSOCIATION\nFOR RESEARCH", "調査\n(分担金)"), (2, "職員旅費(職員A)", "旅費")]
    assert [i.observed for i in sheet.issues if i.check_name == "unknown_label"] == ["備考欄"]


def test_numbers_beyond_the_contract_types_load_as_null_with_a_warning():
    sheet = parse_lines("\t執行額\t\t" + "9" * 30 + "\t1")
    executed = [r for r in sheet.tables["budget_line"] if r["line"] == "executed"]
    assert [(r["amount_million_yen"], r["raw_text"][:3]) for r in executed] == [(None, "999"), (Decimal(1), "1")]
    assert [i.check_name for i in sheet.issues if i.check_name != "section_missing"] == ["value_out_of_range"]


def test_a_section_without_its_header_row_is_reported_not_guessed():
    sheet = parse_lines("**支出先上位10者リスト**", "A.", "1\t株式会社テスト\t\t調査\t0.3")
    assert sheet.tables["recipient"] == []
    [issue] = [i for i in sheet.issues if i.check_name != "section_missing"]  # (a sheet of three sections)
    assert issue.check_name == "section_unreadable" and "variant.txt" in issue.message and "recipient" in issue.message
