"""Printed variants of the indicator blocks found by a second audit of empty cells (a
cell merged over two columns, printed uncollapsed) inserted at each position of each
indicator line of the form fixtures: each case is a small edit of a fixture that must
parse to the fixture's own rows."""

from __future__ import annotations

import pytest

from tests.transforms.variants import mutate, parse_sheet, sheet_text


def _rows(text: str) -> list[dict]:
    return [{k: v for k, v in row.items() if k not in ("project_key", "raw_text")}
            for row in parse_sheet(text).tables["indicator"]]


def _with_gap(line: str, before: int) -> str:
    """`line` with an empty cell inserted before its cell `before`."""
    cells = line.split("\t")
    return "\t".join(cells[:before] + [""] + cells[before:])


TARGETS_HEADER_2019 = "<b>中間目標</b>\t<b>目標最終年度</b>"
TARGET_YEARS_2019 = "\t- 年度\t32 年度"
TARGETS_HEADER_2020 = TARGETS_HEADER_2019
TARGET_YEARS_2020 = "\t- 年度\t3 年度"


@pytest.mark.parametrize("family, line, before", [
    ("2018-19", TARGETS_HEADER_2019, 1), ("2018-19", TARGET_YEARS_2019, 2),
    ("2020", TARGETS_HEADER_2020, 1), ("2020", TARGET_YEARS_2020, 2),
], ids=["2019-header", "2019-years", "2020-header", "2020-years"])
def test_empty_cell_before_the_final_target(family, line, before):
    """`中間目標 | | 目標最終年度` over `- 年度 | 32 年度` (or the reverse): the row of target
    years gives each target column its year (the final target had none)."""
    text = sheet_text(family)
    variant = mutate(text, line, _with_gap(line, before))
    assert _rows(variant) == _rows(text)
