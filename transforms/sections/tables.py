"""The lower half of a sheet: 点検 (assessment), lineage, 費目・用途, 支出先上位10者リスト."""

from __future__ import annotations

import re

from transforms.labels import compact
from transforms.normalize import nfkc, nfkc_multiline, parse_fiscal_year, parse_int, parse_number, parse_percent
from transforms.read import Row
from transforms.sections.context import SheetContext

CATEGORIES = ("国費投入の必要性", "事業の効率性", "事業の有効性", "関連事業")
RATINGS = {"○": "○", "〇": "○", "◯": "○", "×": "×", "✕": "×", "△": "△", "有": "有", "無": "無", "-": "-", "―": "-", "ー": "-", "－": "-"}


def parse_assessment(rows: list[Row], ctx: SheetContext) -> list[dict]:
    """点検 rows: a question cell followed by a rating cell (○ × △ 有 無 -)."""
    out: list[dict] = []
    category = None
    for row in rows[1:]:
        filled = row.filled()
        rating_at = next((k for k, (_, c) in enumerate(filled) if c.text in RATINGS and k > 0), None)
        for _, cell in filled[: rating_at if rating_at is not None else len(filled)]:
            if compact(cell.text) in CATEGORIES:
                category = compact(cell.text)
        if rating_at is None:
            continue
        question = filled[rating_at - 1][1]
        if compact(question.text) in CATEGORIES or compact(question.text) in ("項目", "評価"):
            continue
        rating_index = filled[rating_at][0]
        explanation = nfkc_multiline(row[rating_index + 1].raw) or None
        out.append({
            "category": category, "item_no": len(out) + 1, "question": nfkc(question.raw),
            "rating": RATINGS[filled[rating_at][1].text], "explanation": explanation,
        })
    return out


_WITH_MINISTRY = re.compile(r"^(?P<ministry>[^()\d]+?)\s*\(\s*(?P<number>[^()]+?)\s*\)$")


def parse_lineage(rows: list[Row], ctx: SheetContext) -> list[dict]:
    """Pairs of (平成22年度, 0032-2) cells; a value may name a ministry: 総務省 ( 0037 )."""
    out: list[dict] = []
    seen: set[tuple] = set()
    for row in rows[1:]:
        cells = [c for _, c in row.filled()]
        k = 0
        while k < len(cells) - 1:
            year = parse_fiscal_year(cells[k].text) if "年" in cells[k].text and len(cells[k].text) < 12 else None
            if year is None:
                k += 1
                continue
            value = cells[k + 1].text
            match = _WITH_MINISTRY.match(value)
            ministry, number = (nfkc(match.group("ministry")), nfkc(match.group("number"))) if match else (None, nfkc(value))
            if number and number not in ("-", "―") and (year, number) not in seen:
                seen.add((year, number))
                out.append({"past_review_year": year, "past_ministry": ministry, "past_project_number": number})
            k += 2
    return out


def _block_starts(row: Row) -> list[tuple[int, str]]:
    return [(i, c.text.rstrip(".．")) for i, c in row.filled() if re.fullmatch(r"[A-ZＡ-Ｚ][.．]?", c.text)]


def parse_expense(rows: list[Row], ctx: SheetContext) -> dict[str, list[dict]]:
    """費目・用途 blocks A., B., … side by side: 費目, 用途, 金額 per block; 計 -> printed_total."""
    out: dict[str, list[dict]] = {"expense": [], "printed_total": []}
    blocks: list[tuple[int, str]] = []
    columns: list[tuple[str, int, int, int]] = []  # block, 費目, 用途, 金額 positions
    counters: dict[str, int] = {}
    for row in rows[1:]:
        starts = _block_starts(row)
        if starts and len(starts) == len(row.filled()):
            blocks = [(i, nfkc(letter)) for i, letter in starts]
            continue
        keys = [(i, compact(c.text)) for i, c in row.filled()]
        item_cols = [i for i, k in keys if k == "費目"]
        if item_cols and blocks:
            columns = []
            for n, i in enumerate(item_cols):
                letter = _letter_for(blocks, i, n)
                purpose = next((j for j, k in keys if j > i and k in ("用途", "使途")), i + 1)
                amount = next((j for j, k in keys if j > i and k.startswith("金額")), i + 2)
                columns.append((letter, i, purpose, amount))
            continue
        for letter, item_pos, purpose_pos, amount_pos in columns:
            item, purpose, amount = row[item_pos], row[purpose_pos], row[amount_pos]
            if not (item.text or purpose.text or amount.text):
                continue
            if compact(item.text) in ("計", "合計"):
                out["printed_total"].append({
                    "table_name": "expense", "block": letter, "fiscal_year": None, "is_request": None,
                    "amount_million_yen": parse_number(amount.raw), "raw_text": amount.raw or None,
                })
                continue
            counters[letter] = counters.get(letter, 0) + 1
            out["expense"].append({
                "block": letter, "row_no": counters[letter], "expense_item": nfkc(item.raw) or None,
                "purpose": nfkc(purpose.raw) or None, "amount_million_yen": parse_number(amount.raw),
                "raw_text": amount.raw or None,
            })
    return out


def _letter_for(blocks: list[tuple[int, str]], position: int, n: int) -> str:
    at_or_left = [letter for i, letter in blocks if i <= position]
    if at_or_left:
        return at_or_left[-1]
    return blocks[n][1] if n < len(blocks) else chr(ord("A") + n)


RECIPIENT_HEADERS = {
    "name": ("支出先",),
    "corporate_number": ("法人番号",),
    "description": ("業務概要",),
    "amount": ("支出額", "契約額", "金額"),
    "contract_method": ("契約方式",),
    "bidder_count": ("入札者数",),
    "winning_bid_rate": ("落札率",),
}


def parse_recipients(rows: list[Row], ctx: SheetContext) -> dict[str, list[dict]]:
    """支出先上位10者リスト: per block a header row naming the columns, then ranked rows."""
    out: dict[str, list[dict]] = {"recipient": [], "printed_total": []}
    letter = "A"
    columns: dict[str, int] = {}
    payment_year = ctx.review_year - 1 if ctx.review_year else None
    for row in rows[1:]:
        filled = row.filled()
        if not filled:
            continue
        first_index, first = filled[0]
        if re.fullmatch(r"[A-ZＡ-Ｚ][.．]?", first.text):
            letter = nfkc(first.text).rstrip(".")
            if len(filled) == 1:
                continue
            filled = filled[1:]
        header = _recipient_header(row)
        if header:
            columns = header
            continue
        if not columns:
            continue
        rank_cell = row[columns["name"] - 1] if columns["name"] > 0 else None
        rank = parse_int(rank_cell.raw) if rank_cell is not None else None
        name = nfkc(row[columns["name"]].raw)
        if compact(name) in ("計", "合計") or (rank is None and compact(rank_cell.text if rank_cell else "") in ("計", "合計")):
            amount = row[columns["amount"]] if "amount" in columns else None
            if amount is not None and amount.text:
                out["printed_total"].append({
                    "table_name": "recipient", "block": letter, "fiscal_year": payment_year, "is_request": None,
                    "amount_million_yen": parse_number(amount.raw), "raw_text": amount.raw,
                })
            continue
        if rank is None or not name:
            continue
        out["recipient"].append(_recipient_row(row, columns, letter, rank, name, payment_year))
    return out


def _recipient_header(row: Row) -> dict[str, int]:
    found: dict[str, int] = {}
    for i, cell in row.filled():
        key = compact(cell.text)
        for column, prefixes in RECIPIENT_HEADERS.items():
            if column not in found and any(key.startswith(p) for p in prefixes):
                found[column] = i
    return found if "name" in found and "amount" in found else {}


def _recipient_row(row: Row, columns: dict[str, int], letter: str, rank: int, name: str, payment_year: int | None) -> dict:
    def cell(column: str):
        return row[columns[column]] if column in columns else None

    corporate = nfkc(cell("corporate_number").raw).replace("-", "") if cell("corporate_number") else ""
    amount = cell("amount")
    bidders = cell("bidder_count")
    rate = cell("winning_bid_rate")
    return {
        "block": letter, "rank": rank, "name": name,
        "corporate_number": corporate if re.fullmatch(r"\d{13}", corporate) else None,
        "description": nfkc_multiline(cell("description").raw) or None if cell("description") else None,
        "amount_million_yen": parse_number(amount.raw) if amount else None,
        "contract_method": nfkc(cell("contract_method").raw) or None if cell("contract_method") else None,
        "bidder_count": parse_int(bidders.raw) if bidders else None,
        "winning_bid_rate": parse_percent(rate.raw) if rate else None,
        "fiscal_year": payment_year,
        "raw_text": amount.raw if amount else None,
    }
