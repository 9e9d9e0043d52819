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
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Iterator

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")  # before GE is imported: no network

import great_expectations as gx  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from great_expectations.data_context.types.base import ProgressBarsConfig  # noqa: E402
from great_expectations.execution_engine.sqlalchemy_execution_engine import (  # noqa: E402
    SqlAlchemyExecutionEngine,
)

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
    """Make GE keep one connection per duckdb engine (idempotent)."""
    SqlAlchemyExecutionEngine.get_connection = _persistent_duckdb_connection


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


class GxSession:
    """An ephemeral GE context with one DuckDB SQL datasource (use as a context manager)."""

    def __init__(self, db_path: str, *, read_only: bool = False, name: str = "duckdb"):
        apply_duckdb_connection_patch()
        self.context = gx.get_context(mode="ephemeral")
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
        self.datasource = self.context.data_sources.add_sql(
            name=name, connection_string=f"duckdb:///{db_path}",
            kwargs={"connect_args": {"read_only": True}} if read_only else {},
        )

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

    def fetch(self, sql: str) -> list[dict]:
        """Run SQL on GE's own connection (used to fetch rows GE truncated)."""
        result = self.datasource.get_execution_engine().execute_query(sa.text(sql))
        return [dict(row) for row in result.mappings().all()]

    def close(self) -> None:
        """Close GE's persistent DuckDB connection and dispose of its engines."""
        engine = self.datasource.get_execution_engine()
        if engine._connection is not None:
            engine._connection.close()
            engine._connection = None
        engine.engine.dispose()
        with contextlib.suppress(Exception):
            self.datasource.get_engine().dispose()
