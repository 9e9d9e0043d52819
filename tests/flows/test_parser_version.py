"""Files read by other code are parsed again: an upgrade needs no --full-refresh.

Each file's `source_file.parser_version` names the code that last read it (a
fingerprint of transforms/ and expectations/, `flows.version`).  The flow runs for
real against the session's Prefect server; the fingerprint is patched to stand for an
upgraded parser.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

import expectations
import flows.build
import transforms
from flows.summary import summary_markdown
from flows.version import fingerprint, parser_version
from tests.conftest import SHEET_TABLES
from tests.flows.conftest import SHEETS

pytestmark = [pytest.mark.e2e, pytest.mark.server]


def _tables(warehouse) -> dict[str, list]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {t: con.execute(f"select * from {t} order by all").fetchall() for t in SHEET_TABLES}


def _versions(warehouse) -> set:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {row[0] for row in con.execute("select distinct parser_version from source_file").fetchall()}


def test_the_fingerprint_changes_with_the_code_and_the_label_tables_only(tmp_path):
    root = tmp_path / "transforms"
    (root / "labels").mkdir(parents=True)
    (root / "__pycache__").mkdir()
    (root / "sheet.py").write_text("A = 1\n")
    (root / "labels" / "labels.csv").write_text("section,field,label\n")
    first = fingerprint({"transforms": root})
    assert len(first) == 16 and first == fingerprint({"transforms": root})
    (root / "__pycache__" / "sheet.cpython-311.pyc").write_bytes(b"compiled")
    (root / "notes.txt").write_text("not code")
    assert fingerprint({"transforms": root}) == first
    (root / "labels" / "labels.csv").write_text("section,field,label\nbudget,total,計\n")
    relabelled = fingerprint({"transforms": root})
    assert relabelled != first
    (root / "sheet.py").write_text("A = 2\n")
    assert fingerprint({"transforms": root}) not in (first, relabelled)
    assert fingerprint({"expectations": root}) != fingerprint({"transforms": root})
    assert parser_version() == fingerprint({
        "transforms": Path(transforms.__file__).parent, "expectations": Path(expectations.__file__).parent})


def test_an_upgraded_parser_reads_every_file_again(sheets, local_build, api, tmp_path, monkeypatch):
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(local_build, warehouse)
    assert _versions(warehouse) == {parser_version()}

    unchanged = flows.build.build_warehouse([str(sheets)], str(warehouse), workers=1)
    assert (unchanged.files_unchanged, unchanged.files_loaded, unchanged.files_reparsed) == (SHEETS, 0, 0)

    monkeypatch.setattr(flows.build, "parser_version", lambda: "0123456789abcdef")
    upgraded = flows.build.build_warehouse([str(sheets)], str(warehouse), workers=1)
    assert (upgraded.files_loaded, upgraded.files_unchanged, upgraded.files_reparsed) == (SHEETS, 0, SHEETS)
    assert "parsed and checked again" in summary_markdown(upgraded)
    assert _versions(warehouse) == {"0123456789abcdef"}
    assert _tables(warehouse) == _tables(local_build)  # the same code in truth: the same rows

    again = flows.build.build_warehouse([str(sheets)], str(warehouse), workers=1)
    assert (again.files_unchanged, again.files_reparsed) == (SHEETS, 0)
