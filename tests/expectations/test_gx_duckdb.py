"""Regression tests for the GE + duckdb_engine `get_connection` patch (STACK_NOTES.md §2.2)."""

from __future__ import annotations

import duckdb
import great_expectations as gx
import great_expectations.expectations as gxe
import pytest
from great_expectations.execution_engine.sqlalchemy_execution_engine import SqlAlchemyExecutionEngine

from expectations import gx_duckdb
from expectations.gx_duckdb import ORIGINAL_GET_CONNECTION, GxSession, quiet

pytestmark = pytest.mark.gx


@pytest.fixture
def tiny_db(tmp_path):
    path = tmp_path / "tiny.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create table t as select * from (values ('a', 1), ('b', NULL), ('c', 3)) v(project_key, n)")
    con.close()
    return str(path)


def _suite() -> gx.ExpectationSuite:
    return gx.ExpectationSuite(name="tiny", expectations=[
        gxe.ExpectColumnValuesToNotBeNull(column="n"),
        gxe.UnexpectedRowsExpectation(unexpected_rows_query="select no_such_column from {batch}"),
        gxe.ExpectColumnValuesToBeBetween(column="n", min_value=0, max_value=5),
        gxe.UnexpectedRowsExpectation(unexpected_rows_query="select * from {batch} where n > 2"),
    ])


def _outcomes(result) -> dict[str, tuple]:
    """expectation type + query/column -> (success, count, raised)."""
    found = {}
    for r in result.results:
        kwargs = r.expectation_config.kwargs
        name = r.expectation_config.type + ":" + str(kwargs.get("column") or kwargs.get("unexpected_rows_query"))
        info = r.exception_info or {}
        raised = info.get("raised_exception") if "raised_exception" in info else \
            any(v.get("raised_exception") for v in info.values() if isinstance(v, dict))
        count = r.result.get("unexpected_count", r.result.get("observed_value"))
        found[name] = (r.success, count, bool(raised))
    return found


def test_patch_is_applied_and_idempotent():
    gx_duckdb.apply_duckdb_connection_patch()
    gx_duckdb.apply_duckdb_connection_patch()
    assert gx_duckdb.duckdb_connection_patch_applied()
    assert SqlAlchemyExecutionEngine.get_connection is not ORIGINAL_GET_CONNECTION


def test_ge_computes_metrics_on_duckdb_and_survives_a_failed_query(tiny_db):
    """With the patch every metric resolves; a broken query does not poison the shared
    connection (DuckDB aborts the transaction; the patch rolls it back)."""
    with quiet(), GxSession(tiny_db) as session:
        outcomes = _outcomes(session.validate("t", _suite(), ["project_key"]))
    assert outcomes["expect_column_values_to_not_be_null:n"] == (False, 1, False)
    assert outcomes["expect_column_values_to_be_between:n"] == (True, 0, False)
    assert outcomes["unexpected_rows_expectation:select * from {batch} where n > 2"] == (False, 1, False)
    assert outcomes["unexpected_rows_expectation:select no_such_column from {batch}"][2] is True


def test_session_fetch_uses_ge_connection_and_close_releases_it(tiny_db):
    with quiet(), GxSession(tiny_db) as session:
        assert session.fetch("select count(*) as n from t") == [{"n": 3}]
        engine = session.datasource.get_execution_engine()
    assert engine._connection is None
    duckdb.connect(tiny_db, read_only=True).close()  # no lock left behind


def test_unpatched_ge_still_fails_on_duckdb(tiny_db, monkeypatch):
    """Documents the upstream bug (fivetran/great_expectations#11579).  When this test
    fails, GE handles duckdb by itself: drop the patch."""
    monkeypatch.setattr(SqlAlchemyExecutionEngine, "get_connection", ORIGINAL_GET_CONNECTION)
    monkeypatch.setattr(gx_duckdb, "apply_duckdb_connection_patch", lambda: None)
    with quiet(), GxSession(tiny_db) as session:
        outcomes = _outcomes(session.validate("t", _suite(), ["project_key"]))
    assert outcomes["expect_column_values_to_be_between:n"][2] is True  # metric resolution failed
