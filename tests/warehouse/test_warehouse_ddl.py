"""DDL generated from the schema agrees with the schema; everything carries a comment."""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pytest

from transforms.schema import TABLES
from warehouse import ddl

# objects of the warehouse itself, not DuckDB's catalog views
OURS = "database_name = current_database() and schema_name = 'main' and not internal"


def test_created_tables_match_schema():
    con = duckdb.connect(":memory:")
    ddl.create_tables(con)
    rows = con.execute(
        "select table_name, column_name, data_type, is_nullable from duckdb_columns() "
        "where " + OURS + " order by table_name, column_index"
    ).fetchall()
    created: dict[str, list[tuple]] = {}
    for table_name, column_name, data_type, is_nullable in rows:
        created.setdefault(table_name, []).append((column_name, data_type, is_nullable))
    expected = {
        t.name: [(c.name, c.type, c.nullable) for c in t.columns] for t in TABLES.values()
    }
    assert created == expected


def test_facts_have_no_constraints_but_dimensions_have_keys():
    con = duckdb.connect(":memory:")
    ddl.create_tables(con)
    constrained = {
        table for (table,) in con.execute(
            "select distinct table_name from duckdb_constraints() where constraint_type = 'PRIMARY KEY'"
        ).fetchall()
    }
    assert constrained == set(ddl.PRIMARY_KEY_TABLES)
    assert not con.execute("select * from duckdb_indexes()").fetchall()


def test_no_identifier_is_a_reserved_keyword():
    reserved = {
        r[0] for r in duckdb.sql(
            "select keyword_name from duckdb_keywords() where keyword_category = 'reserved'"
        ).fetchall()
    }
    names = set(TABLES) | {c.name for t in TABLES.values() for c in t.columns}
    assert not names & reserved


def test_ddl_script_runs_and_comments_every_column():
    con = duckdb.connect(":memory:")
    for statement in ddl.ddl_script().split(";\n"):
        if statement.strip():
            con.execute(statement)
    missing = con.execute(
        "select table_name, column_name from duckdb_columns() where " + OURS + " and comment is null"
    ).fetchall()
    assert missing == []
    project = con.execute("select comment from duckdb_tables() where table_name = 'project'").fetchall()[0][0]
    assert project.startswith("事業:")


def test_built_warehouse_comments_tables_views_and_columns(warehouse_path):
    con = duckdb.connect(str(warehouse_path), read_only=True)
    uncommented_tables = con.execute(
        "select table_name from duckdb_tables() where " + OURS + " and comment is null"
    ).fetchall()
    views = con.execute(
        "select view_name, comment from duckdb_views() where not internal and schema_name = 'main'"
    ).fetchall()
    uncommented_columns = con.execute(
        "select table_name, column_name from duckdb_columns() where " + OURS + " and comment is null"
    ).fetchall()
    assert uncommented_tables == []
    assert {name for name, _ in views} == {v.name for v in ddl.load_views()}
    assert all(comment for _, comment in views)
    assert uncommented_columns == []
    label = con.execute(
        "select comment from duckdb_columns() where table_name = 'v_budget' and column_name = 'initial'"
    ).fetchall()[0][0]
    assert "当初予算" in label


@pytest.mark.parametrize("view", ddl.load_views(), ids=lambda v: v.name)
def test_view_files_are_portable(view):
    sql = view.sql.lower()
    assert "read_parquet" not in sql and "'/" not in sql, "views select from tables, never from paths"
    assert "with " in sql and "select * from final" in sql, "CTE style ending in `select * from final`"


def test_view_order_puts_dependencies_first():
    names = [v.name for v in ddl.view_order(ddl.load_views())]
    assert names.index("v_budget") < names.index("v_budget_latest") < names.index("v_ministry_year")


def test_view_without_header_is_rejected():
    with pytest.raises(ValueError, match="@view"):
        ddl.parse_view("v_x", "select 1")


def test_a_project_executing_money_its_total_does_not_show_leaves_the_ministry_rate_alone():
    """計 0 with 執行額 above 0 (a budget held under another project, as RS rows of デジタル庁
    show) counts in `executed` but not in the execution rate, which would pass 1."""
    from warehouse.ddl import load_views

    [view] = [v for v in load_views() if v.name == "v_ministry_year"]
    con = duckdb.connect()
    con.execute("create table v_budget_latest (project_id varchar, ministry varchar, fiscal_year integer, "
                "initial decimal(20,6), total decimal(20,6), executed decimal(20,6))")
    con.execute("insert into v_budget_latest values ('a', 'デジタル庁', 2022, 100, 100, 90), "
                "('b', 'デジタル庁', 2022, 0, 0, 30), ('c', 'デジタル庁', 2022, 50, 50, null)")
    row = con.execute(f"select projects, total, executed, total_with_executed, execution_rate from ({view.sql})").fetchone()
    assert row == (3, 150, 120, 100, Decimal("0.9"))
