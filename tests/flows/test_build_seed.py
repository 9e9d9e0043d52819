"""End to end: `review-sheets build` on the reference sheet, as a user runs it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from tests.conftest import SEED

pytestmark = pytest.mark.e2e
CLI = str(Path(sys.executable).with_name("review-sheets"))


def run_cli(args, env, timeout=300):
    return subprocess.run([CLI, *args], env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def built(prefect_server, tmp_path_factory):
    import os

    root = tmp_path_factory.mktemp("seed-build")
    inputs = root / "in"
    inputs.mkdir()
    shutil.copy(SEED, inputs / SEED.name)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_API_URL=prefect_server["url"], PREFECT_HOME=str(prefect_server["home"]), REVIEW_SHEETS_DATA=str(root / "data"))
    warehouse = root / "out" / "warehouse.duckdb"
    result = run_cli(["build", "--input", str(inputs), "--warehouse", str(warehouse)], env)
    return result, warehouse, env, inputs


def query(warehouse, sql):
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_build_exits_zero_without_errors(built):
    result, warehouse, _, _ = built
    assert result.returncode == 0, result.stdout + result.stderr
    output = result.stdout + result.stderr
    assert "ERROR" not in output and "Traceback" not in output
    assert "loaded" in result.stdout and "report:" in result.stdout
    assert warehouse.exists()


def test_budget_and_rates(built):
    _, warehouse, _, _ = built
    lines = query(warehouse, "select fiscal_year, is_request, line, amount_million_yen from budget_line order by all")
    assert {(fy, req) for fy, req, _, _ in lines} == {(2017, False), (2018, False), (2019, False), (2020, False), (2021, True)}
    assert (2020, False, "executed", Decimal("2.000000")) in lines
    rates = query(warehouse, "select distinct basis, rate from execution_rate")
    assert sorted(rates) == [("initial_plus_supplementary", Decimal("0.5")), ("total", Decimal("0.5"))]
    assert query(warehouse, "select count(*) from budget_item") == [(8,)]


def test_indicators(built):
    _, warehouse, _, _ = built
    actual = query(warehouse, "select value from indicator where kind='outcome' and measure='actual' and period='year' order by fiscal_year")
    assert [v for (v,) in actual] == [Decimal(3), Decimal("2.9"), Decimal("2.9")]
    final = query(warehouse, "select value, fiscal_year from indicator where kind='outcome' and measure='target' and period='final_target'")
    assert final == [(Decimal(3), None)]
    names = query(warehouse, "select distinct name from indicator where kind='activity'")
    assert names == [("住基ネット担当者説明会(書面)の開催\n住基ネット担当者研修会(47都道府県)への参加",)]
    cost = query(warehouse, "select value from indicator where kind='unit_cost' and measure='actual' and period='year' order by fiscal_year")
    assert [v for (v,) in cost] == [Decimal("37.7"), Decimal("37.4"), Decimal(46)]


def test_other_tables_and_dimensions(built):
    _, warehouse, _, _ = built
    assert query(warehouse, "select count(*) from lineage") == [(10,)]
    assert query(warehouse, "select past_ministry, past_project_number from lineage where past_review_year = 2019") == [("総務省", "0037")]
    assert query(warehouse, "select count(*) from expense") == [(3,)]
    assert query(warehouse, "select count(*) >= 14 from assessment") == [(True,)]
    years = query(warehouse, "select min(fiscal_year), max(fiscal_year), count(*) from fiscal_year")
    assert years == [(2003, 2021, 19)]
    assert query(warehouse, "select label_ja from fiscal_year where fiscal_year = 2019") == [("令和元年度",)]
    assert query(warehouse, "select count(*) from dq_issue where severity = 'error'") == [(0,)]
    assert query(warehouse, "select status from source_file") == [("loaded",)]
    for view in ("v_budget", "v_budget_latest", "v_ministry_year", "v_indicator"):
        assert query(warehouse, f"select count(*) > 0 from {view}") == [(True,)]


def test_rerun_reports_unchanged_and_query_command(built):
    _, warehouse, env, inputs = built
    again = run_cli(["build", "--input", str(inputs), "--warehouse", str(warehouse)], env)
    assert again.returncode == 0, again.stderr
    assert query(warehouse, "select status from source_file") == [("unchanged",)]
    listed = run_cli(["query", "select count(*) as n from budget_line", "--warehouse", str(warehouse), "--csv"], env)
    assert listed.returncode == 0 and listed.stdout.splitlines() == ["n", "34"]


def test_usage_errors_exit_two(built):
    _, warehouse, env, _ = built
    missing = run_cli(["build", "--input", "/no/such/folder", "--warehouse", str(warehouse)], env)
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    assert run_cli(["frobnicate"], env).returncode == 2


def test_the_flow_run_records_its_parameters(built, prefect_server):
    """The flow stores its JSON parameters as given (without Prefect's generic encoder)."""
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    result, warehouse, _, inputs = built
    assert result.returncode == 0, result.stderr
    with temporary_settings({PREFECT_API_URL: prefect_server["url"]}), get_client(sync_client=True) as client:
        runs = [r for r in client.read_flow_runs() if r.parameters.get("warehouse") == str(warehouse)]
    assert runs, "no flow run of this build on the server"
    for run in runs:
        assert run.parameters["inputs"] == [str(inputs)]
        assert run.parameters["workers"] == 2 and run.parameters["dask_address"] is None
