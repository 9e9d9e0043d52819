"""Great Expectations on DuckDB, quietly: environment, the connection patch, a session.

GE 1.24's ``SqlAlchemyExecutionEngine.execute_query()`` returns a cursor after its
``with engine.connect()`` block has closed the connection; duckdb_engine then
yields no rows and every metric fails with ``list index out of range``
(fivetran/great_expectations#11579).  `apply_duckdb_connection_patch` keeps one
persistent connection for the duckdb dialect, as GE already does for sqlite and
SQL Server (STACK_NOTES.md §2.2), and rolls back after a failed statement (DuckDB
aborts the transaction, which would fail every later metric on the shared
connection); a regression test keeps both honest.

`GxSession` wraps an ephemeral context with progress bars off and usage
statistics off (``GX_ANALYTICS_ENABLED=false``, set before GE is imported); with
`quiet()` around it a validation writes nothing to stdout/stderr and logs nothing
at ERROR: failures surface as results, not log lines.

Speed (the gate runs on every build): `GxSession.run` validates expectations on a
table through one cached GE ``Validator`` per table (the batch and its column
reflection are resolved once), without storing suites, validation definitions or
results in the context.  `ExpectQueryToReturnNoRows` is GE's
``UnexpectedRowsExpectation`` with its query run once instead of twice (GE runs it
for the rows and again for their count): it fails when the query returns any row.
"""

from __future__ import annotations

import contextlib
import contextvars
import importlib
import importlib.util
import logging
import os
import sys
from collections.abc import Iterator

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")  # before GE is imported: no network


def _defer_module(name: str) -> None:
    """Register submodule `name` (``package.sub``) as loaded on first attribute use.

    GE imports every core expectation when it is imported; the KL-divergence one does
    ``from scipy import stats`` at module level, which is a third of GE's import time
    (about a second here) for statistics these suites never compute.  With the lazy
    module set on its package, that statement binds it without loading it; the first
    use of any of its attributes loads it in full (`importlib.util.LazyLoader`).
    """
    parent_name, _, child = name.rpartition(".")
    if name in sys.modules or not parent_name:
        return
    try:
        parent = importlib.import_module(parent_name)
        if child in vars(parent) or (spec := importlib.util.find_spec(name)) is None or spec.loader is None:
            return
    except ImportError:
        return
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    setattr(parent, child, module)


_defer_module("scipy.stats")

import great_expectations as gx  # noqa: E402
import great_expectations.expectations as gxe  # noqa: E402
import duckdb_engine  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from great_expectations.core.metric_domain_types import MetricDomainTypes  # noqa: E402
from great_expectations.data_context.types.base import ProgressBarsConfig  # noqa: E402
from great_expectations.execution_engine.sqlalchemy_execution_engine import (  # noqa: E402
    SqlAlchemyExecutionEngine,
)
from great_expectations.expectations.metrics.metric_provider import metric_value  # noqa: E402
from great_expectations.expectations.metrics.query_metrics.query_table.unexpected_rows_query_table import (  # noqa: E402
    UnexpectedRowsQueryTable,
)
from great_expectations.validator.v1_validator import Validator  # noqa: E402

ORIGINAL_GET_CONNECTION = SqlAlchemyExecutionEngine.get_connection
_QUIET_LOGGERS = ("great_expectations", "great_expectations.data_context.types.base", "duckdb_engine", "sqlalchemy")


@contextlib.contextmanager
def _persistent_duckdb_connection(self: SqlAlchemyExecutionEngine):
    """`get_connection` that reuses one connection for duckdb (the upstream fix).

    A failed statement aborts DuckDB's transaction and every later query on the
    shared connection would fail too, so the transaction is rolled back on error.
    """
    if self.engine.dialect.name == "duckdb":
        if not self._connection:
            self._connection = self.engine.connect()
        try:
            yield self._connection
        except Exception:
            self._connection.rollback()
            raise
    else:
        with ORIGINAL_GET_CONNECTION(self) as connection:
            yield connection


def apply_duckdb_connection_patch() -> None:
    """Make GE keep one connection per duckdb engine, and let it learn a table's columns
    from DuckDB's catalog (idempotent)."""
    SqlAlchemyExecutionEngine.get_connection = _persistent_duckdb_connection
    duckdb_engine.Dialect.get_columns = _duckdb_columns
    duckdb_engine.Dialect.get_pk_constraint = _no_primary_key


# GE asks SQLAlchemy for each table's columns (and primary key) before checking it.
# duckdb_engine answers through PostgreSQL's catalog queries, which this DuckDB rejects
# (REGCLASS): every table cost two failed queries, a rollback and a fallback query, and
# the columns came back without types.  DuckDB's information_schema answers directly.
_COLUMN_TYPES = {"VARCHAR": sa.VARCHAR, "INTEGER": sa.INTEGER, "BIGINT": sa.BIGINT, "SMALLINT": sa.SMALLINT,
                 "HUGEINT": sa.BIGINT, "DOUBLE": sa.FLOAT, "FLOAT": sa.FLOAT, "BOOLEAN": sa.BOOLEAN, "DATE": sa.DATE,
                 "TIMESTAMP": sa.TIMESTAMP, "DECIMAL": sa.DECIMAL}


def _duckdb_columns(self, connection, table_name, schema=None, **kw) -> list[dict]:
    rows = connection.exec_driver_sql(
        "select column_name, data_type, is_nullable from information_schema.columns "
        "where table_name = ? and table_schema = ? order by ordinal_position",
        (str(table_name), schema or "main")).fetchall()
    return [{"name": name, "type": _COLUMN_TYPES.get(data_type.split("(")[0], sa.types.NullType)(),
             "nullable": nullable == "YES", "default": None} for name, data_type, nullable in rows]


def _no_primary_key(self, connection, table_name, schema=None, **kw) -> dict:
    return {"constrained_columns": [], "name": None}  # the checked tables and views declare none


# GE rebuilds `Expectation.configuration` (a pydantic dict() of the whole expectation)
# for every kwarg it looks up - thousands of times per suite, about a second of a
# validation's fixed cost.  Within `GxSession.run` (where nothing changes the
# expectations) each one is built once per expectation object.
_ORIGINAL_CONFIGURATION = gxe.Expectation.configuration
_configurations: contextvars.ContextVar[dict | None] = contextvars.ContextVar("gx_configurations", default=None)


def _memoised_configuration(self):
    cache = _configurations.get()
    if cache is None:
        return _ORIGINAL_CONFIGURATION.fget(self)
    hit = cache.get(id(self))
    if hit is None or hit[0] is not self:  # the object is kept alive in the entry: ids cannot be reused
        hit = cache[id(self)] = (self, _ORIGINAL_CONFIGURATION.fget(self))
    return hit[1]


gxe.Expectation.configuration = property(_memoised_configuration, doc=_ORIGINAL_CONFIGURATION.__doc__)


@contextlib.contextmanager
def memoised_configurations() -> Iterator[None]:
    """Within the block, each expectation's configuration is built once."""
    token = _configurations.set({})
    try:
        yield
    finally:
        _configurations.reset(token)


def duckdb_connection_patch_applied() -> bool:
    return SqlAlchemyExecutionEngine.get_connection is _persistent_duckdb_connection


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """Hold GE's (and its SQL stack's) loggers at CRITICAL during a validation.

    Failures reach the caller as results (``exception_info``), not as log lines.  GE's
    one stdout print (a query without ``{batch}``) cannot happen: every query has it.
    """
    levels = {name: logging.getLogger(name).level for name in _QUIET_LOGGERS}
    for name in _QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


class UnexpectedRowsQueryAllRows(UnexpectedRowsQueryTable):
    """GE metric: every row of an unexpected-rows query (GE's own metric keeps 200)."""

    metric_name = "unexpected_rows_query.all_rows"

    @metric_value(engine=SqlAlchemyExecutionEngine)
    def _sqlalchemy(cls, execution_engine, metric_domain_kwargs, metric_value_kwargs, metrics, runtime_configuration):
        batch_selectable, _, _ = execution_engine.get_compute_domain(
            metric_domain_kwargs, domain_type=MetricDomainTypes.TABLE)
        query = cls._get_substituted_batch_subquery_from_query_and_batch_selectable(
            query=cls._get_query_from_metric_value_kwargs(metric_value_kwargs),
            batch_selectable=batch_selectable, execution_engine=execution_engine)
        return cls._get_sqlalchemy_records_from_substituted_batch_subquery(
            substituted_batch_subquery=query, execution_engine=execution_engine, fetch_all=True)


class ExpectQueryToReturnNoRows(gxe.UnexpectedRowsExpectation):
    """`UnexpectedRowsExpectation` that runs its query once and keeps every row it
    returns (GE's own runs the query for up to 200 rows and again for their count):
    it fails when the query returns any row."""

    metric_dependencies = ("unexpected_rows_query.all_rows",)

    def _validate(self, metrics: dict, runtime_configuration: dict | None = None, execution_engine=None) -> dict:
        rows = metrics["unexpected_rows_query.all_rows"]
        return {"success": not rows,
                "result": {"observed_value": len(rows), "details": {"unexpected_rows": rows}}}


ROW_EXPECTATION_TYPES = ("unexpected_rows_expectation", "expect_query_to_return_no_rows")
# Column checks report only pass/fail and the SQL of their failing rows (no per-check row queries).
COLUMN_CHECK_FORMAT = {"result_format": "BOOLEAN_ONLY", "return_unexpected_index_query": True}


class GxSession:
    """An ephemeral GE context with one DuckDB SQL datasource (use as a context manager).

    `duckdb_config` goes to `duckdb.connect(config=...)` for GE's connection
    (e.g. ``{"memory_limit": "1GB", "threads": 2}``).
    """

    def __init__(self, db_path: str, *, read_only: bool = False, name: str = "duckdb",
                 duckdb_config: dict | None = None):
        apply_duckdb_connection_patch()
        self.context = gx.get_context(mode="ephemeral")
        # An ephemeral context "saves" its whole configuration as YAML into memory after
        # every datasource and asset added (about 9 ms each, 20+ per run); nothing here
        # reads it back, the assets live in the datasource object.
        self.context._save_project_config = lambda: None
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
        connect_args: dict = {"read_only": True} if read_only else {}
        if duckdb_config:
            connect_args["config"] = dict(duckdb_config)
        self.datasource = self.context.data_sources.add_sql(
            name=name, connection_string=f"duckdb:///{db_path}",
            kwargs={"connect_args": connect_args} if connect_args else {},
        )
        self._validators: dict[str, Validator] = {}

    def __enter__(self) -> "GxSession":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def validate(self, table_name: str, suite: gx.ExpectationSuite, index_columns: list[str]):
        """Run one suite on one table; returns GE's ExpectationSuiteValidationResult."""
        asset = self.datasource.add_table_asset(name=table_name, table_name=table_name)
        batch = asset.add_batch_definition_whole_table("whole_table")
        suite = self.context.suites.add(suite)
        definition = self.context.validation_definitions.add(
            gx.ValidationDefinition(name=f"validate.{table_name}", data=batch, suite=suite))
        return definition.run(result_format={
            "result_format": "COMPLETE", "unexpected_index_column_names": index_columns})

    def run(self, table_name: str, expectations: list, result_format: dict) -> list:
        """Run expectations on one table; returns GE's ExpectationValidationResults.

        The table's batch is resolved once per session and shared by every call.
        """
        validator = self._validators.get(table_name)
        if validator is None:
            asset = self.datasource.add_table_asset(name=table_name, table_name=table_name)
            validator = Validator(batch_definition=asset.add_batch_definition_whole_table("whole_table"))
            self._validators[table_name] = validator
        validator.result_format = result_format
        suite = gx.ExpectationSuite(name=f"run.{table_name}", expectations=list(expectations))
        with memoised_configurations():
            return validator.validate_expectation_suite(suite).results

    def fetch(self, sql: str) -> list[dict]:
        """Run SQL on GE's own connection (used to fetch rows GE truncated)."""
        result = self.datasource.get_execution_engine().execute_query(sa.text(sql))
        return [dict(row) for row in result.mappings().all()]

    def close(self) -> None:
        """Close GE's persistent DuckDB connection and dispose of its engines."""
        self._validators.clear()
        engine = self.datasource.get_execution_engine()
        if engine._connection is not None:
            engine._connection.close()
            engine._connection = None
        engine.engine.dispose()
        with contextlib.suppress(Exception):
            self.datasource.get_engine().dispose()
