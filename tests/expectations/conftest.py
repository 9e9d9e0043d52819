"""Fixtures of the expectation tests; the staged datasets are built by `staged_sheets`."""

from __future__ import annotations

import os

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


def pytest_configure(config):
    config.addinivalue_line("markers", "gx: runs Great Expectations (a few seconds per validation)")
