"""予算内訳 (the budget broken down by item): one budget_item row per item and amount
column, the printed 計 as a printed_total row.

Columns are recognised by their printed label (labels.csv, section ``budget_item``); the
amount columns are year columns read as the budget table reads its own (`budget`).
"""

from __future__ import annotations

from transforms.labels import compact, lookup, total_kind
from transforms.normalize import NOT_A_NUMBER, money_scale, parse_amount
from transforms.read import Row
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
    if len(rows) > 1 and (marked := _amount_words_below(rows[1], columns)) is not None:
        columns = [YearColumn(c.position, c.fiscal_year, c.is_request or c.position in marked) for c in columns]
        rows = [header] + rows[2:]
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
    # name-only lines not placed yet: (position, name, 主な増減理由 printed on that line)
    pending: list[tuple[int, str, str | None]] = []

    def flush_pending() -> None:
        """Name-only lines a complete row, a 計 or the end follows: the rest of the name (and
        of the 主な増減理由) of the item above them (two-line cells split over rows); before
        any item, nothing."""
        if item_no and not totalled:
            for at, more, why in pending:
                if at == last_name_at and not total_kind(more):
                    for item in out["budget_item"]:
                        if item["item_no"] == item_no:
                            item["item_name"] = f"{item['item_name']}\n{more}" if item["item_name"] else more
                            if why:  # the reason's next line beside the name's
                                item["change_reason"] = f"{item['change_reason']}\n{why}" if item["change_reason"] else why
        pending.clear()

    for row in _total_label_above_its_amounts([row for row in rows[1:] if row.first() is not None]):
        index, name_cell = row.first()
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
        if (section_pos is not None and index == section_pos) or (index < name_pos and total_kind(name_cell.text)):
            # 計 in the 項 column or left of the names (a merged label cell): its amounts may
            # stay under the amount columns
            offset = max((offset, 0), key=lambda o: sum(1 for c in columns if row[c.position + o].text))
        name = text_value(name_cell.raw)
        label_text, reason_above = name_cell.text, None
        if pending and _is_amount(name_cell):
            # amounts without a name of their own: the item named on the line(s) above
            offset = 0 if index > name_pos else index - columns[0].position
            name = "\n".join(line for _, line, _ in pending)
            label_text = "".join(line for _, line, _ in pending)
            reason_above = "\n".join(why for *_, why in pending if why) or None
            pending.clear()
        label = compact(label_text)
        kind = total_kind(label_text)
        if kind == "subtotal" or lookup("budget_item", label_text) == "item_name" or "予算内訳" in label:
            flush_pending()
            continue  # a subtotal, or the header printed again (the table continued on a new page)
        is_total = kind == "total"
        if not any(row[col.position + offset].text for col in columns):
            # a name without amounts: the next amounts' name, or the rest of the name above
            if name and not totalled:
                if pending and pending[0][0] != index:
                    flush_pending()
                why = text_value(row[reason_pos + offset].raw) if reason_pos is not None else None
                pending.append((index, name, why))
            continue
        if not item_no and not is_total and name:
            name = _first_name_begun_above(pending, index, name)
        flush_pending()
        totalled = totalled or is_total
        last_name_at, last_offset = index, offset
        if not is_total:
            item_no += 1
            if section:
                name = f"{section}／{name}"
        reason = text_value(row[reason_pos + offset].raw) if reason_pos is not None else None
        reason = reason or reason_above  # printed on the name's line, over the amounts
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
    flush_pending()
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


def _amount_words_below(row: Row, columns: list[YearColumn]) -> set[int] | None:
    """The positions of the request columns when `row` is the second line of two-line
    header cells (`4年度` / `当初予算`, `5年度` / `要求`): every cell under a year column and
    an amount word without a number; None when `row` is no such line."""
    positions = {c.position for c in columns}
    filled = row.filled()
    if not filled or not all(i in positions and not any(ch.isdigit() for ch in c.text)
                             and lookup("budget_item", c.text) in _YEARLESS_AMOUNTS for i, c in filled):
        return None
    return {i for i, c in filled if _YEARLESS_AMOUNTS[lookup("budget_item", c.text)][1]}


def _first_name_begun_above(pending: list[tuple], index: int, name: str) -> str:
    """The first item's name with the name-only lines just above it in its column: with no
    item above for them to continue, they are the start of its name (a two-line cell
    whose amounts were printed beside the second line)."""
    above = [line for at, line, _ in pending if at == index and not total_kind(line)]
    return "\n".join([*above, name])


def _total_label_above_its_amounts(rows: list[Row]) -> list[Row]:
    """`rows` with a lone `計` printed on the line below amounts without a name moved above
    them, where a label printed on a line of its own is read (as the name of the amounts
    that follow).  Not when a name-only line is over those amounts: they are that item's."""
    rows = list(rows)
    for k in range(len(rows) - 1):
        amounts, label = rows[k], rows[k + 1]
        if _is_amount(amounts.first()[1]) and label.filled_count() == 1 \
                and total_kind(label.first()[1].text) == "total" and not (k and _names_only(rows[k - 1])):
            rows[k], rows[k + 1] = label, amounts
    return rows


def _names_only(row: Row) -> bool:
    """A row of text cells, none printed as an amount (an item name on a line of its own)."""
    return not any(_is_amount(cell) for _, cell in row.filled())


def _is_amount(cell) -> bool:
    """A cell printed as an amount: a number, or a mark for none (`-`, `―`)."""
    return parse_amount(cell.raw) is not None or cell.text in NOT_A_NUMBER


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
