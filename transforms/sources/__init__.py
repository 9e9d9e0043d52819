"""Source adapters: one module per input format, each turning a file into a `ParsedSheet`.

`parse_file` picks the adapter by the file's first bytes: a project record split out of
an RS System CSV bundle (`rs_bundle` splits a bundle, `rs_csv` maps a record), else a
text export of a sheet (`text_sheet`).
"""

from __future__ import annotations

from pathlib import Path

from transforms.discover import read_bytes
from transforms.model import DEFAULT_MAX_BYTES, DEFAULT_MAX_LINE, ParsedSheet, ParseError
from transforms.sources import rs_bundle, rs_csv, text_sheet


def parse_file(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES, max_line: int = DEFAULT_MAX_LINE,
               sha256: str | None = None) -> ParsedSheet:
    """Read and parse one file (a path or an fsspec URL) with the adapter its bytes call for,
    refusing files over `max_bytes` before reading them.  Raises ParseError."""
    location = str(path)
    try:
        data = read_bytes(location, max_bytes)
    except ValueError as exc:
        raise ParseError(str(exc)) from None
    if rs_bundle.is_record(data):
        return rs_csv.parse_bytes(data, location, sha256)
    return text_sheet.parse_bytes(data, location, sha256, max_line=max_line)
