"""関連する過去のレビューシートの事業番号 (lineage): pairs of a review year and the numbers
the project had in it, which link the sheets of one project across review years.  A cell's
entries (`0139、0140`, `総務省 ( 0037 )`) are read by `project_numbers.number_entries`."""

from __future__ import annotations

import re
from functools import lru_cache

from transforms.normalize import is_project_number, nfkc
from transforms.read import Cell, Row
from transforms.sections.budget import era_context
from transforms.sections.context import SheetContext
from transforms.sections.lineage_wraps import is_cut, join_wrapped_rows
from transforms.sections.project_numbers import number_entries
from transforms.years import kanji_era_years, parse_fiscal_year, spelled_year_cell


def parse_lineage(rows: list[Row], ctx: SheetContext) -> list[dict]:
    """Pairs of (平成22年度, 0032-2) cells; a value may name a ministry: 総務省 ( 0037 ), or
    the ministry may sit in a cell of its own before the number.  A value without a
    digit (`-`, `該当なし`, `新規`) names no past sheet.  Pairs may start on the
    heading's own row; a row's last value may continue on the row below.  A cell may print a
    year and its value together (`平成29年度 0243`, `H29:0243`), or a cell of years beside a
    cell of their numbers (`平成29年度、平成30年度` | `0243、0239`).  A number the table
    prints beside no year is reported (`lineage_unpaired`), not loaded.  A year printed as
    a range without its end (`平成29年度～`) is read by `_close_open_ranges`; a number
    wrapped at a dash over two lines (`新29-` / `0243`) is read whole (`lineage_wraps`), one
    whose end is not found reported."""
    rows = join_wrapped_rows(rows)
    out: list[dict] = []
    open_from: dict[int, str] = {}  # id of an entry -> its year printed as a range without its end
    seen: set[tuple] = set()
    unpaired: list[str] = []  # numbers printed beside no year
    cut: list[str] = []  # numbers ending at a dash, their rest not found
    review_year = era_context(ctx.review_year)
    grid_rows = _lineage_grid(rows, review_year, ctx)
    skip = {n + k for n, (_, depth) in grid_rows.items() for k in range(1, depth + 1)}
    for n, row in enumerate(rows):
        if n in grid_rows:  # years on this row, their numbers on the next (one or two), column by column
            pairs, depth = grid_rows[n]
            if pairs:  # (an ambiguous grid is reported already)
                used = {id(number) for _, number in pairs}
                unpaired += [c.text for below in rows[n + 1:n + 1 + depth] for _, c in below.filled()
                             if id(c) not in used and number_entries(c.text)]
        elif n in skip:
            continue
        else:
            pairs = None
        cells = _split_pairs([c for _, c in row.filled()][1 if n == 0 else 0:] if pairs is None
                             else [c for pair in pairs for c in pair], ctx)
        k = 0
        while k < len(cells):
            year = _lineage_year(cells[k].text, review_year)
            if year is None:  # a number here is no year's (years are two columns away, on another row …)
                if number_entries(cells[k].text):
                    unpaired.append(cells[k].text)
                k += 1
                continue
            if k + 1 == len(cells):  # a year without its number
                break
            value, step = cells[k + 1].text, 2
            if _lineage_year(value, review_year) is not None:  # an empty number cell: the next pair starts here
                k += 1
                continue
            entries = number_entries(value)
            if not entries and k + 2 == len(cells) and pairs is None and n + 1 < len(rows):
                entries = _wrapped_entries(value, rows[n + 1], review_year)  # 国土交通省 | ( 0241 ) below
                if entries:
                    skip.add(n + 1)
            if not entries and not is_project_number(value) and k + 2 < len(cells) \
                    and is_project_number(cells[k + 2].text) and _lineage_year(cells[k + 2].text, review_year) is None:
                entries = [(nfkc(value), number) for _, number in number_entries(cells[k + 2].text)]  # 文部科学省 | 0012
                step = 3
            for ministry, one in entries:  # 内閣官房(12)、復興庁(12): two sheets numbered 12
                if is_cut(one):
                    cut.append(one)
                elif (year, ministry, one) not in seen:
                    seen.add((year, ministry, one))
                    out.append({"past_review_year": year, "past_ministry": ministry, "past_project_number": one})
                    if _OPEN_END.search(cells[k].text):
                        open_from[id(out[-1])] = cells[k].text
            k += step
    if unpaired:
        ctx.warn("lineage_unpaired", f"{ctx.source_path}: lineage numbers {', '.join(unpaired)} stand beside "
                 f"no year of the table; not loaded", "lineage")
    if cut:
        ctx.warn("ambiguous_lineage", f"{ctx.source_path}: lineage numbers {', '.join(cut)} end at a dash (a number "
                 "wrapped over two lines, its second line not found); not loaded", "lineage")
    return _plausible_years(_close_open_ranges(out, open_from, ctx) if open_from else out, ctx)


# a year cell printing a range without its end: `平成29年度～`, `平成29年度 ~`, `平成29年度以降`
_OPEN_END = re.compile(r"\s*(?:[~～〜\-―ー‐−–—]|以降)$")


def _close_open_ranges(entries: list[dict], open_from: dict[int, str], ctx: SheetContext) -> list[dict]:
    """`entries` with each of `open_from` (id -> its year printed as a range without its
    end: `平成29年度～ 0243`) repeated for every year up to the next year the table prints.  The
    form does not say where the range of the last year ends (the sheet's own year is no
    past sheet, its number may differ): the start year alone is loaded and the rest of the
    range reported, unless it starts at the last past year (the one before the sheet's)."""
    years = sorted({entry["past_review_year"] for entry in entries})
    out: list[dict] = []
    for entry in entries:
        out.append(entry)
        if (printed := open_from.get(id(entry))) is None:
            continue
        start = entry["past_review_year"]
        later = next((year for year in years if year > start), None)
        if later is not None:
            out += [dict(entry, past_review_year=year) for year in range(start + 1, later)]
        elif ctx.review_year is None or start < ctx.review_year - 1:
            ctx.warn("ambiguous_lineage", f"{ctx.source_path}: lineage year '{printed}' of {entry['past_project_number']}"
                     f" is a range without its end year, the last of the table: loaded for {start} only, the years "
                     "after it not loaded", "lineage", observed=f"{printed} {entry['past_project_number']}")
    return out


FIRST_REVIEW_YEAR = 2009  # the first review sheets are of 2010 (平成22年度): one year of margin


def _plausible_years(entries: list[dict], ctx: SheetContext) -> list[dict]:
    """The entries naming a review year the reviews can have printed (from
    `FIRST_REVIEW_YEAR` to this sheet's own); others are reported, not loaded: a year
    cell the export split over two rows (`平成2` / `5年度`) reads as 1990."""
    last = ctx.review_year
    kept = [e for e in entries if FIRST_REVIEW_YEAR <= e["past_review_year"] and (last is None or e["past_review_year"] <= last)]
    if len(kept) < len(entries):
        odd = ", ".join(f"{e['past_review_year']} {e['past_project_number']}" for e in entries if e not in kept)
        ctx.warn("ambiguous_lineage", f"{ctx.source_path}: lineage entries {odd} name a review year no past sheet "
                 f"can have (before {FIRST_REVIEW_YEAR} or after this sheet's); not loaded", "lineage")
    return kept


def _wrapped_entries(value: str, below: Row, review_year: int | None) -> list[tuple]:
    """The entries of the last value of a row continued on the row below (a two-line cell
    split over rows: `国土交通省` then `( 0241 )`): the row below holds that one short cell,
    without a year, and the two lines together name a past sheet of a named ministry (a
    note row under a `-` names none)."""
    filled = below.filled()
    if len(filled) != 1 or len(filled[0][1].text) > 24 or _lineage_year(filled[0][1].text, review_year) is not None:
        return []
    entries = number_entries(f"{value} {filled[0][1].text}")
    return entries if all(ministry for ministry, _ in entries) else []


def _lineage_grid(rows: list[Row], review_year: int | None,
                  ctx: SheetContext) -> dict[int, tuple[list[tuple[Cell, Cell]], int]]:
    """{row index: ([(year cell, number cell), …], how many rows of numbers)} for a row of
    years only whose numbers stand on the next row in the same columns (the table printed
    as a grid, or down one column: a year, its number below it, the next year …), or all
    one column right or left of them (merged cells).  The numbers may spread over two rows
    (a number printed one row lower, a cell of two numbers wrapped): a second row of
    numbers only, each under a year's column, is read with the first.  Numbers that stand
    beside two years (either shift fits) are reported and read for neither."""
    found: dict[int, tuple[list[tuple[Cell, Cell]], int]] = {}
    for n, row in enumerate(rows[:-1]):
        filled = row.filled()[1 if n == 0 else 0:]
        if not filled or not all(_years_in_cell(c.text) or (
                _lineage_year(c.text, review_year) is not None and not _year_and_value(c.text)
                and not _pairs_in_cell(c.text)) for _, c in filled):
            continue
        below = rows[n + 1]
        if any(_lineage_year(c.text, review_year) is not None for _, c in below.filled()):
            continue
        shifts, depth = _grid_shifts(filled, [below]), 1
        if n + 2 < len(rows) and _numbers_only(rows[n + 2], review_year):  # a second row of numbers
            both = [shift for shift in _grid_shifts(filled, [below, rows[n + 2]]) if shift in shifts or not shifts]
            if len(both) == 1:
                shifts, depth = both, 2
        if len(shifts) == 1:
            found[n] = [(year, number_row[i + shifts[0]]) for i, year in filled
                        for number_row in rows[n + 1:n + 1 + depth] if number_row[i + shifts[0]].text], depth
        elif shifts:
            found[n] = [], 1
            ctx.warn("ambiguous_lineage", f"{ctx.source_path}: lineage numbers "
                     f"{', '.join(c.text for _, c in below.filled())} (line {below.number}) stand between the "
                     f"years above them; not loaded", "lineage")
    return found


def _numbers_only(row: Row, review_year: int | None) -> bool:
    """Whether every cell of a (non-empty) row prints lineage numbers and no year."""
    filled = row.filled()
    return bool(filled) and all(_lineage_year(c.text, review_year) is None and number_entries(c.text)
                                for _, c in filled)


def _grid_shifts(years: list[tuple[int, Cell]], below: list[Row]) -> list[int]:
    """How the rows `below` a row of `years` print their numbers: under the years' columns
    ([0]: at least half of the years have one; cells of the first row elsewhere are left
    over, those of a second row must all stand under a year), else one column right or
    left of them ([1], [-1], or both: ambiguous), or not at all ([])."""
    columns = {i for i, _ in years}
    if sum(1 for number_row in below for i in columns if number_row[i].text) * 2 >= len(years) \
            and all(i in columns for number_row in below[1:] for i, _ in number_row.filled()):
        return [0]
    return [shift for shift in (1, -1) if _numbers_shifted(years, below, shift)]


def _numbers_shifted(years: list[tuple[int, Cell]], below: list[Row], shift: int) -> bool:
    """Whether every filled cell of the rows `below` stands `shift` columns from a year
    column of `years`, for at least half of the years (a grid printed with merged year cells)."""
    columns = {i + shift for i, _ in years}
    filled = [i for number_row in below for i, _ in number_row.filled()]
    return len(filled) * 2 >= len(years) and all(i in columns for i in filled)


# a year and its value in one cell: `平成29年度 0243`, `H29:0243`, `平成29年度0243` (the value:
# no second year, some digit, not the end of an open range `平成29年度～ 0243`); the year part is
# checked by `_lineage_year`
_YEAR_AND_VALUE = re.compile(
    r"(?P<year>.{2,16}?)(?:\s*:\s*|\s+|(?<=年度)|(?<=年度[~～〜]))(?![~～〜]|以降)(?P<value>[^年:]*\d[^年]*)")


def _split_pairs(cells: list[Cell], ctx: SheetContext) -> list[Cell]:
    """`cells` with each cell printing a year and its value together split in two, and a
    cell printing several pairs (or a value, then the next pairs) split into each of them.
    A cell of several years followed by a cell of as many numbers gives the n-th year the
    n-th number (a dash among them: that year has none); a range of years followed by one
    number gives it each year.  When the counts differ, which number is whose cannot be
    told: reported."""
    out: list[Cell] = []
    k = 0
    while k < len(cells):
        cell = cells[k]
        years = _years_in_cell(cell.text)
        after = cells[k + 1].text if years and k + 1 < len(cells) else ""
        if after and not (_lineage_year(after) or _pairs_in_cell(after) or _year_and_value(after)) \
                and any(slots := _number_slots(after)):
            if len(slots) == 1 and _year_range(cell.text):  # 平成29年度～平成30年度 | 0243: 0243 each year
                slots *= len(years)
            if len(slots) == len(years):
                out += [Cell(piece, piece) for year, entry in zip(years, slots) if entry
                        for piece in (year, entry[1] if entry[0] is None else f"{entry[0]} ( {entry[1]} )")]
            else:
                ctx.warn("ambiguous_lineage", f"{ctx.source_path}: lineage years {cell.text} beside numbers "
                         f"{after} (not one number for each year); not loaded", "lineage")
            k += 2
            continue
        pair = None if years else _year_and_value(cell.text)
        if pair and (span := _year_range(pair[0])):  # `平成29年度～平成30年度 0243`
            pieces = tuple(piece for year in span for piece in (year, pair[1]))
        else:
            pieces = years or _pairs_in_cell(cell.text) or pair
        out += [Cell(piece, piece) for piece in pieces] if pieces else [cell]
        k += 1
    return out


# a dash standing for one year's number in a list of them (`-、0243、0239`): that year had none
_NO_NUMBER = re.compile(r"(?:^|(?<=[、,・/\s]))[-―ー‐−–—](?=$|[、,・/\s])")


def _number_slots(text: str) -> list[tuple[str | None, str] | None]:
    """The entries of a cell of numbers (`number_entries`), with None where a dash stands
    for a year's missing number.

    >>> _number_slots("-、0243、0239"), _number_slots("0243 ― 0239"), _number_slots("0032-2")
    ([None, (None, '0243'), (None, '0239')], [(None, '0243'), None, (None, '0239')], [(None, '0032-2')])
    """
    slots: list[tuple[str | None, str] | None] = []
    start = 0
    for dash in _NO_NUMBER.finditer(text):
        slots += number_entries(text[start:dash.start()])
        slots.append(None)
        start = dash.end()
    return slots + number_entries(text[start:]) if slots else number_entries(text)


# a range of years: `平成29年度～平成30年度`, `平成29年度-30年度`, `H29～H30`, `平成30年度～令和元年度`
_ERA_YEAR = r"(?:(?P<{0}>平成|令和|H|R)\s*)?(?:\d{{1,2}}|元)\s*(?:年度?)?|(?:19|20)\d{{2}}\s*年度?"
_YEAR_RANGE = re.compile(rf"(?P<first>{_ERA_YEAR.format('era')})\s*[~～〜\-―ー‐−–—]\s*(?P<last>{_ERA_YEAR.format('era2')})")


@lru_cache(maxsize=1024)
def _year_range(text: str) -> tuple[str, ...] | None:
    """Each year of a cell printing a range of years (the era of the last one may be left
    out), else None.

    >>> _year_range("平成29年度～平成30年度"), _year_range("平成29～30年度"), _year_range("平成30年度-令和元年度")
    (('2017年度', '2018年度'), ('2017年度', '2018年度'), ('2018年度', '2019年度'))
    >>> _year_range("H29-0243"), _year_range("平成29年度～")
    (None, None)
    """
    found = _YEAR_RANGE.fullmatch(text)
    if found is None or not found["era"] and found["era2"]:
        return None
    first = _lineage_year(found["first"])
    last = _lineage_year(found["last"] if found["era2"] or not found["era"] else found["era"] + found["last"])
    if first is None or last is None or not 0 < last - first <= 10:
        return None
    return tuple(f"{year}年度" for year in range(first, last + 1))


# several years of one era, the era printed once: `平成29、30年度`, `平成29年度・30年度`
_SHARED_ERA = re.compile(r"(?P<era>平成|令和|H|R)\s*(?P<years>(?:\d{1,2}|元)(?:年度?)?(?:\s*[、,・/]\s*(?:\d{1,2}|元)(?:年度?)?)+)")


@lru_cache(maxsize=4096)
def _years_in_cell(text: str) -> tuple[str, ...] | None:
    """The years of a cell printing several years and nothing else (`平成29年度、平成30年度`,
    `H29 H30`, `平成29、30年度`, a range `平成29年度～平成30年度`: `_year_range`), else None.

    >>> _years_in_cell("平成29年度、平成30年度"), _years_in_cell("H29 H30"), _years_in_cell("H29:0243 H30:0239")
    (('平成29年度', '平成30年度'), ('H29', 'H30'), None)
    >>> _years_in_cell("平成29、30年度"), _years_in_cell("平成29年度、30")
    (('平成29年度', '平成30年度'), None)
    """
    if span := _year_range(text):
        return span
    pieces = _pairs_in_cell(text)
    if pieces is None and text.endswith(("年", "年度")) and (shared := _SHARED_ERA.fullmatch(text)):
        pieces = tuple(f"{shared['era']}{year}年度" for year in re.findall(r"\d+|元", shared["years"]))
    return pieces if pieces and all(_lineage_year(piece) is not None for piece in pieces) else None


# where a year of a pair starts inside a cell: an era name or letter before its number, or
# a Western year before 年 (`2023-府-22-0014` is a number)
_YEAR_START = re.compile(r"平成|令和|(?<![A-Za-z])[HR](?=\s*(?:\d|元))|(?<!\d)(?:19|20)\d{2}(?=\s*年)")
_PAIR_SEPARATORS = " 、,;/"


@lru_cache(maxsize=4096)
def _pairs_in_cell(text: str) -> tuple[str, ...] | None:
    """The years and values, in order, of a cell printing several pairs (`平成29年度 0243
    平成30年度 0239`, also separated by a line break or `、`), or the rest of a pair and the
    next ones (`0243 平成30年度 0239`, after a year cell); None for any other cell.  A year
    in brackets is the second reading of the one before it (`平成31年度(令和元年度)`).

    >>> _pairs_in_cell("H29:0243 H30:0239"), _pairs_in_cell("0243、平成30年度 0239")
    (('H29', '0243', 'H30', '0239'), ('0243', '平成30年度', '0239'))
    >>> _pairs_in_cell("平成29年度 0243"), _pairs_in_cell("平成31年度(令和元年度) 0241"), _pairs_in_cell("0243")
    (None, None, None)
    """
    starts = [m.start() for m in _YEAR_START.finditer(text)
              if text.count("(", 0, m.start()) == text.count(")", 0, m.start())]  # (not in brackets)
    if not starts or starts == [0]:
        return None
    ends = starts[1:] + [len(text)]
    lead = text[:starts[0]].strip(_PAIR_SEPARATORS)
    if lead and (not any(ch.isdigit() for ch in lead) or _lineage_year(lead) is not None):
        return None  # a note, not the value of a year printed before this cell
    pieces = [lead] if lead else []
    for start, end in zip(starts, ends):
        part = text[start:end].strip(_PAIR_SEPARATORS)
        pair = _year_and_value(part)
        if pair is None and _lineage_year(part) is None:
            return None
        pieces += pair or [part]  # (a year without its value: `平成30年度 -`)
    return tuple(pieces)


@lru_cache(maxsize=4096)
def _year_and_value(text: str) -> tuple[str, str] | None:
    """(year, value) of a cell printing a lineage year and its number together.

    >>> _year_and_value("平成29年度 0243"), _year_and_value("H29:0243"), _year_and_value("平成31年度 総務省 ( 0037 )")
    (('平成29年度', '0243'), ('H29', '0243'), ('平成31年度', '総務省 ( 0037 )'))
    >>> _year_and_value("平成29年度"), _year_and_value("0062 0063"), _year_and_value("平成31年度(令和元年度)")
    (None, None, None)
    >>> _year_and_value("平成29年度～ 0243"), _year_and_value("平成29年度～0243")
    (('平成29年度～', '0243'), ('平成29年度～', '0243'))
    """
    if len(text) >= 40 or not (" " in text or ":" in text or "年度" in text):  # `0243`: one thing
        return None
    found = _YEAR_AND_VALUE.fullmatch(text)
    if found is None or _lineage_year(found.group("year")) is None:
        return None
    return found.group("year"), found.group("value")


@lru_cache(maxsize=4096)
def _lineage_year(text: str, review_year: int | None = None) -> int | None:
    """The review year of a lineage year cell (`平成22年度`, `H29`, `平成29`, `平成二十九年度`,
    `平成31年度(令和元年度)`);
    memoised: every cell is asked up to three times, and year cells repeat across sheets.

    >>> _lineage_year("平成29"), _lineage_year("H29"), _lineage_year("平成二十九年度"), _lineage_year("0243")
    (2017, 2017, 2017, None)
    """
    if len(text) >= 24:
        return None
    text = spelled_year_cell(kanji_era_years(text))
    return parse_fiscal_year(text, review_year) if "年" in text else None
