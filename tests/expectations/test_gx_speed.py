"""The faster ways `expectations.gx_duckdb` runs GE: each must still decide through GE."""

from __future__ import annotations

import re

import duckdb
import great_expectations.expectations as gxe
import pytest
import sqlalchemy as sa

from expectations.gx_duckdb import (
    COLUMN_CHECK_FORMAT,
    ExpectQueryToReturnNoRows,
    GxSession,
    memoised_configurations,
    quiet,
)

pytestmark = pytest.mark.gx


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "t.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create table t as select 'k' || i as project_key, case when i % 100 = 0 then null else i end as n "
                "from range(1000) r(i)")
    con.close()
    return str(path)


def test_query_expectation_runs_once_and_keeps_every_row(db):
    failing = ExpectQueryToReturnNoRows(unexpected_rows_query="select * from {batch} where n > 500")
    passing = ExpectQueryToReturnNoRows(unexpected_rows_query="select * from {batch} where n > 5000")
    statements: list[str] = []
    with quiet(), GxSession(db) as session:
        sa.event.listen(session.datasource.get_execution_engine().engine, "before_cursor_execute",
                        lambda _con, _cursor, statement, *_: statements.append(statement))
        results = session.run("t", [failing, passing], {"result_format": "COMPLETE"})
    assert [sum(bool(re.search(r"n > 500\b", s)) for s in statements),
            sum(bool(re.search(r"n > 5000\b", s)) for s in statements)] == [1, 1]  # each query once
    by_query = {r.expectation_config.kwargs["unexpected_rows_query"]: r for r in results}
    bad = by_query[failing.unexpected_rows_query]
    assert bad.success is False and bad.result["observed_value"] == 495
    assert len(bad.result["details"]["unexpected_rows"]) == 495  # all of them, not GE's 200
    assert by_query[passing.unexpected_rows_query].success is True


def test_column_checks_report_the_sql_of_their_failing_rows(db):
    not_null = gxe.ExpectColumnValuesToNotBeNull(column="n")
    between = gxe.ExpectColumnValuesToBeBetween(column="n", min_value=0, max_value=10_000)
    with quiet(), GxSession(db) as session:
        results = session.run("t", [not_null, between],
                              dict(COLUMN_CHECK_FORMAT, unexpected_index_column_names=["project_key"]))
        outcome = {r.expectation_config.type: r for r in results}
        assert outcome["expect_column_values_to_be_between"].success is True
        failed = outcome["expect_column_values_to_not_be_null"]
        assert failed.success is False
        rows = session.fetch(failed.result["unexpected_index_query"])
    assert sorted(r["project_key"] for r in rows) == sorted(f"k{i}" for i in range(0, 1000, 100))


def test_configurations_are_memoised_only_inside_a_run():
    expectation = gxe.ExpectColumnValuesToNotBeNull(column="n")
    assert expectation.configuration is not expectation.configuration
    with memoised_configurations():
        first = expectation.configuration
        assert expectation.configuration is first
    assert expectation.configuration == first and expectation.configuration is not first


def test_importing_the_gate_leaves_scipy_stats_unloaded_until_used():
    """GE's import pulls in scipy.stats for an expectation the suites never use: it is
    bound lazily (loaded on first use, then complete)."""
    import subprocess
    import sys

    code = (
        "import sys, expectations.gx_duckdb\n"
        "print('scipy.stats._stats_py' in sys.modules)\n"
        "from scipy import stats\n"
        "print(round(float(stats.entropy([1, 1])), 4), 'scipy.stats._stats_py' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True)
    assert done.stdout.split() == ["False", "0.6931", "True"]
