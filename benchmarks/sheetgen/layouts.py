"""What each form family prints, as data: labels, row lists and switches.

One `FormFamily` per layout family (2010, 2011, 2012–13, 2014–15, 2016–17, 2018–19,
2020, 2021–23); `family_for(year)` applies the few per-year differences inside a
family (titles, the 2012 combined activity row, 2014's combined start/end cell).
Renderers read these tables instead of branching on years.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

# ---------------------------------------------------------------- budget table rows
# (printed label, kind, key): kind "line" -> budget_line.line, "rate" -> execution_rate
# basis, "other" -> budget_line_other. Key "carried_net" is the old net 繰越し等 row
# (前年度から繰越し + 翌年度へ繰越し + 予備費等), loaded as carried_in per CONTRACT.md.
BUDGET_ROWS_2010 = (
    ("予算額(当初)", "line", "initial"),
    ("予算額(補正後)", "line", "total"),
    ("執行額", "line", "executed"),
    ("執行率", "rate", "total"),
    ("費用総額(執行ベース)", "other", "cost_total"),
)
BUDGET_ROWS_NET = (
    ("当初予算", "line", "initial"),
    ("補正予算", "line", "supplementary"),
    ("繰越し等", "line", "carried_net"),
    ("計", "line", "total"),
    ("執行額", "line", "executed"),
    ("執行率(%)", "rate", "total"),
)
BUDGET_ROWS_FIVE = (
    ("当初予算", "line", "initial"),
    ("補正予算", "line", "supplementary"),
    ("前年度から繰越し", "line", "carried_in"),
    ("翌年度へ繰越し", "line", "carried_out"),
    ("予備費等", "line", "reserve"),
    ("計", "line", "total"),
    ("執行額", "line", "executed"),
    ("執行率(%)", "rate", "total"),
)
BUDGET_ROWS_SEED = BUDGET_ROWS_FIVE + (
    ("当初予算+補正予算に対する執行額の割合(%)", "rate", "initial_plus_supplementary"),
)
MONEY_AS_HELD = 6  # decimals kept by the 2018+ layouts: the record's value, float noise removed
BUDGET_COMPONENT_KEYS = {"initial", "supplementary", "carried_in", "carried_out", "reserve", "carried_net"}

# ---------------------------------------------------------------- basic information
BASIC_LABELS = {
    "project_number": "事業番号",
    "project_name": "事業名",
    "bureau": "担当部局庁",
    "division": "担当課室",
    "responsible_official": "作成責任者",
    "start": "事業開始年度",
    "end": "事業終了(予定)年度",
    "start_end": "事業開始・終了(予定)年度",
    "account_type": "会計区分",
    "legal_basis": "根拠法令(具体的な条項も記載)",
    "related_plans": "関係する計画、通知等",
    "main_policy": "主要政策・施策",
    "main_expense_category": "主要経費",
    "purpose": "事業の目的(目指す姿を簡潔に。3行程度以内)",
    "overview": "事業概要(5行程度以内。別添可)",
    "implementation_method": "実施方法",
}
OLD_BASIC_LABELS = BASIC_LABELS | {
    "legal_basis": "根拠法令",
    "related_plans": "関係する計画・通知等",
    "purpose": "事業の目的",
    "overview": "事業概要",
}
# Ministries that named projects differently in the old forms (2010-2013).
MINISTRY_WORDS = {
    "外務省": {
        "project_number": "案件番号", "project_name": "案件名", "start": "案件開始年度",
        "start_end": "案件開始・終了(予定)年度", "purpose": "案件の目的", "overview": "案件概要",
    },
    "農林水産省": {"project_name": "予算事業名"},
}

# Row templates: "L:key" is the bold label of a field, "V:key" its value, "" an empty cell.
# Start/end tokens are written for two cells; `basic_row_tokens` folds them into the
# one combined cell (2012-2014) or the start-only cell (2010-2011).
BASIC_ROWS_OLD = (
    ("L:project_name", "V:project_name", "", "L:project_number", "V:project_number"),
    ("L:bureau", "V:bureau", "", "L:responsible_official", "V:responsible_official"),
    ("L:start", "V:start", "", "L:division", "V:division"),
    ("L:account_type", "V:account_type", "", "L:legal_basis", "V:legal_basis"),
    ("L:related_plans", "V:related_plans", "", "", ""),
    ("L:purpose", "V:purpose", "", "", ""),
    ("L:overview", "V:overview", "", "", ""),
    ("L:implementation_method", "V:implementation_method", "", "", ""),
)
NUMBER_ROW = ("", "", "", "", "", "", "L:project_number", "V:project_number", "")
BASIC_ROWS_COMBINED = (
    NUMBER_ROW,
    ("L:project_name", "V:project_name", "", "", "L:bureau", "V:bureau", "", "L:responsible_official", "V:responsible_official"),
    ("L:start_end", "V:start_end", "", "", "L:division", "V:division", "", "", ""),
    ("L:account_type", "V:account_type", "", "", "", "", "", "", ""),
    ("L:legal_basis", "V:legal_basis", "", "", "L:related_plans", "V:related_plans", "", "", ""),
    ("L:purpose", "V:purpose", "", "", "", "", "", "", ""),
    ("L:overview", "V:overview", "", "", "", "", "", "", ""),
    ("L:implementation_method", "V:implementation_method", "", "", "", "", "", "", ""),
)
BASIC_ROWS_TWO_CELLS = (
    NUMBER_ROW,
    ("L:project_name", "V:project_name", "", "", "L:bureau", "V:bureau", "", "L:responsible_official", "V:responsible_official"),
    ("L:start", "V:start", "L:end", "V:end", "L:division", "V:division", "", "", ""),
    ("L:account_type", "V:account_type", "", "", "", "", "", "", ""),
    ("L:legal_basis", "V:legal_basis", "", "", "L:related_plans", "V:related_plans", "", "", ""),
    ("L:main_policy", "V:main_policy", "", "", "L:main_expense_category", "V:main_expense_category", "", "", ""),
    ("L:purpose", "V:purpose", "", "", "", "", "", "", ""),
    ("L:overview", "V:overview", "", "", "", "", "", "", ""),
    ("L:implementation_method", "V:implementation_method", "", "", "", "", "", "", ""),
)
# The seed: 作成責任者's value sits one row below its label (a vertically merged cell).
BASIC_ROWS_SEED = (
    ("L:project_name", "V:project_name", "", "", "L:bureau", "V:bureau", "", "L:responsible_official", "", ""),
    ("L:start", "V:start", "L:end", "V:end", "L:division", "V:division", "", "V:responsible_official", "", ""),
    ("L:account_type", "V:account_type") + ("",) * 8,
    ("L:legal_basis", "V:legal_basis", "", "", "L:related_plans", "V:related_plans", "", "", "", ""),
    ("L:main_policy", "V:main_policy", "", "", "L:main_expense_category", "V:main_expense_category", "", "", "", ""),
    ("L:purpose", "V:purpose") + ("",) * 8,
    ("L:overview", "V:overview") + ("",) * 8,
    ("L:implementation_method", "V:implementation_method") + ("",) * 8,
)

# ---------------------------------------------------------------- recipients
RECIPIENT_COLUMNS_OLD = ("支出先", "業務概要", "支出額(百万円)", "契約方式")
RECIPIENT_COLUMNS_2014 = ("支出先", "業務概要", "支出額(百万円)", "契約方式等", "入札者数", "落札率")
RECIPIENT_COLUMNS_2016 = ("支出先", "法人番号", "業務概要", "支出額(百万円)", "契約方式等", "入札者数(応募者数)", "落札率")
RECIPIENT_COLUMNS_2018 = RECIPIENT_COLUMNS_2016 + (
    "一者応札又は一者応募又は競争性のない随意契約となった理由及び改善策(支出額10億円以上)",
)


@dataclass(frozen=True)
class FormFamily:
    """Everything that differs between the layouts of two review years."""

    name: str
    years: tuple[int, ...]
    basic_labels: dict
    basic_rows: tuple
    start_end_style: str  # "start_only" | "combined" | "two_cells"
    number_style: str  # "plain" | "padded" | "none" | "rs"
    ministry_words: bool  # 案件 / 予算事業名 in place of 事業
    checkbox_method: bool  # 実施方法 printed as □/■ checkboxes
    budget_title: str
    budget_rows: tuple
    budget_label_style: str  # "plain" | "inline" (seed) | "vertical" (one character per row)
    budget_decimals: int  # 0 in the old sheets (whole 百万円), 1 in 2016-17, as held from 2018
    negative: str  # prefix of negative amounts
    zero_as_dash: bool
    rate_decimals: int
    rate_sign: bool  # `%` printed after rates
    header_first_era: bool  # era on the first year column
    heisei_only: bool  # sheets made before 2020 count 平成 past 31
    request_rows: str  # "initial" | "initial_and_total" | "all" | "random"
    request_column_optional: bool  # a finished project's sheet may have no 要求 column
    executed_in_review_year: bool  # the seed prints an execution figure for the review year
    budget_items: str | None  # None or the item column label (費目 / 歳出予算目)
    outcome_style: str  # "header_target" | "final" | "interim"
    dash_outcome_block: bool  # all `-` outcome block + 定量的な目標が設定できない理由
    data_source_row: bool  # 根拠として用いた統計・データ名(出典)
    achievement_shifted: bool  # the seed's 達成度 row sits one cell left of its block
    activity_style: str  # "plain" | "combined" | "two_outlooks"
    unit_cost_style: str  # "single" | "years" | "formula"
    policy_label: str
    policy_indicator: bool
    assessment_wording: str  # "old" | "new"
    assessment_quirks: bool  # the seed's shifted rows and stray blank lines
    has_lineage: bool
    lineage_heisei_31: bool  # 2019 printed as 平成31年度 in the lineage table
    expense_words: tuple[str, str]  # (section word, column word): 費目・使途/使途 or 費目・用途/用途
    recipient_columns: tuple[str, ...]
    opinion_labels: tuple[str, str, str]
    inspection_label: str
    leading_blank_lines: int
    title_bracket: str | None  # fixed `( 総務省 )` spacing, or None for a random one
    prints_div0: bool  # 平成30/31: the 当初+補正 ratio prints #DIV/0! when that sum is 0
    results_note: bool  # ※○年度実績を記入 … note above 資金の流れ
    activity_combined_years: tuple[int, ...] = ()
    combined_start_end_years: tuple[int, ...] = ()

    @property
    def first_year(self) -> int:
        return self.years[0]


_BASE = dict(
    basic_labels=BASIC_LABELS, basic_rows=BASIC_ROWS_TWO_CELLS, start_end_style="two_cells",
    number_style="padded", ministry_words=False, checkbox_method=False,
    budget_title="予算額・執行額(単位:百万円)", budget_rows=BUDGET_ROWS_FIVE,
    budget_label_style="inline", budget_decimals=1, negative="▲", zero_as_dash=False,
    rate_decimals=1, rate_sign=True, header_first_era=True, heisei_only=True,
    request_rows="random", request_column_optional=False, executed_in_review_year=False,
    budget_items="費目", outcome_style="final", dash_outcome_block=False, data_source_row=False,
    achievement_shifted=False,
    activity_style="plain", unit_cost_style="years", policy_label="政策評価との関係",
    policy_indicator=False, assessment_wording="new", assessment_quirks=False, has_lineage=True,
    lineage_heisei_31=True, expense_words=("費目・使途", "使途"),
    recipient_columns=RECIPIENT_COLUMNS_2016,
    opinion_labels=("外部有識者の所見", "行政事業レビュー推進チームの所見", "所見を踏まえた改善点"),
    inspection_label="点検・改善結果", leading_blank_lines=0, title_bracket=None, prints_div0=False,
    results_note=False,
)
_OLD = _BASE | dict(
    basic_labels=OLD_BASIC_LABELS, basic_rows=BASIC_ROWS_OLD, start_end_style="start_only",
    number_style="plain", ministry_words=True, budget_title="予算の状況(単位:百万円)",
    budget_label_style="plain", budget_decimals=0, negative="△", rate_decimals=0,
    header_first_era=False, request_rows="initial", budget_items=None,
    outcome_style="header_target", unit_cost_style="single", assessment_wording="old",
    recipient_columns=RECIPIENT_COLUMNS_OLD, inspection_label="事業所管部局による点検",
)

FAMILIES: tuple[FormFamily, ...] = (
    FormFamily(name="2010", years=(2010,), **_OLD | dict(budget_rows=BUDGET_ROWS_2010, has_lineage=False)),
    FormFamily(name="2011", years=(2011,), **_OLD | dict(
        budget_rows=BUDGET_ROWS_NET, request_rows="initial_and_total", request_column_optional=True)),
    FormFamily(name="2012", years=(2012, 2013), **_OLD | dict(
        basic_rows=BASIC_ROWS_COMBINED, start_end_style="combined", number_style="padded",
        budget_rows=BUDGET_ROWS_NET, rate_decimals=1, rate_sign=False,
        request_rows="initial_and_total", request_column_optional=True,
        activity_combined_years=(2012,))),
    FormFamily(name="2014", years=(2014, 2015), **_BASE | dict(
        budget_decimals=0,
        request_column_optional=True, recipient_columns=RECIPIENT_COLUMNS_2014,
        combined_start_end_years=(2014,))),
    FormFamily(name="2016", years=(2016, 2017), **_BASE | dict(
        budget_label_style="vertical", zero_as_dash=True, rate_decimals=0, checkbox_method=True,
        dash_outcome_block=True,
        policy_label="政策評価、経済・財政再生アクション・プログラムとの関係")),
    FormFamily(name="2018", years=(2018, 2019), **_BASE | dict(
        budget_rows=BUDGET_ROWS_SEED, negative="▲ ", checkbox_method=True, header_first_era=False,
        budget_decimals=MONEY_AS_HELD,
        budget_items="歳出予算目", outcome_style="interim", dash_outcome_block=True,
        data_source_row=True, activity_style="two_outlooks", unit_cost_style="formula",
        policy_label="政策評価、経済・財政再生アクション・プログラムとの関係", policy_indicator=True,
        recipient_columns=RECIPIENT_COLUMNS_2018, prints_div0=True)),
    FormFamily(name="2020", years=(2020,), **_BASE | dict(
        basic_rows=BASIC_ROWS_SEED, number_style="none", budget_rows=BUDGET_ROWS_SEED,
        budget_decimals=MONEY_AS_HELD,
        negative="▲ ", heisei_only=False, request_rows="all", executed_in_review_year=True,
        achievement_shifted=True,
        budget_items="歳出予算目", outcome_style="interim", dash_outcome_block=True,
        activity_style="two_outlooks", unit_cost_style="formula",
        policy_label="政策評価、新経済・財政再生計画との関係", policy_indicator=True,
        assessment_quirks=True, expense_words=("費目・用途", "用途"),
        recipient_columns=RECIPIENT_COLUMNS_2018, leading_blank_lines=2,
        title_bracket=" ( {ministry} )", results_note=True,
        opinion_labels=("外部有識者の所見", "行政事業レビュー推進チームの所見",
                        "所見を踏まえた改善点/概算要求における反映状況"))),
    FormFamily(name="2021", years=(2021, 2022, 2023), **_BASE | dict(
        basic_rows=(NUMBER_ROW,) + BASIC_ROWS_SEED, number_style="rs", budget_rows=BUDGET_ROWS_SEED,
        budget_decimals=MONEY_AS_HELD,
        negative="▲ ", heisei_only=False, lineage_heisei_31=False, achievement_shifted=True,
        budget_items="歳出予算目", outcome_style="interim", dash_outcome_block=True,
        data_source_row=True, activity_style="two_outlooks", unit_cost_style="formula",
        policy_label="政策評価、新経済・財政再生計画との関係", policy_indicator=True,
        assessment_quirks=True, expense_words=("費目・用途", "用途"),
        recipient_columns=RECIPIENT_COLUMNS_2018, title_bracket=" ( {ministry} )", results_note=True,
        opinion_labels=("外部有識者の所見", "行政事業レビュー推進チームの所見",
                        "所見を踏まえた改善点/概算要求における反映状況"))),
)
FAMILY_BY_YEAR = {year: family for family in FAMILIES for year in family.years}


def family_for(form_year: int) -> FormFamily:
    """The layout of one review year, with that year's own differences applied."""
    family = FAMILY_BY_YEAR[form_year]
    changes = {}
    if form_year in family.activity_combined_years:
        changes["activity_style"] = "combined"
    if form_year in family.combined_start_end_years:
        changes["start_end_style"] = "combined"
    if form_year == 2019:  # the 新経済・財政再生計画 (2018) replaced the アクション・プログラム
        changes["policy_label"] = "政策評価、新経済・財政再生計画との関係"
    return dataclasses.replace(family, **changes) if changes else family


START_END_TOKENS = {
    "combined": {"L:start": "L:start_end", "V:start": "V:start_end", "L:end": "", "V:end": ""},
    "start_only": {"L:end": "", "V:end": "", "L:start_end": "L:start", "V:start_end": "V:start"},
    "two_cells": {},
}


def basic_row_tokens(family: FormFamily) -> list[tuple[str, ...]]:
    """The family's basic-information rows with the start/end cells in its style."""
    mapping = START_END_TOKENS[family.start_end_style]
    return [tuple(mapping.get(token, token) for token in row) for row in family.basic_rows]


def title_text(form_year: int, ministry: str, bracket: str) -> str:
    """The title line: no year in 2010, 平成24年 (年, not 年度) in 2012-2014, else 年度."""
    from .eras import era_label

    if form_year == 2010:
        head = "行政事業レビューシート"
    elif 2012 <= form_year <= 2014:
        head = f"{era_label(form_year, heisei_only=True, suffix='年')}行政事業レビューシート"
    else:
        head = f"{era_label(form_year, heisei_only=form_year < 2019)}行政事業レビューシート"
    return head + bracket.format(ministry=ministry)


TITLE_BRACKETS = (" ({ministry})", "({ministry})", " ( {ministry} )", "( {ministry} )")
