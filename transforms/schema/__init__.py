"""The warehouse contract as data: every public table and column, defined once.

Parquet schemas, DuckDB DDL, `COMMENT ON` text and the column lists of the
data-quality suites are all derived from `TABLES` here; nothing else in the
code base spells a column type.  The public names and meanings follow the
project's contract (CONTRACT.md in the design brief): add columns freely, never
rename or re-purpose one.

The tables are defined by concern: `model` (Column, Table, shared columns and value
sets), `sheet_tables` (the contract's tables of a printed sheet), `extra_tables`
(related projects and the RS System's money and goal files), `warehouse_tables` (what
the warehouse builds itself).  Types are written in DuckDB's vocabulary ("VARCHAR",
"DECIMAL(20,6)", ...) and mapped to Arrow types by `arrow_type()`.
"""

from __future__ import annotations

from decimal import Decimal

import pyarrow as pa

from transforms.schema.extra_tables import (FUND_FLOW, MULTI_YEAR_CONTRACT, OUTCOME_PATH, OWN_EXPENSE, RELATED_PROJECT,
                                            SUBSIDY_RATE)
from transforms.schema.model import (ASSESSMENT_CATEGORIES, ASSESSMENT_RATINGS, BUDGET_LINES, FILE_STATUSES,  # noqa: F401
                                     INDICATOR_KINDS, INDICATOR_MEASURES, INDICATOR_PERIODS, MONEY, RATE, RATE_BASES,
                                     SEVERITIES, VALUE, Column, Table)
from transforms.schema.sheet_tables import (ASSESSMENT, BUDGET_ITEM, BUDGET_LINE, BUDGET_LINE_OTHER, EXECUTION_RATE,
                                            EXPENSE, INDICATOR, LINEAGE, PRINTED_TOTAL, PROJECT, RECIPIENT)
from transforms.schema.warehouse_tables import DQ_ISSUE, FISCAL_YEAR, LOAD_RUN, PROJECT_LINK, SOURCE_FILE

# Tables a parsed sheet produces, in load order.
SHEET_TABLES: tuple[Table, ...] = (
    PROJECT, BUDGET_LINE, BUDGET_LINE_OTHER, EXECUTION_RATE, BUDGET_ITEM, INDICATOR,
    RECIPIENT, EXPENSE, ASSESSMENT, LINEAGE, PRINTED_TOTAL, RELATED_PROJECT, FUND_FLOW, OWN_EXPENSE,
    MULTI_YEAR_CONTRACT, SUBSIDY_RATE, OUTCOME_PATH,
)
WAREHOUSE_TABLES: tuple[Table, ...] = (FISCAL_YEAR, PROJECT_LINK, LOAD_RUN, SOURCE_FILE, DQ_ISSUE)
TABLES: dict[str, Table] = {t.name: t for t in SHEET_TABLES + WAREHOUSE_TABLES}
FACT_TABLES = tuple(t for t in SHEET_TABLES if t.name != "project")


def arrow_type(duckdb_type: str) -> pa.DataType:
    """Arrow type for one of the DuckDB type names used above.

    >>> arrow_type("DECIMAL(20,6)")
    Decimal128Type(decimal128(20, 6))
    >>> arrow_type("VARCHAR")
    DataType(string)
    """
    t = duckdb_type.upper()
    if t.startswith("DECIMAL("):
        precision, scale = (int(x) for x in t[8:-1].split(","))
        return pa.decimal128(precision, scale)
    return {
        "VARCHAR": pa.string(),
        "INTEGER": pa.int32(),
        "BIGINT": pa.int64(),
        "BOOLEAN": pa.bool_(),
        "DATE": pa.date32(),
        "TIMESTAMP": pa.timestamp("us"),
    }[t]


def arrow_schema(table: Table | str) -> pa.Schema:
    """The Parquet/Arrow schema of a contract table."""
    table = TABLES[table] if isinstance(table, str) else table
    return pa.schema(
        [pa.field(c.name, arrow_type(c.type), nullable=c.nullable) for c in table.columns],
        metadata={"table": table.name},
    )


def quantize(value: Decimal | None, duckdb_type: str) -> Decimal | None:
    """Round a Decimal to the scale of a DECIMAL(p,s) type (exact for printed values)."""
    if value is None:
        return None
    scale = int(duckdb_type.rstrip(")").split(",")[1])
    return value.quantize(Decimal(1).scaleb(-scale))


def to_arrow(table: Table | str, rows: list[dict]) -> pa.Table:
    """Build a typed Arrow table from row dicts (missing keys become NULL)."""
    table = TABLES[table] if isinstance(table, str) else table
    schema = arrow_schema(table)
    columns = {}
    for col in table.columns:
        values = [row.get(col.name) for row in rows]
        if col.type.startswith("DECIMAL"):
            values = [quantize(v, col.type) for v in values]
        columns[col.name] = pa.array(values, type=arrow_type(col.type))
    return pa.Table.from_pydict(columns, schema=schema)


def contract_markdown() -> str:
    """The contract as a Markdown page (docs/contract.md is generated from this)."""
    lines = [
        "# Warehouse tables", "",
        "Generated from `transforms/schema/` (`pytest --regen-golden` rewrites this page).",
        "Money is DECIMAL in millions of yen (百万円), signed as printed; years are Gregorian",
        "fiscal years (April–March); rates are fractions (50% -> 0.5) except 達成度, kept as",
        "the printed percent. Views: `v_budget`, `v_budget_latest`, `v_ministry_year`,",
        "`v_indicator` (see `warehouse/views/`).", "",
    ]
    for table in TABLES.values():
        lines += [f"## `{table.name}` — {table.label_ja}", "", table.description, ""]
        if table.key:
            lines += [f"Key: ({', '.join(table.key)})", ""]
        lines += ["| column | type | label | meaning |", "|---|---|---|---|"]
        for col in table.columns:
            meaning = col.description + (f" (one of: {', '.join(col.domain)})" if col.domain else "")
            null = "" if col.nullable else " NOT NULL"
            lines.append(f"| {col.name} | {col.type}{null} | {col.label_ja} | {meaning} |")
        lines.append("")
    return "\n".join(lines)
