"""Tests of the review-sheet renderer itself (not of the parser)."""

from __future__ import annotations

import doctest
import json
import re
import unicodedata
from decimal import Decimal
from pathlib import Path

import pytest

from benchmarks import render
from benchmarks.render import FORM_YEARS, NOISE_KINDS, render_corpus, render_sheet
from benchmarks.sheetgen import eras, grid, model as model_mod, noise as noise_mod, printed
from transforms.schema import SHEET_TABLES, TABLES

NOT_PRINTED = {"project_key", "project_id", "source_path", "source_sha256", "source_format"}
FULLWIDTH_DIGIT = re.compile("[０-９]")


def cells_of(text: str) -> set[str]:
    return {c.strip() for line in text.split("\n") for c in line.split("\t")}


def parse_printed_number(raw: str) -> Decimal | None:
    """The renderer-side reading of a numeric print (what the facts claim it means)."""
    t = unicodedata.normalize("NFKC", raw).strip()
    negative = t.startswith(("▲", "△"))
    t = t.lstrip("▲△ ").replace(",", "").rstrip("%")
    t = t[:-2] if t.endswith("千円") else t
    try:
        value = Decimal(t)
    except ArithmeticError:
        return None
    return -value if negative else value


def line_of(text: str, first_cell_or_label: str) -> list[str]:
    return next(line.split("\t") for line in text.split("\n") if first_cell_or_label in line.split("\t"))


# ---------------------------------------------------------------- determinism and years
def test_same_record_year_and_seed_give_identical_output(seed_record):
    a = render_sheet(seed_record, 2016, frozenset({"fullwidth_digits", "crlf"}), seed=3)
    b = render_sheet(seed_record, 2016, frozenset({"fullwidth_digits", "crlf"}), seed=3)
    assert a.data == b.data and a.facts == b.facts and a.noise == b.noise


def test_another_seed_changes_synthesised_parts_only(seed_record):
    a, b = render_sheet(seed_record, 2020, seed=0), render_sheet(seed_record, 2020, seed=1)
    assert a.text != b.text
    assert a.facts["budget_line"] == b.facts["budget_line"]  # the record's own numbers


@pytest.mark.parametrize("form_year", FORM_YEARS)
def test_every_form_year_renders_with_shifted_years(seed_record, records, form_year):
    for record in [seed_record] + records[:6]:
        sheet = render_sheet(record, form_year)
        project = sheet.facts["project"][0]
        assert project["review_year"] == form_year
        years = {(r["fiscal_year"], r["is_request"]) for r in sheet.facts["budget_line"]}
        assert {fy for fy, req in years if not req} <= set(range(form_year - 3, form_year + 1))
        assert {fy for fy, req in years if req} <= {form_year + 1}
        assert sheet.data.decode("utf-8") == sheet.text
        assert all(r["fiscal_year"] == form_year - 1 for r in sheet.facts["recipient"])


def test_facts_use_exactly_the_contract_columns(records):
    sheet = render_sheet(records[0], 2019)
    assert set(sheet.facts) == {t.name for t in SHEET_TABLES}
    for table, rows in sheet.facts.items():
        expected = [c for c in TABLES[table].column_names if c not in NOT_PRINTED]
        assert all(list(row) == expected for row in rows), table


# ---------------------------------------------------------------- facts agree with the print
@pytest.mark.parametrize("form_year", [2010, 2012, 2014, 2016, 2018, 2020, 2022])
def test_every_raw_text_is_a_printed_cell_and_means_its_value(records, form_year):
    for record in records[:25]:
        sheet = render_sheet(record, form_year)
        cells = cells_of(sheet.text)
        for table, rows in sheet.facts.items():
            key = [c for c in TABLES[table].key if c != "project_key"]
            keys = [tuple(r[c] for c in key) for r in rows]
            assert not key or len(keys) == len(set(keys)), f"duplicate key in {table}"
            for row in rows:
                check_numeric_row(table, row, cells)


def check_numeric_row(table: str, row: dict, cells: set[str]) -> None:
    raw = row.get("raw_text")
    if raw is None:
        return
    assert raw in cells, (table, raw)
    column = next((c for c in ("amount_million_yen", "value", "rate") if c in row), None)
    if column is None or row.get("measure") == "formula" or "(" in raw:
        return
    value, reading = row[column], parse_printed_number(raw)
    if table == "execution_rate" and reading is not None:
        reading = reading / 100
    assert value is None or isinstance(value, Decimal)
    assert value == reading, (table, raw, value)


def test_dash_cells_are_null_with_their_print(seed_record):
    sheet = render_sheet(seed_record, 2020)
    interim = [r for r in sheet.facts["indicator"] if r["period"] == "interim_target"]
    assert interim and all(r["value"] is None and r["raw_text"] == "-" for r in interim)
    zeros = render_sheet(seed_record, 2016).facts["budget_line"]  # 平成28: 0 prints `-`
    supplementary = [r for r in zeros if r["line"] == "supplementary"]
    assert supplementary and all(r["amount_million_yen"] is None and r["raw_text"] == "-" for r in supplementary)


def test_outcome_values_print_at_most_one_decimal_and_achievement_as_percent(seed_record):
    outcome = [r for r in render_sheet(seed_record, 2020).facts["indicator"] if r["kind"] == "outcome"]
    year = lambda m: [r["raw_text"] for r in outcome if r["measure"] == m and r["period"] == "year"]
    assert year("actual") == ["3", "2.9", "2.9"]  # the database holds 2.98, 2.91, 2.91
    assert year("achievement") == ["99.3", "97", "97"]
    assert {r["unit"] for r in outcome if r["measure"] == "achievement"} == {"%"}


# ---------------------------------------------------------------- the seed's layout
def test_2020_layout_reproduces_the_seed_cell_for_cell(seed_record, seed_lines):
    lines = render_sheet(seed_record, 2020).text.split("\n")
    assert lines[:4] == seed_lines[:4]  # blank lines and title
    assert lines[4:7] == seed_lines[4:7]  # 事業名 … 作成責任者 below its label
    assert lines[12:22] == seed_lines[12:22]  # 予算額・執行額, header to 割合 row
    assert lines[22] == seed_lines[22]  # 予算内訳 header
    start = lines.index(next(l for l in lines if l.startswith("<b>成果目標及び成果実績(アウトカム)</b>")))
    assert lines[start:start + 9] == seed_lines[28:37]  # outcome block, check row, activity block
    masked = lambda line: re.sub(r"\t[^\t<]*\d[^\t<]*(?=\t)", "\t#", line.split("\t", 2)[-1])
    cost_seed, cost_mine = seed_lines[37:41], lines[start + 9:start + 13]
    assert [l.count("\t") for l in cost_mine] == [l.count("\t") for l in cost_seed]
    assert masked(cost_mine[0]) == masked(cost_seed[0])


# ---------------------------------------------------------------- family variants
def test_2010_layout(seed_record):
    sheet = render_sheet(seed_record, 2010)
    assert "行政事業レビューシート" in sheet.text.split("\n")[0] and "年" not in sheet.text.split("\n")[0]
    header = line_of(sheet.text, "19年度")
    assert header[2:] == ["19年度", "20年度", "21年度", "22年度", "23年度要求"]
    labels = {r["label_ja"]: r["line"] for r in sheet.facts["budget_line"]}
    assert labels == {"予算額(当初)": "initial", "予算額(補正後)": "total", "執行額": "executed"}
    assert {r["label_ja"] for r in sheet.facts["budget_line_other"]} == {"費用総額(執行ベース)"}
    assert "lineage" not in {t for t, rows in sheet.facts.items() if rows}


def test_2010_foreign_ministry_calls_projects_anken():
    record = next(r for r in render.iter_records() if r["府省庁"] == "外務省")
    text = render_sheet(record, 2010).text
    assert "<b>案件名</b>" in text and "<b>事業名</b>" not in text


def test_2012_layout(seed_record):
    sheet = render_sheet(seed_record, 2012)
    assert sheet.text.split("\n")[0].startswith("平成24年行政事業レビューシート")
    assert "<b>事業開始・終了(予定)年度</b>" in sheet.text
    assert {r["label_ja"] for r in sheet.facts["budget_line"] if r["line"] == "carried_in"} == {"繰越し等"}
    assert [r["raw_text"] for r in sheet.facts["execution_rate"]] == ["50", "50", "50"]
    row = line_of(sheet.text, "活動実績 (当初見込み)")
    assert row[4:7] == ["47 (47)"] * 3
    activity = [r for r in sheet.facts["indicator"] if r["kind"] == "activity" and r["raw_text"] == "47 (47)"]
    assert {r["measure"] for r in activity} == {"actual", "planned"}


def test_2016_vertical_label_and_whole_percent(seed_record):
    text = render_sheet(seed_record, 2016).text
    assert [line.split("\t")[1] for line in text.split("\n") if line.split("\t")[2:3] and line.split("\t")[2] in
            ("当初予算", "補正予算", "前年度から繰越し", "翌年度へ繰越し", "予備費等")] == list("予算の状況")
    assert "50%" in line_of(text, "執行率(%)")


def test_2018_div0_and_2019_heisei_32(records):
    div0 = [r for record in records for r in render_sheet(record, 2018).facts["execution_rate"]
            if r["raw_text"] == "#DIV/0!"]
    assert div0 and all(r["rate"] is None and r["basis"] == "initial_plus_supplementary" for r in div0)
    text = render_sheet(records[0], 2019).text
    assert "32年度要求" in text and "平成31・32年度予算内訳(単位:百万円)" in text


def test_2021_reiwa_headers_and_rs_number(seed_record):
    sheet = render_sheet(seed_record, 2021)
    assert line_of(sheet.text, "平成30年度")[3:8] == ["平成30年度", "令和元年度", "2年度", "3年度", "4年度要求"]
    assert sheet.facts["project"][0]["project_number"] == "2021-総務-20-0037"


def test_project_number_forms(records):
    numbers = {render_sheet(r, year).facts["project"][0]["project_number"]
               for r in records for year in (2010, 2016, 2020)}
    assert None in numbers  # 2020: not printed (the seed)
    assert any(n and n.isdigit() and not n.startswith("0") for n in numbers)  # 2010: `198`
    assert any(n and re.fullmatch(r"\d{4}", n) for n in numbers)  # `0019`
    assert any(n and re.fullmatch(r"新28[- ]\d{4}", n) for n in numbers)  # 新28-0035 / 新28 0035


def test_dash_outcome_block_with_reason():
    record = next(r for r in render.iter_records() if not r["アウトカム"] and r["定量的な目標が設定できない理由"])
    sheet = render_sheet(record, 2017)
    outcome = [r for r in sheet.facts["indicator"] if r["kind"] == "outcome"]
    assert outcome and all(r["value"] is None for r in outcome)
    assert sheet.facts["project"][0]["no_quantitative_goal_reason"]
    assert "<b>定量的な目標が設定できない理由</b>" in sheet.text


# ---------------------------------------------------------------- noise
NEUTRAL_NOISE = ("bom", "crlf", "cp932", "utf16", "trailing_spaces", "blank_lines", "missing_bold",
                 "shifted_row", "reordered_sections")


@pytest.mark.parametrize("kind", NOISE_KINDS)
def test_every_noise_kind_changes_the_bytes(seed_record, kind):
    form_year = 2012 if kind == "no_request_column" else 2020
    base = render_sheet(seed_record, form_year)
    sheet = render_sheet(seed_record, form_year, frozenset({kind}))
    assert sheet.noise == {kind}
    assert sheet.data != base.data
    if kind in NEUTRAL_NOISE:
        assert sheet.facts == base.facts


def test_encodings(seed_record):
    text = render_sheet(seed_record, 2020).text
    assert render_sheet(seed_record, 2020, frozenset({"bom"})).data == b"\xef\xbb\xbf" + text.encode()
    assert render_sheet(seed_record, 2020, frozenset({"crlf"})).data == text.replace("\n", "\r\n").encode()
    assert render_sheet(seed_record, 2020, frozenset({"cp932"})).data.decode("cp932") == text
    utf16 = render_sheet(seed_record, 2020, frozenset({"utf16"})).data
    assert utf16[:2] in (b"\xff\xfe", b"\xfe\xff") and utf16.decode("utf-16") == text


def test_cp932_replaces_characters_it_cannot_encode(records):
    record = dict(records[0], 事業名="テスト事業〜❶")
    sheet = render_sheet(record, 2014, frozenset({"cp932"}))
    assert sheet.data.decode("cp932") == sheet.text
    assert sheet.facts["project"][0]["project_name"] in sheet.text


def test_fullwidth_digits_keep_the_print_and_the_value(seed_record):
    sheet = render_sheet(seed_record, 2018, frozenset({"fullwidth_digits"}))
    wide = [r for t in ("budget_line", "indicator") for r in sheet.facts[t] if FULLWIDTH_DIGIT.search(r["raw_text"] or "")]
    assert wide
    base = render_sheet(seed_record, 2018)
    assert [r["amount_million_yen"] for r in sheet.facts["budget_line"]] == [
        r["amount_million_yen"] for r in base.facts["budget_line"]]
    cells = cells_of(sheet.text)
    for table in ("budget_line", "indicator", "execution_rate"):
        for row in sheet.facts[table]:
            check_numeric_row(table, row, cells)


def test_row_noise_keeps_the_content(seed_record):
    base = render_sheet(seed_record, 2020).text.split("\n")
    shifted = render_sheet(seed_record, 2020, frozenset({"shifted_row"})).text.split("\n")
    changed = [(a, b) for a, b in zip(base, shifted) if a != b]
    assert len(changed) == 1 and changed[0][1] == changed[0][0][1:] and changed[0][0][0] == "\t"
    trailing = render_sheet(seed_record, 2020, frozenset({"trailing_spaces"})).text.split("\n")
    assert [l.rstrip(" ") for l in trailing] == [l.rstrip(" ") for l in base] and trailing != base
    blank = render_sheet(seed_record, 2020, frozenset({"blank_lines"})).text.split("\n")
    assert [l for l in blank if l] == [l for l in base if l] and len(blank) > len(base)
    bold = render_sheet(seed_record, 2020, frozenset({"missing_bold"})).text
    strip = lambda t: re.sub(r"</?b>", "", t)
    assert strip(bold) == strip("\n".join(base)) and bold.count("<b>") < "\n".join(base).count("<b>")
    reordered = render_sheet(seed_record, 2020, frozenset({"reordered_sections"})).text.split("\n")
    assert sorted(reordered) == sorted(base) and reordered != base
    activity_end = base.index(next(l for l in base if l.startswith("<b>単位当たりコスト</b>")))
    assert reordered[:activity_end] == base[:activity_end]


def test_split_name_puts_a_newline_in_the_fact(seed_record):
    sheet = render_sheet(seed_record, 2020, frozenset({"split_name"}))
    outcome_names = {r["name"] for r in sheet.facts["indicator"] if r["kind"] == "outcome"}
    assert outcome_names == {"セキュリティ自己点検の\n自己点検結果の平均点(満点=3点)"}
    first, second = outcome_names.pop().split("\n")
    assert first in cells_of(sheet.text) and second in cells_of(sheet.text)


def test_no_request_column_only_where_the_layout_allows(seed_record):
    sheet = render_sheet(seed_record, 2012, frozenset({"no_request_column"}))
    assert "要求" not in sheet.text and not any(r["is_request"] for r in sheet.facts["budget_line"])
    assert render_sheet(seed_record, 2020, frozenset({"no_request_column"})).noise == frozenset()


def test_dash_variants_are_null_values(seed_record):
    sheet = render_sheet(seed_record, 2020, frozenset({"dash_variants"}))
    variants = [r for r in sheet.facts["indicator"] if r["raw_text"] in grid.DASH_VARIANTS]
    assert variants and all(r["value"] is None for r in variants)


def test_incompatible_or_unknown_noise_is_refused(seed_record):
    with pytest.raises(ValueError):
        render_sheet(seed_record, 2020, frozenset({"cp932", "utf16"}))
    with pytest.raises(ValueError):
        render_sheet(seed_record, 2020, frozenset({"sparkles"}))


# ---------------------------------------------------------------- corpus and helpers
def test_render_corpus_writes_files_and_sidecar(tmp_path):
    paths = render_corpus(tmp_path, 5, seed=1, form_years=(2012, 2020), noise_rate=1.0)
    assert len(paths) == 5 and all(p.exists() for p in paths)
    lines = [json.loads(l) for l in (tmp_path / "facts.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [l["file"] for l in lines] == [p.name for p in paths]
    assert [l["form_year"] for l in lines] == [2012, 2020, 2012, 2020, 2012]
    assert all(l["noise"] for l in lines)
    amounts = [r["amount_million_yen"] for l in lines for r in l["facts"]["budget_line"]]
    assert all(a is None or isinstance(a, str) for a in amounts)


def test_command_line(tmp_path, capsys):
    render.main([str(tmp_path), "-n", "2", "--form-years", "2014,2021"])
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".jsonl", ".txt", ".txt"]
    assert "wrote 2 sheets" in capsys.readouterr().out


@pytest.mark.parametrize("module", [eras, printed, noise_mod, model_mod])
def test_doctests(module):
    assert doctest.testmod(module).failed == 0


# ---------------------------------------------------------------- hand-checked fixture sheets
FORMS = Path(__file__).resolve().parents[1] / "fixtures" / "forms"
FORM_FAMILIES = ("2010", "2012-13", "2014", "2016", "2018-19", "2020", "2021-23")


@pytest.mark.parametrize("family", FORM_FAMILIES)
def test_fixture_facts_agree_with_their_sheet(family):
    """Golden files stay self-consistent: every printed value in facts.json is a cell of
    sheet.txt and means what the facts say (a check of the fixtures, not of a parser)."""
    payload = json.loads((FORMS / family / "facts.json").read_text(encoding="utf-8"))
    text = (FORMS / family / "sheet.txt").read_text(encoding="utf-8")
    facts = payload["facts"]
    assert set(facts) == {t.name for t in SHEET_TABLES} and payload["notes"]
    assert facts["project"][0]["review_year"] == payload["form_year"]
    cells = cells_of(text)
    for table, rows in facts.items():
        expected = [c for c in TABLES[table].column_names if c not in NOT_PRINTED]
        for row in rows:
            assert list(row) == expected, table
            decoded = {k: Decimal(v) if k in ("amount_million_yen", "value", "rate") and v is not None else v
                       for k, v in row.items()}
            check_numeric_row(table, decoded, cells)


def test_a_gregorian_target_year_the_database_stored_as_reiwa_renders_as_printed(seed_record):
    """The database holds 4043 for a sheet's `2025 年度` (read as 令和2025): the rendered
    target year is 2025 again, never a `2053 年度` no sheet printed."""
    from benchmarks.sheetgen.model import build_model, newest_budget_year

    record = json.loads(json.dumps(seed_record))
    record["アウトカム"][0]["目標最終年度"] = 4043
    shift = 2020 - newest_budget_year(record)
    assert build_model(record, 2020).outcomes[0].final_year == 2025 + shift
    finals = [r for r in render_sheet(record, 2018).facts["indicator"] if r["period"] == "final_target"]
    assert finals and all(r["fiscal_year"] < 2100 for r in finals)


def test_a_past_new_projects_number_keeps_its_prefix(seed_record):
    """内閣府 0036 of 2020 was 内閣府 新31-0001 of 2019 (the database splits it into
    事業番号1 `新31` and 事業番号2 `0001`); printing only `0001` would name 国立公文書館."""
    record = dict(seed_record, 関連する過去のレビューシート=[
        {"年度": 2019, "府省庁": "内閣府", "事業番号1": "新31", "事業番号2": "0001", "事業番号3": None},
        {"年度": 2019, "府省庁": "厚生労働省", "事業番号1": None, "事業番号2": "0349", "事業番号3": "1"}])
    sheet = render_sheet(record, 2020)
    assert {(r["past_ministry"], r["past_project_number"]) for r in sheet.facts["lineage"]} == {
        ("内閣府", "新31-0001"), ("厚生労働省", "0349-1")}
