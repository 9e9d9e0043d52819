"""Printed variants of the title and the basic-information block (事業名 … 実施方法) that
real sheets of 2010-2023 plausibly contain: each must give the stated project columns.

Found by probing transforms.sections.header with mutations of the form fixtures; every
case here failed before its fix (a value missing, cut short or read as another year).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from transforms.sources.text_sheet import parse_bytes

FORMS = Path(__file__).resolve().parents[1] / "fixtures" / "forms"


def sheet_text(family: str) -> str:
    return (FORMS / family / "sheet.txt").read_text(encoding="utf-8")


def project(text: str) -> dict:
    return parse_bytes(text.encode("utf-8"), "variant.txt").project


def mutate(text: str, old: str, new: str) -> str:
    assert old in text, f"{old!r} is not in the fixture"
    return text.replace(old, new)


@pytest.mark.parametrize("old, new, column", [
    ("<b>担当部局庁</b>", "<b>担当部局庁名</b>", "bureau"),
    ("<b>担当部局庁</b>", "<b>担当部局・庁</b>", "bureau"),
    ("<b>担当課室</b>", "<b>担当課・室</b>", "division"),
    ("<b>作成責任者</b>", "<b>作成責任者名</b>", "responsible_official"),
    ("<b>根拠法令(具体的な条項も記載)</b>", "<b>根拠法令等</b>", "legal_basis"),
    ("<b>関係する計画、通知等</b>", "<b>関係する計画、通知</b>", "related_plans"),
    ("<b>関係する計画、通知等</b>", "<b>関係する計画通知等</b>", "related_plans"),
    ("<b>主要政策・施策</b>", "<b>主要政策</b>", "main_policy"),
    ("<b>事業の目的(目指す姿を簡潔に。3行程度以内)</b>", "<b>事業目的</b>", "purpose"),
    ("<b>事業概要(5行程度以内。別添可)</b>", "<b>事業の概要</b>", "overview"),
    ("<b>実施方法</b>", "<b>事業の実施方法</b>", "implementation_method"),
])
def test_a_basic_information_label_worded_otherwise(old, new, column):
    text = sheet_text("2020")
    variant = parse_bytes(mutate(text, old, new).encode("utf-8"), "variant.txt")
    assert variant.project[column] == project(text)[column]
    assert not [i for i in variant.issues if i.check_name == "unknown_label"]
