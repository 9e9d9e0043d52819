"""予算額・執行額 table and the ○・○年度予算内訳 sub-table."""

from __future__ import annotations

from decimal import Decimal

from .eras import era_year
from .grid import Context, Row, Section, bold, pad
from .layouts import BUDGET_COMPONENT_KEYS
from .printed import Printed, money, percent, ratio, round_to
from .synth import budget_items, executed_for_review_year

VERTICAL_LABEL = "予算の状況"
WIDTH_TAIL = ("", "")  # the seed's two empty cells after the 要求 column


def budget_section(ctx: Context) -> Section:
    """Header with year columns, then one row per label of the family's budget rows."""
    family, model = ctx.family, ctx.model
    years = model.budget_years
    request_label = ctx.year_label(ctx.bare(model.form_year + 1) + "要求")
    headers = ctx.year_headers(years) + ([request_label] if ctx.show_request else [])
    lead = 1 if family.budget_label_style == "plain" else 2
    tail = [] if family.budget_label_style == "plain" else list(WIDTH_TAIL)
    rows = [Row([ctx.heading(family.budget_title)] + [""] * lead + headers + tail)]
    request_rows = request_row_keys(ctx)
    component_index = 0
    for label, kind, key in family.budget_rows:
        cells = [budget_cell(ctx, label, kind, key, fy) for fy in years]
        if ctx.show_request:
            cells.append(request_cell(ctx, label, kind, key, request_rows))
        if key in BUDGET_COMPONENT_KEYS and family.budget_label_style != "plain":
            row_head = ["", component_label(family.budget_label_style, component_index), label]
            component_index += 1
        else:
            row_head = ["", label] + ([""] if family.budget_label_style != "plain" else [])
        rows.append(Row(row_head + cells + tail, shiftable=True))
    return Section("budget", rows)


def component_label(style: str, index: int) -> str:
    """`予算の状況` on the first component row, or one character per row (vertical)."""
    if style == "vertical":
        return VERTICAL_LABEL[index] if index < len(VERTICAL_LABEL) else ""
    return VERTICAL_LABEL if index == 0 else ""


def request_row_keys(ctx: Context) -> set[str]:
    """Which rows print a value in the 要求 column."""
    mode = ctx.family.request_rows
    if mode == "random":
        mode = ctx.rng("request_rows").choice(("all", "initial_and_total"))
    if mode == "initial":
        return {"initial"}
    if mode == "initial_and_total":
        return {"initial", "total"}
    return {"initial", "total"} | BUDGET_COMPONENT_KEYS


def amount_of(ctx: Context, key: str, fiscal_year: int) -> Decimal | None:
    """Unrounded amount of one line and year (the review year's 執行額 only in the seed family)."""
    year = ctx.model.budget_of(fiscal_year)
    if year is None:
        return None
    if key == "executed" and fiscal_year == ctx.model.form_year:
        return executed_for_review_year(ctx.model) if ctx.family.executed_in_review_year else None
    if key == "cost_total":
        executed = amount_of(ctx, "executed", fiscal_year)
        factor = Decimal(str(round(ctx.rng(f"cost_total{fiscal_year}").uniform(1.02, 1.15), 2)))
        return None if executed is None else executed * factor
    return year.get(key)


def print_money(ctx: Context, amount: Decimal | None, decimals: int | None = None) -> Printed:
    f = ctx.family
    return ctx.num(money(amount, f.budget_decimals if decimals is None else decimals, f.negative, f.zero_as_dash))


def budget_cell(ctx: Context, label: str, kind: str, key: str, fiscal_year: int) -> str:
    """Print one cell and record its fact row."""
    if kind == "rate":
        return rate_cell(ctx, key, fiscal_year)
    printed = print_money(ctx, amount_of(ctx, key, fiscal_year))
    record_amount(ctx, kind, key, label, fiscal_year, False, printed)
    return printed.text


def request_cell(ctx: Context, label: str, kind: str, key: str, request_rows: set[str]) -> str:
    if kind != "line" or key not in request_rows:
        return ""
    amount = ctx.model.request if key in ("initial", "total") else Decimal(0)
    printed = print_money(ctx, amount)
    record_amount(ctx, kind, key, label, ctx.model.form_year + 1, True, printed)
    return printed.text


def record_amount(ctx, kind, key, label, fiscal_year, is_request, printed: Printed) -> None:
    if not printed.text:
        return
    if kind == "other":
        ctx.facts.add("budget_line_other", fiscal_year=fiscal_year, is_request=is_request, label_ja=label,
                      amount_million_yen=printed.value, raw_text=printed.text)
        return
    line = "carried_in" if key == "carried_net" else key  # CONTRACT: 繰越し等 -> carried_in
    ctx.facts.add("budget_line", fiscal_year=fiscal_year, is_request=is_request, line=line,
                  amount_million_yen=printed.value, raw_text=printed.text, label_ja=label)


def rate_cell(ctx: Context, basis: str, fiscal_year: int) -> str:
    """執行率 (basis total) or 当初予算+補正予算に対する執行額の割合; `#DIV/0!` when the
    initial+supplementary budget is 0 (平成30/31 sheets), `-` when 計 is 0."""
    executed = amount_of(ctx, "executed", fiscal_year)
    year = ctx.model.budget_of(fiscal_year)
    if executed is None or year is None:
        return ""
    if basis == "total":
        denominator = year.total
    else:
        denominator = (year.initial or 0) + (year.supplementary or 0)
    f = ctx.family
    printed = percent(ratio(executed, denominator), f.rate_decimals, f.rate_sign)
    if printed.value is None and basis != "total" and f.prints_div0:
        printed = Printed("#DIV/0!", None)
    printed = ctx.num(printed)
    ctx.facts.add("execution_rate", fiscal_year=fiscal_year, basis=basis, rate=printed.value,
                  raw_text=printed.text)
    return printed.text


def budget_items_section(ctx: Context) -> Section | None:
    """`令和2・3年度予算内訳(単位:百万円)`: items summing to the printed 当初予算 and 要求."""
    f, m = ctx.family, ctx.model
    if f.budget_items is None:
        return None
    fy = m.form_year
    era, n = era_year(fy, f.heisei_only)
    title = f"{era}{n if n > 1 else '元'}・{era_year(fy + 1, f.heisei_only)[1]}年度予算内訳(単位:百万円)"
    header = [ctx.heading(title), bold(f.budget_items), bold(ctx.year_label(ctx.bare(fy) + "当初予算"))]
    if ctx.show_request:
        header.append(bold(ctx.year_label(ctx.bare(fy + 1) + "要求")))
    header.append(bold("主な増減理由"))
    current = money(amount_of(ctx, "initial", fy), f.budget_decimals).value or Decimal(0)
    request = money(m.request, f.budget_decimals).value if ctx.show_request else None
    rows = [Row(pad(header, 10))]
    items = budget_items(m, current, request, ctx.rng("budget_items"))
    for item_no, (name, amount, requested, reason) in enumerate(items, start=1):
        cells = ["", name, item_cell(ctx, fy, False, item_no, name, amount, reason)]
        if ctx.show_request:
            cells.append(item_cell(ctx, fy + 1, True, item_no, name, requested, reason))
        rows.append(Row(pad(cells + [reason or ""], 10), shiftable=True))
    total_cells = ["", "計", item_total_cell(ctx, fy, False, current)]
    if ctx.show_request:
        total_cells.append(item_total_cell(ctx, fy + 1, True, request))
    rows.append(Row(pad(total_cells, 10)))
    return Section("budget_items", rows)


def item_total_cell(ctx: Context, fiscal_year: int, is_request: bool, amount) -> str:
    """The 計 row of 予算内訳: not an item, kept in printed_total."""
    printed = print_money(ctx, amount, 1)
    if printed.text:
        ctx.facts.add("printed_total", table_name="budget_item", fiscal_year=fiscal_year,
                      is_request=is_request, amount_million_yen=printed.value, raw_text=printed.text)
    return printed.text


def item_cell(ctx, fiscal_year, is_request, item_no, name, amount, reason) -> str:
    printed = print_money(ctx, None if amount is None else round_to(amount, 1), 1)
    if printed.text:
        ctx.facts.add("budget_item", fiscal_year=fiscal_year, is_request=is_request, item_no=item_no,
                      item_name=name, amount_million_yen=printed.value, change_reason=reason,
                      raw_text=printed.text)
    return printed.text
