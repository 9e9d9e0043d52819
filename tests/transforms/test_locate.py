"""`transforms.sections.locate`: the pre-filter and the section markers agree."""

from __future__ import annotations

from transforms.sections.locate import _HEADING_START, MARKERS


def test_every_marker_word_passes_the_heading_pre_filter():
    """`_HEADING_START` lets a row through to the markers only when its first cell starts
    with one of its words; a marker word it does not cover would never open its section
    (the two lists are written separately: a word added to one must be added to the other)."""
    words = [(name, word) for name, marker_words, _ in MARKERS for word in marker_words or ()]
    assert len(words) > 20
    assert [(name, word) for name, word in words if not _HEADING_START.match(word)] == []
