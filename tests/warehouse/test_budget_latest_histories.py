"""`v_budget_latest` over real project histories with restated figures.

The warehouse is built from the bundled sample corpus (``data/samples``: five 内閣府
histories, the reference sheet's 総務省 project and others, rendered from the JUDGIT
records of review years 2015–2023).  A fiscal year appears in up to four review sheets
of one project, and the official figures were restated between them: the most recent
review sheet that prints the year must win.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from tests.warehouse.wh_fixtures import load_run_row, stage

from transforms.sources.text_sheet import parse_bytes
from warehouse.build import build_warehouse

SAMPLES = Path(__file__).resolve().parents[2] / "data" / "samples"
D = Decimal


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """(warehouse connection, parsed sheets) for the sample corpus."""
    root = tmp_path_factory.mktemp("histories")
    parsed = {path.relative_to(SAMPLES).as_posix(): parse_bytes(path.read_bytes(), path.relative_to(SAMPLES).as_posix())
              for path in sorted(SAMPLES.glob("**/*.txt")) if path.parent.name != "rs_csv"}
    staging = stage(root / "staging", {p.project_key: p.tables for p in parsed.values()})
    source_files = [{"path": name, "sha256": p.source.sha256, "size_bytes": p.source.size_bytes, "format": "sheet_text",
                     "encoding": "utf-8", "status": "loaded", "project_key": p.project_key, "run_id": "r1"}
                    for name, p in parsed.items()]
    build_warehouse(root / "warehouse.duckdb", staging_dir=staging, previous_path=None, keep_project_keys=(),
                    source_files=source_files, dq_issues=[], load_run=load_run_row("r1", 1))
    con = duckdb.connect(str(root / "warehouse.duckdb"), read_only=True)
    yield con, parsed
    con.close()


def _latest(con, name_like: str, fiscal_year: int):
    return con.execute(
        "select l.review_year, l.total, l.executed, l.reporting_sheets from v_budget_latest l "
        "where l.fiscal_year = ? and l.project_id in (select project_id from project where project_name like ?)",
        [fiscal_year, name_like]).fetchall()


@pytest.mark.parametrize(("name_like", "fiscal_year", "expected"), [
    # 計 880 in the 2018 sheet, 1,330 (執行額 1,327) from 2019 on
    ("戦略的広報経費(国際)", 2018, (2021, D("1330"), D("1327"), 4)),
    # 計 86 (2015), 84.1 (2016, 2017), 84.097 (2018)
    ("国内の経済動向調査等%", 2015, (2018, D("84.097"), D("63.863"), 4)),
    # 計 19 in 2022, 22 (執行額 21) in 2023
    ("中心市街地%活性化%", 2022, (2023, D("22"), D("21"), 2)),
    # 執行額 0.1 in the 2021 sheet, 2 in the 2022 and 2023 sheets
    ("住民基本台帳ネットワーク%", 2020, (2023, D("4"), D("2"), 4)),
])
def test_a_restated_year_takes_the_latest_sheet(built, name_like, fiscal_year, expected):
    con, _ = built
    assert _latest(con, name_like, fiscal_year) == [expected]


def test_every_year_of_every_project_comes_from_its_latest_reporting_sheet(built):
    """Computed from the parsed rows: per project_id and fiscal year, the newest review
    sheet printing an amount for the (non-request) year, and exactly its amounts."""
    con, parsed = built
    project_id = dict(con.execute("select project_key, project_id from project").fetchall())
    review_year = {p.project_key: p.project["review_year"] for p in parsed.values()}
    amounts: dict[tuple, dict[str, dict]] = defaultdict(lambda: defaultdict(dict))
    for p in parsed.values():
        for row in p.tables.get("budget_line", []):
            if not row["is_request"] and row["amount_million_yen"] is not None:
                amounts[(project_id[p.project_key], row["fiscal_year"])][p.project_key][row["line"]] = \
                    row["amount_million_yen"]
    expected = {}
    for (pid, year), by_sheet in amounts.items():
        latest = max(by_sheet, key=lambda k: (review_year[k], [-ord(c) for c in k]))
        expected[(pid, year)] = (latest, by_sheet[latest].get("total"), by_sheet[latest].get("executed"),
                                 len(by_sheet))
    rows = con.execute("select project_id, fiscal_year, project_key, total, executed, reporting_sheets "
                       "from v_budget_latest").fetchall()
    assert {(r[0], r[1]): r[2:] for r in rows} == expected
    assert len(rows) == len(expected)
    assert any(n > 1 for *_, n in expected.values())


def test_a_split_keeps_every_successors_figures(tmp_path):
    """2020: 総務省 0033 of 2019 was split into 内閣官房 新02-0008, 新02-0011 and 新02-0015;
    the successors share a project_id (they share a past number), but each reports its
    own budget for FY2020, and the ministry's FY2020 total must count them all."""
    from tests.warehouse.wh_fixtures import E20, U20, full_build, sheets

    rows = sheets()
    for key in (U20, E20):
        rows[key]["project"][0]["ministry"] = "内閣官房"
        rows[key]["lineage"] = [{"project_key": key, "past_review_year": 2019, "past_ministry": "総務省",
                                 "past_project_number": "0033"}]
    con = duckdb.connect(str(full_build(tmp_path, staging_dir=stage(tmp_path / "staging", rows))), read_only=True)
    assert len({pid for (pid,) in con.execute(
        "select project_id from project where project_key in (?, ?)", [U20, E20]).fetchall()}) == 1
    assert con.execute("select total from v_ministry_year where ministry = '内閣官房' and fiscal_year = 2020"
                       ).fetchall() == [(D("110") + D("13"),)]
    # one row for the project and year, the sum of both sheets, saying so; no printed rate fits the sum
    assert con.execute(
        "select total, latest_sheets, execution_rate_reported is null, project_key from v_budget_latest "
        "where project_id = (select project_id from project where project_key = ?) and fiscal_year = 2020",
        [U20]).fetchall() == [(D("110") + D("13"), 2, True, min(U20, E20))]
