"""Noise found in real exports, applied to a rendered sheet.

Content noise works on the model or the rows (facts stay true to the print); byte
noise works on the finished text. Cell-level kinds (`fullwidth_digits`,
`dash_variants`) are applied by `grid.Context.num` while cells are printed.
"""

from __future__ import annotations

import random
import re

from .grid import Row, Section
from .model import SheetModel

NOISE_KINDS = (
    "bom", "crlf", "cp932", "utf16", "fullwidth_digits", "trailing_spaces", "blank_lines",
    "missing_bold", "shifted_row", "split_name", "reordered_sections", "no_request_column",
    "dash_variants",
)
ENCODING_KINDS = ("bom", "cp932", "utf16")  # at most one per sheet
CELL_KINDS = ("fullwidth_digits", "dash_variants")  # applied while cells are printed
TEXT_KINDS = ("bom", "crlf", "cp932", "utf16", "trailing_spaces")  # applied to the finished text
BOLD = re.compile(r"^<b>(.*)</b>$", re.S)
SPLIT_AFTER = ("、", "・", "の", ")")


def check_noise(noise: frozenset[str]) -> None:
    """Unknown kinds and two encodings at once are errors."""
    unknown = set(noise) - set(NOISE_KINDS)
    if unknown:
        raise ValueError(f"unknown noise kinds: {sorted(unknown)}; known: {NOISE_KINDS}")
    encodings = [k for k in ENCODING_KINDS if k in noise]
    if len(encodings) > 1:
        raise ValueError(f"at most one of {ENCODING_KINDS} per sheet, got {encodings}")


def split_one_name(model: SheetModel, rng: random.Random) -> bool:
    """Split one single-line indicator name over two rows (the fact name gets a newline)."""
    candidates = [i for i in model.outcomes + model.activities if i.name and "\n" not in i.name and len(i.name) >= 6]
    if not candidates:
        return False
    indicator = rng.choice(candidates)
    indicator.name = split_text(indicator.name)
    return True


def split_text(text: str) -> str:
    """Break a name near its middle, after a natural boundary when there is one.

    >>> split_text("住基ネット担当者説明会の開催")
    '住基ネット担当者説明会の\\n開催'
    """
    middle = len(text) // 2
    positions = [i + 1 for i, c in enumerate(text[:-1]) if c in SPLIT_AFTER and i + 1 >= 2]
    cut = min(positions, key=lambda p: abs(p - middle)) if positions else middle
    return text[:cut].rstrip() + "\n" + text[cut:].lstrip()


def apply_section_noise(sections: list[Section], noise: frozenset[str], rng: random.Random) -> tuple[list[Section], set[str]]:
    """Row-level noise; returns the sections and the kinds that changed something."""
    applied = set()
    if "reordered_sections" in noise and reorder(sections, rng):
        applied.add("reordered_sections")
    if "missing_bold" in noise and drop_bold(sections, rng):
        applied.add("missing_bold")
    if "shifted_row" in noise and shift_row(sections, rng):
        applied.add("shifted_row")
    if "blank_lines" in noise:
        sections = add_blank_lines(sections, rng)
        applied.add("blank_lines")
    return sections, applied


def reorder(sections: list[Section], rng: random.Random) -> bool:
    """Shuffle the movable sections (those after the activity block) among themselves."""
    slots = [i for i, s in enumerate(sections) if s.movable]
    if len(slots) < 2:
        return False
    moved = [sections[i] for i in slots]
    order = moved[:]
    while [s.key for s in order] == [s.key for s in moved]:
        rng.shuffle(order)
    for i, section in zip(slots, order):
        sections[i] = section
    return True


def drop_bold(sections: list[Section], rng: random.Random) -> bool:
    """Unwrap `<b>` from about half of the label cells (at least one)."""
    bold_cells = [(row, i) for s in sections for row in s.rows for i, c in enumerate(row.cells) if BOLD.match(c)]
    if not bold_cells:
        return False
    chosen = [bc for bc in bold_cells if rng.random() < 0.5] or [rng.choice(bold_cells)]
    for row, i in chosen:
        row.cells[i] = BOLD.match(row.cells[i]).group(1)
    return True


def shift_row(sections: list[Section], rng: random.Random) -> bool:
    """Drop the leading empty cell of one data row, like the seed's 達成度 row."""
    rows = [row for s in sections for row in s.rows if row.shiftable and row.cells and row.cells[0] == ""]
    if not rows:
        return False
    row = rng.choice(rows)
    del row.cells[0]
    return True


def add_blank_lines(sections: list[Section], rng: random.Random) -> list[Section]:
    """One or two blank lines between some sections (at least one boundary)."""
    boundaries = [i for i in range(1, len(sections)) if rng.random() < 0.4] or [rng.randrange(1, len(sections))]
    result = []
    for i, section in enumerate(sections):
        if i in boundaries:
            result.append(Section("blank", [Row([""]) for _ in range(rng.choice((1, 2)))]))
        result.append(section)
    return result


def add_trailing_spaces(lines: list[str], rng: random.Random) -> list[str]:
    """Spaces after the last cell of about a third of the non-empty lines."""
    candidates = [i for i, line in enumerate(lines) if line.strip()]
    chosen = {i for i in candidates if rng.random() < 0.3} or {rng.choice(candidates)}
    return [line + " " * rng.randint(1, 3) if i in chosen else line for i, line in enumerate(lines)]


def encode(text: str, noise: frozenset[str]) -> tuple[bytes, str]:
    """Bytes of the sheet and the encoding used: utf-8 (default), utf-8-sig, cp932, utf-16."""
    if "crlf" in noise:
        text = text.replace("\n", "\r\n")
    encoding = "utf-16" if "utf16" in noise else "cp932" if "cp932" in noise else (
        "utf-8-sig" if "bom" in noise else "utf-8")
    return text.encode(encoding), encoding
