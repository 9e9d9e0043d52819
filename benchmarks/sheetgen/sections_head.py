"""Title and basic information (事業名 … 実施方法), and the project facts they print."""

from __future__ import annotations

from . import wording
from .eras import era_label, era_year, two_digit_era_year
from .grid import Context, Row, Section, bold, cell, fact_text
from .layouts import MINISTRY_WORDS, TITLE_BRACKETS, basic_row_tokens, title_text


def title_section(ctx: Context) -> Section:
    rng = ctx.rng("title")
    bracket = ctx.family.title_bracket or rng.choice(TITLE_BRACKETS)
    rows = [Row([""]) for _ in range(ctx.family.leading_blank_lines)]
    rows += [Row([title_text(ctx.model.form_year, ctx.model.ministry, bracket)]), Row([""])]
    ctx.project.update(review_year=ctx.model.form_year, ministry=ctx.model.ministry,
                       form_family=ctx.family.name)
    return Section("title", rows)


def basic_section(ctx: Context) -> Section:
    """The label/value grid of the sheet's head; values and facts per field."""
    values = basic_values(ctx)
    labels = dict(ctx.family.basic_labels)
    if ctx.family.ministry_words:
        labels.update(MINISTRY_WORDS.get(ctx.model.ministry, {}))
    rows = []
    for tokens in basic_row_tokens(ctx.family):
        if values.get("project_number") is None and "V:project_number" in tokens and not any(
                t.startswith("L:") and t != "L:project_number" for t in tokens):
            continue  # a number row with no number is not printed at all
        cells = []
        for token in tokens:
            kind, _, key = token.partition(":")
            if kind == "L" and not (key == "project_number" and values.get(key) is None):
                cells.append(bold(labels[key]))
            elif kind == "V":
                cells.append(cell(values.get(key)))
            else:
                cells.append("")
        rows.append(Row(cells))
    return Section("basic", rows)


def basic_values(ctx: Context) -> dict:
    """Printed value per basic field; records the project facts as a side effect."""
    m, texts = ctx.model, ctx.texts
    printed_number, number_fact = project_number(ctx)
    start_cell, end_cell, start_end, start_fy, end_fy = start_end_cells(ctx)
    method_cell = implementation_cell(ctx)
    values = {
        "project_number": printed_number, "project_name": m.project_name, "bureau": m.bureau,
        "division": m.division, "responsible_official": m.official, "start": start_cell,
        "end": end_cell, "start_end": start_end, "account_type": "、".join(m.account_types) or None,
        "legal_basis": texts["legal_basis"], "related_plans": texts["related_plans"],
        "main_policy": texts["main_policy"], "main_expense_category": texts["main_expense_category"],
        "purpose": m.purpose, "overview": m.overview, "implementation_method": method_cell,
    }
    printed = {t.partition(":")[2] for row in basic_row_tokens(ctx.family) for t in row if t.startswith("V:")}
    shown = {key: (values[key] if key in printed else None) for key in values}
    if ctx.family.start_end_style == "two_cells":  # both printed cells, joined
        start_end_text = " / ".join(v for v in (shown["start"], shown["end"]) if v) or None
    else:
        start_end_text = shown["start_end"] or shown["start"]
    ctx.project.update(
        project_number=number_fact if shown["project_number"] else None,
        project_name=m.project_name, bureau=m.bureau, division=m.division,
        responsible_official=m.official, start_fiscal_year=start_fy, end_fiscal_year=end_fy,
        start_end_text=start_end_text, account_type=shown["account_type"],
        legal_basis=fact_text(shown["legal_basis"]), related_plans=fact_text(shown["related_plans"]),
        main_policy=fact_text(shown["main_policy"]),
        main_expense_category=fact_text(shown["main_expense_category"]),
        purpose=m.purpose, overview=m.overview,
        implementation_method=shown["implementation_method"],
    )
    return shown


def project_number(ctx: Context) -> tuple[str | None, str | None]:
    """(printed 事業番号, its fact): `198`, `0019`, `新30-0035`, `新30 0035`,
    `復興庁:167 環境省:127` (fact: the title ministry's own number), `2021-総務-20-0032`."""
    m, style, rng = ctx.model, ctx.family.number_style, ctx.rng("number")
    core = m.number_core
    if core is None or style == "none" or rng.random() < 0.05:
        return None, None
    main, _, sub = core.partition("-")
    if style == "plain":
        printed = str(int(main)) + (f"-{sub}" if sub else "") if main.isdigit() else core
        return printed, printed
    if style == "rs":
        year_code = m.form_year - 2000 - (0 if m.new_offset is not None else 1)
        abbreviation = wording.RS_MINISTRY_ABBREVIATIONS.get(m.ministry, m.ministry[:2])
        printed = f"{m.form_year}-{abbreviation}-{year_code}-{core}"
        return printed, printed
    if m.new_offset is not None and ctx.family.first_year >= 2014:
        era_digits = two_digit_era_year(m.form_year + m.new_offset, ctx.family.heisei_only)
        printed = f"新{era_digits}{rng.choice(('-', ' '))}{core}"
        return printed, printed
    if m.ministry == "復興庁" and main.isdigit() and ctx.family.first_year < 2020 and rng.random() < 0.3:
        own = str(int(main))
        partner = rng.choice(wording.JOINT_PARTNERS)
        return f"{m.ministry}:{own} {partner}:{rng.randint(1, 400)}", own
    return core, core


def start_end_cells(ctx: Context):
    """(start cell, end cell, combined cell, start FY, end FY) in the family's style."""
    m, rng, heisei = ctx.model, ctx.rng("start_end"), ctx.family.heisei_only
    start = era_label(m.start_year, heisei) if m.start_year else None
    end = era_label(m.end_year, heisei) if m.end_year else None
    two_cell_end = end or ("終了予定なし" if start else None)
    combined, start_fy, end_fy = combined_start_end(m.start_year, m.end_year, start, end, rng)
    if ctx.family.start_end_style == "combined":
        return start, two_cell_end, combined, start_fy, end_fy
    if ctx.family.start_end_style == "start_only":
        return start, None, None, m.start_year, None
    return start, two_cell_end, combined, m.start_year, m.end_year


def combined_start_end(start_fy, end_fy, start, end, rng):
    """One 事業開始・終了(予定)年度 cell: `昭和62年度開始`, `平成20年度~平成24年度`,
    `22年度 ~ 27年度`, `平成14年度~`, `平成24年4月1日~平成25年3月31日`, `別紙参照`."""
    if rng.random() < 0.03:
        return "別紙参照", None, None
    if start is None:
        return (f"~{end}" if end else None), None, end_fy
    if end is None:
        return rng.choice((f"{start}~", f"{start}開始")), start_fy, None
    if start_fy == end_fy and rng.random() < 0.5:
        first = era_label(start_fy, True, suffix="年") + "4月1日"
        last = era_label(end_fy + 1, True, suffix="年") + "3月31日"
        return f"{first}~{last}", start_fy, end_fy
    same_era = era_year(start_fy, True)[0] == era_year(end_fy, True)[0] == "平成"
    if same_era and rng.random() < 0.3:
        s, e = era_year(start_fy, True)[1], era_year(end_fy, True)[1]
        return f"{s}年度 ~ {e}年度", start_fy, end_fy
    return f"{start}~{end}", start_fy, end_fy


def implementation_cell(ctx: Context) -> str | None:
    """実施方法: `直接実施、委託・請負`, or checkboxes `■直接実施 □委託・請負 …`."""
    methods = ctx.model.methods
    if not methods:
        return None
    if not ctx.family.checkbox_method:
        return "、".join(methods)
    choices = list(wording.IMPLEMENTATION_CHOICES) + [m for m in methods if m not in wording.IMPLEMENTATION_CHOICES]
    return " ".join(("■" if c in methods else "□") + c for c in choices)
