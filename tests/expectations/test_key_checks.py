"""The two key checks of every staged table: `key_unique` (an error: different rows share
a key) and `duplicate_row` (a warning: a row repeated verbatim), also when a key part is
NULL (NULLs match each other, as in GROUP BY)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from expectations.runner import validate_staged
from tests.expectations.staged_sheets import seed_sheet, write_staging

pytestmark = pytest.mark.gx


@pytest.fixture(scope="module")
def validation(tmp_path_factory):
    staging = tmp_path_factory.mktemp("staging")
    exact = seed_sheet("exact_repeat")
    exact["budget_line"].append(dict(exact["budget_line"][0]))
    final = seed_sheet("null_key_part")  # the final target's row: fiscal_year NULL in the key
    (target,) = [r for r in final["indicator"] if r["period"] == "final_target"]
    final["indicator"].append(dict(target, value=D(5), raw_text="5"))
    null_repeat = seed_sheet("null_key_repeat")
    (target,) = [r for r in null_repeat["indicator"] if r["period"] == "final_target"]
    null_repeat["indicator"].append(dict(target))
    write_staging(staging, [seed_sheet("clean"), exact, final, null_repeat])
    return validate_staged(staging, "run-keys")


def _checks(validation, key: str) -> set[tuple[str, str, str]]:
    return {(i["table_name"], i["check_name"], i["severity"]) for i in validation.issues
            if i["project_key"] == key and i["check_name"] in ("key_unique", "duplicate_row")}


def test_a_row_repeated_verbatim_is_a_warning(validation):
    assert _checks(validation, "exact_repeat") == {("budget_line", "duplicate_row", "warning")}
    assert "exact_repeat" not in validation.quarantined


def test_different_rows_sharing_a_key_with_a_null_part_are_an_error(validation):
    assert _checks(validation, "null_key_part") == {("indicator", "key_unique", "error")}
    assert "null_key_part" in validation.quarantined


def test_a_repeat_with_a_null_key_part_is_a_warning(validation):
    assert _checks(validation, "null_key_repeat") == {("indicator", "duplicate_row", "warning")}


def test_unique_keys_raise_neither(validation):
    assert _checks(validation, "clean") == set()
