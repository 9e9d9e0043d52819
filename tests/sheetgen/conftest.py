"""Fixtures for the sheet renderer's own tests (benchmarks/render.py)."""

from __future__ import annotations

import json
from itertools import islice
from pathlib import Path

import pytest

from benchmarks.render import DEFAULT_NDJSON, iter_records

SEED_RECORD = DEFAULT_NDJSON.parent / "judgit" / "2020" / "総務省" / "0037.json"
SEED_SHEET = Path(__file__).resolve().parents[2] / "data" / "samples" / "000_93cbbc1f3e48d561.txt"


def _require(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"shared data not available: {path}")
    return path


@pytest.fixture(scope="session")
def seed_record() -> dict:
    """The judgit record of the seed sheet's project (総務省 0037, review year 2020)."""
    return json.loads(_require(SEED_RECORD).read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seed_lines() -> list[str]:
    return _require(SEED_SHEET).read_text(encoding="utf-8").split("\n")


@pytest.fixture(scope="session")
def records() -> list[dict]:
    """The first 120 records of review year 2020 (enough variety, fast to read)."""
    return list(islice(iter_records(_require(DEFAULT_NDJSON)), 120))
