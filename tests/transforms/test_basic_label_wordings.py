"""Wordings of the basic-information labels other forms print: `主要施策`, `関連する計画、
通知等`, `主要経費区分`, `担当課・室名`, and labels with an item number (`１．事業名`,
`(2)担当部局庁`).  Before, each was an unknown label and its field NULL; a numbered 事業名
quarantined the whole sheet ("no project name")."""

from __future__ import annotations

import pytest

from tests.conftest import SEED
from transforms.sources.text_sheet import parse_bytes

STAMPS = ("source_sha256",)


def project(text: str):
    sheet = parse_bytes(text.encode("utf-8"), "variant.txt")
    return {k: v for k, v in sheet.project.items() if k not in STAMPS}, [i.check_name for i in sheet.issues]


@pytest.mark.parametrize("printed, wording", [
    ("<b>主要政策・施策</b>", "<b>主要施策</b>"),
    ("<b>関係する計画、通知等</b>", "<b>関連する計画、通知等</b>"),
    ("<b>主要経費</b>", "<b>主要経費区分</b>"),
    ("<b>担当課室</b>", "<b>担当課・室名</b>"),
    ("<b>事業名</b>", "<b>１．事業名</b>"),
])
def test_a_label_wording_reads_as_the_field(printed, wording):
    text = SEED.read_text(encoding="utf-8")
    assert printed in text
    assert project(text.replace(printed, wording)) == project(text)


def test_every_basic_label_numbered():
    text = SEED.read_text(encoding="utf-8")
    numbered = text
    for n, label in enumerate(["事業名", "担当部局庁", "作成責任者", "事業開始年度", "事業終了(予定)年度",
                               "担当課室", "会計区分"], 1):
        mark = ["1.", "(2)", "3)", "４．", "5、", "(6)", "７）"][n - 1]
        assert f"<b>{label}</b>" in numbered
        numbered = numbered.replace(f"<b>{label}</b>", f"<b>{mark}{label}</b>")
    assert project(numbered) == project(text)
