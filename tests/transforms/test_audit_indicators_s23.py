"""Round 23 of the audit of the indicator, 点検 and 関連事業 sections: each case is a small
edit of a form fixture that must parse to the fixture's own rows, or be reported under a
check name that says what happened."""

from __future__ import annotations

import pytest

from tests.transforms.test_audit_split_cells import TWO_SENTENCES, split_cell
from tests.transforms.variants import parse_sheet, sheet_text


def _rows(text: str, table: str) -> list[dict]:
    return [{k: v for k, v in row.items() if k not in ("project_key", "raw_text")}
            for row in parse_sheet(text).tables[table]]


def _checks(text: str, table: str) -> list[str]:
    return [issue.check_name for issue in parse_sheet(text).issues if issue.table_name == table]


# -- 1. 点検: a sentence between two questions has a check of its own -------------------------------

@pytest.mark.parametrize("family", ["2014", "2020", "2021-23"])
def test_a_sentence_that_may_end_or_begin_a_question_is_reported_as_ambiguous(family):
    """`| 政策目的の…事業か。 | ○ | …` / `| 政策体系の中で優先度の高い事業か。 | |`: the rows
    do not tell which question the sentence belongs to; reported as `ambiguous_assessment`
    (not the generic `section_unreadable`: the section was read), the same rows loaded."""
    text = sheet_text(family)
    split = split_cell(text, TWO_SENTENCES, TWO_SENTENCES[: TWO_SENTENCES.index("。") + 1])
    assert _checks(split, "assessment") == ["ambiguous_assessment"]
    before, after = _rows(text, "assessment"), _rows(split, "assessment")
    assert len(after) == len(before)
    changed = [(b["question"], a["question"]) for b, a in zip(before, after) if a != b]
    assert changed[0][0] == TWO_SENTENCES and changed[1][1].startswith("政策体系の中で優先度の高い事業か。")
