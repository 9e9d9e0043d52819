"""Related projects (関連事業; RS 1-5), the flow of money between spending blocks (RS 5-2),
multi-year contracts (RS 5-4), subsidy rates (RS 1-4) and the logic model's links (RS 3-2).

The RS expectations are read off the real sample bundle under data/samples/rs_csv; the
text-sheet cases fill the empty 関連事業 table of the 2020 form fixture the two ways
exports print it (one cell holding the HTML table, and plain rows under a plain header);
the 2021-23 fixture prints a project as a plain row (its facts.json).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.transforms.variants import mutate, parse_sheet, sheet_text
from transforms import discover as disc
from transforms.sources import parse_file, rs_bundle

BUNDLE = ROOT / "data" / "samples" / "rs_csv"


@pytest.fixture(scope="module")
def records(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("records")
    members = sorted(str(p) for p in BUNDLE.iterdir() if disc.member_of_bundle(str(p)))
    split = rs_bundle.extract_bundles(members, out)
    return {Path(p).relative_to(out).as_posix(): Path(p) for p in split.records}


def _tables(records, year: int, project_id: int) -> dict[str, list[dict]]:
    return parse_file(records[f"{year}/{project_id:06d}.json"]).tables


def test_related_projects_of_1_5_with_their_relation(records):
    rows = _tables(records, 2024, 604)["related_project"]
    assert [(r["related_no"], r["related_project_number"], r["related_project_name"], r["relation"]) for r in rows] == [
        (1, "17458", "漁業者等緊急保証対策事業", "基金造成した基金シート"),
        (2, "17992", "漁業者等緊急保証対策事業交付金", "基金造成した基金シート"),
    ]
    assert _tables(records, 2024, 1)["related_project"] == []  # a placeholder row names nothing


def test_links_of_5_2_from_the_organisation_and_between_blocks_with_a_cycle(records):
    flows = _tables(records, 2024, 1409)["fund_flow"]
    got = [(r["flow_no"], r["from_block"], r["from_organization"], r["to_block"]) for r in flows]
    assert got[:4] == [(1, None, True, "A"), (2, "A", False, "B"), (3, "B", False, "A"), (4, "B", False, "C")]
    first = flows[0]
    assert (first["from_name"], first["to_name"], first["note"]) == ("財務省", "株式会社日本政策金融公庫", None)
    assert flows[2]["note"] == "保険料支払"
    assert _tables(records, 2024, 1409)["own_expense"] == []


def test_own_expenses_of_5_2_are_not_links(records):
    tables = _tables(records, 2024, 13)
    assert [(r["row_no"], r["category"], r["item"], r["amount_million_yen"], r["raw_text"]) for r in tables["own_expense"]] \
        == [(1, "間接経費", "旅費等", Decimal("0.281"), "281000")]
    assert all(r["to_block"] for r in tables["fund_flow"])
    assert {r["to_block"] for r in tables["fund_flow"]} >= {"A", "B", "C", "D", "E", "F"}


def test_multi_year_contracts_of_5_4_with_their_one_bid_reason(records):
    rows = _tables(records, 2024, 11)["multi_year_contract"]
    first, second = rows[0], rows[1]
    assert (first["row_no"], first["block"], first["name"], first["corporate_number"], first["amount_million_yen"],
            first["contract_method"], first["one_bid_reason"]) == (
        1, "A", "日本電気株式会社", "7010401022916", Decimal("241.725"), "随意契約（その他）", None)
    assert second["amount_million_yen"] == Decimal("6072.675")
    assert second["one_bid_reason"].startswith("現行稼動している機器を交換する場合は")
    assert _tables(records, 2024, 1)["multi_year_contract"] == []  # a placeholder row


def test_subsidy_rates_of_1_4_without_the_text_mark(records):
    rows = _tables(records, 2024, 100)["subsidy_rate"]
    assert [(r["row_no"], r["subsidy_target"], r["rate_text"], r["cap_text"]) for r in rows] == [
        (1, "地域計画認定市町村", "8/10", None)]
    assert rows[0]["url"].startswith("https://www8.cao.go.jp/")


def test_links_of_the_logic_model_of_3_2(records):
    paths = _tables(records, 2024, 1)["outcome_path"]
    assert [(p["path_no"], p["from_kind"], p["from_no"], p["to_kind"], p["to_no"], p["to_period"]) for p in paths][:2] == [
        (1, "アクティビティ", 1, "アウトプット", 1, None), (2, "アウトプット", 1, "アウトカム", 1, "長期")]
    assert paths[0]["from_text"] == "各階層別対象者に対し研修を実施する。"
    assert paths[1]["to_text"].startswith("研修参加者に対するアンケートにおいて")
    assert paths[1]["connection"].startswith("各研修の参加者へのアンケート調査を実施し")
    assert paths[1]["single_stage_reason"].startswith("各研修は、")


# -- text sheets ---------------------------------------------------------------------------

EMPTY_TABLE_ROW = "<tr> <td></td> <td></td> <td></td> </tr>"
PLAIN_HEADER = "所管府省名\t事業番号\t事業名\t\t\t\t\t\t\n"


def _related(text: str) -> list[tuple]:
    return [(r["related_no"], r["related_ministry"], r["related_project_number"], r["related_project_name"],
             r["relation"]) for r in parse_sheet(text).tables["related_project"]]


def _without_related(text: str) -> dict:
    """Every table but related_project, the project row without its file's hash."""
    tables = {name: rows for name, rows in parse_sheet(text).tables.items() if name != "related_project"}
    tables["project"] = [{k: v for k, v in row.items() if k != "source_sha256"} for row in tables["project"]]
    return tables


def test_the_empty_table_of_the_form_names_no_project():
    assert _related(sheet_text("2020")) == []


def test_an_html_table_cell_with_an_empty_number_keeps_its_columns():
    text = mutate(sheet_text("2020"), EMPTY_TABLE_ROW,
                  "<tr> <td>文部科学省</td> <td>0123</td> <td>学校安全事業</td> </tr>"
                  "<tr> <td>総務省</td> <td></td> <td>消防団&amp;防災事業</td> </tr>")
    assert _related(text) == [(1, "文部科学省", "0123", "学校安全事業", None),
                              (2, "総務省", None, "消防団&防災事業", None)]
    assert _without_related(text) == _without_related(sheet_text("2020"))


def test_plain_rows_give_the_projects_and_the_role_sharing_beside_them():
    """The rows under the plain header are projects, not more lines of the 関連事業 question."""
    text = mutate(sheet_text("2020"), PLAIN_HEADER,
                  PLAIN_HEADER + "文部科学省\t0123\t学校安全事業\t学校での安全教育は文部科学省が担う\n"
                                 "総務省\t\t消防団事業\n")
    assert _related(text) == [(1, "文部科学省", "0123", "学校安全事業", "学校での安全教育は文部科学省が担う"),
                              (2, "総務省", None, "消防団事業", None)]
    assert _without_related(text) == _without_related(sheet_text("2020"))


def test_a_project_printed_both_ways_is_one_row():
    text = mutate(sheet_text("2020"), EMPTY_TABLE_ROW,
                  "<tr> <td>文部科学省</td> <td>0123</td> <td>学校安全事業</td> </tr>")
    text = mutate(text, PLAIN_HEADER, PLAIN_HEADER + "文部科学省\t0123\t学校安全事業\t役割分担の説明\n")
    assert _related(text) == [(1, "文部科学省", "0123", "学校安全事業", "役割分担の説明")]


def test_a_bar_inside_a_cell_of_the_html_table_stays_in_its_cell():
    text = mutate(sheet_text("2020"), EMPTY_TABLE_ROW,
                  "<tr> <td>内閣府</td> <td>0012</td> <td>A|B連携事業</td> </tr>")
    assert _related(text) == [(1, "内閣府", "0012", "A|B連携事業", None)]
