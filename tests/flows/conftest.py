"""Fixtures shared by the flow tests that compare a build with a plain local one."""

from __future__ import annotations

import pytest

from tests.conftest import build_completed, seed_variants

SHEETS = 6  # copies of the seed as different projects


@pytest.fixture(scope="module")
def sheets(tmp_path_factory):
    return seed_variants(tmp_path_factory.mktemp("sheets"), SHEETS)


@pytest.fixture(scope="module")
def local_build(sheets, tmp_path_factory, prefect_server):
    """The warehouse of `sheets` built from their folder by the local parser (one process)."""
    warehouse = tmp_path_factory.mktemp("local") / "warehouse.duckdb"
    build_completed(prefect_server["url"], [sheets], warehouse, workers=1)
    return warehouse
