"""関連事業: the projects a sheet names as related, under the 点検 question on them.

The forms from 2014 print a small table there (所管府省名 | 事業番号 | 事業名; the
role-sharing text "to the right of each project").  Exports show it two ways, often
both: as one cell holding the HTML table (read into lines `a | b | c` by
`transforms.read`), and as plain rows under a plain header row.  Both are read; a
project listed by both is one row.  A column right of 事業名 (the role sharing) is the
row's `relation`.

A plain row two readings fit (a merged cell: `総務省 | 消防団事業 | | | 役割分担`) is read
by its HTML twin when the export printed one, else reported (`ambiguous_related`) and
not loaded.  A row with neither 所管府省名 nor 事業番号 right below a project is the rest
of its cells split over rows (the form prints each project's 所管府省名), unless the
HTML table lists its name as a project of its own.
"""

from __future__ import annotations

from operator import attrgetter

from transforms.labels import lookup
from transforms.normalize import NOT_A_NUMBER, is_project_number, nfkc
from transforms.read import Row
from transforms.sections.context import SheetContext
from transforms.sections.merged_cells import is_text, realigned
from transforms.sections.text import text_value

_COLUMNS = {"所管府省名": "related_ministry", "所管府省": "related_ministry", "府省名": "related_ministry",
            "府省庁名": "related_ministry", "事業番号": "related_project_number", "事業名": "related_project_name"}
_FIELDS = ("related_ministry", "related_project_number", "related_project_name")
_TEXT = attrgetter("text")
# what each column's cell can hold (`merged_cells.realigned`): a ministry has no digit, a 事業番号 has one
_KINDS = {"related_ministry": lambda cell: not any(map(str.isdigit, cell.text)),
          "related_project_number": lambda cell: is_project_number(cell.text) or cell.text in NOT_A_NUMBER,
          "related_project_name": is_text, "relation": is_text}


def parse_related_projects(rows: list[Row], ctx: SheetContext) -> list[dict]:
    """`related_project` rows (without project_key) of the 点検 section's rows."""
    found: list[dict] = []
    header: dict[int, str] | None = None  # column -> field of the last plain header row
    plain: list[tuple[int, dict]] = []  # (line, entry) of the plain rows: added last, whole (`_continues`)
    untold: list[Row] = []  # plain rows two readings fit
    for row in rows:
        cells = row.cells
        if "事業名" not in "\t".join(map(_TEXT, cells)):  # (most rows: one C-level scan)
            if header is not None:
                if _ends_table(row):
                    header = None
                elif plain and plain[-1][0] == row.number - 1 and _continues(plain[-1][1], row, header, found):
                    plain[-1] = (row.number, plain[-1][1])
                elif (placed := _placed(row, header)) is None:
                    untold.append(row)
                elif (entry := _plain_entry(row, placed)) is not None:
                    plain.append((row.number, entry))
            continue
        for cell in cells:
            if "|" in cell.raw and "事業名" in cell.text:
                for entry in _table_entries(cell.raw):
                    _add(found, entry)
        header = plain_header(row) or header
    html = list(found)  # (the HTML table's projects: the plain rows are added last)
    for _, entry in plain:
        _add(found, entry)
    for row in untold:
        if (twin := _html_twin(row, html)) is not None:
            _add(found, twin)
        else:
            texts = " | ".join(cell.text for _, cell in row.filled())
            ctx.warn("ambiguous_related", f"{ctx.source_path}: 関連事業 line {row.number} '{texts[:60]}': a merged "
                     "cell of the export or a blank cell explains it two ways that read its 事業番号 and 事業名 "
                     "differently; not loaded", "related_project", observed=texts[:80])
    for number, entry in enumerate(found, start=1):
        entry["related_no"] = number
    return found


def plain_header(row: Row) -> dict[int, str] | None:
    """{column: field} of a row printing the table's header as plain cells, else None.
    (`parse_assessment` also uses it: the rows below are projects, not lines of a question.)"""
    columns = {index: _COLUMNS[cell.text] for index, cell in row.filled() if cell.text in _COLUMNS}
    if "related_project_name" not in columns.values() or len(columns) < 2:
        return None
    return columns


def _placed(row: Row, header: dict[int, str]) -> dict[str, int] | None:
    """{field: column} of a row under the plain header, where its cells stand (a cell
    merged over the empty 事業番号 column, exported without its empty part, puts the name
    under 事業番号: `総務省 | 消防団事業`, `merged_cells.realigned`); None when two
    readings fit it and read it differently."""
    columns = {field: index for index, field in header.items()}
    columns["relation"] = max(header) + 1  # (the role sharing's first cell: only to weigh the readings)
    return realigned(row, columns, _KINDS)


def _plain_entry(row: Row, placed: dict[str, int]) -> dict | None:
    """The project of a row under the plain header, its fields read where `_placed` puts
    them, the cells right of 事業名 its relation."""
    entry = {field: text_value(row[index].raw) for field, index in placed.items() if field != "relation"}
    last = max(index for field, index in placed.items() if field != "relation")
    beside = [cell.raw for index, cell in row.filled() if index > last]
    entry["relation"] = text_value("\n".join(beside)) if beside else None
    return _entry(entry)


def _continues(entry: dict, row: Row, header: dict[int, str], html: list[dict]) -> bool:
    """Whether `row`, right below the plain row of `entry`, prints the rest of its name or
    relation (a cell the export split over two rows): nothing under 所管府省名 and 事業番号
    nor left of them, text under 事業名 or right of it, and not the name of a project of
    the HTML table (`html`, the entries read so far); joined to `entry` as lines."""
    name_at = next(index for index, field in header.items() if field == "related_project_name")
    filled = row.filled()
    if not entry["related_ministry"] or not filled or filled[0][0] < name_at:
        return False
    if row[name_at].text and any(_same_name(row[name_at].raw, other) for other in html):
        return False  # a project of its own, whose 所管府省名 and 事業番号 the HTML table gives
    for field, lines in (("related_project_name", [c.raw for i, c in filled if i == name_at]),
                         ("relation", [c.raw for i, c in filled if i > name_at])):
        if value := text_value("\n".join(lines)):
            entry[field] = f"{entry[field]}\n{value}" if entry[field] else value
    return True


def _ends_table(row: Row) -> bool:
    """A row that is no longer the table's: a 点検 category, question or result label."""
    first = row.first()
    return first is not None and lookup("assessment", first[1].text) is not None


def _table_entries(raw: str) -> list[dict]:
    """The projects of an HTML table cell (`所管府省名 | 事業番号 | 事業名` and a line per row)."""
    lines = raw.split("\n")
    names = [nfkc(part.strip()) for part in lines[0].split("|")]
    fields = [_COLUMNS.get(name) for name in names]
    if "related_project_name" not in fields:
        return []
    entries = []
    for line in lines[1:]:
        parts = [part.strip() for part in line.split("|")]
        entry: dict = {field: None for field in _FIELDS}
        extra = []
        for field, part in zip(fields, parts):
            if field is not None:
                entry[field] = text_value(part)
            elif part:
                extra.append(part)
        extra += [part for part in parts[len(fields):] if part]
        entry["relation"] = text_value("\n".join(extra)) if extra else None
        entries.append(_entry(entry))
    return [e for e in entries if e is not None]


def _entry(entry: dict) -> dict | None:
    """The entry with every field present, or None when it names nothing (or is the header again)."""
    for field in _FIELDS:
        entry.setdefault(field, None)
    values = [entry[field] for field in _FIELDS]
    if not any(values) or all(value in _COLUMNS or value is None for value in values):
        return None
    return entry


def _same_name(raw: str, entry: dict) -> bool:
    """Whether a printed cell is `entry`'s name (line breaks aside)."""
    name = entry["related_project_name"]
    return bool(name) and (text_value(raw) or "").replace("\n", "") == name.replace("\n", "")


def _html_twin(row: Row, html: list[dict]) -> dict | None:
    """The project of the HTML table a plain row two readings fit prints (its name and its
    other fields among the row's cells), with the row's other cells as its relation."""
    texts = [text_value(cell.raw) for _, cell in row.filled()]
    for entry in html:
        named = [entry[field] for field in _FIELDS if entry[field]]
        if entry["related_project_name"] and all(value in texts for value in named):
            rest = [text for text in texts if text not in named]
            return {**entry, "relation": text_value("\n".join(rest)) if rest else entry["relation"]}
    return None


def _add(found: list[dict], entry: dict | None) -> None:
    """Add `entry` unless the same project is listed already (the HTML and the plain rows;
    a name the plain rows split over lines is the same, and so is a plain row printing
    only the name of a project listed in full)."""
    if entry is None:
        return
    key = _key(entry)
    alone = not entry["related_ministry"] and not entry["related_project_number"] and entry["related_project_name"]
    for earlier in found:
        if _key(earlier) == key or alone and _key(earlier)[2] == key[2]:
            if earlier["relation"] is None:
                earlier["relation"] = entry["relation"]
            return
    found.append(entry)


def _key(entry: dict) -> tuple:
    """The fields naming a project, without line breaks."""
    return tuple(value.replace("\n", "") if value else value for value in (entry[field] for field in _FIELDS))
