"""An incremental run re-checks restatements only for the projects its sheets touch and
carries the other findings: the stored findings equal those of a check of everything."""

from __future__ import annotations

import duckdb
import pytest
from tests.warehouse.wh_fixtures import A19, A20, E20, U20, load_run_row, sheets, source_file_rows, stage

from expectations.rules import WAREHOUSE_RULES
from expectations.runner import validate_warehouse
from warehouse.build import build_warehouse
from warehouse.issues import cross_sheet_scope, replace_dq_issues

CHECKS = {rule.check_name for rule in WAREHOUSE_RULES}


def _build(tmp_path, name, staged, *, previous=None, keep=(), run_id="r1"):
    staging = stage(tmp_path / f"staging-{name}", staged) if staged else None
    target = tmp_path / name
    keys = sorted(set(keep) | set(staged or {}))
    build_warehouse(target, staging_dir=staging, previous_path=previous, keep_project_keys=keep,
                    source_files=source_file_rows(keys, run_id), dq_issues=[],
                    load_run=load_run_row(run_id, int(run_id[1:])))
    return target


def _sheets() -> dict:
    """The fixture sheets, with A20 restating A19's FY2018 執行額 beyond rounding (2 -> 5)."""
    rows = sheets()
    rows[A20]["budget_line"] = [_executed(r, 5) if (r["fiscal_year"], r["line"]) == (2018, "executed") else r
                                for r in rows[A20]["budget_line"]]
    return rows


def _executed(row: dict, amount) -> dict:
    return dict(row, amount_million_yen=row["amount_million_yen"].__class__(str(amount)), raw_text=str(amount))


def _findings(path) -> set[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return set(con.execute("select project_key, fiscal_year, check_name, observed, expected, message "
                               "from dq_issue where check_name = 'restatement'").fetchall())


def _check_all(path, run_id) -> int:
    return replace_dq_issues(path, validate_warehouse(path, run_id), CHECKS, run_id)


def _check_scoped(path, previous, run_id, loaded) -> tuple[set[str] | None, int]:
    scope = cross_sheet_scope(path, previous, loaded)
    issues = validate_warehouse(path, run_id, scope)
    return scope, replace_dq_issues(path, issues, CHECKS, run_id, scope=scope, previous_path=previous)


@pytest.fixture
def first(tmp_path):
    path = _build(tmp_path, "first.duckdb", _sheets())
    assert _check_all(path, "r1") == 1  # A20 restates A19's FY2018 執行額
    assert {f[0] for f in _findings(path)} == {A20}
    return path


def _copy_of(tmp_path, path, name):
    target = tmp_path / name
    target.write_bytes(path.read_bytes())
    return target


def test_an_unrelated_sheet_checks_only_itself_and_carries_the_rest(tmp_path, first):
    edited = _sheets()[U20]
    edited["budget_line"] = [dict(r, amount_million_yen=r["amount_million_yen"] + 1) for r in edited["budget_line"]]
    new = _build(tmp_path, "new.duckdb", {U20: edited}, previous=first, keep=(A19, A20, E20), run_id="r2")
    reference = _copy_of(tmp_path, new, "reference.duckdb")
    scope, warnings = _check_scoped(new, first, "r2", [U20])
    assert scope == {U20}
    assert warnings == 1  # A20's restatement, carried
    _check_all(reference, "r2")
    assert _findings(new) == _findings(reference) == _findings(first)
    with duckdb.connect(str(new), read_only=True) as con:  # carried rows keep the run that found them
        assert con.execute("select run_id from dq_issue where check_name = 'restatement'").fetchall() == [("r1",)]


def test_a_sheet_of_a_project_rechecks_the_whole_project(tmp_path, first):
    fixed = _sheets()[A20]
    fixed["budget_line"] = [_executed(r, 2) if (r["fiscal_year"], r["line"]) == (2018, "executed") else r
                            for r in fixed["budget_line"]]
    new = _build(tmp_path, "new.duckdb", {A20: fixed}, previous=first, keep=(A19, U20, E20), run_id="r2")
    reference = _copy_of(tmp_path, new, "reference.duckdb")
    scope, warnings = _check_scoped(new, first, "r2", [A20])
    assert scope == {A19, A20}
    assert warnings == 0
    _check_all(reference, "r2")
    assert _findings(new) == _findings(reference) == set()


def test_a_removed_sheet_rechecks_its_former_project(tmp_path, first):
    new = _build(tmp_path, "new.duckdb", None, previous=first, keep=(A20, U20, E20), run_id="r2")
    reference = _copy_of(tmp_path, new, "reference.duckdb")
    scope, _ = _check_scoped(new, first, "r2", [])
    assert scope == {A20}  # A19 is gone: A20 has nothing left to restate
    _check_all(reference, "r2")
    assert _findings(new) == _findings(reference) == set()


def test_a_new_sheet_joining_a_project_checks_the_project(tmp_path):
    rows = _sheets()
    first = _build(tmp_path, "first.duckdb", {k: rows[k] for k in (A19, U20, E20)})
    assert _check_all(first, "r1") == 0
    new = _build(tmp_path, "new.duckdb", {A20: rows[A20]}, previous=first, keep=(A19, U20, E20), run_id="r2")
    reference = _copy_of(tmp_path, new, "reference.duckdb")
    scope, warnings = _check_scoped(new, first, "r2", [A20])
    assert scope == {A19, A20} and warnings == 1
    _check_all(reference, "r2")
    assert _findings(new) == _findings(reference) and {f[0] for f in _findings(new)} == {A20}
