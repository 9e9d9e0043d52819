"""Fixtures for the warehouse tests; the data lives in `wh_fixtures`."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from tests.warehouse.wh_fixtures import full_build, sheets


@pytest.fixture(scope="session")
def warehouse_path(tmp_path_factory) -> Path:
    """A warehouse built once from the four sheets (read-only use only)."""
    return full_build(tmp_path_factory.mktemp("wh"))


@pytest.fixture
def sheet_rows():
    return copy.deepcopy(sheets())
