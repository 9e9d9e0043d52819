"""支出先上位10者リスト (recipient): per lettered block (`blocks`) a header row naming
the columns, then ranked payee rows and the block's printed 計.  Blocks printed side by
side and header labels split over two rows are first laid out as most sheets print them
(`recipient_layout`)."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from transforms.labels import total_kind
from transforms.normalize import NOT_A_NUMBER, money_scale, nfkc, parse_amount, parse_int, parse_number, parse_percent
from transforms.read import Row
from transforms.sections.blocks import block_letter, has_amount, letter_after_repeated_header, report_unread
from transforms.sections.context import SheetContext
from transforms.sections.merged_cells import NUMBER_STARTS, header_gaps, is_amount, is_text, realigned
from transforms.sections.recipient_layout import (join_split_headers, rank_offset, report_unknown_columns,
                                                  unstack_side_by_side)
from transforms.sections.text import text_value


def parse_recipients(rows: list[Row], ctx: SheetContext) -> dict[str, list[dict]]:
    """支出先上位10者リスト: per block a header row naming the columns, then ranked rows."""
    out: dict[str, list[dict]] = {"recipient": [], "printed_total": []}
    letter = "A"
    columns: dict[str, int] = {}
    gaps: frozenset[int] = frozenset()  # the header's columns past an empty cell (`merged_cells`)
    edge, texts = 0, frozenset()  # its last column, its text columns
    payment_year = ctx.review_year - 1 if ctx.review_year else None
    unread = 0
    scale = money_scale(c.text for _, c in rows[0].filled())  # the title's unit, or the 支出額 header's
    laid_out = unstack_side_by_side(join_split_headers(rows))
    awaiting: dict | None = None  # the payee above while its values may follow on the next row
    repeated = False  # a header row printed again under payees of the current block, no letter since
    for row, header in laid_out[1:]:
        filled = row.filled()
        if not filled:
            continue
        pending, awaiting = awaiting, None
        _, first = filled[0]
        if opened := block_letter(first.text):
            letter = opened
            repeated = False
            if len(filled) == 1:
                continue
            filled = filled[1:]
        if header:
            report_unknown_columns(row, ctx)
            columns = header
            gaps = header_gaps(row, list(header.values()))
            edge, texts = max(header.values()), frozenset(at for column, at in header.items() if _KINDS[column] is is_text)
            repeated = any(r["block"] == letter for r in out["recipient"])
            if "amount" in header and "円" in row[header["amount"]].text:
                scale = money_scale([row[header["amount"]].text])
            continue
        if not columns:
            unread += has_amount(row)
            continue
        offset = rank_offset(row, columns)
        shifted = {column: at + offset for column, at in columns.items()} if offset else columns  # (read only)
        rank_cell = row[shifted["name"] - 1] if shifted["name"] > 0 else None
        rank = parse_int(rank_cell.raw) if rank_cell is not None else None
        # a row whose last cell stands past the last column, or whose amount, last cell or the cell
        # before it is empty or does not fit its column (a text under a number: `NUMBER_STARTS`),
        # may have a merged cell its header has not (`merged_cells`): read past it
        last_at, last = filled[-1]
        before_at, before = filled[-2] if len(filled) > 1 else filled[-1]
        amount = row[shifted["amount"]].text
        if (gaps or last_at - offset > edge or before_at < last_at - 1 or not amount or amount[0] not in NUMBER_STARTS
                or (last.text[0] in NUMBER_STARTS) == (last_at - offset in texts)
                or (before.text[0] in NUMBER_STARTS) == (before_at - offset in texts)) \
                and (shifted := realigned(row, shifted, _KINDS, gaps)) is None:
            _report_ambiguous(row, ctx)
            continue
        name = text_value(row[shifted["name"]].raw) or ""
        if total_kind(name) == "total" or (rank is None and total_kind(rank_cell.text if rank_cell else "") == "total"):
            amount = row[shifted["amount"]]
            if amount.text:
                out["printed_total"].append({
                    "table_name": "recipient", "block": letter, "fiscal_year": payment_year, "is_request": None,
                    "amount_million_yen": parse_amount(amount.raw, scale), "raw_text": amount.raw,
                })
            continue
        if rank is None and pending is not None and pending["block"] == letter:
            if _prints_values(row, shifted):  # the values of the payee above, on the last line of its split cells
                _complete(pending, _recipient_row(row, shifted, letter, pending["rank"], name or None, payment_year, scale))
                _check_values(pending, row, shifted, ctx)
                continue
            if _continue_lines(row, shifted, out["recipient"], letter):
                awaiting = pending  # (a cell split over three rows or more)
                continue
        if rank is None and name and parse_amount(row[shifted["amount"]].raw) is not None:
            # a payee row printed without its rank (an anonymised or a merged rank cell): the next rank
            rank = max((r["rank"] for r in out["recipient"] if r["block"] == letter), default=0) + 1
        if rank is None:
            _continue_lines(row, shifted, out["recipient"], letter)
            continue
        if repeated:
            letter = letter_after_repeated_header(letter, rank)
            repeated = False
        if name or parse_amount(row[shifted["amount"]].raw) is not None:  # (a name left blank: withheld)
            out["recipient"].append(_recipient_row(row, shifted, letter, rank, name or None, payment_year, scale))
            _check_values(out["recipient"][-1], row, shifted, ctx)
            awaiting = None if _prints_values(row, shifted) else out["recipient"][-1]
    report_unread(unread, "recipient", "支出先 / 支出額", rows, ctx)  # (the first row keeps its line number)
    return out


# what each column's cell can hold (`merged_cells.realigned`)
_KINDS = {
    "name": is_text, "description": is_text, "contract_method": is_text, "one_bid_reason": is_text,
    "amount": is_amount,
    "corporate_number": lambda cell: cell.text in NOT_A_NUMBER or corporate_number(cell.raw) is not None,
    "bidder_count": lambda cell: cell.text in NOT_A_NUMBER or _bidder_count(cell.raw) is not None,
    "winning_bid_rate": lambda cell: cell.text in NOT_A_NUMBER or _bid_rate(cell.raw) is not None,
}


def _report_ambiguous(row: Row, ctx: SheetContext) -> None:
    """A payee row past an empty cell that two columns could be (a blank value or a merged
    cell's empty part): reported, not loaded."""
    ctx.warn("ambiguous_amounts", f"{ctx.source_path}: 支出先上位10者リスト line {row.number}: an empty cell that "
             "two columns could be (a blank value or a merged cell); the row was not loaded", "recipient",
             observed="\t".join(cell.raw for cell in row.cells).strip()[:80])


_CONTINUED_COLUMNS = ("name", "description", "contract_method")
_VALUE_COLUMNS = ("corporate_number", "amount", "bidder_count", "winning_bid_rate")


def _prints_values(row: Row, columns: dict[str, int]) -> bool:
    """Whether the row prints any of a payee's one-line cells (法人番号, 支出額, 入札者数, 落札率)."""
    for column in _VALUE_COLUMNS:
        if column in columns and row[columns[column]].text:
            return True
    return False


def _complete(payee: dict, below: dict) -> None:
    """`payee` (a ranked row without values) with the row below it: its texts joined as
    lines, the values it did not print taken from below."""
    for field, value in below.items():
        if field in _CONTINUED_COLUMNS:
            if value:
                payee[field] = f"{payee[field]}\n{value}" if payee[field] else value
        elif payee.get(field) is None:
            payee[field] = value


def _check_values(payee: dict, row: Row, columns: dict[str, int], ctx: SheetContext) -> None:
    """Report a 法人番号 printed on the row that could not be loaded (not 13 digits), and
    a whole number that may be the 入札者数 or the 落札率 (`_bidders_or_rate`), then not loaded."""
    if payee["corporate_number"] is None and "corporate_number" in columns:  # (most payees: a number loaded, or no column)
        printed = row[columns["corporate_number"]].text
        if any(map(str.isdigit, printed)):
            ctx.warn("invalid_value", f"{ctx.source_path}: 法人番号 '{printed}' of payee {payee['block']}-{payee['rank']} is "
                     f"not 13 digits; not loaded (line {row.number})", "recipient", observed=printed)
    if payee["winning_bid_rate"] is not None and payee["bidder_count"] is None and _bidders_or_rate(row, columns):
        payee["winning_bid_rate"] = None
        printed = row[columns["winning_bid_rate"]].text
        ctx.warn("ambiguous_amounts", f"{ctx.source_path}: 支出先上位10者リスト line {row.number}: '{printed}' after an "
                 f"empty 入札者数 cell may be the 入札者数 (the cell left of it merged over two columns) or the 落札率; "
                 f"payee {payee['block']}-{payee['rank']} was loaded without either", "recipient", observed=printed)


def _bidders_or_rate(row: Row, columns: dict[str, int]) -> bool:
    """Whether the row prints a whole number (no `%`, no decimal point: a count of bidders
    as well as a rate) under 落札率 right of an empty 入札者数 cell: the empty cell may be
    the 入札者数 left blank, or the empty part of the cell left of it merged over two
    columns, the number then the 入札者数 (`1`: one bidder, or a rate of 100 %)."""
    at = columns.get("bidder_count")
    if at is None or columns.get("winning_bid_rate") != at + 1 or row[at].text:
        return False
    printed = row[at + 1].text
    return "%" not in printed and "." not in printed and _bidder_count(row[at + 1].raw) is not None


def _continue_lines(row: Row, columns: dict[str, int], recipients: list[dict], letter: str) -> bool:
    """A row without rank holding only name / 業務概要 / 契約方式等 text continues the row
    above (a multi-line cell of the original split over two rows): whether it did."""
    filled = {i for i, _ in row.filled()}
    text_columns = {columns[c] for c in _CONTINUED_COLUMNS if c in columns}
    if not recipients or recipients[-1]["block"] != letter or not filled or not filled <= text_columns:
        return False
    last = recipients[-1]
    for column in _CONTINUED_COLUMNS:
        value = text_value(row[columns[column]].raw) if column in columns else None
        if value:
            last[column] = f"{last[column]}\n{value}" if last[column] else value
    return True


@lru_cache(maxsize=1024)
def _bid_rate(raw: str) -> Decimal | None:
    """落札率 as a fraction: `94.3%` and `94.3` are percents; a number up to 1.5 printed
    without `%` is already a fraction (no bid wins at 1.5 % of the estimate).  Memoised,
    as `_bidder_count`: most cells print `-`.

    >>> _bid_rate("94.3%"), _bid_rate("94.3"), _bid_rate("0.943"), _bid_rate("-")
    (Decimal('0.943'), Decimal('0.943'), Decimal('0.943'), None)
    """
    if "%" not in nfkc(raw):
        value = parse_number(raw)
        if value is not None and value <= Decimal("1.5"):
            return value
    return parse_percent(raw)


_APPLICANTS = re.compile(r"\(\s*(\d+)\s*[者社]?\s*\)")


@lru_cache(maxsize=1024)
def _bidder_count(raw: str) -> int | None:
    """入札者数(応募者数): the bidders, else the applicants printed in brackets where
    nobody bid (公募, 企画競争: `(3)`, `-(3)`).  Memoised: most cells print `-` or a
    small number.

    >>> _bidder_count("3(3)"), _bidder_count("2 (3)"), _bidder_count("(3)"), _bidder_count("-(3)"), _bidder_count("-")
    (3, 2, 3, 3, None)
    """
    count = parse_int(raw)
    if count is None and (applicants := _APPLICANTS.search(nfkc(raw))):
        return int(applicants.group(1))
    return count


def _recipient_row(row: Row, columns: dict[str, int], letter: str, rank: int, name: str | None, payment_year: int | None,
                   scale: Decimal) -> dict:
    amount = row[columns["amount"]]
    return {
        "block": letter, "rank": rank, "name": name,
        "corporate_number": _value(row, columns, "corporate_number", corporate_number),
        "description": _value(row, columns, "description", text_value),
        "amount_million_yen": parse_amount(amount.raw, scale) if amount.text else None,
        "contract_method": _value(row, columns, "contract_method", text_value),
        "bidder_count": _value(row, columns, "bidder_count", _bidder_count),
        "winning_bid_rate": _value(row, columns, "winning_bid_rate", _bid_rate),
        "fiscal_year": payment_year,
        "raw_text": amount.raw if amount.text else None,
    }


def _value(row: Row, columns: dict[str, int], column: str, read):
    """`read` of the raw text of the row's cell in `column`; None for an empty cell or a
    column the header lacks."""
    at = columns.get(column)
    if at is None:
        return None
    cell = row[at]
    return read(cell.raw) if cell.text else None


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
