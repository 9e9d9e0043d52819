"""DDL generated from the contract module, and the SQL views in `warehouse/views/`.

Nothing here spells a column type: tables come from `transforms.schema.TABLES`.
Facts get no PRIMARY KEY or index (DuckDB does not need them for joins and they
cost time and disk); the small dimension/operations tables in `PRIMARY_KEY_TABLES`
get one so that a duplicate key fails the build instead of loading silently.

Comments (`COMMENT ON`) carry the Japanese labels so that BI tools and
`duckdb_columns()` show them:

    table  -> "<label_ja>: <description>"
    column -> "<label_ja>" or "<label_ja>: <description>"

Each view file starts with `-- @view <label_ja>: <description>` and may carry
`-- @column <name>: <text>` lines; a view column without one falls back to the
label of the same-named contract column (e.g. `ministry` -> 府省庁).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from transforms.schema import SHEET_TABLES, TABLES, WAREHOUSE_TABLES, Table

VIEWS_DIR = Path(__file__).parent / "views"

# Dimension and operations tables whose key is enforced; facts stay constraint-free.
PRIMARY_KEY_TABLES = frozenset({"project", "fiscal_year", "source_file", "load_run"})


def sql_literal(text: str) -> str:
    """A SQL string literal.

    >>> sql_literal("総務省's")
    "'総務省''s'"
    """
    return "'" + text.replace("'", "''") + "'"


def create_table_sql(table: Table) -> str:
    """`CREATE TABLE` for one contract table, one column per line.

    >>> print(create_table_sql(TABLES["fiscal_year"]))  # doctest: +NORMALIZE_WHITESPACE
    create table fiscal_year (
        fiscal_year INTEGER not null,
        era VARCHAR not null,
        era_year INTEGER not null,
        label_ja VARCHAR not null,
        starts_on DATE not null,
        ends_on DATE not null,
        primary key (fiscal_year)
    )
    """
    lines = [f"    {c.name} {c.type}{'' if c.nullable else ' not null'}" for c in table.columns]
    if table.name in PRIMARY_KEY_TABLES and table.key:
        lines.append(f"    primary key ({', '.join(table.key)})")
    return f"create table {table.name} (\n" + ",\n".join(lines) + "\n)"


def table_comment(table: Table) -> str:
    return f"{table.label_ja}: {table.description}" if table.description else table.label_ja


def column_comment(label_ja: str, description: str = "") -> str:
    return f"{label_ja}: {description}" if description else label_ja


def comment_statements(table: Table) -> list[str]:
    """`COMMENT ON TABLE` plus one `COMMENT ON COLUMN` per column."""
    statements = [f"comment on table {table.name} is {sql_literal(table_comment(table))}"]
    for c in table.columns:
        text = column_comment(c.label_ja, c.description)
        statements.append(f"comment on column {table.name}.{c.name} is {sql_literal(text)}")
    return statements


def ddl_script(tables: Iterable[Table] = TABLES.values()) -> str:
    """The whole DDL (tables and comments) as one script, e.g. for documentation."""
    parts = []
    for table in tables:
        parts.append(create_table_sql(table) + ";")
        parts.extend(s + ";" for s in comment_statements(table))
    return "\n".join(parts) + "\n"


def create_tables(con, tables: Iterable[Table] = TABLES.values()) -> None:
    """Create every contract table in the connection's current database."""
    for table in tables:
        con.execute(create_table_sql(table))


def comment_tables(con, tables: Iterable[Table] = TABLES.values()) -> None:
    for table in tables:
        for statement in comment_statements(table):
            con.execute(statement)


# ---------------------------------------------------------------- views

_VIEW_TAG = re.compile(r"^--\s*@view\s+(?P<text>.+?)\s*$")
_COLUMN_TAG = re.compile(r"^--\s*@column\s+(?P<name>\w+)\s*:\s*(?P<text>.+?)\s*$")


@dataclass(frozen=True)
class View:
    """One `views/<name>.sql` file: a SELECT (CTE style) plus its comments."""

    name: str
    sql: str
    comment: str
    column_comments: dict[str, str] = field(default_factory=dict)


def parse_view(name: str, text: str) -> View:
    comment = ""
    columns: dict[str, str] = {}
    for line in text.splitlines():
        if m := _VIEW_TAG.match(line):
            comment = m["text"]
        elif m := _COLUMN_TAG.match(line):
            columns[m["name"]] = m["text"]
    if not comment:
        raise ValueError(f"view {name}: missing '-- @view <label_ja>: <description>' line")
    sql = text.strip().rstrip(";").strip()
    return View(name, sql, comment, columns)


def load_views(views_dir: Path = VIEWS_DIR) -> list[View]:
    """Every `*.sql` file of `views_dir`, by file name (the view is named after the file)."""
    return [parse_view(p.stem, p.read_text(encoding="utf-8")) for p in sorted(Path(views_dir).glob("*.sql"))]


def _depends_on(view: View, names: set[str]) -> set[str]:
    return {n for n in names if n != view.name and re.search(rf"\b{re.escape(n)}\b", view.sql)}


def view_order(views: list[View]) -> list[View]:
    """Views sorted so that a view comes after the views it selects from."""
    by_name = {v.name: v for v in views}
    ordered: list[View] = []
    done: set[str] = set()

    def visit(view: View, path: tuple[str, ...]) -> None:
        if view.name in done:
            return
        if view.name in path:
            raise ValueError(f"views depend on each other in a cycle: {' -> '.join(path + (view.name,))}")
        for dep in sorted(_depends_on(view, set(by_name))):
            visit(by_name[dep], path + (view.name,))
        done.add(view.name)
        ordered.append(view)

    for view in views:
        visit(view, ())
    return ordered


def _fallback_column_labels() -> dict[str, str]:
    """Column name -> comment from the contract, first table wins (project first)."""
    labels: dict[str, str] = {}
    for table in SHEET_TABLES + WAREHOUSE_TABLES:
        for c in table.columns:
            labels.setdefault(c.name, column_comment(c.label_ja, c.description))
    return labels


def create_views(con, views: list[View] | None = None) -> list[View]:
    """`create or replace view` for every view file, dependencies first."""
    views = view_order(load_views() if views is None else views)
    for view in views:
        con.execute(f"create or replace view {view.name} as\n{view.sql}")
    return views


def comment_views(con, views: list[View]) -> None:
    """Comment every view and every one of its columns (explicit or from the contract)."""
    fallback = _fallback_column_labels()
    for view in views:
        con.execute(f"comment on view {view.name} is {sql_literal(view.comment)}")
        columns = [r[0] for r in con.execute(f"describe {view.name}").fetchall()]
        for name in columns:
            text = view.column_comments.get(name) or fallback.get(name)
            if text is None:
                raise ValueError(f"view {view.name}: column {name} has no comment; add '-- @column {name}: ...'")
            con.execute(f"comment on column {view.name}.{name} is {sql_literal(text)}")
