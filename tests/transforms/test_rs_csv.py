"""RS System CSV bundles: split into one record per project, then parsed into contract rows.

The bundle under data/samples/rs_csv is real (review years 2024 and 2025, cut to a few
dozen projects); the amounts checked below are read off its 2-1 file.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import unicodedata
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT
from transforms import discover as disc
from transforms.model import ParseError
from transforms.sources import parse_file, rs_bundle

BUNDLE = ROOT / "data" / "samples" / "rs_csv"
SUMMARY_2024 = "2-1_RS_2024_予算・執行_サマリ.csv"
COMMON = "シート種別,事業年度,予算事業ID,事業名,府省庁の建制順,政策所管府省庁,府省庁,局・庁,部,課,室,班,係".split(",")


def _members(folder: Path) -> list[str]:
    return sorted(str(p) for p in folder.iterdir() if disc.member_of_bundle(str(p)))


def _read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows([header, *rows])
    path.write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))


@pytest.fixture(scope="module")
def sample_records(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("records")
    split = rs_bundle.extract_bundles(_members(BUNDLE), out)
    assert not split.refused
    return {Path(p).relative_to(out).as_posix(): Path(p) for p in split.records}


def _sheet(records: dict[str, Path], year: int, project_id: int):
    return parse_file(records[f"{year}/{project_id:06d}.json"])


def test_every_project_of_the_summary_file_becomes_one_record(sample_records):
    header, rows = _read_csv(BUNDLE / SUMMARY_2024)
    ids_2024 = {r[header.index("予算事業ID")] for r in rows}
    header25, rows25 = _read_csv(BUNDLE / "2-1_RS_2025_予算・執行_サマリ.csv")
    ids_2025 = {r[header25.index("予算事業ID")] for r in rows25}
    assert sorted(sample_records) == sorted([f"2024/{int(i):06d}.json" for i in ids_2024]
                                            + [f"2025/{int(i):06d}.json" for i in ids_2025])
    assert len(ids_2024) == 49 and len(ids_2025) == 3


def test_budget_lines_are_the_summary_rows_in_exact_millions(sample_records):
    sheet = _sheet(sample_records, 2024, 4)
    lines = {(r["fiscal_year"], r["is_request"], r["line"]): r for r in sheet.tables["budget_line"]}
    # 2-1, 予算事業ID 4, 予算年度 2023: 481188000000 / 163183000000 / 65183000000 / -473807177580 /
    # 235746822420 (計: 歳出予算現額) / 140392444788 (執行額) / 93383296000 (翌年度への繰越し)
    assert lines[(2023, False, "initial")]["amount_million_yen"] == Decimal("481188")
    assert lines[(2023, False, "reserve")]["amount_million_yen"] == Decimal("-473807.17758")
    assert lines[(2023, False, "executed")]["amount_million_yen"] == Decimal("140392.444788")
    assert lines[(2023, False, "carried_out")]["amount_million_yen"] == Decimal("-93383.296")  # negative, as printed sheets
    assert lines[(2023, False, "carried_out")]["raw_text"] == "93383296000"
    # 計 as a printed sheet's: after the carry-over (the 歳出予算現額 stays in budget_line_other)
    total = lines[(2023, False, "total")]
    assert total["amount_million_yen"] == Decimal("235746.82242") - Decimal("93383.296")
    assert (total["raw_text"], total["label_ja"]) == ("235746822420 - 93383296000", "計（歳出予算現額合計） - 翌年度への繰越し(合計）")
    other = {(r["fiscal_year"], r["label_ja"]): r["amount_million_yen"] for r in sheet.tables["budget_line_other"]}
    assert other[(2023, "計（歳出予算現額合計）")] == Decimal("235746.82242")
    components = sum(lines[(2023, False, line)]["amount_million_yen"]
                     for line in ("initial", "supplementary", "carried_in", "carried_out", "reserve"))
    assert components == total["amount_million_yen"]
    # the review year's execution is not closed (the CSV prints 0): no row; its request is the next year's
    assert (2024, False, "executed") not in lines
    assert lines[(2025, True, "initial")]["amount_million_yen"] == Decimal("579012.107")
    assert {fy for fy, _, _ in lines} == {2021, 2022, 2023, 2024, 2025}
    # the CSV's 執行率 is 執行額 / 歳出予算現額: not the contract's 執行率 in years with a carry-over
    assert sheet.tables["execution_rate"] == []


def test_project_fields_and_items(sample_records):
    sheet = _sheet(sample_records, 2024, 4)
    project = sheet.project
    assert (project["review_year"], project["ministry"], project["project_number"]) == (2024, "デジタル庁", "4")
    assert project["project_name"] == "情報システムの整備（情報通信技術調達等適正・効率化推進費）"
    assert project["source_format"] == "rs_csv" and project["start_fiscal_year"] == 2021
    assert project["end_fiscal_year"] is None and "終了予定なし" in project["start_end_text"]
    assert project["implementation_method"] == "直接実施、補助、交付"
    assert project["responsible_official"] == "澁谷弘一、北間俊秀、杉本敬次"  # the 1-1 rows
    assert project["policy_measure"] == "情報システムの整備"
    items = sheet.tables["budget_item"]
    assert {(i["fiscal_year"], i["is_request"]) for i in items} == {(2024, False), (2025, True)}
    initial = {r["fiscal_year"]: r["amount_million_yen"] for r in sheet.tables["budget_line"]
               if r["line"] == "initial" and not r["is_request"]}
    assert sum(i["amount_million_yen"] for i in items if not i["is_request"]) == initial[2024]
    assert sheet.tables["lineage"] == [{"past_review_year": 2023, "past_ministry": None,
                                        "past_project_number": "2023-デジ-22-0001", "project_key": sheet.project_key}]


def test_agency_projects_carry_the_ministry_of_the_printed_title(sample_records):
    # 予算事業ID 828: 府省庁 消防庁, 政策所管府省庁 総務省 (a printed sheet's title says 総務省)
    sheet = _sheet(sample_records, 2024, 828)
    assert sheet.project["ministry"] == "総務省"


def test_expenses_keep_blocks_and_placeholder_rows_give_none(sample_records):
    with_expenses = _sheet(sample_records, 2024, 1).tables["expense"]
    assert with_expenses[0] == {"block": "A", "row_no": 1, "expense_item": "雑役務費", "purpose": "研修実施請負業務",
                                "amount_million_yen": Decimal("3.295"), "raw_text": "3295000",
                                "project_key": with_expenses[0]["project_key"]}
    assert _sheet(sample_records, 2024, 4).tables["expense"] == []  # 5-3 holds only its placeholder row


def test_a_later_review_year_names_the_same_budget_id_of_the_year_before(sample_records):
    sheet = _sheet(sample_records, 2025, 828)
    assert {"past_review_year": 2024, "past_ministry": None, "past_project_number": "828",
            "project_key": sheet.project_key} in sheet.tables["lineage"]


def test_payees_of_5_1(tmp_path):
    """5-1 mixes block, payee and contract rows; only payee rows (支出先名) are recipients."""
    shutil.copy(FIXTURES / "rs_csv" / "5-1_RS_2025_支出先_支出情報.csv", tmp_path)
    header = COMMON + ["予算年度", "当初予算（合計）", "計（歳出予算現額合計）", "会計区分"]
    _write_csv(tmp_path / "2-1_RS_2025_予算・執行_サマリ.csv", header,
               [["レビューシート", "2025", "1", "内閣人事局経費（研修事業）", "1", "内閣官房", "内閣官房", "", "", "", "", "", "",
                 "2025", "34482000", "34482000", ""]])
    split = rs_bundle.extract_bundles(_members(tmp_path), tmp_path / "out")
    sheet = parse_file(tmp_path / "out" / "2025" / "000001.json")
    assert sheet.tables["recipient"] == [{
        "block": "A", "rank": 1, "name": "株式会社ウルフスタイル", "corporate_number": "3010001137944",
        "description": None, "amount_million_yen": Decimal("3.025"), "contract_method": None, "bidder_count": None,
        "winning_bid_rate": None, "fiscal_year": 2024, "raw_text": "3025000", "project_key": sheet.project_key}]
    # 予算事業ID 11 has 5-1 rows but no 2-1 row in this bundle: split, then refused with the reason
    assert sorted(Path(p).name for p in split.records) == ["000001.json", "000011.json"]
    with pytest.raises(ParseError, match=r"RS project 11 \(2025\): the bundle has no 2-1"):
        parse_file(tmp_path / "out" / "2025" / "000011.json")


def test_splitting_again_rewrites_only_changed_projects(tmp_path):
    bundle = tmp_path / "bundle"
    shutil.copytree(BUNDLE, bundle)
    out = tmp_path / "out"
    first = rs_bundle.extract_bundles(_members(bundle), out)
    before = {p: Path(p).read_bytes() for p in first.records}
    again = rs_bundle.extract_bundles(_members(bundle), out)
    assert again.written == 0 and again.records == first.records
    assert {p: Path(p).read_bytes() for p in again.records} == before

    header, rows = _read_csv(bundle / SUMMARY_2024)
    at_id, at_initial = header.index("予算事業ID"), header.index("当初予算（合計）")
    edited = [r for r in rows if r[at_id] == "12"][0]
    edited[at_initial] = str(int(edited[at_initial]) + 1000)
    _write_csv(bundle / SUMMARY_2024, header, [r for r in rows if r[at_id] != "13"])  # 13 dropped, 12 edited
    third = rs_bundle.extract_bundles(_members(bundle), out)
    changed = {p for p in third.records if Path(p).read_bytes() != before.get(p)}
    assert changed == {str(out / "2024" / "000012.json"), str(out / "2024" / "000013.json")} and third.written == 2
    year = int(edited[header.index("予算年度")])
    initial = [r for r in parse_file(out / "2024" / "000012.json").tables["budget_line"]
               if (r["fiscal_year"], r["is_request"], r["line"]) == (year, False, "initial")]
    assert [r["raw_text"] for r in initial] == [edited[at_initial]]
    # 13 still has rows in the other files, so its record stays, refused for want of 2-1
    with pytest.raises(ParseError, match="no 2-1"):
        parse_file(out / "2024" / "000013.json")


def test_a_project_gone_from_every_file_loses_its_record(tmp_path):
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    shutil.copy(BUNDLE / "2-1_RS_2025_予算・執行_サマリ.csv", bundle)
    out = tmp_path / "out"
    assert len(rs_bundle.extract_bundles(_members(bundle), out).records) == 3
    header, rows = _read_csv(bundle / "2-1_RS_2025_予算・執行_サマリ.csv")
    _write_csv(bundle / "2-1_RS_2025_予算・執行_サマリ.csv", header, [r for r in rows if r[2] != "159"])
    split = rs_bundle.extract_bundles(_members(bundle), out)
    assert split.removed == 1 and not (out / "2025" / "000159.json").exists() and len(split.records) == 2


@pytest.mark.parametrize("utf8_flag", [True, False])
def test_a_zip_of_the_csv_splits_like_the_csv(tmp_path, utf8_flag):
    """Published ZIPs carry UTF-8 entry names; an archive written without the flag holds Shift_JIS names."""
    name = "2-1_RS_2025_予算・執行_サマリ.csv"
    data = (BUNDLE / name).read_bytes()
    archive = tmp_path / "zipped" / "2-1_RS_2025_予算・執行_サマリ.zip"
    archive.parent.mkdir()
    legacy = name.encode("cp932")
    placeholder = "x" * (len(legacy) - 4) + ".csv"  # ASCII, the length of the Shift_JIS name
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr(zipfile.ZipInfo(name if utf8_flag else placeholder), data)
    if not utf8_flag:  # an archive of older tools: Shift_JIS name bytes, no UTF-8 flag
        archive.write_bytes(archive.read_bytes().replace(placeholder.encode(), legacy))
        assert not zipfile.ZipFile(archive).infolist()[0].flag_bits & 0x800
    from_zip = rs_bundle.extract_bundles([str(archive)], tmp_path / "a")
    (tmp_path / "plain").mkdir()
    shutil.copy(BUNDLE / name, tmp_path / "plain")
    from_csv = rs_bundle.extract_bundles(_members(tmp_path / "plain"), tmp_path / "b")
    assert len(from_zip.records) == len(from_csv.records) == 3
    assert f"{archive.name}:{name}" in Path(from_zip.records[0]).read_text(encoding="utf-8")  # the entry's real name
    for a, b in zip(sorted(from_zip.records), sorted(from_csv.records)):
        sheet_a, sheet_b = parse_file(a), parse_file(b)
        assert sheet_a.tables["budget_line"] == [dict(r, project_key=sheet_a.project_key) for r in sheet_b.tables["budget_line"]]


def test_a_bad_bundle_file_is_refused_with_a_reason_and_the_others_still_split(tmp_path):
    shutil.copy(BUNDLE / "2-1_RS_2025_予算・執行_サマリ.csv", tmp_path)
    (tmp_path / "1-2_RS_2025_基本情報_事業概要等.csv").write_text("これは,CSV\nではない,です\n", encoding="utf-8")
    (tmp_path / "5-1_RS_2025_支出先_支出情報.zip").write_bytes(b"PK\x03\x04 broken")
    (tmp_path / "5-3_RS_2025_支出先_費目・使途.csv").write_bytes(b"<!DOCTYPE html><html><body>404</body></html>")
    header = (BUNDLE / "2-1_RS_2025_予算・執行_サマリ.csv").read_bytes().split(b"\r\n")[0]
    (tmp_path / "1-1_RS_2025_基本情報_組織情報.csv").write_bytes(header + b"\r\nA,\x00B\r\n")
    cut = (BUNDLE / "1-3_RS_2024_基本情報_政策・施策、法令等.csv").read_bytes().replace(b"2024", b"2025")
    cut = cut[: cut.index("施策".encode()) + 1]  # a download cut inside a character
    (tmp_path / "1-3_RS_2025_基本情報_政策・施策、法令等.csv").write_bytes(cut)
    damaged = tmp_path / "6-1_RS_2025_その他備考.zip"
    with zipfile.ZipFile(damaged, "w", zipfile.ZIP_DEFLATED) as handle:
        handle.writestr("6-1_RS_2025_その他備考.csv", b"x" * 10_000)
    raw = bytearray(damaged.read_bytes())
    raw[60:70] = b"\xff" * 10  # inside the compressed data
    damaged.write_bytes(bytes(raw))
    split = rs_bundle.extract_bundles(_members(tmp_path), tmp_path / "out")
    assert len(split.records) == 3
    reasons = dict((Path(p).name, r) for p, r in split.refused)
    assert reasons.pop("1-1_RS_2025_基本情報_組織情報.csv") == "line 2 has 2 cells, the header 44"
    assert reasons.pop("6-1_RS_2025_その他備考.zip").startswith("not readable (")
    assert reasons.pop("1-3_RS_2025_基本情報_政策・施策、法令等.csv").endswith("the file ends inside a character: a download cut short?)")
    assert reasons == {"1-2_RS_2025_基本情報_事業概要等.csv": "not an RS System CSV (no 事業年度 / 予算事業ID header)",
                       "5-1_RS_2025_支出先_支出情報.zip": "not a readable ZIP archive",
                       "5-3_RS_2025_支出先_費目・使途.csv":
                           "an HTML page, not a CSV (a download that returned the site's error page?)"}


def test_expand_replaces_bundle_files_by_records_and_reuses_an_unchanged_split(tmp_path):
    bundle = tmp_path / "in"
    shutil.copytree(BUNDLE, bundle)
    (bundle / "sheet.txt").write_text("not a sheet", encoding="utf-8")
    (bundle / "5-1_RS_2024_支出先_支出情報.zip").write_bytes(b"<html>not found</html>")
    entries = disc.discover([bundle], 8 * 1024 * 1024)
    out = tmp_path / "extracted"
    expanded = rs_bundle.expand_bundles(entries, out, 8 * 1024 * 1024)
    paths = [e.path for e in expanded]
    assert paths == sorted(paths) and str(bundle / "sheet.txt") in paths
    refused = [e for e in expanded if e.problem]
    assert [(Path(e.path).name, e.problem) for e in refused] == [("5-1_RS_2024_支出先_支出情報.zip", "not a readable ZIP archive")]
    assert not any(disc.member_of_bundle(p) for p in paths if p != refused[0].path)
    assert len(paths) == 2 + 52 and all(e.sha256 for e in expanded if not e.problem)
    (out / "2024" / "000004.json").write_bytes(b"tampered")  # a second expansion of the same bundle does not split again
    again = rs_bundle.expand_bundles(entries, out, 8 * 1024 * 1024)
    assert [e.path for e in again] == paths
    assert (out / "2024" / "000004.json").read_bytes() == b"tampered"


def test_bundle_files_may_exceed_the_sheet_size_limit(tmp_path):
    big = tmp_path / "2-1_RS_2025_予算・執行_サマリ.csv"
    shutil.copy(BUNDLE / big.name, big)
    assert disc.inspect(big, 100).problem is None
    other = tmp_path / "sheet.txt"
    shutil.copy(BUNDLE / big.name, other)
    assert "exceeds the size limit" in disc.inspect(other, 100).problem


def test_a_record_that_is_not_json_is_refused(tmp_path):
    path = tmp_path / "000001.json"
    path.write_bytes(rs_bundle.RECORD_MARKER + b"1\", broken")
    with pytest.raises(ParseError, match="not a readable RS project record"):
        parse_file(path)


def test_the_national_scale_benchmark_splits_and_parses_its_synthetic_bundle(tmp_path):
    """`python -m benchmarks.rs_bundle` on a small N: every copy of a project becomes a record that parses."""
    from benchmarks.rs_bundle import run

    result = run(150, tmp_path)
    assert result["projects"] == 49 * 3  # the 2024 sample's 49 projects, three times
    assert (result["refused"], result["resplit_written"]) == (0, 0)
    assert result["rows"] > 0


def test_payees_and_their_contract_rows_count_once(tmp_path):
    """5-1 contract rows (金額) belong to the payee above them, named again or not: no second payee."""
    header, rows = _read_csv(FIXTURES / "rs_csv" / "5-1_RS_2025_支出先_支出情報.csv")
    col = {name: k for k, name in enumerate(header)}
    base = rows[1]  # the payee row of 予算事業ID 1, block A

    def row(**cells):
        out = list(base)
        for k in range(col["支出先ブロック名"], len(header)):
            out[k] = ""
        for name, value in cells.items():
            out[col[name]] = value
        return out

    made = [
        row(支出先ブロック番号="A", 支出先名="株式会社甲", 法人番号="3010001137944", 支出先の合計支出額="5000000"),
        row(支出先ブロック番号="A", 支出先名="株式会社甲", 契約概要="研修の運営", 金額="3000000", 契約方式等="一般競争契約（最低価格）",
            入札者数="3", 落札率="98.5"),
        row(支出先ブロック番号="A", 契約概要="追加の運営", 金額="2000000", 契約方式等="随意契約（少額）"),
        row(支出先ブロック番号="A", 支出先名="株式会社乙", 支出先の合計支出額="1000000"),
        row(支出先ブロック番号="B", 支出先名="丙協会", 契約概要="調査", 金額="700000"),  # a contract row alone
    ]
    _write_csv(tmp_path / "5-1_RS_2025_支出先_支出情報.csv", header, made)
    summary = COMMON + ["予算年度", "当初予算（合計）", "計（歳出予算現額合計）", "会計区分"]
    _write_csv(tmp_path / "2-1_RS_2025_予算・執行_サマリ.csv", summary,
               [base[:13] + ["2025", "34482000", "34482000", ""]])
    rs_bundle.extract_bundles(_members(tmp_path), tmp_path / "out")
    payees = parse_file(tmp_path / "out" / "2025" / "000001.json").tables["recipient"]
    assert [(p["block"], p["rank"], p["name"], p["amount_million_yen"], p["description"], p["contract_method"],
             p["bidder_count"], p["winning_bid_rate"]) for p in payees] == [
        ("A", 1, "株式会社甲", Decimal("5"), "研修の運営", "一般競争契約（最低価格）", 3, Decimal("0.985")),
        ("A", 2, "株式会社乙", Decimal("1"), None, None, None, None),
        ("B", 1, "丙協会", Decimal("0.7"), "調査", None, None, None),
    ]


@pytest.mark.parametrize("printed, number", [
    ("2023-デジ-22-0001", "2023-デジ-22-0001"),
    ("2023警察220059", "2023-警察-22-0059"),  # without separators
    ("２０２３－総務－２２－００３２", "2023-総務-22-0032"),  # full width
    ("2023‐デジ‐22‐0001", "2023-デジ-22-0001"),  # other dash characters (U+2010, U+2212, ー)
    ("2023−デジ−22−0001", "2023-デジ-22-0001"),
    ("2023ーデジー22ー0001", "2023-デジ-22-0001"),
    ("0407,0416", None),  # no review year: nothing to link to
    ("政策: 15　施策: 21", None),
])
def test_old_project_numbers_in_their_printed_forms(printed, number):
    from transforms.sources.rs_links import lineage

    found = [entry["past_project_number"] for entry in lineage([{"旧事業番号": printed}], 2024, "5")]
    assert found == ([number] if number else [])


def test_items_named_only_in_the_supplementary_column_are_items(sample_records):
    """Real 2-2 rows leave 項 / 目 blank and name the item in 歳出予算項目の補足情報 (予算事業ID 46)."""
    sheet = _sheet(sample_records, 2024, 46)
    items = [i for i in sheet.tables["budget_item"] if not i["is_request"]]
    initial = next(r["amount_million_yen"] for r in sheet.tables["budget_line"]
                   if (r["fiscal_year"], r["is_request"], r["line"]) == (2024, False, "initial"))
    assert items and all(i["item_name"] for i in items)
    assert sum(i["amount_million_yen"] for i in items) == initial


def _bundle_copy(tmp_path: Path, names: list[str]) -> Path:
    folder = tmp_path / "bundle"
    folder.mkdir()
    for name in names:
        shutil.copy(BUNDLE / name, folder)
    return folder


def test_a_part_given_twice_is_read_once(tmp_path):
    """The CSV beside its ZIP, or a second download (`… (1).csv`): the second is refused, nothing doubles."""
    folder = _bundle_copy(tmp_path, [SUMMARY_2024, "2-2_RS_2024_予算・執行_予算種別・歳出予算項目.csv"])
    once = rs_bundle.extract_bundles(_members(folder), tmp_path / "once")
    items = len(parse_file(tmp_path / "once" / "2024" / "000001.json").tables["budget_item"])
    with zipfile.ZipFile(folder / "2-2_RS_2024_予算・執行_予算種別・歳出予算項目.zip", "w") as archive:
        archive.write(folder / "2-2_RS_2024_予算・執行_予算種別・歳出予算項目.csv", "2-2_RS_2024_予算・執行_予算種別・歳出予算項目.csv")
    shutil.copy(folder / SUMMARY_2024, folder / SUMMARY_2024.replace(".csv", " (1).csv"))
    twice = rs_bundle.extract_bundles(_members(folder), tmp_path / "twice")
    assert len(parse_file(tmp_path / "twice" / "2024" / "000001.json").tables["budget_item"]) == items > 0
    assert len(twice.records) == len(once.records)
    assert sorted(Path(p).name for p, _ in twice.refused) == [
        "2-1_RS_2024_予算・執行_サマリ.csv", "2-2_RS_2024_予算・執行_予算種別・歳出予算項目.zip"]
    assert all(reason.startswith("a second 2-") and reason.endswith("only that one is read") for _, reason in twice.refused)


def test_ids_padded_in_one_file_and_header_spellings_and_stray_cells(tmp_path):
    """`0001` is the ID `1`; a header in its NFKC spelling reads the same column; an empty cell after the last
    column and a Mac archive's resource entries are no reason to refuse a file."""
    folder = _bundle_copy(tmp_path, [SUMMARY_2024, "5-3_RS_2024_支出先_費目・使途.csv"])
    plain = rs_bundle.extract_bundles(_members(folder), tmp_path / "plain")
    expected = parse_file(tmp_path / "plain" / "2024" / "000001.json").tables

    header, rows = _read_csv(folder / "5-3_RS_2024_支出先_費目・使途.csv")
    _write_csv(folder / "5-3_RS_2024_支出先_費目・使途.csv", header,
               [r[:2] + [r[2].zfill(4)] + r[3:] for r in rows])
    header, rows = _read_csv(folder / SUMMARY_2024)
    rows[0] = rows[0] + [""]
    (folder / SUMMARY_2024).unlink()
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows([[unicodedata.normalize("NFKC", h) for h in header], *rows])
    with zipfile.ZipFile(folder / SUMMARY_2024.replace(".csv", ".zip"), "w") as archive:
        archive.writestr(SUMMARY_2024, b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))
        archive.writestr("__MACOSX/._" + SUMMARY_2024, b"\x00\x05\x16\x07 not a csv")
    varied = rs_bundle.extract_bundles(_members(folder), tmp_path / "varied")
    assert not varied.refused and len(varied.records) == len(plain.records)
    tables = parse_file(tmp_path / "varied" / "2024" / "000001.json").tables
    assert tables["budget_line"] == [dict(r, project_key=tables["project"][0]["project_key"]) for r in expected["budget_line"]]
    assert [e["amount_million_yen"] for e in tables["expense"]] == [e["amount_million_yen"] for e in expected["expense"]]
    assert {r["line"] for r in tables["budget_line"]} >= {"carried_out", "total", "initial"}


def test_an_account_row_with_a_blank_account_is_no_total_row(tmp_path):
    """An account row whose 会計区分 cell is blank (some published rows are) and whose
    (合計) columns are empty, printed above the year's total row, is skipped: before,
    it was taken as the total row and the year lost its budget lines."""
    header, rows = _read_csv(BUNDLE / "2-1_RS_2025_予算・執行_サマリ.csv")
    at_id, at_year = header.index("予算事業ID"), header.index("予算年度")
    totals = [c for c in range(len(header)) if "合計" in header[c] or header[c] == "執行率"]
    total_row = next(r for r in rows if r[at_id] == "159" and r[at_year] == "2023" and not r[header.index("会計区分")])
    blank = [("" if c in totals else v) for c, v in enumerate(total_row)]
    blank[header.index("会計区分")] = ""
    rows.insert(rows.index(total_row), blank)
    _write_csv(tmp_path / "2-1_RS_2025_予算・執行_サマリ.csv", header, rows)
    rs_bundle.extract_bundles(_members(tmp_path), tmp_path / "out")
    lines = parse_file(tmp_path / "out" / "2025" / "000159.json").tables["budget_line"]
    assert {(r["line"], r["amount_million_yen"]) for r in lines if r["fiscal_year"] == 2023} >= {
        ("initial", Decimal("10041.533")), ("total", Decimal("10197.010399"))}


def test_years_written_as_a_spreadsheet_writes_them(tmp_path):
    """事業年度 / 予算年度 as `2025.0` (a spreadsheet or dataframe round trip): the same years."""
    header, rows = _read_csv(BUNDLE / "2-1_RS_2025_予算・執行_サマリ.csv")
    for row in rows:
        for column in ("事業年度", "予算年度"):
            at = header.index(column)
            row[at] = f"{row[at]}.0" if row[at] else row[at]
    _write_csv(tmp_path / "2-1_RS_2025_予算・執行_サマリ.csv", header, rows)
    split = rs_bundle.extract_bundles(_members(tmp_path), tmp_path / "out")
    assert not split.refused and len(split.records) == 3
    lines = parse_file(tmp_path / "out" / "2025" / "000159.json").tables["budget_line"]
    assert ("total", Decimal("10197.010399")) in {(r["line"], r["amount_million_yen"]) for r in lines if r["fiscal_year"] == 2023}


def test_a_project_with_account_rows_but_no_total_row_is_refused_for_that(tmp_path):
    """2-1 rows of the project are all per-account rows (会計区分 filled): the refusal says so,
    instead of blaming a missing or refused 2-1 file."""
    header, rows = _read_csv(BUNDLE / "2-1_RS_2025_予算・執行_サマリ.csv")
    at_id, at_account = header.index("予算事業ID"), header.index("会計区分")
    kept = [r for r in rows if r[at_id] != "159" or r[at_account]]
    assert len(kept) < len(rows) and any(r[at_id] == "159" for r in kept)
    _write_csv(tmp_path / "2-1_RS_2025_予算・執行_サマリ.csv", header, kept)
    rs_bundle.extract_bundles(_members(tmp_path), tmp_path / "out")
    with pytest.raises(ParseError) as refused:
        parse_file(tmp_path / "out" / "2025" / "000159.json")
    message = str(refused.value)
    assert "会計区分" in message and "total row" in message and "missing" not in message


def test_rates_with_a_percent_sign_and_triangle_negatives(tmp_path):
    """A CSV re-saved by a spreadsheet may print 執行率 as `33.6%` and negatives as `△1,000`:
    the same fraction and the same negative amount as the published `0.336` and `-1000`."""
    header, rows = _read_csv(BUNDLE / "2-1_RS_2025_予算・執行_サマリ.csv")
    at_id, at_year, at_account = header.index("予算事業ID"), header.index("予算年度"), header.index("会計区分")
    total = next(r for r in rows if r[at_id] == "159" and r[at_year] == "2023" and not r[at_account])
    total[header.index("翌年度への繰越し(合計）")] = "0"  # a year without a carry-over: its 執行率 is loaded
    total[header.index("補正予算（合計）")] = "-1500000"  # a reduction in the supplementary budget
    plain_dir = tmp_path / "plain"
    plain_dir.mkdir()
    _write_csv(plain_dir / "2-1_RS_2025_予算・執行_サマリ.csv", header, rows)
    rs_bundle.extract_bundles(_members(plain_dir), tmp_path / "plain_out")
    plain = parse_file(tmp_path / "plain_out" / "2025" / "000159.json").tables

    at_rate = header.index("執行率")
    money = [c for c in range(len(header)) if "合計" in header[c]]
    changed = 0
    for row in rows:
        if row[at_rate] not in ("", None):
            row[at_rate] = f"{Decimal(row[at_rate]) * 100}%"
            changed += 1
        for c in money:
            if row[c].startswith("-"):
                row[c] = "△" + f"{int(row[c][1:]):,}"
                changed += 1
    assert changed
    varied_dir = tmp_path / "varied"
    varied_dir.mkdir()
    _write_csv(varied_dir / "2-1_RS_2025_予算・執行_サマリ.csv", header, rows)
    rs_bundle.extract_bundles(_members(varied_dir), tmp_path / "varied_out")
    varied = parse_file(tmp_path / "varied_out" / "2025" / "000159.json").tables
    assert [r["rate"] for r in varied["execution_rate"]] == [r["rate"] for r in plain["execution_rate"]]
    assert any(r["rate"] is not None for r in plain["execution_rate"])
    assert [(r["line"], r["amount_million_yen"]) for r in varied["budget_line"]] == \
        [(r["line"], r["amount_million_yen"]) for r in plain["budget_line"]]


# ---------------------------------------------------------------- 3-1 効果発現経路_目標・実績 -> indicator

INDICATORS_3_1 = FIXTURES / "rs_csv" / "3-1_RS_2024_効果発現経路_目標・実績.csv"  # constructed: see its README


def _bundle_with_3_1(folder: Path, header: list[str], rows: list[list[str]]) -> Path:
    """A bundle of the given 3-1 rows and a 2-1 total row for each of their projects; the
    folder the records are split into."""
    _write_csv(folder / INDICATORS_3_1.name, header, rows)
    summary = COMMON + ["予算年度", "当初予算（合計）", "計（歳出予算現額合計）", "会計区分"]
    projects = {tuple(r[:13]) for r in rows}
    _write_csv(folder / SUMMARY_2024, summary, [list(p) + ["2024", "1000000", "1000000", ""] for p in sorted(projects)])
    out = folder / "out"
    assert not rs_bundle.extract_bundles(_members(folder), out).refused
    return out


def _indicator_cells(sheet) -> dict[tuple, tuple]:
    return {(r["kind"], r["indicator_no"], r["period"], r["fiscal_year"], r["measure"]): (r["value"], r["raw_text"])
            for r in sheet.tables["indicator"]}


def test_3_1_rows_are_kept_in_the_project_records(tmp_path):
    header, rows = _read_csv(INDICATORS_3_1)
    out = _bundle_with_3_1(tmp_path, header, rows)
    record = json.loads((out / "2024" / "090001.json").read_text(encoding="utf-8"))
    part = record["files"]["3-1"]
    assert part["header"] == header and len(part["rows"]) == 21 and "placeholder" not in part
    placeholder = json.loads((out / "2024" / "090002.json").read_text(encoding="utf-8"))
    assert placeholder["files"]["3-1"]["placeholder"] is True


def test_goals_and_results_of_3_1_become_indicator_rows(tmp_path):
    header, rows = _read_csv(INDICATORS_3_1)
    sheet = parse_file(_bundle_with_3_1(tmp_path, header, rows) / "2024" / "090001.json")
    indicators = sheet.tables["indicator"]
    # アウトプット -> activity (活動指標; no goal), アウトカム -> outcome (成果指標, 成果目標); the
    # アクティビティ and the qualitative outcome print no figure: no rows
    described = {(r["kind"], r["indicator_no"]): (r["name"], r["goal"], r["unit"]) for r in indicators}
    assert described == {
        ("activity", 1): ("研修の開催回数", None, "回"),
        ("activity", 2): ("教材の配布部数", None, "部"),
        ("outcome", 1): ("理解度テストの平均点", "受講者の理解度の向上", "点"),
        ("outcome", 2): ("改善提案の採用件数", "業務改善の定着", "件"),  # 番号 1 again, 長期: another indicator
    }
    assert all(r["project_key"] == sheet.project_key for r in indicators)
    cells = _indicator_cells(sheet)
    assert cells[("activity", 1, "year", 2024, "target")] == (Decimal(14), "14")
    assert cells[("activity", 1, "year", 2023, "achievement")] == (Decimal("108.3333"), "108.3333")  # a percent
    assert cells[("activity", 2, "year", 2023, "target")] == (None, "-")  # not a number: NULL, kept as printed
    assert cells[("activity", 2, "year", 2023, "achievement")] == (None, "-")
    # the year 目標年度 marks is the target column, for every measure; an earlier mark an interim target
    assert cells[("outcome", 1, "final_target", 2025, "target")] == (Decimal(80), "80")
    assert cells[("outcome", 2, "interim_target", 2026, "target")] == (Decimal(30), "30")
    assert cells[("outcome", 2, "final_target", 2028, "target")] == (Decimal(50), "50")
    assert cells[("outcome", 2, "year", 2023, "actual")] == (Decimal(12), "12")
    # one row per filled cell, none for the 目標年度 marks themselves
    assert len(indicators) == 10 + 6 + 10 + 3
    assert {r["measure"] for r in indicators} == {"target", "actual", "achievement"}
    assert sheet.issues == []


def test_3_1_rows_printed_twice_and_unknown_labels(tmp_path):
    header, rows = _read_csv(INDICATORS_3_1)
    label_at, kind_at = header.index("目標年度／目標値／実績値／達成率"), header.index("種別（アクティビティ・アウトプット・アウトカム）")
    actual = next(r for r in rows if r[label_at] == "3.実績値")  # the first activity's
    other = list(actual)
    other[header.index("2021")] = "8"
    odd_label, odd_kind = list(actual), list(actual)
    odd_label[label_at] = "5.見込値"
    odd_kind[kind_at] = "インパクト"
    sheet = parse_file(_bundle_with_3_1(tmp_path, header, rows + [actual, other, odd_label, odd_kind])
                       / "2024" / "090001.json")
    cells = _indicator_cells(sheet)
    # printed again alike: read once; again with other figures: the next indicator of its kind
    assert cells[("activity", 1, "year", 2021, "actual")] == (Decimal(9), "9")
    assert cells[("activity", 3, "year", 2021, "actual")] == (Decimal(8), "8")
    assert ("activity", 4, "year", 2021, "actual") not in cells
    assert sorted(i.observed for i in sheet.issues) == ["インパクト", "見込値"]
    assert {i.check_name for i in sheet.issues} == {"unknown_label"}
