"""成果目標 (outcome), 活動指標 (activity), 単位当たりコスト and the policy block."""

from __future__ import annotations

from decimal import Decimal

from .eras import era_year, number_label
from .grid import Context, Row, Section, bold, cell, fact_text, pad
from .model import Outcome
from .printed import DASH, Printed, group, ratio, value_1dp
from .synth import unit_cost_rows

OUTCOME_TITLE = "成果目標及び成果実績(アウトカム)"
ACTIVITY_TITLE = "活動指標及び活動実績(アウトプット)"
CHECK_ROW = "成果目標及び成果実績(アウトカム)欄についてさらに記載が必要な場合はチェックの上【別紙1】に記載"


def name_slots(name: str | None, slots: int) -> tuple[list[str], str | None]:
    """Spread a multi-line name over the rows of its block (extra lines share the last
    row); returns the printed pieces and the fact name (pieces joined with a newline)."""
    lines = (name or "").split("\n")
    if len(lines) > slots:
        lines = lines[:slots - 1] + [" ".join(lines[slots - 1:])]
    pieces = lines + [""] * (slots - len(lines))
    printed = [p for p in pieces if p]
    return pieces, fact_text("\n".join(printed)) if printed else None


def add_indicator(ctx: Context, kind: str, no: int, name, goal, unit, fiscal_year, period,
                  measure, printed: Printed) -> str:
    """Record one indicator cell (unless blank) and return its text."""
    if printed.text:
        ctx.facts.add("indicator", kind=kind, indicator_no=no, name=name, goal=goal,
                      unit=fact_text(unit), fiscal_year=fiscal_year, period=period, measure=measure,
                      value=printed.value, raw_text=printed.text)
    return printed.text


def target_year_text(ctx: Context, fiscal_year: int | None) -> str:
    """`- 年度`, `2 年度`: bare when the era is the one of the last year column."""
    if fiscal_year is None:
        return "-"
    heisei = ctx.family.heisei_only
    last_era = era_year(ctx.model.past_years[-1], heisei)[0]
    era, n = era_year(fiscal_year, heisei)
    return number_label(n) if era == last_era else f"{era}{number_label(n)}"


def dash() -> Printed:
    return Printed(DASH, None)


# ------------------------------------------------------------------ outcome
def outcome_section(ctx: Context) -> Section:
    f, m = ctx.family, ctx.model
    outcomes: list[Outcome | None] = list(m.outcomes)
    if not outcomes and f.dash_outcome_block:
        outcomes = [None]  # the all-`-` block of sheets without a quantitative goal
    rows = []
    for no, outcome in enumerate(outcomes, start=1):
        rows += outcome_rows(ctx, no, outcome)
    if not outcomes:
        rows.append(Row(outcome_header(ctx, True, None)))
    if f.dash_outcome_block and m.no_goal_reason:
        rows.append(Row(pad([bold("定量的な成果目標の設定が困難な場合"), bold("定量的な目標が設定できない理由"),
                             cell(m.no_goal_reason)], 9)))
        ctx.project["no_quantitative_goal_reason"] = m.no_goal_reason
    if f.outcome_style == "interim":
        rows.append(Row([bold(CHECK_ROW)] + [""] * 7 + ["チェック", ""]))
    return Section("outcome", rows)


def outcome_header(ctx: Context, first: bool, final_year_text: str | None) -> list[str]:
    style = ctx.family.outcome_style
    goal_label = "成果目標" if style == "header_target" else "定量的な成果目標"
    cells = [ctx.heading(OUTCOME_TITLE) if first else "", bold(goal_label), bold("成果指標"), "",
             bold("単位")] + ctx.year_headers(ctx.model.past_years)
    if style == "interim":
        cells.append(bold("中間目標"))
    if style == "header_target":
        return cells + [bold(f"目標値({final_year_text or '-'}年度)")]
    return cells + [bold("目標最終年度")]


def outcome_rows(ctx: Context, no: int, outcome: Outcome | None) -> list[Row]:
    style, shifted = ctx.family.outcome_style, ctx.family.achievement_shifted
    final_year = outcome.final_year if outcome else None
    final_text = target_year_text(ctx, final_year)
    rows = [Row(outcome_header(ctx, no == 1, final_text))]
    if style != "header_target":
        years_row = [""] * (5 + 3) + (["- 年度"] if style == "interim" else []) + [f"{final_text} 年度"]
        rows.append(Row(years_row))
    pieces, name = name_slots(outcome.name if outcome else DASH, 2 if shifted else 3)
    goal = outcome.goal if outcome else DASH
    unit = (outcome.unit if outcome else DASH) or ""
    common = dict(kind="outcome", no=no, name=name, goal=fact_text(goal))
    measures = (("actual", "成果実績", unit), ("target", "目標値", unit), ("achievement", "達成度", "%"))
    for index, (measure, label, row_unit) in enumerate(measures):
        values = outcome_values(ctx, outcome, measure)
        cells = []
        for fy, printed in zip(ctx.model.past_years, values):
            cells.append(add_indicator(ctx, **common, unit=row_unit, fiscal_year=fy, period="year",
                                       measure=measure, printed=printed))
        if style == "interim":
            cells.append(add_indicator(ctx, **common, unit=row_unit, fiscal_year=None,
                                       period="interim_target", measure=measure, printed=ctx.num(dash())))
        final = final_cell(ctx, outcome, measure)
        cells.append(add_indicator(ctx, **common, unit=row_unit, fiscal_year=final_year,
                                   period="final_target", measure=measure, printed=final))
        goal_cell = cell(goal) if index == 0 else ""
        if measure == "achievement" and shifted:
            rows.append(Row(["", "", label, row_unit] + cells + [""]))
        else:
            rows.append(Row(["", goal_cell, pieces[index], label, row_unit] + cells,
                            shiftable=index > 0))
    if ctx.family.data_source_row:
        rows.append(Row(pad(["", bold("根拠として用いた統計・データ名(出典)"), cell(ctx.texts["data_source"])], 10)))
    return rows


def outcome_values(ctx: Context, outcome: Outcome | None, measure: str) -> list[Printed]:
    if outcome is None:
        return [ctx.num(dash()) for _ in ctx.model.past_years]
    by_year = {fy: (actual, target) for fy, actual, target in outcome.years}
    values = []
    for fy in ctx.model.past_years:
        actual, target = by_year.get(fy, (None, None))
        if measure == "actual":
            values.append(value_1dp(actual))
        elif measure == "target":
            values.append(value_1dp(target))
        else:
            rate = ratio(actual, target)
            values.append(value_1dp(None if rate is None else rate * 100))
    return [ctx.num(v) for v in values]


def final_cell(ctx: Context, outcome: Outcome | None, measure: str) -> Printed:
    """目標最終年度 column: the final target on the 目標値 row, `-` elsewhere (blank in
    the old single-column layout)."""
    old = ctx.family.outcome_style == "header_target"
    if measure != "target":
        return Printed("", None) if old else ctx.num(dash())
    if outcome is None or outcome.final_target_text is None:
        return ctx.num(dash())
    if outcome.final_target is None:
        return Printed(outcome.final_target_text, None)
    return ctx.num(value_1dp(outcome.final_target))


# ------------------------------------------------------------------ activity
def activity_section(ctx: Context) -> Section:
    f, m = ctx.family, ctx.model
    outlook_years = [m.form_year, m.form_year + 1] if f.activity_style == "two_outlooks" else [m.form_year]
    header = [ctx.heading(ACTIVITY_TITLE), bold("活動指標"), "", bold("単位")] + ctx.year_headers(m.past_years)
    header += [bold(ctx.year_label(ctx.bare(fy) + "活動見込")) for fy in outlook_years] + [""]
    rows = [Row(header)]
    for no, activity in enumerate(m.activities, start=1):
        if f.activity_style == "combined":
            rows.append(combined_activity_row(ctx, no, activity, outlook_years))
        else:
            rows += activity_rows(ctx, no, activity, outlook_years)
    return Section("activity", rows)


def activity_rows(ctx: Context, no: int, activity, outlook_years: list[int]) -> list[Row]:
    pieces, name = name_slots(activity.name, 2)
    unit = activity.unit or ""
    outlook = dict(activity.outlook)
    rows = []
    for index, (measure, label) in enumerate((("actual", "活動実績"), ("planned", "当初見込み"))):
        common = dict(kind="activity", no=no, name=name, goal=None, unit=unit, measure=measure)
        cells = []
        for fy, actual, planned in year_values(ctx, activity):
            value = actual if measure == "actual" else planned
            cells.append(add_indicator(ctx, **common, fiscal_year=fy, period="year",
                                       printed=ctx.num(value_1dp(value))))
        for fy in outlook_years:
            value = outlook.get(fy) if measure == "planned" else None
            cells.append(add_indicator(ctx, **common, fiscal_year=fy, period="outlook",
                                       printed=ctx.num(value_1dp(value))))
        rows.append(Row(["", pieces[index], label, unit] + cells + [""], shiftable=True))
    return rows


def year_values(ctx: Context, activity) -> list[tuple[int, Decimal | None, Decimal | None]]:
    by_year = {fy: (a, p) for fy, a, p in activity.years}
    return [(fy, *by_year.get(fy, (None, None))) for fy in ctx.model.past_years]


def combined_activity_row(ctx: Context, no: int, activity, outlook_years: list[int]) -> Row:
    """平成24: one `活動実績 (当初見込み)` row whose cells read `47 (47)`."""
    name = activity.name
    unit = activity.unit or ""
    cells = []
    pairs = [(fy, "year", a, p) for fy, a, p in year_values(ctx, activity)]
    pairs += [(fy, "outlook", None, dict(activity.outlook).get(fy)) for fy in outlook_years]
    for fy, period, actual, planned in pairs:
        text = f"{value_1dp(actual).text} ({value_1dp(planned).text})"
        printed_text = ctx.num(Printed(text, None)).text
        for measure, value in (("actual", actual), ("planned", planned)):
            add_indicator(ctx, "activity", no, name, None, unit, fy, period, measure,
                          Printed(printed_text, value_1dp(value).value))
        cells.append(printed_text)
    return Row(["", cell(name), "活動実績 (当初見込み)", unit] + cells + [""], shiftable=True)


# ------------------------------------------------------------------ unit cost
def unit_cost_section(ctx: Context) -> Section:
    f, m = ctx.family, ctx.model
    rows_data = unit_cost_rows(m, ctx.rng("unit_cost"))
    activity = m.activities[0] if m.activities else None
    goal_text = f"執行額 / {activity.name.split(chr(10))[0]}" if activity and activity.name else DASH
    goal, unit = fact_text(goal_text), "千円"
    values = {fy: (None if num is None else value_1dp(num / den)) for fy, num, den in rows_data}
    common = dict(kind="unit_cost", no=1, name=None, goal=goal)
    if f.unit_cost_style == "single":
        fy = m.form_year - 1
        printed = values.get(fy) or Printed(DASH, None)
        printed = ctx.num(Printed(printed.text + (unit if printed.value is not None else ""), printed.value))
        add_indicator(ctx, **common, unit=unit if printed.value is not None else None, fiscal_year=fy,
                      period="year", measure="actual", printed=printed)
        return Section("unit_cost", [Row([bold("単位当たりコスト"), printed.text, bold("算出根拠"), cell(goal_text)])],
                       movable=True)
    outlook = [m.form_year] if f.unit_cost_style == "formula" else []
    tail = ["", ""] if outlook else [""]  # the seed's two empty cells after 活動見込
    header = [bold("単位当たりコスト"), bold("算出根拠"), "", bold("単位")] + ctx.year_headers(m.past_years)
    header += [bold(ctx.year_label(ctx.bare(fy) + "活動見込")) for fy in outlook] + tail
    cells = [add_indicator(ctx, **common, unit=unit, fiscal_year=fy, period="year", measure="actual",
                           printed=ctx.num(values[fy] or dash())) for fy in m.past_years]
    cells += [add_indicator(ctx, **common, unit=unit, fiscal_year=fy, period="outlook", measure="actual",
                            printed=ctx.num(dash())) for fy in outlook]
    rows = [Row(header), Row(["", cell(goal_text), "単位当たりコスト", unit] + cells + tail, shiftable=True)]
    if f.unit_cost_style == "formula":
        denominator_unit = activity.unit if activity and activity.unit not in (None, DASH) else "件"
        formula_unit = f"{unit}/{denominator_unit}数"
        formulas = [formula_cell(num, den) for _, num, den in rows_data] + [dash() for _ in outlook]
        years = m.past_years + outlook
        periods = ["year"] * 3 + ["outlook"] * len(outlook)
        cells = [add_indicator(ctx, **common, unit=formula_unit, fiscal_year=fy, period=period,
                               measure="formula", printed=ctx.num(p))
                 for fy, period, p in zip(years, periods, formulas)]
        rows += [Row(["", "", "計算式", formula_unit] + cells + tail), Row([""])]
    return Section("unit_cost", rows, movable=True)


def formula_cell(numerator: Decimal | None, denominator: Decimal | None) -> Printed:
    """`1,770/47`: a formula is text, never a value."""
    if numerator is None or denominator is None:
        return dash()
    return Printed(f"{group(numerator)}/{group(denominator)}", None)


# ------------------------------------------------------------------ policy
def policy_section(ctx: Context) -> Section:
    """政策評価…との関係: 政策, 施策, the 測定指標 table (2018+) and the relation text."""
    f, t = ctx.family, ctx.texts
    rows = [Row(pad([f.policy_label, "政策", cell(t["policy"])], 13)),
            Row(pad(["", "施策", cell(t["policy_measure"])], 13))]
    ctx.project.update(policy=t["policy"], policy_measure=t["policy_measure"])
    if f.policy_indicator:
        rows += policy_indicator_rows(ctx)
    rows += [Row(pad(["", "本事業の成果と上位施策・測定指標との関係"], 13)), Row(pad(["", cell(t["policy_relation"])], 13))]
    return Section("policy", rows, movable=True)


def policy_indicator_rows(ctx: Context) -> list[Row]:
    """One 測定指標: derived from the first outcome for half the sheets, else all `-`."""
    m = ctx.model
    source = m.outcomes[0] if m.outcomes and ctx.rng("policy").random() < 0.5 else None
    name = f"{source.name.split(chr(10))[0]}(施策全体)" if source and source.name else DASH
    unit = (source.unit or DASH) if source else DASH
    final_year = source.final_year if source else None
    final_text = target_year_text(ctx, final_year)
    header = ["", "測定指標", cell(name), "", "", "", "", "単位"] + ctx.year_headers(m.past_years)
    header += ["中間目標 -年度", f"目標年度 {final_text}年度", ""]
    rows = [Row(header)]
    common = dict(kind="policy", no=1, name=fact_text(name), goal=None, unit=unit)
    for measure, label in (("actual", "実績値"), ("target", "目標値")):
        values = outcome_values(ctx, source, measure)
        cells = [add_indicator(ctx, **common, fiscal_year=fy, period="year", measure=measure, printed=p)
                 for fy, p in zip(m.past_years, values)]
        cells.append(add_indicator(ctx, **common, fiscal_year=None, period="interim_target",
                                   measure=measure, printed=ctx.num(dash())))
        final = final_cell(ctx, source, measure)
        cells.append(add_indicator(ctx, **common, fiscal_year=final_year, period="final_target",
                                   measure=measure, printed=final))
        rows.append(Row(["", "", label, "", "", "", unit] + cells + [""]))
    return rows
