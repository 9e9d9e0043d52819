"""Helpers of the printed-variant tests: a form fixture's text, an edit of it that must
find its target, and the parse of the edited text."""

from __future__ import annotations

from pathlib import Path

from transforms.model import ParsedSheet
from transforms.sources.text_sheet import parse_bytes

FORMS = Path(__file__).resolve().parents[1] / "fixtures" / "forms"


def sheet_text(family: str) -> str:
    return (FORMS / family / "sheet.txt").read_text(encoding="utf-8")


def mutate(text: str, old: str, new: str) -> str:
    """`text` with every `old` replaced; fails when `old` is not there (no silent no-op)."""
    assert old in text, f"{old!r} is not in the fixture"
    return text.replace(old, new)


def parse_sheet(text: str) -> ParsedSheet:
    return parse_bytes(text.encode("utf-8"), "variant.txt")


def with_gap(line: str, before: int) -> str:
    """`line` with an empty cell inserted before its cell `before` (a merged cell printed
    as the cell and an empty one)."""
    cells = line.split("\t")
    return "\t".join(cells[:before] + [""] + cells[before:])


def indicator_rows(text: str) -> list[dict]:
    """The indicator rows of a sheet's parse, without the columns that record the print."""
    return [{k: v for k, v in row.items() if k not in ("project_key", "raw_text")}
            for row in parse_sheet(text).tables["indicator"]]
