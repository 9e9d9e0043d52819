"""The lower half of a sheet: 点検 (assessment), lineage, 費目・用途, 支出先上位10者リスト."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from transforms.labels import compact, labels_of, lookup, total_kind
from transforms.normalize import (MINISTRY_ENDING, is_project_number, money_scale, nfkc, parse_amount, parse_fiscal_year, parse_int,
                                  parse_number, parse_percent, spelled_year)
from transforms.read import Cell, Row
from transforms.sections.budget import era_context
from transforms.sections.context import SheetContext
from transforms.sections.text import text_value

RATINGS = {"○": "○", "〇": "○", "◯": "○", "×": "×", "✕": "×", "X": "×", "x": "×", "△": "△", "有": "有", "有り": "有", "あり": "有",
           "無": "無", "無し": "無", "なし": "無", "-": "-", "―": "-", "ー": "-", "－": "-", "−": "-", "—": "-", "–": "-"}


_RATING_WITH_NOTE = re.compile(r"^(?P<mark>\S{1,2}?)\s*\([^()]{1,20}\)$")


def rating_of(text: str) -> str | None:
    """The rating a 点検 cell prints, also with a bracketed note after it.

    >>> rating_of("○"), rating_of("無(該当なし)"), rating_of("有 (一部)"), rating_of("(注)"), rating_of("事業の目的")
    ('○', '無', '有', None, None)
    """
    if text in RATINGS:
        return RATINGS[text]
    if text.endswith(")") and (match := _RATING_WITH_NOTE.match(text)):
        return RATINGS.get(match.group("mark"))
    return None


def parse_assessment(rows: list[Row], ctx: SheetContext) -> list[dict]:
    """点検 rows: a question cell followed by a rating cell (○ × △ 有 無 -).

    A multi-line cell the export split over rows is joined (`_continue_assessment`).
    """
    out: list[dict] = []
    category = None
    question_col = explanation_col = None
    pending: list[str] = []  # the first lines of a question whose rating is on a later row
    split = _SplitCategory()
    for row in rows[1:]:
        filled = row.filled()
        rating_at = next((k for k, (_, c) in enumerate(filled) if k > 0 and rating_of(c.text)), None)
        before = filled[: rating_at - 1] if rating_at is not None else \
            [(i, c) for i, c in filled if question_col is not None and i < question_col]
        for _, cell in filled[: rating_at if rating_at is not None else len(filled)]:
            if len(cell.text) < 20 and lookup("assessment", cell.text) == "category":
                # (`必要性` is a category of its own, and the end of `国費投入の` / `必要性`)
                if (joined := split.join_with(cell.text)) is not None:
                    for item in out[split.first_item:]:
                        item["category"] = joined
                category = joined or compact(cell.text)
                split.clear()
        taken = split.pieces_of(before)
        if (joined := split.add(taken, len(out))) is not None:
            category = joined
            for item in out[split.first_item:]:
                item["category"] = category
            split.clear()
        if rating_at is None:
            lines = [(i, c) for i, c in filled if not (len(c.text) < 20 and lookup("assessment", c.text))
                     and (i, c) not in taken]
            _continue_assessment(lines, out, pending, question_col, explanation_col)
            continue
        question = filled[rating_at - 1][1]
        if len(question.text) < 20 and lookup("assessment", question.text):
            pending = []
            continue  # a category or the table's column header, not a question
        rating_index = filled[rating_at][0]
        question_col, explanation_col = filled[rating_at - 1][0], rating_index + 1
        explanation = text_value(row[rating_index + 1].raw)
        out.append({
            "category": category, "item_no": len(out) + 1, "question": "".join(pending + [text_value(question.raw)]),
            "rating": rating_of(filled[rating_at][1].text), "explanation": explanation,
        })
        pending = []
    return out


class _SplitCategory:
    """A 点検 category label whose cell the export split over rows (国費投入の / 必要性):
    its pieces are collected from the cells left of the questions until they join into
    a known category, which then also goes to the questions printed beside the pieces."""

    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        self.pieces: list[str] = []
        self.first_item = 0

    @staticmethod
    def pieces_of(cells: list) -> list:
        """The cells (of those left of a row's question) that may be a piece: one short unknown text."""
        pieces = [(i, c) for i, c in cells if c.text and len(c.text) < 20 and not lookup("assessment", c.text)]
        return pieces if len(pieces) == 1 else []

    def join_with(self, text: str) -> str | None:
        """The category the pieces and `text` make together, if any."""
        for start in range(len(self.pieces)):
            joined = compact("".join(self.pieces[start:]) + text)
            if lookup("assessment", joined) == "category":
                return joined
        return None

    def add(self, pieces: list, items_so_far: int) -> str | None:
        """Take a row's piece (see `pieces_of`); the category once the pieces join."""
        if not pieces:
            return None
        if not self.pieces:
            self.first_item = items_so_far
        self.pieces = (self.pieces + [c.text for _, c in pieces])[-3:]
        for start in range(len(self.pieces) - 1):
            joined = compact("".join(self.pieces[start:]))
            if lookup("assessment", joined) == "category":
                return joined
        return None


def _continue_assessment(lines: list, out: list[dict], pending: list[str], question_col, explanation_col) -> None:
    """Place the cells of a 点検 row without a rating (a multi-line cell the export split):
    text in the question column finishes the question above when that one has not
    ended (no 。) and otherwise starts the next question (`pending`); text in the
    explanation column continues the explanation above."""
    if not lines:
        return
    if question_col is None:  # before the first rated row: the first line of its question
        if len(lines) == 1:
            pending.append(text_value(lines[0][1].raw))
        return
    if any(i not in (question_col, explanation_col) for i, _ in lines):
        return
    last = out[-1] if out else None
    for index, cell in lines:
        line = text_value(cell.raw)
        if not line:
            continue
        if index == question_col:
            if last is not None and not pending and not last["question"].endswith("。"):
                last["question"] += line
            else:
                pending.append(line)
        elif last is not None and not pending:
            last["explanation"] = f"{last['explanation']}\n{line}" if last["explanation"] else line


_WITH_MINISTRY = re.compile(r"^(?P<ministry>[^()\d]+?)\s*\(\s*(?P<number>[^()]+?)\s*\)$")
# `総務省 0037`, `総務省:0037`: a ministry (see `MINISTRY_ENDING`) and the number in one cell
_MINISTRY_THEN_NUMBER = re.compile(rf"^(?P<ministry>[^\s\d()]+?{MINISTRY_ENDING})\s*[:：]?\s*(?P<number>新?\d\S*)$")
# `0139、0140` (a merger), `0139及び0140`, `総務省(0037)、文部科学省(0012)`: several entries in one cell
_ENTRY_LIST = re.compile(r"[、，,・/]|及び|および")
# `0141の一部`, `0142(一部)`, `0142(新規)`, `0529(再掲)`: a note after the number
_NUMBER_NOTE = re.compile(r"\s*(?:の一部|\([^()\d]*\))$")
# one whole number among numbers separated by spaces (`0062 0063`; but `新30 0035` is one)
_WHOLE_NUMBER = re.compile(r"^(?:新\d{2}-)?\d+(?:-\d+)*$")


def lineage_entries(value: str) -> list[tuple[str | None, str]]:
    """(ministry or None, number) for each past sheet one lineage cell names.

    >>> lineage_entries("0139、0140"), lineage_entries("0141の一部"), lineage_entries("0062 0063")
    ([(None, '0139'), (None, '0140')], [(None, '0141')], [(None, '0062'), (None, '0063')])
    >>> lineage_entries("新30 0035"), lineage_entries("0032-2"), lineage_entries("新29-0035、新29-0036")
    ([(None, '新30 0035')], [(None, '0032-2')], [(None, '新29-0035'), (None, '新29-0036')])
    >>> lineage_entries("総務省(0037)、文部科学省(0012)"), lineage_entries("総務省:0037"), lineage_entries("0142(新規)")
    ([('総務省', '0037'), ('文部科学省', '0012')], [('総務省', '0037')], [(None, '0142')])
    """
    entries: list[tuple[str | None, str]] = []
    for part in _ENTRY_LIST.split(nfkc(value)):
        part = part.strip()
        match = _WITH_MINISTRY.match(part) or _MINISTRY_THEN_NUMBER.match(part)
        ministry, number = (match.group("ministry").strip(), match.group("number")) if match else (None, part)
        number = _NUMBER_NOTE.sub("", number).strip()
        if not is_project_number(number):
            continue
        pieces = number.split()
        if len(pieces) > 1 and all(_WHOLE_NUMBER.match(p) for p in pieces):
            entries += [(ministry, p) for p in pieces]
        else:
            entries.append((ministry, number))
    return entries


def parse_lineage(rows: list[Row], ctx: SheetContext) -> list[dict]:
    """Pairs of (平成22年度, 0032-2) cells; a value may name a ministry: 総務省 ( 0037 ), or
    the ministry may sit in a cell of its own before the number.  A value without a
    digit (`-`, `該当なし`, `新規`) names no past sheet.  Pairs may start on the
    heading's own row."""
    out: list[dict] = []
    seen: set[tuple] = set()
    review_year = era_context(ctx.review_year)
    grid_rows = _lineage_grid(rows, review_year)
    skip = {n + 1 for n in grid_rows}
    for n, row in enumerate(rows):
        if n in grid_rows:  # years on this row, their numbers on the next, column by column
            pairs = grid_rows[n]
        elif n in skip:
            continue
        else:
            pairs = None
        cells = [c for _, c in row.filled()][1 if n == 0 else 0:] if pairs is None else [c for pair in pairs for c in pair]
        k = 0
        while k < len(cells) - 1:
            year = _lineage_year(cells[k].text, review_year)
            if year is None:
                k += 1
                continue
            value, step = cells[k + 1].text, 2
            if _lineage_year(value, review_year) is not None:  # an empty number cell: the next pair starts here
                k += 1
                continue
            entries = lineage_entries(value)
            if not entries and not is_project_number(value) and k + 2 < len(cells) \
                    and is_project_number(cells[k + 2].text) and _lineage_year(cells[k + 2].text, review_year) is None:
                entries = [(nfkc(value), number) for _, number in lineage_entries(cells[k + 2].text)]  # 文部科学省 | 0012
                step = 3
            for ministry, one in entries:
                if (year, one) not in seen:
                    seen.add((year, one))
                    out.append({"past_review_year": year, "past_ministry": ministry, "past_project_number": one})
            k += step
    return out


def _lineage_grid(rows: list[Row], review_year: int | None) -> dict[int, list[tuple]]:
    """{row index: [(year cell, number cell), …]} for a row of years only whose numbers
    stand on the next row in the same columns (the table printed as a grid)."""
    found: dict[int, list[tuple]] = {}
    for n, row in enumerate(rows[:-1]):
        filled = row.filled()[1 if n == 0 else 0:]
        if len(filled) < 2 or any(_lineage_year(c.text, review_year) is None for _, c in filled):
            continue
        below = rows[n + 1]
        numbers = [below[i] for i, _ in filled]
        if sum(1 for c in numbers if c.text) * 2 < len(filled) or any(
                _lineage_year(c.text, review_year) is not None for _, c in below.filled()):
            continue
        found[n] = [(year, number) for (_, year), number in zip(filled, numbers) if number.text]
    return found


def _lineage_year(text: str, review_year: int | None = None) -> int | None:
    """The review year of a lineage year cell (`平成22年度`, `H29`, `平成31年度(令和元年度)`)."""
    if len(text) >= 24:
        return None
    text = spelled_year(text)
    return parse_fiscal_year(text, review_year) if "年" in text else None



# A block title cell: `A.`, `B.` … and, past Z, `a.`; `AA.` in very long lists; the
# block's recipient may follow the letter (`A.日本電気株式会社`, `Bブロック`).
# The letter may stand in brackets (`【A】`, `(A)`, `[A]`); two letters are a doubled one
# (`AA`) or end in `.`: a payee named `JV` opens no block.
_BLOCK = re.compile(r"[【(\[]?\s*(?P<letter>[A-Za-z]{1,2})\s*[】)\]]?(?P<rest>\s*\.(?:\s*\S.*)?|\s*ブロック)?", re.S)


def _block_letter(text: str) -> str | None:
    """The letter of a block title cell, or None.

    >>> _block_letter("A."), _block_letter("B.株式会社NTTデータ"), _block_letter("Cブロック"), _block_letter("NTT")
    ('A', 'B', 'C', None)
    >>> _block_letter("【A】"), _block_letter("(B)"), _block_letter("AA."), _block_letter("AA"), _block_letter("JV")
    ('A', 'B', 'AA', 'AA', None)
    """
    match = _BLOCK.fullmatch(text)
    if match is None:
        return None
    letter = match.group("letter")
    if len(letter) == 2 and letter[0] != letter[1] and not match.group("rest"):
        return None
    if text[:1] in "【([" and not text.rstrip(".").endswith(("】", ")", "]")) and not match.group("rest"):
        return None  # an opening bracket without its closing one
    return letter


def _block_starts(row: Row) -> list[tuple[int, str]]:
    """The block titles of a row that holds nothing else (a name may sit in the cell
    after its letter: `A. ⇥ 日本電気株式会社`), else []."""
    starts, after_title = [], False
    for i, cell in row.filled():
        letter = _block_letter(cell.text)
        if letter:
            starts.append((i, letter))
            after_title = len(cell.text.rstrip(".")) <= 2
        elif after_title:
            after_title = False  # the name of the block just opened
        else:
            return []
    return starts


def parse_expense(rows: list[Row], ctx: SheetContext) -> dict[str, list[dict]]:
    """費目・用途 blocks A., B., … side by side: 費目, 用途, 金額 per block; 計 -> printed_total."""
    out: dict[str, list[dict]] = {"expense": [], "printed_total": []}
    blocks: list[tuple[int, str]] = []
    columns: list[tuple[str, int, int, int]] = []  # block, 費目, 用途, 金額 positions
    counters: dict[str, int] = {}
    last: dict[str, dict] = {}  # the last expense row of each block
    awaiting: dict[str, dict] = {}  # a block's last row while its amount may follow on the next row
    titled = False  # an A. / B. row came after the last header row
    unread = 0
    scale = money_scale(c.text for _, c in rows[0].filled())  # `費目・使途(単位:千円)`; or a 金額 header's
    for row in rows[1:]:
        starts = _block_starts(row)
        if starts:
            blocks, titled = starts, True
            continue
        keys = [(i, lookup("expense", c.text) if len(c.text) < 20 else None) for i, c in row.filled()]
        item_cols = [i for i, k in keys if k == "expense_item"]
        if not item_cols and not columns:
            unread += _has_amount(row)
        if item_cols:  # blocks named by an A. / B. row above, else A, B, … in column order
            if columns and not titled and counters:  # a second band of blocks without its titles: C., D., …
                after = max(counters)
                blocks = [(i, chr(ord(after[-1]) + 1 + n)) for n, i in enumerate(item_cols)]
            titled, columns = False, []
            for n, i in enumerate(item_cols):
                letter = _letter_for(blocks, i, n)
                purpose = next((j for j, k in keys if j > i and k == "purpose"), i + 1)
                amount = next((j for j, k in keys if j > i and k == "amount"), i + 2)
                columns.append((letter, i, purpose, amount))
            scale = money_scale([row[columns[0][3]].text]) if "円" in row[columns[0][3]].text else scale
            continue
        for letter, item_pos, purpose_pos, amount_pos in columns:
            item, purpose, amount = row[item_pos], row[purpose_pos], row[amount_pos]
            if not (item.text or purpose.text or amount.text):
                continue
            pending = awaiting.pop(letter, None)
            if pending is not None and not item.text and amount.text and not total_kind(purpose.text):
                # the amount of the row above, printed on the last line of its split 用途 cell
                if purpose.text:
                    pending["purpose"] = "\n".join(filter(None, (pending["purpose"], text_value(purpose.raw))))
                pending["amount_million_yen"], pending["raw_text"] = parse_amount(amount.raw, scale), amount.raw
                continue
            if not amount.text or _UNIT_NOTE.match(amount.text):
                if amount.text:
                    scale = money_scale([amount.text])
                # a header's unit on the row below it (`金額` / `(百万円)`), or the rest of a
                # 費目 or 用途 cell the export split over rows: no row of its own
                previous = last.get(letter)
                if not (item.text or purpose.text):
                    continue
                if previous is not None and not (item.text and purpose.text) and not total_kind(item.text):
                    for field, cell in (("expense_item", item), ("purpose", purpose)):
                        if cell.text:
                            previous[field] = "\n".join(filter(None, (previous[field], text_value(cell.raw))))
                    if previous["amount_million_yen"] is None and not previous["raw_text"]:
                        awaiting[letter] = previous
                    continue
            kind = total_kind(item.text) or (None if item.text else total_kind(purpose.text))  # 計 in either column
            if kind == "subtotal":
                continue
            if kind == "total":
                out["printed_total"].append({
                    "table_name": "expense", "block": letter, "fiscal_year": None, "is_request": None,
                    "amount_million_yen": parse_amount(amount.raw, scale), "raw_text": amount.raw or None,
                })
                continue
            counters[letter] = counters.get(letter, 0) + 1
            last[letter] = {
                "block": letter, "row_no": counters[letter], "expense_item": text_value(item.raw),
                "purpose": text_value(purpose.raw), "amount_million_yen": parse_amount(amount.raw, scale),
                "raw_text": amount.raw or None,
            }
            out["expense"].append(last[letter])
            if not amount.text:
                awaiting[letter] = last[letter]
    _report_unread(unread, "expense", "費目 / 用途 / 金額", rows, ctx)
    return out


_UNIT_NOTE = re.compile(r"^\(?(?:単位)?[:：]?\s*(?:百万円|千円|円)\)?$")


def _letter_for(blocks: list[tuple[int, str]], position: int, n: int) -> str:
    at_or_left = [letter for i, letter in blocks if i <= position]
    if at_or_left:
        return at_or_left[-1]
    if blocks and blocks[0][1] > "A" and len(blocks[0][1]) == 1:  # left of the first title: its title left blank
        return chr(ord(blocks[0][1]) - 1)
    return blocks[n][1] if n < len(blocks) else chr(ord("A") + n)


def parse_recipients(rows: list[Row], ctx: SheetContext) -> dict[str, list[dict]]:
    """支出先上位10者リスト: per block a header row naming the columns, then ranked rows."""
    out: dict[str, list[dict]] = {"recipient": [], "printed_total": []}
    letter = "A"
    columns: dict[str, int] = {}
    payment_year = ctx.review_year - 1 if ctx.review_year else None
    unread = 0
    scale = money_scale(c.text for _, c in rows[0].filled())  # the title's unit, or the 支出額 header's
    rows = _join_split_headers(rows)
    for row in rows[1:]:
        filled = row.filled()
        if not filled:
            continue
        first_index, first = filled[0]
        if _block_letter(first.text):
            letter = _block_letter(first.text)
            if len(filled) == 1:
                continue
            filled = filled[1:]
        header = _recipient_header(row, ctx)
        if header:
            columns = header
            if "amount" in header and "円" in row[header["amount"]].text:
                scale = money_scale([row[header["amount"]].text])
            continue
        if not columns:
            unread += _has_amount(row)
            continue
        offset = _rank_offset(row, columns)
        shifted = {column: at + offset for column, at in columns.items()}
        rank_cell = row[shifted["name"] - 1] if shifted["name"] > 0 else None
        rank = parse_int(rank_cell.raw) if rank_cell is not None else None
        name = text_value(row[shifted["name"]].raw) or ""
        if total_kind(name) == "total" or (rank is None and total_kind(rank_cell.text if rank_cell else "") == "total"):
            amount = row[shifted["amount"]]
            if amount.text:
                out["printed_total"].append({
                    "table_name": "recipient", "block": letter, "fiscal_year": payment_year, "is_request": None,
                    "amount_million_yen": parse_amount(amount.raw, scale), "raw_text": amount.raw,
                })
            continue
        if rank is None and name and parse_amount(row[shifted["amount"]].raw) is not None:
            # a payee row printed without its rank (an anonymised or a merged rank cell): the next rank
            rank = max((r["rank"] for r in out["recipient"] if r["block"] == letter), default=0) + 1
        if rank is None:
            _continue_lines(row, shifted, out["recipient"], letter)
            continue
        if name:
            out["recipient"].append(_recipient_row(row, shifted, letter, rank, name, payment_year, scale))
            printed = row[shifted["corporate_number"]].text if "corporate_number" in shifted else ""
            if out["recipient"][-1]["corporate_number"] is None and any(ch.isdigit() for ch in printed):
                ctx.warn("invalid_value", f"{ctx.source_path}: 法人番号 '{printed}' of payee {letter}-{rank} is not 13 digits; "
                         f"not loaded (line {row.number})", "recipient", observed=printed)
    _report_unread(unread, "recipient", "支出先 / 支出額", rows, ctx)
    return out


def _has_amount(row: Row) -> bool:
    return any(parse_number(c.raw) is not None for _, c in row.filled())


def _report_unread(unread: int, section: str, header: str, rows: list[Row], ctx: SheetContext) -> None:
    """Rows with amounts but no header row above them: the section could not be read."""
    if unread:
        ctx.warn("section_unreadable", f"{ctx.source_path}: section {section} (line {rows[0].number}): {unread} row(s) "
                 f"with amounts but no {header} header row above them; not loaded", section)


def _rank_offset(row: Row, columns: dict[str, int]) -> int:
    """Shift of a ranked row against its block header: the rank sits left of 支出先 (also
    when the header starts with 支出先 in the first column, its empty rank cell collapsed)."""
    first = row.first()
    if first is None:
        return 0
    index, cell = first
    if index != columns["name"] - 1 and cell.text.isdigit() and len(cell.text) <= 3 and row[index + 1].text:
        return index - (columns["name"] - 1)
    return 0


_CONTINUED_COLUMNS = ("name", "description", "contract_method")


def _continue_lines(row: Row, columns: dict[str, int], recipients: list[dict], letter: str) -> None:
    """A row without rank holding only name / 業務概要 / 契約方式等 text continues the row
    above (a multi-line cell of the original split over two rows)."""
    filled = {i for i, _ in row.filled()}
    text_columns = {columns[c] for c in _CONTINUED_COLUMNS if c in columns}
    if not recipients or recipients[-1]["block"] != letter or not filled or not filled <= text_columns:
        return
    last = recipients[-1]
    for column in _CONTINUED_COLUMNS:
        value = text_value(row[columns[column]].raw) if column in columns else None
        if value:
            last[column] = f"{last[column]}\n{value}" if last[column] else value


@lru_cache(maxsize=1)
def _header_starts() -> frozenset[str]:
    """First two characters of every recipient column label: a cheap test for header rows."""
    return frozenset(label[:2] for label in labels_of("recipient"))


def _recipient_header(row: Row, ctx: SheetContext | None = None) -> dict[str, int]:
    """Column positions of a block's header row (支出先 … 支出額 …), or {} for other rows.
    A header cell that is no known column label is reported."""
    starts = _header_starts()
    if not any(cell.text[:2] in starts for cell in row.cells):
        return {}
    found: dict[str, int] = {}
    unknown: list[str] = []
    for i, cell in row.filled():
        column = lookup("recipient", cell.text) if len(cell.text) < 80 else None
        if column is None:
            unknown.append(cell.text)
        elif column not in found:
            found[column] = i
    if "name" not in found or "amount" not in found:
        return {}
    for text in unknown if ctx is not None else ():
        if not _block_letter(text):
            ctx.warn("unknown_label", f"{ctx.source_path}: unknown column '{text}' in section recipient "
                     f"(line {row.number}); the column was not loaded", "recipient", observed=text)
    return found


def _join_split_headers(rows: list[Row]) -> list[Row]:
    """The rows with each payee header whose labels the export split over two rows
    (`法人` / `番号`, `支出` / `額(百万円)`) joined into one header row."""
    joined: list[Row] = []
    k = 0
    while k < len(rows):
        row = rows[k]
        below = rows[k + 1] if k + 1 < len(rows) else None
        if below is not None and _header_rest(row, below) and any(c.text[:2] in _header_starts() for c in row.cells):
            merged = Row(row.number, [Cell(c.raw + below[i].raw, c.text + below[i].text, c.bold) if below[i].text else c
                                      for i, c in enumerate(row.cells)])
            if len(_recipient_header(merged)) > len(_recipient_header(row)) or _unknown_columns(merged) < _unknown_columns(row):
                joined.append(merged)
                k += 2
                continue
        joined.append(row)
        k += 1
    return joined


def _header_rest(row: Row, below: Row) -> bool:
    """Whether `below` can hold the second lines of `row`'s header cells: short texts,
    no amount, each under a header cell of its own."""
    if not 0 < below.filled_count() <= 3 or row.filled_count() < 3:
        return False
    filled = below.filled()
    return all(
        len(c.text) < 20 and row[i].text and parse_amount(c.raw) is None and not _block_letter(c.text) for i, c in filled)


def _unknown_columns(row: Row) -> int:
    return sum(1 for _, c in row.filled() if len(c.text) < 80 and lookup("recipient", c.text) is None)


def _bid_rate(raw: str) -> Decimal | None:
    """落札率 as a fraction: `94.3%` and `94.3` are percents; a number up to 1.5 printed
    without `%` is already a fraction (no bid wins at 1.5 % of the estimate).

    >>> _bid_rate("94.3%"), _bid_rate("94.3"), _bid_rate("0.943"), _bid_rate("-")
    (Decimal('0.943'), Decimal('0.943'), Decimal('0.943'), None)
    """
    if "%" not in nfkc(raw):
        value = parse_number(raw)
        if value is not None and value <= Decimal("1.5"):
            return value
    return parse_percent(raw)


def _recipient_row(row: Row, columns: dict[str, int], letter: str, rank: int, name: str, payment_year: int | None,
                   scale: Decimal) -> dict:
    def cell(column: str):
        return row[columns[column]] if column in columns else None

    corporate = corporate_number(cell("corporate_number").raw) if cell("corporate_number") else None
    amount = cell("amount")
    bidders = cell("bidder_count")
    rate = cell("winning_bid_rate")
    return {
        "block": letter, "rank": rank, "name": name,
        "corporate_number": corporate,
        "description": text_value(cell("description").raw) if cell("description") else None,
        "amount_million_yen": parse_amount(amount.raw, scale) if amount else None,
        "contract_method": text_value(cell("contract_method").raw) if cell("contract_method") else None,
        "bidder_count": parse_int(bidders.raw) if bidders else None,
        "winning_bid_rate": _bid_rate(rate.raw) if rate else None,
        "fiscal_year": payment_year,
        "raw_text": amount.raw if amount else None,
    }


_NUMBER_SPACING = re.compile(r"[\s\-‐‑‒–—―−ー]")


def corporate_number(raw: str) -> str | None:
    """A 法人番号 (13 digits) as printed with spaces or any dash between its digits, or
    by a spreadsheet as a number (`2010901000236.0`); None for anything else.

    >>> corporate_number("2 0109 0100 0236"), corporate_number("2ー0109ー0100ー0236"), corporate_number("2010901000236.0")
    ('2010901000236', '2010901000236', '2010901000236')
    >>> corporate_number("010901000236"), corporate_number("-")
    (None, None)
    """
    text = _NUMBER_SPACING.sub("", nfkc(raw))
    if text.endswith(".0"):
        text = text[:-2]
    return text if len(text) == 13 and text.isascii() and text.isdigit() else None
