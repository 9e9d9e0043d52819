"""Bytes -> text -> Grid: the one place that knows about encodings and markup.

A `Grid` is the sheet as rows of plain-text cells.  Markup of the text export is
removed here, once: ``<b>`` label tags, markdown ``**bold**`` headings, ``<br>``
line breaks inside a cell and whole HTML ``<table>`` cells.  Section parsers only
ever see `Cell.raw` (as printed, tags stripped) and `Cell.text` (NFKC, trimmed).
"""

from __future__ import annotations

import codecs
import csv
import io
import html
import re
from dataclasses import dataclass, field

from transforms.model import ParseError
from transforms.normalize import label_key, nfkc

# Only real HTML tags are markup: text such as `<参考>` or `28.5万円<36万円>` is content.
_TAG = re.compile(
    r"</?(?:b|i|u|br|p|div|span|font|strong|em|table|thead|tbody|tfoot|tr|th|td|caption|col|colgroup|sup|sub|a"
    r"|[a-z]+:[a-z]+)"  # and Office's namespaced tags (`<o:p></o:p>`)
    r"(?:\s[^<>]{0,200})?\s*/?>",
    re.IGNORECASE,
)
# format characters that print nothing (Unicode category Cf, as found in text copied from web
# pages and word processors): they would split a label into a word no table knows.  (None of
# them is printable: only a field that fails `str.isprintable`, a cheaper scan, is searched.)
_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]")
# line breaks inside a cell: <br>, paragraph and division boundaries
_BR = re.compile(r"<br\s*/?>|</p>\s*<p(?:\s[^<>]*)?>|</div>\s*<div(?:\s[^<>]*)?>", re.IGNORECASE)
# the same written as a spreadsheet escapes it (`_x000D_`, Excel's CR) or as a vertical tab
_OTHER_BREAK = re.compile(r"_x000D_\n?|\x0b")
_BOLD_MD = re.compile(r"\*\*")


def decode(data: bytes) -> tuple[str, str]:
    """Decode a sheet file, returning (text, encoding name).

    BOMs decide first (UTF-8, UTF-16); then UTF-16 without a BOM (TABs and line ends
    of one byte order); then UTF-8, where a few invalid bytes become U+FFFD
    (`replaced_bytes` tells the caller), also after a UTF-8 BOM; then cp932 (Shift_JIS
    as written by older tooling).  Raises ParseError when nothing fits.

    >>> decode("事業名".encode("cp932"))
    ('事業名', 'cp932')
    >>> decode(codecs.BOM_UTF8 + "a".encode())
    ('a', 'utf-8-sig')
    >>> text, codec = decode(("事業名" * 20).encode() + "課".encode("cp932"))  # a character pasted from cp932
    >>> codec, text[-3:]
    ('utf-8', '名\ufffd\ufffd')
    >>> decode("事業名\\t総務省\\n".encode("utf-16-be"))
    ('事業名\\t総務省\\n', 'utf-16-be')
    """
    if data.startswith(codecs.BOM_UTF8):
        return _utf8(data[3:], "utf-8-sig", fallback=False)
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):  # (before UTF-16: FF FE starts both)
        return _strict(data, "utf-32", "utf-32")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", "utf-16")
    if b"\x00" in data[:4096]:
        codec = _utf16_byte_order(data[:4096])
        if codec is None:
            raise ParseError("binary file (contains NUL bytes), not a text export of a review sheet")
        return _strict(data, codec, codec)
    return _utf8(data, "utf-8", fallback=True)


def _utf16_byte_order(sample: bytes) -> str | None:
    """The UTF-16 byte order whose reading of `sample` has TABs and line ends (a sheet
    has one per cell) and no NUL character; None when neither has (a binary file)."""
    best, best_count = None, 0
    for codec in ("utf-16-le", "utf-16-be"):
        text = sample[: len(sample) // 2 * 2].decode(codec, errors="replace")
        count = text.count("\t") + text.count("\n")
        if "\x00" not in text and count > best_count:
            best, best_count = codec, count
    return best


def _utf8(data: bytes, name: str, fallback: bool) -> tuple[str, str]:
    try:
        return data.decode("utf-8"), name
    except UnicodeDecodeError:
        pass
    # UTF-8 with a few stray bytes (a cell pasted from cp932, a file cut inside a character);
    # a cp932 file read as UTF-8 gives a U+FFFD for nearly every Japanese character
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    if bad <= max(32, len(text) // 100) and bad * 10 < len(text):
        return text, name
    if not fallback:
        raise ParseError(f"undecodable: the file claims {name} (it starts with a UTF-8 BOM) but {bad} byte "
                         "sequences are invalid") from None
    try:
        return data.decode("cp932"), "cp932"
    except UnicodeDecodeError:
        raise ParseError("undecodable: neither UTF-8, UTF-16 nor cp932 (Shift_JIS)") from None


def _strict(data: bytes, codec: str, name: str) -> tuple[str, str]:
    try:
        return data.decode(codec), name
    except UnicodeDecodeError as exc:
        raise ParseError(f"undecodable: the file claims {name} but byte {exc.start} is invalid") from None


@dataclass(slots=True)
class Cell:
    raw: str  # as printed, tags stripped, outer white space trimmed
    text: str  # NFKC, white space collapsed
    bold: bool = False

    @property
    def key(self) -> str:
        """The cell as a label key (see `normalize.label_key`)."""
        return label_key(self.text)

    def __bool__(self) -> bool:
        return bool(self.text)


EMPTY = Cell("", "")


@dataclass(slots=True)
class Row:
    """One line of the sheet.  Rows are read-only once built: `filled()` is cached."""

    number: int  # 1-based line number in the file
    cells: list[Cell]
    _filled: list[tuple[int, Cell]] | None = field(default=None, init=False, repr=False, compare=False)

    def __getitem__(self, index: int) -> Cell:
        cells = self.cells
        return cells[index] if 0 <= index < len(cells) else EMPTY

    def __len__(self) -> int:
        return len(self.cells)

    def _filled_cells(self) -> list[tuple[int, Cell]]:
        filled = self._filled
        if filled is None:
            filled = self._filled = [(i, c) for i, c in enumerate(self.cells) if c.text]
        return filled

    def filled(self) -> list[tuple[int, Cell]]:
        """(index, cell) of the non-empty cells (a new list; callers may change it)."""
        return self._filled_cells().copy()

    def filled_count(self) -> int:
        return len(self._filled_cells())

    def first(self) -> tuple[int, Cell] | None:
        if self._filled is not None:
            return self._filled[0] if self._filled else None
        for i, c in enumerate(self.cells):
            if c.text:
                return i, c
        return None

    def find(self, predicate, start: int = 0) -> int | None:
        """Index of the first cell at or after `start` whose text satisfies `predicate`."""
        for i in range(start, len(self.cells)):
            if self.cells[i].text and predicate(self.cells[i].text):
                return i
        return None


Grid = list[Row]


def clean_cell(raw_cell: str) -> Cell:
    """Strip markup from one TAB-separated field.

    >>> clean_cell("<b>事業名</b>")
    Cell(raw='事業名', text='事業名', bold=True)
    >>> clean_cell("**資金の流れ**  ").text
    '資金の流れ'
    >>> clean_cell("一行目<br>二行目").raw
    '一行目\\n二行目'
    >>> [clean_cell(t).raw for t in ["一&lt;br&gt;二", "一_x000D_\\n二", "一\\x0b二", "<p>一</p><p>二</p>"]]
    ['一\\n二', '一\\n二', '一\\n二', '一\\n二']
    """
    if not raw_cell or raw_cell.isspace():
        return EMPTY
    bold = "<b>" in raw_cell or raw_cell.lstrip().startswith("**")
    text = raw_cell
    inner = raw_cell[3:-4] if raw_cell.startswith("<b>") and raw_cell.endswith("</b>") else None
    if inner is not None and "<" not in inner and ">" not in inner and "&" not in inner and "*" not in inner:
        text = inner  # the common label cell `<b>...</b>`: what the general path below gives
    elif "<" in text:
        if "<table" in text.lower():
            text = _table_text(text)
        text = _BR.sub("\n", text)
        text = _TAG.sub("", text)
    if "&" in text:
        text = html.unescape(text)  # `&amp;`, `&nbsp;` (white space, trimmed below), `&#9;`
        if "<" in text:  # `&lt;br&gt;`: a line break written as text
            text = _BR.sub("\n", text)
    if "_x000D_" in text or "\x0b" in text:
        text = _OTHER_BREAK.sub("\n", text)
    if not text.isprintable() and _INVISIBLE.search(text):
        text = _INVISIBLE.sub("", text)  # zero-width spaces, soft hyphens, BOMs, direction marks of copied text
    if "**" in text:
        text = _BOLD_MD.sub("", text)
    raw = text.strip()
    if "\n" in raw:
        raw = "\n".join(line.strip() for line in raw.split("\n"))
    if raw.isascii():
        norm = " ".join(raw.split())
    else:
        norm = nfkc(raw)
    return Cell(raw, norm, bold)


def _table_text(markup: str) -> str:
    """An HTML table cell as one line per row with a text, its cells joined by ' | ';
    an empty cell keeps its place (the columns line up with the header's).

    >>> _table_text("<table><tr><th>府省</th><th>番号</th></tr><tr><td></td><td></td></tr>"
    ...             "<tr><td></td><td>0012</td></tr></table>")
    '府省 | 番号\\n | 0012'
    """
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", markup, flags=re.IGNORECASE | re.DOTALL):
        cells = [html.unescape(_TAG.sub("", c)).strip().replace("|", "｜")
                 for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.IGNORECASE | re.DOTALL)]
        if any(cells):
            rows.append(" | ".join(cells))
    return "\n".join(rows)


class _CellCache(dict):
    """Field text -> `Cell`; a field not seen before is parsed by `_make_cell`.  (A dict's
    own lookup, `map`ped over a line's fields, costs no Python call on a hit.)"""

    def __missing__(self, field: str) -> Cell:
        return _make_cell(field)


# Cells repeat across sheets: labels, units, years, 〇/×, common numbers, and the form's
# own questions and notes (the 点検 questions, `※…実績を記入。…`: up to ~64 characters,
# in every sheet of their year).  Parsing a field is a pure function of its text, so
# each worker process keeps the `Cell` of every field up to that length it has seen
# (Cells are never changed once built).  Bounded: cleared when full.
_CELLS: dict[str, Cell] = _CellCache({"": EMPTY})
_CELL_CACHE_LIMIT = 200_000
_CACHED_FIELD_LENGTH = 64


def _make_cell(field: str) -> Cell:
    if field.isspace():
        cell = EMPTY
    elif "<" in field or "*" in field or "&" in field or "_x000D_" in field or "\x0b" in field \
            or (not field.isascii() and not field.isprintable() and _INVISIBLE.search(field)):
        cell = clean_cell(field)
    else:
        raw = field.strip()
        cell = Cell(raw, " ".join(raw.split()) if raw.isascii() else nfkc(raw))
    if len(field) <= _CACHED_FIELD_LENGTH:  # long free text rarely repeats
        if len(_CELLS) >= _CELL_CACHE_LIMIT:
            _CELLS.clear()
            _CELLS[""] = EMPTY
        _CELLS[field] = cell
    return cell


def _quoted_records(text: str) -> list[tuple[int, list[str]]] | None:
    """(line number, fields) of each row of a spreadsheet's own tab-delimited export
    (Excel's), which puts a cell holding a line break, a TAB or a `"` in quotes, with
    inner quotes doubled and the line break kept: a quoted multi-line cell stays one
    cell (its lines joined by `<br>`, read as line breaks).  None for a file that only
    happens to hold a `"` at the start of a cell without the rules' closing quote."""
    try:
        rows = []
        reader = csv.reader(io.StringIO(text), delimiter="\t", quotechar='"', strict=True)
        start = 1
        for fields in reader:
            rows.append((start, [f.replace("\n", "<br>") if "\n" in f else f for f in fields]))
            start = reader.line_num + 1
        return rows
    except csv.Error:
        return None


def to_grid(text: str) -> Grid:
    """Split text into rows of cells; rows with no text at all are dropped.

    Each TAB-separated field becomes a `Cell` (markup stripped, NFKC text); fields
    seen before come from the cache above.  This loop is the parser's hottest: on a
    cache hit a field costs one dictionary lookup.

    >>> [(r.number, [c.text for c in r.cells]) for r in to_grid("a\\t b  c \\n\\n\\t\\n<b>ｘ</b>\\t\\t\\n")]
    [(1, ['a', 'b c']), (4, ['x'])]
    >>> [(r.number, [c.raw for c in r.cells]) for r in to_grid('名\\t"一行目\\n二行目"\\t"a ""b"" c"\\n次\\t1\\n')]
    [(1, ['名', '一行目\\n二行目', 'a "b" c']), (3, ['次', '1'])]
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.startswith("\ufeff"):
        text = text[1:]
    cell_of = _CELLS.__getitem__
    grid: Grid = []
    # a cell starting with `"`: (plain substring tests, not a regex scan of the whole text)
    quoted = _quoted_records(text) if text.startswith('"') or '\t"' in text or '\n"' in text else None
    # (TABs closing a line are empty cells: not split off only to be dropped again below)
    records = quoted if quoted is not None else [(n, line.rstrip("\t").split("\t")) for n, line in enumerate(text.split("\n"), 1)
                                                 if line and not line.isspace()]
    for number, fields in records:
        cells = list(map(cell_of, fields))
        while cells and not cells[-1].text:
            cells.pop()
        if cells:
            grid.append(Row(number, cells))
    return _without_margin(grid)


def _without_margin(grid: Grid) -> Grid:
    """The grid without the empty columns left of every row (a sheet exported with an
    empty first column): a heading printed without tags is told from text by standing
    in the sheet's first column.

    >>> [[c.text for c in r.cells] for r in to_grid("\\t\\t備考\\n\\t\\t\\tx\\n")]
    [['備考'], ['', 'x']]
    """
    if not grid or any(row.cells[0].text for row in grid):
        return grid  # the usual sheet: its title or first label stands in the first column
    margin = min(row.first()[0] for row in grid)
    return [Row(row.number, row.cells[margin:]) for row in grid]
