"""The bundled sample corpus (data/samples): it is what the renderer writes, and
`make run`'s build of it follows each project across its review years."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from benchmarks.render import iter_records
from benchmarks.samples import RECORDS_DIR, REFERENCE, bundled_differences, histories
from flows.settings import SAMPLE_DIR
from tests.conftest import SEED, build_completed

pytestmark = pytest.mark.skipif(not RECORDS_DIR.is_dir(), reason=f"records not found at {RECORDS_DIR}")


def test_bundled_samples_are_the_rendered_records():
    assert bundled_differences() == [], "run `python -m benchmarks.samples` and review the diff"


def _file_of(record: dict) -> str:
    year, ministry, number = int(record["公開年度"]), record["府省庁"], str(record["事業番号"])
    return SEED.name if (ministry, number, year) == REFERENCE else f"{year}/{ministry}_{number}.txt"


@pytest.mark.e2e
def test_the_sample_build_keeps_each_project_history_together(prefect_server, tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    summary = build_completed(prefect_server["url"], [SAMPLE_DIR], warehouse)
    # 60 text sheets, and the RS System CSV sample split into 52 project records
    assert summary.files_loaded == len(list(SAMPLE_DIR.rglob("*.txt"))) + 52 == 112

    with duckdb.connect(str(warehouse), read_only=True) as con:
        rows = con.execute(
            "select source_path, project_id, project_number is null and not exists "
            "(select 1 from lineage l where l.project_key = p.project_key) from project p "
            "where source_format = 'sheet_text'").fetchall()
        findings = con.execute("select count(*) from dq_issue").fetchone()[0]
    assert summary.rows["dq_issue"] == findings > 0  # the cross-sheet restatements included
    project_id = {Path(path).relative_to(SAMPLE_DIR).as_posix(): pid for path, pid, _ in rows}
    # A sheet printing neither its own number nor a past one is linked only when a later
    # sheet's lineage names it (evidence lineage_name: the 2015 sheet of 戦略的広報経費(国際));
    # otherwise it stands alone (CONTRACT.md Identity).
    shared = {pid for pid in project_id.values() if list(project_id.values()).count(pid) > 1}
    unlinkable = {Path(path).relative_to(SAMPLE_DIR).as_posix() for path, pid, alone in rows if alone and pid not in shared}
    assert len(unlinkable) <= 2, unlinkable
    assert project_id["2015/内閣府_0009.txt"] == project_id["2016/内閣府_0008.txt"]

    ids_of_history = []
    for history in histories(list(iter_records(RECORDS_DIR))):
        files = [_file_of(record) for record in history]
        linked = {project_id[f] for f in files if f not in unlinkable}
        assert len(linked) <= 1, f"{history[0]['事業名']}: split into {len(linked)} projects"
        ids_of_history.append(linked)
    every_id = [pid for ids in ids_of_history for pid in ids] + [project_id[f] for f in unlinkable]
    assert len(every_id) == len(set(every_id)), "two projects share a project_id"
    assert len(set(project_id.values())) == len(every_id)
