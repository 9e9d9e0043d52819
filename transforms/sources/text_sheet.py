"""Source adapter for text exports of review sheets (TAB-separated, one row per line)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from transforms.discover import read_bytes
from transforms.model import DEFAULT_MAX_BYTES, DEFAULT_MAX_LINE, Issue, ParsedSheet, ParseError, SourceInfo
from transforms.read import decode, to_grid
from transforms.sheet import parse_grid

FORMAT = "sheet_text"


def parse_bytes(data: bytes, path: str, sha256: str | None = None, *, max_line: int = DEFAULT_MAX_LINE) -> ParsedSheet:
    """Parse the bytes of one text sheet.  Raises ParseError with a one-line reason."""
    if not data.strip():
        raise ParseError("empty file")
    text, encoding = decode(data)
    if not text.strip():
        raise ParseError(f"empty file (only a byte-order mark or white space, {encoding})")
    if len(text) > max_line:  # (no line is longer than the whole text: a real sheet is not split here)
        longest = max((len(line) for line in text.splitlines()), default=0)
        if longest > max_line:
            raise ParseError(f"a line of {longest:,} characters exceeds the limit of {max_line:,}: not a sheet export")
    source = SourceInfo(path, sha256 or hashlib.sha256(data).hexdigest(), len(data), FORMAT, encoding)
    sheet = parse_grid(to_grid(text), source)
    replaced = text.count("\ufffd") if encoding.startswith("utf-8") else 0
    if replaced:  # less the U+FFFD characters the file itself holds
        replaced -= data.count("\ufffd".encode())
    if replaced > 0:
        sheet.issues.append(Issue("undecodable_bytes", "warning", f"{path}: {replaced} invalid byte sequence(s) "
                                  f"of the {encoding} text were read as U+FFFD (a cell in another encoding, or "
                                  f"the file ends inside a character)", "project"))
    return sheet


def parse_file(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES, max_line: int = DEFAULT_MAX_LINE,
               sha256: str | None = None) -> ParsedSheet:
    """Read and parse one file (a path or an fsspec URL), refusing files over `max_bytes`
    before reading them.  `sha256`: the content hash discovery already computed (else
    the bytes are hashed here)."""
    location = str(path)
    try:
        data = read_bytes(location, max_bytes)
    except ValueError as exc:
        raise ParseError(str(exc)) from None
    return parse_bytes(data, location, sha256, max_line=max_line)
