"""Shared test helpers: named fixture files and golden outputs.

Golden files are regenerated only with `pytest --regen-golden`; review the diff.
"""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SEED = ROOT / "data" / "samples" / "000_93cbbc1f3e48d561.txt"
SHARED_DATA = ROOT.parent / "shared" / "data"

if str(ROOT) not in sys.path:  # benchmarks/ is importable from tests
    sys.path.insert(0, str(ROOT))

from flows.settings import configure_environment  # noqa: E402

configure_environment(ROOT / "data")


def pytest_addoption(parser):
    parser.addoption("--regen-golden", action="store_true", help="rewrite golden files from the current output")


def jsonable(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    return value


@pytest.fixture
def golden(request):
    """Compare a JSON-able value with tests/fixtures/golden/<name>.json."""

    def check(name: str, value) -> None:
        path = FIXTURES / "golden" / f"{name}.json"
        text = json.dumps(jsonable(value), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        if request.config.getoption("--regen-golden"):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        assert path.exists(), f"golden file {path} missing: run pytest --regen-golden and review it"
        assert json.loads(text) == json.loads(path.read_text(encoding="utf-8")), f"output differs from {path}"

    return check


@pytest.fixture
def seed_bytes() -> bytes:
    return SEED.read_bytes()
