"""予算内訳 (the budget broken down by item): one budget_item row per item and amount
column, the printed 計 as a printed_total row.

Columns are recognised by their printed label (labels.csv, section ``budget_item``); the
amount columns are year columns read as the budget table reads its own (`budget`).
"""

from __future__ import annotations

from transforms.labels import compact, lookup, total_kind
from transforms.normalize import money_scale, parse_amount
from transforms.read import EMPTY, Row
from transforms.sections.budget import YearColumn, year_columns
from transforms.sections.context import SheetContext
from transforms.sections.text import text_value


def parse_budget_items(rows: list[Row], ctx: SheetContext) -> dict[str, list[dict]]:
    """予算内訳: one budget_item row per item and amount column; 計 -> printed_total.
    The header is the heading row or, when the title stands on a row of its own, one of
    the next two rows (the one naming the item column)."""
    at = next((k for k, row in enumerate(rows[:3]) if any(
        lookup("budget_item", c.text) == "item_name" for _, c in row.filled() if len(c.text) < 30)), 0)
    scale = money_scale(c.text for row in rows[: at + 1] for _, c in row.filled())
    rows = rows[at:]
    header = rows[0]
    fields = {i: lookup("budget_item", c.text) for i, c in header.filled() if len(c.text) < 30}
    name_pos = next((i for i, f in fields.items() if f == "item_name"), None)
    reason_pos = next((i for i, f in fields.items() if f == "change_reason"), None)
    section_pos = next((i for i, f in fields.items() if f == "item_section"), None)
    columns = [c for c in year_columns(header, ctx.review_year) if c.position not in (name_pos, reason_pos, section_pos)]
    columns = sorted(columns + _columns_without_years(fields, columns, ctx.review_year), key=lambda c: c.position)
    out: dict[str, list[dict]] = {"budget_item": [], "printed_total": []}
    if name_pos is None or not columns:
        ctx.warn("section_unreadable", f"{ctx.source_path}: 予算内訳 header not understood (line {header.number})", "budget_item")
        return out
    known = {name_pos, reason_pos, section_pos} | {c.position for c in columns}
    for i, cell in header.filled():
        if i not in known and "予算内訳" not in cell.text:
            ctx.warn("unknown_label", f"{ctx.source_path}: unknown column '{cell.text}' in section budget_item "
                     f"(line {header.number}); the column was not loaded", "budget_item", observed=cell.text)
    item_no, last_name_at, last_offset, totalled = 0, None, 0, False
    section = None  # the 項 of the items below it, when printed in a column of its own
    first_name = None  # (position, name) of a first item's name printed above its amounts
    for row in rows[1:]:
        first = row.first()
        if first is None:
            continue
        index, name_cell = first
        if section_pos is not None and (named := _section_and_item(row, index, section_pos, name_pos, columns)):
            section, (index, name_cell) = named
        if reason_pos is not None and item_no and not totalled and row.filled_count() == 1 \
                and index == reason_pos + last_offset:
            # the rest of the item's 主な増減理由 (a two-line cell split over rows)
            more = text_value(name_cell.raw)
            for item in out["budget_item"]:
                if item["item_no"] == item_no and more:
                    item["change_reason"] = f"{item['change_reason']}\n{more}" if item["change_reason"] else more
            continue
        offset = index - name_pos
        if section_pos is not None and index == section_pos:  # 計 in the 項 column: its 目 cell empty or merged
            offset = max((offset, 0), key=lambda o: sum(1 for c in columns if row[c.position + o].text))
        name = text_value(name_cell.raw)
        if first_name is not None and not item_no and parse_amount(name_cell.raw) is not None:
            # amounts without a name of their own: the first item's, named on the line(s) above
            offset = 0 if index > name_pos else index - columns[0].position
            name, name_cell = first_name[1], EMPTY
        label = compact(name_cell.text)
        kind = total_kind(name_cell.text)
        if kind == "subtotal" or lookup("budget_item", name_cell.text) == "item_name" or "予算内訳" in label:
            continue  # a subtotal, or the header printed again (the table continued on a new page)
        is_total = kind == "total"
        if not any(row[col.position + offset].text for col in columns):
            # a name without amounts under the item above continues it (a two-line cell)
            if index == last_name_at and not totalled and name:
                for item in out["budget_item"]:
                    if item["item_no"] == item_no:
                        item["item_name"] = f"{item['item_name']}\n{name}" if item["item_name"] else name
            elif not item_no and not totalled and name and not is_total:  # kept for amounts on the next line
                same = first_name is not None and first_name[0] == index
                first_name = (index, f"{first_name[1]}\n{name}" if same else name)
            continue
        totalled = totalled or is_total
        last_name_at, last_offset = index, offset
        if not is_total:
            item_no += 1
            if section:
                name = f"{section}／{name}"
        reason = text_value(row[reason_pos + offset].raw) if reason_pos is not None else None
        for col in columns:
            cell = row[col.position + offset]
            if not cell.text:
                continue
            amount = parse_amount(cell.raw, scale)
            if is_total:
                out["printed_total"].append({
                    "table_name": "budget_item", "block": None, "fiscal_year": col.fiscal_year,
                    "is_request": col.is_request, "amount_million_yen": amount, "raw_text": cell.raw,
                })
            else:
                out["budget_item"].append({
                    "fiscal_year": col.fiscal_year, "is_request": col.is_request, "item_no": item_no,
                    "item_name": name, "amount_million_yen": amount, "change_reason": reason, "raw_text": cell.raw,
                })
    return out


# 予算内訳 amount columns printed without their year (labels.csv, section budget_item):
# (years after the review year, is a request), as `2年度当初予算` / `3年度要求` print them
_YEARLESS_AMOUNTS = {"budget_amount": (0, False), "request_amount": (1, True)}


def _columns_without_years(fields: dict[int, str | None], columns: list[YearColumn],
                           review_year: int | None) -> list[YearColumn]:
    """The 予算内訳 columns headed `当初予算` / `予算額` and `要求額` without a year: the review
    year's budget and the request for the year after it, the years the budget table of the
    sheet gives them (its review-year column and its `○年度要求` column)."""
    if review_year is None:
        return []
    taken = {c.position for c in columns}
    found = []
    for position, field in fields.items():
        if field in _YEARLESS_AMOUNTS and position not in taken:
            after, is_request = _YEARLESS_AMOUNTS[field]
            found.append(YearColumn(position, review_year + after, is_request))
    return found


def _section_and_item(row: Row, index: int, section_pos: int, name_pos: int, columns: list) -> tuple | None:
    """(項, (position, cell) of the 目) for a 予算内訳 row that starts with its 項 in a
    column of its own: two text cells, the second where the 目 column's amounts follow."""
    filled = row.filled()
    if len(filled) < 2 or total_kind(filled[0][1].text) or parse_amount(filled[0][1].raw) is not None:
        return None
    (_, section_cell), (item_at, item_cell) = filled[0], filled[1]
    if item_at - index != name_pos - section_pos or parse_amount(item_cell.raw) is not None \
            or not any(row[c.position + item_at - name_pos].text for c in columns):
        return None
    return text_value(section_cell.raw), (item_at, item_cell)
