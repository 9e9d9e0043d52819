"""parse(render(record)) == facts over rendered sheets of every form year and noise
kind, and fuzzing: a mutated real sheet gives a ParsedSheet or a ParseError, never
anything else, and every row it gives fits the contract's types.

The sheets are rendered from real records (shared/data/judgit_2020.ndjson.gz beside
the clone, see benchmarks/render.py); the tests skip only when that file is absent.
"""

from __future__ import annotations

import itertools
from functools import lru_cache

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.render import DEFAULT_NDJSON, FORM_YEARS, NOISE_KINDS, iter_records, render_sheet
from benchmarks.roundtrip import run
from transforms.model import ParsedSheet, ParseError
from transforms.schema import to_arrow
from transforms.sources.text_sheet import parse_bytes

pytestmark = pytest.mark.skipif(
    not DEFAULT_NDJSON.exists(),
    reason=f"judgit records not found at {DEFAULT_NDJSON} (shared/ beside the repository clone)",
)
ROUND_TRIP_SHEETS = 350  # 25 per form year; every noise kind on ~55 of them


def test_round_trip_over_every_form_year_and_noise_kind():
    result = run(ROUND_TRIP_SHEETS)  # anything but ParseError propagates and fails the test
    assert result["parse_errors"] == 0
    assert set(result["noise_seen"]) == set(NOISE_KINDS)
    assert result["ratio"] >= 0.995, result["miss_classes"]


@lru_cache(maxsize=1)
def sample_sheets() -> tuple[str, ...]:
    """Two noise-free sheets per form year (texts), from different records."""
    records = list(itertools.islice(iter_records(), 2 * len(FORM_YEARS)))
    return tuple(render_sheet(r, FORM_YEARS[i % len(FORM_YEARS)], seed=i).text for i, r in enumerate(records))


def test_clean_sheets_parse_without_any_issue():
    for text in sample_sheets():
        sheet = parse_bytes(text.encode(), "clean.txt")
        assert sheet.issues == []


# ------------------------------------------------------------------ fuzzing
HUGE = ("9" * 400, "1" + "0" * 30, "▲ " + "9" * 60, "1e999999", "99999999999年度", "平成999年度", "9" * 25 + "%",
        "１" * 40, "-" * 100, "#DIV/0!", "0." + "0" * 50 + "1")
HTML = ("<table>" * 300, "<b>" * 500, "<table><tr><td>x", "</td></tr></table>", "<br>" * 60, "<", ">", "<b",
        "**", "&amp;&lt;&#x0;", "<table><tr><td>a</td><td>" + "<br>" * 30, "<td>" * 100 + "x" + "</td>" * 99)
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20)
EDIT = st.tuples(
    st.sampled_from(("swap", "shift", "drop_cell", "truncate", "huge", "html", "text", "drop_line", "copy_line",
                     "squash", "label")),
    st.integers(0, 10**6), st.integers(0, 10**6), st.sampled_from(HUGE), st.sampled_from(HTML), TEXT,
)


def edit(text: str, operation: tuple) -> str:
    """Apply one mutation to a sheet's text (positions taken modulo the sizes)."""
    kind, a, b, huge, html, junk = operation
    lines = text.split("\n")
    k = a % len(lines)
    cells = lines[k].split("\t")
    i, j = a % len(cells), b % len(cells)
    if kind == "truncate":
        return text[: b % (len(text) + 1)]
    if kind == "drop_line":
        return "\n".join(lines[:k] + lines[k + 1:])
    if kind == "copy_line":
        return "\n".join(lines[:k] + [lines[b % len(lines)]] + lines[k:])
    if kind == "swap":
        cells[i], cells[j] = cells[j], cells[i]
    elif kind == "shift":
        cells = [""] + cells if b % 2 else cells[1:]
    elif kind == "drop_cell":
        del cells[i]
    elif kind == "huge":
        cells[i] = huge
    elif kind == "html":
        cells[i] += html
    elif kind == "text":
        cells[i] = junk
    elif kind == "squash":
        cells = [c for c in cells if c]
    elif kind == "label":  # a value cell takes another row's label
        other = lines[b % len(lines)].split("\t")
        cells[i] = other[b % len(other)]
    lines[k] = "\t".join(cells)
    return "\n".join(lines)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    sheet=st.integers(0, 2 * len(FORM_YEARS) - 1),
    operations=st.lists(EDIT, min_size=1, max_size=6),
    encoding=st.sampled_from(("utf-8", "utf-8-sig", "utf-16", "cp932")),
    noise_bytes=st.lists(st.tuples(st.integers(0, 10**6), st.binary(min_size=1, max_size=8)), max_size=3),
)
def test_mutated_sheets_give_a_sheet_or_a_parse_error(sheet, operations, encoding, noise_bytes):
    text = sample_sheets()[sheet]
    for operation in operations:
        text = edit(text, operation)
    data = bytearray(text.encode(encoding, errors="replace"))
    for position, junk in noise_bytes:
        data[position % (len(data) + 1):position % (len(data) + 1)] = junk
    try:
        parsed = parse_bytes(bytes(data), "fuzz.txt")
    except ParseError:
        return
    assert isinstance(parsed, ParsedSheet)
    assert [i.message for i in parsed.issues if i.check_name == "section_failed"] == []
    for table, rows in parsed.tables.items():
        to_arrow(table, rows)  # every value fits its column: the sheet can be staged
