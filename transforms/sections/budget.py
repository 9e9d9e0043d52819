"""予算額・執行額 (and the 2010 予算の状況) table and the 予算内訳 sub-table.

Rows are recognised by their printed label (labels.csv, section ``budget``), values
aligned to the header's year columns by the row's own label (see `align`).
"""

from __future__ import annotations

from dataclasses import dataclass

from transforms.labels import compact, lookup
from transforms.normalize import EraReader, nfkc, parse_number, parse_percent
from transforms.read import Row
from transforms.sections.align import row_offset
from transforms.sections.context import SheetContext

RATE_BASIS = {"rate_total": "total", "rate_initial_plus_supplementary": "initial_plus_supplementary"}


@dataclass(frozen=True)
class YearColumn:
    position: int
    fiscal_year: int
    is_request: bool


def year_columns(header: Row, review_year: int | None, skip: int = -1) -> list[YearColumn]:
    """The year columns of a header row, eras inherited left to right."""
    reader = EraReader(review_year)
    columns = []
    for i, cell in header.filled():
        if i == skip or ("年" not in cell.text):
            continue
        year = reader.read(cell.text)
        if year is not None:
            columns.append(YearColumn(i, year, "要求" in cell.text))
    return columns


def infer_review_year(columns: list[YearColumn]) -> int | None:
    """A sheet without a year in its title: the request column's year minus one."""
    requests = [c.fiscal_year for c in columns if c.is_request]
    if requests:
        return max(requests) - 1
    return max((c.fiscal_year for c in columns), default=None)


def _find_label(row: Row) -> tuple[int, str, str] | None:
    """(index, field, printed label) of the row's budget label; 予算の状況 is skipped."""
    for i, cell in row.filled():
        if len(cell.text) > 40:
            continue
        field = lookup("budget", cell.text)
        if field and field != "ignore":
            return i, field, nfkc(cell.raw)
    return None


def header_of(rows: list[Row]) -> Row:
    return rows[0]


def parse_budget(rows: list[Row], ctx: SheetContext) -> dict[str, list[dict]]:
    """budget_line, budget_line_other and execution_rate rows of one sheet."""
    header = rows[0]
    label_pos = next((i for i, c in header.filled() if "予算" in c.text and "年" not in c.text), -1)
    columns = year_columns(header, ctx.review_year, skip=label_pos)
    out: dict[str, list[dict]] = {"budget_line": [], "budget_line_other": [], "execution_rate": []}
    if not columns:
        ctx.warn("section_unreadable", f"{ctx.source_path}: budget table header has no year columns (line {header.number})", "budget_line")
        return out
    seen: set[tuple] = set()
    for row in rows[1:]:
        found = _find_label(row)
        if found is None:
            _report_unlabelled(row, ctx)
            continue
        index, field, label = found
        offset = row_offset(row, index, columns[0].position)
        for col in columns:
            cell = row[col.position + offset]
            if not cell.text:
                continue
            key = (field, col.fiscal_year, col.is_request, label if field == "other" else "")
            if key in seen:
                ctx.warn("duplicate_cell", f"{ctx.source_path}: budget row '{label}' printed twice for {col.fiscal_year}; first kept", "budget_line", fiscal_year=col.fiscal_year)
                continue
            seen.add(key)
            _emit(out, field, label, col, cell.raw)
    return out


def _emit(out: dict, field: str, label: str, col: YearColumn, raw: str) -> None:
    if field in RATE_BASIS:
        out["execution_rate"].append({
            "fiscal_year": col.fiscal_year, "basis": RATE_BASIS[field],
            "rate": parse_percent(raw), "raw_text": raw,
        })
    elif field == "other":
        out["budget_line_other"].append({
            "fiscal_year": col.fiscal_year, "is_request": col.is_request, "label_ja": label,
            "amount_million_yen": parse_number(raw), "raw_text": raw,
        })
    else:
        out["budget_line"].append({
            "fiscal_year": col.fiscal_year, "is_request": col.is_request, "line": field,
            "amount_million_yen": parse_number(raw), "raw_text": raw, "label_ja": label,
        })


def _report_unlabelled(row: Row, ctx: SheetContext) -> None:
    """A row with numbers but no known label is reported, never silently dropped."""
    filled = row.filled()
    numbers = [c for _, c in filled if parse_number(c.raw) is not None or c.text.endswith("%")]
    texts = [c for _, c in filled if c not in numbers]
    if numbers and texts:
        ctx.unknown_label("budget", texts[0].text, row.number, "budget_line")


def parse_budget_items(rows: list[Row], ctx: SheetContext) -> dict[str, list[dict]]:
    """予算内訳: one budget_item row per item and amount column; 計 -> printed_total."""
    header = rows[0]
    name_pos = next((i for i, c in header.filled() if compact(c.text) in ("歳出予算目", "費目", "予算目")), None)
    reason_pos = next((i for i, c in header.filled() if "増減理由" in c.text), None)
    columns = [c for c in year_columns(header, ctx.review_year) if c.position != name_pos and "予算内訳" not in header[c.position].text]
    out: dict[str, list[dict]] = {"budget_item": [], "printed_total": []}
    if name_pos is None or not columns:
        ctx.warn("section_unreadable", f"{ctx.source_path}: 予算内訳 header not understood (line {header.number})", "budget_item")
        return out
    item_no = 0
    for row in rows[1:]:
        first = row.first()
        if first is None:
            continue
        index, name_cell = first
        offset = index - name_pos
        name = nfkc(name_cell.raw)
        is_total = compact(name) in ("計", "合計")
        if not is_total:
            item_no += 1
        reason = nfkc(row[reason_pos + offset].raw) or None if reason_pos is not None else None
        for col in columns:
            cell = row[col.position + offset]
            if not cell.text:
                continue
            amount = parse_number(cell.raw)
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
