"""A run that changes a few sheets patches a copy of the previous file: the patched file
holds exactly the rows a rebuild from scratch would (rows, identity, dimensions, issues,
views and comments); only the physical row order may differ."""

from __future__ import annotations

import shutil

import duckdb
import pytest
from tests.warehouse.wh_fixtures import A19, A20, ALL_KEYS, E20, U20, load_run_row, sheets, source_file_rows, stage

import warehouse.build as wb
from transforms.schema import TABLES
from warehouse.build import build_warehouse


def _build(tmp_path, name, keys, *, previous=None, keep=(), staged=None, run_id="r1", hour=1):
    staging = stage(tmp_path / f"staging-{name}", staged) if staged else None
    target = tmp_path / name
    run_ids = {k: "r1" for k in keep}
    build_warehouse(
        target, staging_dir=staging, previous_path=previous, keep_project_keys=keep,
        source_files=source_file_rows(keys, run_id, run_ids=run_ids),
        dq_issues=[{"run_id": run_id, "project_key": k, "source_path": f"sheets/{k}.txt", "table_name": "budget_line",
                    "check_name": "total_equals_sum", "severity": "warning", "message": "計 does not add up"}
                   for k in keys if k not in keep],
        load_run=load_run_row(run_id, hour), recomputed_checks=[],
    )
    return target


def _content(path) -> dict[str, list]:
    with duckdb.connect(str(path), read_only=True) as con:
        # load_run.build_mode says how each file was written: the one column allowed to differ
        stored = {name: con.execute(f"select * {'exclude (build_mode)' if name == 'load_run' else ''} from {name} "
                                    "order by all").fetchall() for name in TABLES}
        stored["views"] = con.execute("select view_name, sql, comment from duckdb_views() where not internal order by 1").fetchall()
        stored["comments"] = con.execute(
            "select table_name, column_name, comment from duckdb_columns() where database_name = current_database() "
            "order by all").fetchall()
        stored["ids"] = con.execute("select project_key, project_id from project order by 1").fetchall()
    return stored


@pytest.fixture
def patched(monkeypatch):
    """Force the patch path for these four-sheet warehouses; record that it was taken."""
    monkeypatch.setattr(wb, "PATCH_FRACTION", 1.0)
    taken = []
    original = wb._patch_operations
    monkeypatch.setattr(wb, "_patch_operations", lambda *a: taken.append(1) or original(*a))
    return taken


def _rebuilt(tmp_path, monkeypatch, name, **kwargs):
    monkeypatch.setattr(wb, "_reuse_mode", lambda *a: None)
    return _content(_build(tmp_path, name, **kwargs))


def _first(tmp_path, keys):
    return _build(tmp_path, "first.duckdb", keys, staged={k: sheets()[k] for k in keys})


def test_adding_a_sheet_that_links_a_project(tmp_path, monkeypatch, patched):
    first = _first(tmp_path, (A19, U20, E20))
    kwargs = dict(keys=ALL_KEYS, previous=first, keep=(A19, U20, E20), staged={A20: sheets()[A20]}, run_id="r2", hour=2)
    patched_file = _content(_build(tmp_path, "patched.duckdb", **kwargs))
    assert patched == [1]
    assert dict(patched_file["ids"])[A20] == A19  # identity recomputed over old and new sheets
    assert patched_file == _rebuilt(tmp_path, monkeypatch, "rebuilt.duckdb", **kwargs)


def test_replacing_a_sheet_changes_only_its_rows(tmp_path, monkeypatch, patched):
    first = _first(tmp_path, ALL_KEYS)
    edited = sheets()[U20]
    edited["budget_line"] = [dict(r, amount_million_yen=r["amount_million_yen"] + 1) if r["line"] == "executed" else r
                             for r in edited["budget_line"]]
    kwargs = dict(keys=ALL_KEYS, previous=first, keep=(A19, A20, E20), staged={U20: edited}, run_id="r2", hour=2)
    resolved = []
    monkeypatch.setattr(wb, "load_project_with_identity", lambda con: resolved.append(1))
    patched_file = _content(_build(tmp_path, "patched.duckdb", **kwargs))
    assert patched == [1] and not resolved  # only amounts changed: the previous ids and links hold
    monkeypatch.undo()
    before = _content(first)
    changed = set(patched_file["budget_line"]) ^ set(before["budget_line"])
    assert changed and {row[0] for row in changed} == {U20}
    assert patched_file == _rebuilt(tmp_path, monkeypatch, "rebuilt.duckdb", **kwargs)


def test_replacing_a_sheet_whose_lineage_changed_resolves_identity_again(tmp_path, monkeypatch, patched):
    """A re-loaded sheet that no longer names its past number: identity is resolved again
    (the copied links would be stale) and the file equals a rebuild."""
    first = _first(tmp_path, ALL_KEYS)
    assert dict(_content(first)["ids"])[A20] == A19
    edited = sheets()[A20]
    edited["lineage"] = []
    kwargs = dict(keys=ALL_KEYS, previous=first, keep=(A19, U20, E20), staged={A20: edited}, run_id="r2", hour=2)
    patched_file = _content(_build(tmp_path, "patched.duckdb", **kwargs))
    assert patched == [1]
    assert dict(patched_file["ids"])[A20] == A20 and not patched_file["project_link"]
    assert patched_file == _rebuilt(tmp_path, monkeypatch, "rebuilt.duckdb", **kwargs)


def test_removing_a_sheet_unlinks_and_shrinks_the_years(tmp_path, monkeypatch, patched):
    first = _first(tmp_path, ALL_KEYS)
    kwargs = dict(keys=(A19, U20, E20), previous=first, keep=(A19, U20, E20), run_id="r2", hour=2)
    patched_file = _content(_build(tmp_path, "patched.duckdb", **kwargs))
    assert patched == [1]
    assert A20 not in dict(patched_file["ids"]) and not patched_file["project_link"]
    assert all(row[0] != A20 for name in ("budget_line", "indicator", "recipient", "lineage") for row in patched_file[name])
    assert patched_file == _rebuilt(tmp_path, monkeypatch, "rebuilt.duckdb", **kwargs)


def test_many_changes_rebuild_from_scratch(tmp_path, monkeypatch):
    """One sheet in four is more than PATCH_FRACTION: the file is rebuilt, not patched."""
    monkeypatch.setattr(wb, "_patch_operations", lambda *a: pytest.fail("patched"))
    first = _first(tmp_path, ALL_KEYS)
    _build(tmp_path, "next.duckdb", ALL_KEYS, previous=first, keep=(A19, A20, E20), staged={U20: sheets()[U20]},
           run_id="r2", hour=2)


def _stored_rows(path, table: str) -> tuple[int, int]:
    """(rows in the table's storage, deleted ones included; live rows)."""
    with duckdb.connect(str(path), read_only=True) as con:
        stored = con.execute(f"select sum(count) from pragma_storage_info('{table}') where column_path = '[0]'").fetchone()[0]
        return int(stored or 0), con.execute(f"select count(*) from {table}").fetchone()[0]


def test_repeated_patches_do_not_pile_up_storage(tmp_path, patched):
    """Tables rewritten on every run are re-created, not emptied with DELETE: their storage
    holds only live rows after many runs; a sheet table keeps at most the replaced rows."""
    previous = _first(tmp_path, ALL_KEYS)
    for run in range(2, 7):
        previous = _build(tmp_path, f"run{run}.duckdb", ALL_KEYS, previous=previous, keep=(A19, A20, E20),
                          staged={U20: sheets()[U20]}, run_id=f"r{run}", hour=run)
    assert len(patched) == 5
    for table in ("project", "project_link", "fiscal_year", "source_file", "dq_issue", "load_run"):
        stored, live = _stored_rows(previous, table)
        assert stored == live, table
    stored, live = _stored_rows(previous, "budget_line")
    assert live <= stored <= live + 5 * len(sheets()[U20]["budget_line"])


def test_parquet_export_of_a_patched_file_is_in_key_order(tmp_path, monkeypatch, patched):
    """The patch appends the replaced sheet's rows; the export sorts what is out of order,
    so its files equal, row for row, those of a rebuild (apart from the run tables)."""
    import pyarrow.parquet as pq

    from warehouse.publish import export_parquet

    first = _first(tmp_path, ALL_KEYS)
    edited = sheets()[A19]
    edited["budget_line"] = [dict(r, amount_million_yen=r["amount_million_yen"] + 7) for r in edited["budget_line"]]
    kwargs = dict(keys=ALL_KEYS, previous=first, keep=(A20, U20, E20), staged={A19: edited}, run_id="r2", hour=2)
    patched_path = _build(tmp_path, "patched.duckdb", **kwargs)
    assert patched == [1]
    with duckdb.connect(str(patched_path), read_only=True) as con:
        assert con.execute("select run_id, build_mode from load_run order by run_id").fetchall() == [
            ("r1", "rebuild"), ("r2", "patch")]
        physical = [r[0] for r in con.execute("select project_key from budget_line").fetchall()]
    assert physical != sorted(physical)  # the patch did append A19's rows after the others
    monkeypatch.setattr(wb, "_reuse_mode", lambda *a: None)
    rebuilt_path = _build(tmp_path, "rebuilt.duckdb", **kwargs)
    from_patch = export_parquet(patched_path, tmp_path / "parquet-patched")
    from_rebuild = export_parquet(rebuilt_path, tmp_path / "parquet-rebuilt")
    for name in TABLES:
        if name != "load_run":
            assert pq.read_table(from_patch[name]).to_pylist() == pq.read_table(from_rebuild[name]).to_pylist(), name


def test_tables_unchanged_since_the_previous_file(tmp_path, patched):
    from warehouse.build import RUN_TABLES, tables_unchanged_since

    first = _first(tmp_path, ALL_KEYS)
    same = _build(tmp_path, "same.duckdb", ALL_KEYS, previous=first, keep=(A19, A20, E20), staged={U20: sheets()[U20]},
                  run_id="r2", hour=2)
    assert set(tables_unchanged_since(same, first, [U20])) == set(TABLES) - set(RUN_TABLES)  # re-loaded as it was

    edited = sheets()[U20]
    edited["budget_line"] = [dict(r, amount_million_yen=r["amount_million_yen"] + 1) for r in edited["budget_line"]]
    changed = _build(tmp_path, "changed.duckdb", ALL_KEYS, previous=first, keep=(A19, A20, E20),
                     staged={U20: edited}, run_id="r2", hour=2)
    assert set(tables_unchanged_since(changed, first, [U20])) == set(TABLES) - set(RUN_TABLES) - {"budget_line"}

    removed = _build(tmp_path, "removed.duckdb", (A19, U20, E20), previous=first, keep=(A19, U20, E20), run_id="r2", hour=2)
    unchanged = set(tables_unchanged_since(removed, first, []))
    assert {"project", "budget_line", "lineage", "project_link"}.isdisjoint(unchanged)  # A20's rows and link left
    assert "expense" in unchanged  # A20 printed no expense rows

    # a new sheet can re-identify sheets it does not touch: their project_id counts as a change
    relinked = tmp_path / "relinked.duckdb"
    shutil.copyfile(first, relinked)
    with duckdb.connect(str(relinked)) as con:
        con.execute("update project set project_id = project_key where project_key = ?", [A20])
        assert con.execute("select count(*) from project where project_key = ? and project_id <> ?",
                           [A20, A20]).fetchall() == [(0,)]
    with duckdb.connect(str(first), read_only=True) as con:
        assert con.execute("select project_id from project where project_key = ?", [A20]).fetchall() != [(A20,)]
    assert "project" not in tables_unchanged_since(relinked, first, [U20])
