"""Great Expectations suites derived from the contract (`transforms.schema`).

Nothing here lists a column by hand: for every staged table the suite holds

* ``not_null.<column>`` for each NOT NULL column (key columns included) - error;
* ``not_blank`` - the sheet's identity texts (事業名, 府省庁, ...) and project_key hold more
  than spaces - error;
* ``in_domain.<column>`` for each column with a `Column.domain` - error;
* ``year_range.<column>`` for year columns (`YEAR_RANGES`) - error or warning;
* ``key_unique`` - no two *different* rows share `Table.key` - error;
* ``duplicate_row`` - a row repeated verbatim - warning;
* ``project_fk`` - every `Table.foreign_keys` entry that points at a staged table - error;
* ``has_budget_rows`` (project) - the sheet produced budget table rows - error;
* the business rules of `expectations.rules` whose table it is.

The SQL checks are `gx_duckdb.ExpectQueryToReturnNoRows` (an ``UnexpectedRowsExpectation``
whose query GE runs once, not twice).

Each expectation carries ``meta`` (check_name, table_name, severity, column,
expected, description) from which the runner writes ``dq_issue`` rows, and GE's
own ``severity`` (critical for errors).  Column types are *not* checked with GE
type expectations (they break on pandas 3): `arrow_type_mismatches` and
`duckdb_type_mismatches` compare the Parquet / DuckDB schemas with the contract.
"""

from __future__ import annotations

import pyarrow as pa

from expectations import gx_duckdb  # noqa: F401  (sets GE's environment before GE is imported)
import great_expectations as gx  # noqa: E402
import great_expectations.expectations as gxe  # noqa: E402

from expectations.gx_duckdb import ExpectQueryToReturnNoRows  # noqa: E402

from expectations.rules import RULES, Rule, with_batch  # noqa: E402
from transforms import schema  # noqa: E402
from transforms.schema import Table  # noqa: E402

GX_SEVERITY = {"error": "critical", "warning": "warning"}
STAGED = {t.name for t in schema.SHEET_TABLES}
NOT_BLANK_TABLES = {"project"}

# Plausible years per column: (low, high, severity); (table, column) overrides column.
YEAR_RANGES: dict[str | tuple[str, str], tuple[int, int, str]] = {
    "fiscal_year": (1980, 2040, "error"),
    "review_year": (2009, 2040, "error"),
    "past_review_year": (2009, 2040, "warning"),  # a lineage detail: no reason to hold the sheet back
    "start_fiscal_year": (1868, 2040, "warning"),  # 昭和 starts are real
    "end_fiscal_year": (1980, 2100, "warning"),  # 平成56年度 = 2044 is printed
    ("indicator", "fiscal_year"): (1980, 2100, "warning"),  # target years such as 2050
}


def _meta(table: Table, check_name: str, severity: str, description: str, **extra) -> dict:
    return {"check_name": check_name, "table_name": table.name, "severity": severity,
            "description": description, **extra}


def _year_expr(table: Table, alias: str = "") -> str:
    return f"{alias}fiscal_year" if "fiscal_year" in table.column_names else "CAST(NULL AS INTEGER)"


def _key_text(table: Table) -> str:
    parts = [f"'{c}=' || coalesce(CAST({c} AS VARCHAR), 'NULL')" for c in table.key if c != "project_key"]
    return " || ', ' || ".join(parts) if parts else "'project_key=' || coalesce(project_key, 'NULL')"


def column_expectations(table: Table) -> list[gxe.Expectation]:
    """not_null, in_domain and year_range expectations of one table."""
    found: list[gxe.Expectation] = []
    for col in table.columns:
        label = f"{col.label_ja} ({col.name})"
        if not col.nullable:
            found.append(gxe.ExpectColumnValuesToNotBeNull(column=col.name, severity="critical", meta=_meta(
                table, f"not_null.{col.name}", "error", f"{label} is present", column=col.name,
                expected="a value")))
        if col.domain:
            found.append(gxe.ExpectColumnValuesToBeInSet(
                column=col.name, value_set=list(col.domain), severity="critical", meta=_meta(
                    table, f"in_domain.{col.name}", "error", f"{label} is one of the contract values",
                    column=col.name, expected="one of " + ", ".join(col.domain))))
        bounds = YEAR_RANGES.get((table.name, col.name)) or YEAR_RANGES.get(col.name)
        if bounds and col.type == "INTEGER":
            low, high, severity = bounds
            found.append(gxe.ExpectColumnValuesToBeBetween(
                column=col.name, min_value=low, max_value=high, severity=GX_SEVERITY[severity],
                meta=_meta(table, f"year_range.{col.name}", severity, f"{label} lies in {low}..{high}",
                           column=col.name, expected=f"{low}..{high}")))
    return found


def _sql(table: Table, check_name: str, severity: str, description: str, sql: str) -> gxe.Expectation:
    return ExpectQueryToReturnNoRows(
        unexpected_rows_query=sql, severity=GX_SEVERITY[severity],
        meta=_meta(table, check_name, severity, description))


def not_blank_columns(table: Table) -> list:
    """Text columns that must hold more than spaces: the sheet's identity (every NOT NULL
    text column of `project`) and `project_key` everywhere (`printed_total.block` is ''
    by design, so blanks are not an error in general)."""
    return [c for c in table.columns if c.type == "VARCHAR" and not c.nullable and not c.domain
            and (table.name in NOT_BLANK_TABLES or c.name == "project_key")]


def not_blank_sql(table: Table) -> str | None:
    """SQL: required text columns that hold only spaces."""
    columns = not_blank_columns(table)
    if not columns:
        return None
    selects = [
        f"select project_key, {_year_expr(table)} as fiscal_year, '\"' || {c.name} || '\"' as observed, "
        f"'non-blank {c.name}' as expected, '{table.name} — {c.label_ja} ({c.name}) is blank' as message "
        f"from batch_rows where regexp_matches({c.name}, '^[\\s　]*$')"
        for c in columns
    ]
    return with_batch("\nunion all\n".join(selects))


def _repeated_keys_cte(table: Table) -> str:
    """CTEs `repeated_keys` (hashes of keys held by more than one row) and `key_rows`
    (the rows whose key hashes to one of them): both key checks below only ever look at
    those rows, which keeps them from sorting or hashing every row of a big table by
    every column.  Grouping by one hash of the key columns is about twice as fast as
    grouping by the columns; two keys that collide only add rows to `key_rows`, which
    the checks then group by the real key columns.  NULL key parts hash alike, as
    GROUP BY matches them."""
    keys = ", ".join(table.key)
    return f"""with repeated_keys as (select hash({keys}) as key_hash from batch_rows group by key_hash having count(*) > 1),
key_rows as (select b.* from batch_rows b where hash({keys}) in (select key_hash from repeated_keys))"""


def key_unique_sql(table: Table) -> str:
    """SQL: keys shared by rows of different content (exact repeats are `duplicate_row`)."""
    keys = ", ".join(table.key)
    return with_batch(f"""
{_repeated_keys_cte(table)},
distinct_rows as (select distinct * from key_rows)
select project_key, {'min(fiscal_year)' if 'fiscal_year' in table.key else 'CAST(NULL AS INTEGER)'}
    as fiscal_year, CAST(count(*) AS VARCHAR) || ' different rows' as observed,
  '1 row per key' as expected,
  '{table.name} — ' || CAST(count(*) AS VARCHAR) || ' different rows share the key ('
    || {_key_text(table)} || ')' as message
from distinct_rows group by {keys} having count(*) > 1
""")


def duplicate_row_sql(table: Table) -> str:
    """SQL: rows repeated verbatim (they share their key, so only rows of repeated keys are grouped)."""
    columns = ", ".join(table.column_names)
    return with_batch(f"""
{_repeated_keys_cte(table)}
select project_key, {_year_expr(table)} as fiscal_year, CAST(count(*) AS VARCHAR) || ' copies' as observed,
  '1 copy' as expected,
  '{table.name} — the same row appears ' || CAST(count(*) AS VARCHAR) || ' times (' || {_key_text(table)}
    || ')' as message
from key_rows group by {columns} having count(*) > 1
""")


def foreign_key_sql(table: Table, column: str, target: str, target_column: str) -> str:
    """SQL: values of `column` with no row in the staged target table."""
    return with_batch(f"""
select f.{column} as project_key, CAST(NULL AS INTEGER) as fiscal_year,
  CAST(count(*) AS VARCHAR) || ' rows' as observed, 'a {target} row' as expected,
  '{table.name} — ' || CAST(count(*) AS VARCHAR) || ' rows refer to {column} ' || f.{column}
    || ' which has no {target} row' as message
from batch_rows f
where f.{column} is not null
  and not exists (select 1 from {target} t where t.{target_column} = f.{column})
group by f.{column}
""")


HAS_BUDGET_ROWS_SQL = with_batch("""
select p.project_key, CAST(NULL AS INTEGER) as fiscal_year, '0 rows' as observed,
  'rows in budget_line' as expected,
  'project — the sheet produced no 予算額・執行額 rows at all (budget table not found)' as message
from batch_rows p
where not exists (select 1 from budget_line b where b.project_key = p.project_key)
  and not exists (select 1 from budget_line_other b where b.project_key = p.project_key)
  and not exists (select 1 from execution_rate b where b.project_key = p.project_key)
""")


def table_expectations(table: Table) -> list[gxe.Expectation]:
    """The schema-derived SQL expectations of one table (keys, blanks, references)."""
    found = []
    blank = not_blank_sql(table)
    if blank:
        found.append(_sql(table, "not_blank", "error", "text columns that must be present are not blank", blank))
    if table.key:
        found.append(_sql(table, "key_unique", "error", f"one row per key ({', '.join(table.key)})",
                          key_unique_sql(table)))
        found.append(_sql(table, "duplicate_row", "warning", "no row repeated verbatim", duplicate_row_sql(table)))
    for column, target, target_column in table.foreign_keys:
        if target in STAGED:
            found.append(_sql(table, f"{target}_fk", "error", f"{column} refers to a {target} row",
                              foreign_key_sql(table, column, target, target_column)))
    if table.name == "project":
        found.append(_sql(table, "has_budget_rows", "error", "the sheet has 予算額・執行額 rows",
                          HAS_BUDGET_ROWS_SQL))
    return found


def rule_expectation(rule: Rule) -> gxe.Expectation:
    """A business rule as an UnexpectedRowsExpectation (run once: `ExpectQueryToReturnNoRows`)."""
    return ExpectQueryToReturnNoRows(
        unexpected_rows_query=rule.sql, severity=GX_SEVERITY[rule.severity],
        meta={"check_name": rule.check_name, "table_name": rule.table_name, "severity": rule.severity,
              "description": rule.description})


def build_suite(table: Table, rules: tuple[Rule, ...] = RULES) -> gx.ExpectationSuite:
    """The suite of one staged table: schema checks plus the rules on that table."""
    expectations = column_expectations(table) + table_expectations(table)
    expectations += [rule_expectation(r) for r in rules if r.table_name == table.name]
    return gx.ExpectationSuite(name=f"staged.{table.name}", expectations=expectations)


def build_suites(tables: tuple[Table, ...] = schema.SHEET_TABLES,
                 rules: tuple[Rule, ...] = RULES) -> dict[str, gx.ExpectationSuite]:
    """One suite per staged table, keyed by table name."""
    return {t.name: build_suite(t, rules) for t in tables}


def arrow_type_mismatches(table: Table, actual: pa.Schema) -> list[str]:
    """Contract columns missing from, or typed differently in, a Parquet/Arrow schema."""
    problems = []
    for expected in schema.arrow_schema(table):
        if expected.name not in actual.names:
            problems.append(f"{expected.name} is missing")
        elif not actual.field(expected.name).type.equals(expected.type):
            problems.append(f"{expected.name} is {actual.field(expected.name).type}, contract says {expected.type}")
    return problems


def duckdb_type_mismatches(table: Table, described: dict[str, str]) -> list[str]:
    """Contract columns missing from, or typed differently in, a DuckDB relation.

    `described` maps column name to DuckDB type name (as `DESCRIBE` prints it).
    """
    problems = []
    for col in table.columns:
        actual = described.get(col.name)
        if actual is None:
            problems.append(f"{col.name} is missing")
        elif actual.upper().replace(" ", "") != col.type.upper():
            problems.append(f"{col.name} is {actual}, contract says {col.type}")
    return problems
