"""project_id across review years and the project_link evidence."""

from __future__ import annotations

import random

import duckdb
import pytest
from tests.warehouse.wh_fixtures import A19, A20, E20, U20

from warehouse.identity import PastNumber, Sheet, normalize_number, resolve_identity


@pytest.mark.parametrize(
    ("printed", "normalized"),
    [
        ("0037", "37"),
        ("37", "37"),
        ("新30-0035", "新30-35"),
        ("新30 0035", "新30-35"),
        ("新30　0035", "新30-35"),  # full-width space
        ("新３０－００３５", "新30-35"),  # full-width digits and dash
        ("0032-2", "32-2"),
        ("00322", "322"),
        ("( 0037 )", "37"),
        ("", None),
        (None, None),
    ],
)
def test_normalize_number(printed, normalized):
    assert normalize_number(printed) == normalized


def _resolve(sheets, lineage):
    return resolve_identity([Sheet(*s) for s in sheets], [PastNumber(*p) for p in lineage])


SHEETS = [
    ("a18", 2018, "総務省", "0036"),
    ("a19", 2019, "総務省", "0037"),
    ("a20", 2020, "総務省", "0041"),
    ("b19", 2019, "環境省", "新30-0035"),
    ("b20", 2020, "環境省", "0012"),
    ("c20", 2020, "厚生労働省", "0101"),
    ("d20", 2020, "内閣府", None),  # no printed number
]
LINEAGE = [
    ("a19", 2018, None, "36"),  # leading zeros dropped in print
    ("a20", 2019, "総務省", "0037"),
    ("b20", 2019, None, "新30　0035"),  # full-width space instead of the dash
    ("c20", 2019, "環境省", "0035"),  # different number: no link
]


def test_components_follow_numbers_and_lineage():
    identity = _resolve(SHEETS, LINEAGE)
    assert identity.project_ids == {
        "a18": "a18", "a19": "a18", "a20": "a18",  # earliest sheet names the project
        "b19": "b19", "b20": "b19",
        "c20": "c20", "d20": "d20",  # unlinked: own key
    }
    evidence = {(l["project_key"], l["linked_project_key"], l["evidence"]) for l in identity.links}
    assert evidence == {("a19", "a18", "lineage"), ("a20", "a19", "lineage"), ("b20", "b19", "lineage")}
    link = next(l for l in identity.links if l["project_key"] == "b20")
    assert (link["review_year"], link["ministry"], link["project_number"]) == (2019, "環境省", "新30-0035")


def test_past_ministry_defaults_to_own_ministry():
    identity = _resolve(
        [("x19", 2019, "総務省", "0001"), ("y20", 2020, "環境省", "0002")],
        [("y20", 2019, None, "0001")],  # means 環境省 0001, which does not exist
    )
    assert identity.project_ids == {"x19": "x19", "y20": "y20"}


def test_same_number_twice_and_shared_past_number():
    identity = _resolve(
        [("p", 2020, "総務省", "0005"), ("q", 2020, "総務省", "0005"),
         ("r", 2021, "総務省", "0001"), ("s", 2021, "総務省", "0002")],
        [("r", 2015, None, "0099"), ("s", 2015, None, "0099"), ("s", 2016, None, "0100")],
    )
    assert identity.project_ids == {"p": "p", "q": "p", "r": "r", "s": "r"}
    evidence = {(l["project_key"], l["linked_project_key"], l["evidence"]) for l in identity.links}
    assert evidence == {("p", "q", "own_number"), ("r", "s", "shared_lineage")}


def test_self_reference_is_not_a_link():
    identity = _resolve([("x", 2020, "総務省", "0001")], [("x", 2020, None, "0001")])
    assert identity.project_ids == {"x": "x"} and identity.links == []


def test_result_does_not_depend_on_input_order():
    expected = _resolve(SHEETS, LINEAGE)
    rng = random.Random(7)
    for _ in range(5):
        sheets, lineage = SHEETS[:], LINEAGE[:]
        rng.shuffle(sheets)
        rng.shuffle(lineage)
        assert _resolve(sheets, lineage) == expected


def test_warehouse_project_ids_and_links(warehouse_path):
    con = duckdb.connect(str(warehouse_path), read_only=True)
    ids = dict(con.execute("select project_key, project_id from project").fetchall())
    assert ids == {A19: A19, A20: A19, U20: U20, E20: E20}
    links = con.execute(
        "select project_key, linked_project_key, evidence, review_year, ministry, project_number "
        "from project_link order by all"
    ).fetchall()
    assert (A20, A19, "lineage", 2019, "総務省", "0037") in links
    # both sheets name 2018 0036, which no loaded sheet prints
    assert (A19, A20, "shared_lineage", 2018, "総務省", "0036") in links
    assert not [l for l in links if U20 in l or E20 in l]


def test_a_lineage_number_for_a_sheet_that_printed_none_links_it_by_name():
    """The 2015 sheet prints no 事業番号; the 2016 sheet's lineage names `平成27年度 0009`
    and no 2015 sheet of its ministry prints 0009: the one unnumbered 2015 sheet of the
    ministry with the same name is its predecessor (evidence `lineage_name`)."""
    sheets = [Sheet("k15", 2015, "内閣府", None, "戦略的広報経費(国際)"),
              Sheet("o15", 2015, "内閣府", None, "別の事業"),
              Sheet("k16", 2016, "内閣府", "0008", "戦略的広報経費 (国際)"),
              Sheet("x16", 2016, "内閣府", "0010", "別の事業")]
    identity = resolve_identity(sheets, [PastNumber("k16", 2015, None, "0009")])
    assert identity.project_ids["k16"] == identity.project_ids["k15"] == "k15"
    assert {(l["project_key"], l["linked_project_key"], l["evidence"], l["project_number"]) for l in identity.links} == {
        ("k16", "k15", "lineage_name", "0009")}
    # two unnumbered sheets of that name, or a number the past sheet does print elsewhere: no guess
    twice = sheets + [Sheet("k15b", 2015, "内閣府", None, "戦略的広報経費(国際)")]
    assert resolve_identity(twice, [PastNumber("k16", 2015, None, "0009")]).links == []

