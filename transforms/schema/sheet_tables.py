"""The contract's tables a printed review sheet fills (CONTRACT.md in the design brief:
never rename or re-purpose one), and `printed_total`, kept to check the items' sums."""

from __future__ import annotations

from transforms.schema.model import (ASSESSMENT_CATEGORIES, ASSESSMENT_RATINGS, BUDGET_LINES, FY_FK, INDICATOR_KINDS,
                                     INDICATOR_MEASURES, INDICATOR_PERIODS, MONEY, PROJECT_FK, PROJECT_KEY, RATE,
                                     RATE_BASES, VALUE, Table, col)

PROJECT = Table(
    "project", "事業", "One row per review sheet (行政事業レビューシート).",
    (
        PROJECT_KEY,
        col("project_id", "VARCHAR", "事業ID", "the same project across review years (linked by number and lineage)", False),
        col("review_year", "INTEGER", "レビュー実施年度", "Gregorian fiscal year of the review", False),
        col("ministry", "VARCHAR", "府省庁", "ministry as printed in the title, NFKC, trimmed", False),
        col("project_number", "VARCHAR", "事業番号", "number printed for this sheet; NULL if not printed"),
        col("project_name", "VARCHAR", "事業名", "事業名 / 案件名 / 予算事業名", False),
        col("bureau", "VARCHAR", "担当部局庁"),
        col("division", "VARCHAR", "担当課室"),
        col("responsible_official", "VARCHAR", "作成責任者"),
        col("start_fiscal_year", "INTEGER", "事業開始年度"),
        col("end_fiscal_year", "INTEGER", "事業終了(予定)年度", "NULL when no end is planned (終了予定なし)"),
        col("start_end_text", "VARCHAR", "事業開始・終了(予定)年度", "the printed start/end cell(s)"),
        col("account_type", "VARCHAR", "会計区分"),
        col("legal_basis", "VARCHAR", "根拠法令"),
        col("related_plans", "VARCHAR", "関係する計画、通知等"),
        col("main_policy", "VARCHAR", "主要政策・施策"),
        col("main_expense_category", "VARCHAR", "主要経費"),
        col("purpose", "VARCHAR", "事業の目的"),
        col("overview", "VARCHAR", "事業概要"),
        col("implementation_method", "VARCHAR", "実施方法"),
        col("policy", "VARCHAR", "政策"),
        col("policy_measure", "VARCHAR", "施策"),
        col("inspection_result", "VARCHAR", "点検結果"),
        col("improvement_direction", "VARCHAR", "改善の方向性"),
        col("external_expert_opinion", "VARCHAR", "外部有識者の所見"),
        col("review_team_opinion", "VARCHAR", "行政事業レビュー推進チームの所見"),
        col("reflection", "VARCHAR", "所見を踏まえた改善点"),
        col("remarks", "VARCHAR", "備考"),
        col("no_quantitative_goal_reason", "VARCHAR", "定量的な目標が設定できない理由"),
        col("source_path", "VARCHAR", "ファイル", "file the sheet came from", False),
        col("source_sha256", "VARCHAR", "ファイルハッシュ", "SHA-256 of the file's bytes", False),
        col("source_format", "VARCHAR", "ファイル形式", "sheet_text, sheet_xlsx, ...", False),
        col("form_family", "VARCHAR", "様式", "layout family the parser recognised (2010, 2012, ..., 2021)"),
    ),
    key=("project_key",),
)

BUDGET_LINE = Table(
    "budget_line", "予算額・執行額", "予算額・執行額 table: one row per printed cell.",
    (
        PROJECT_KEY,
        col("fiscal_year", "INTEGER", "年度", "column year", False),
        col("is_request", "BOOLEAN", "要求", "true for the ○年度要求 column", False),
        col("line", "VARCHAR", "区分", "initial, supplementary, carried_in, carried_out, reserve, total, executed", False, BUDGET_LINES),
        col("amount_million_yen", MONEY, "金額(百万円)", "signed as printed; NULL when the cell is not a number"),
        col("raw_text", "VARCHAR", "表示値", "the printed cell"),
        col("label_ja", "VARCHAR", "行ラベル", "the printed row label"),
    ),
    key=("project_key", "fiscal_year", "is_request", "line"),
    foreign_keys=PROJECT_FK + FY_FK,
)

BUDGET_LINE_OTHER = Table(
    "budget_line_other", "予算額・執行額(その他の行)",
    "Rows of the budget table that map to no contract line (費用総額(執行ベース), ...).",
    (
        PROJECT_KEY,
        col("fiscal_year", "INTEGER", "年度", "", False),
        col("is_request", "BOOLEAN", "要求", "", False),
        col("label_ja", "VARCHAR", "行ラベル", "the printed row label", False),
        col("amount_million_yen", MONEY, "金額(百万円)"),
        col("raw_text", "VARCHAR", "表示値"),
    ),
    key=("project_key", "fiscal_year", "is_request", "label_ja"),
    foreign_keys=PROJECT_FK + FY_FK,
)

EXECUTION_RATE = Table(
    "execution_rate", "執行率", "執行率 rows as printed, as fractions.",
    (
        PROJECT_KEY,
        col("fiscal_year", "INTEGER", "年度", "", False),
        col("basis", "VARCHAR", "基準", "total (執行率) or initial_plus_supplementary", False, RATE_BASES),
        col("rate", RATE, "執行率", "fraction: 85% -> 0.85"),
        col("raw_text", "VARCHAR", "表示値"),
    ),
    key=("project_key", "fiscal_year", "basis"),
    foreign_keys=PROJECT_FK + FY_FK,
)

BUDGET_ITEM = Table(
    "budget_item", "予算内訳", "○・○年度予算内訳 (歳出予算目); the 計 row is not an item.",
    (
        PROJECT_KEY,
        col("fiscal_year", "INTEGER", "年度", "", False),
        col("is_request", "BOOLEAN", "要求", "", False),
        col("item_no", "INTEGER", "行番号", "1-based order of the item in the table", False),
        col("item_name", "VARCHAR", "歳出予算目", "as printed; `項／目` where the 項 has a column of its own (and for RS System items)", False),
        col("amount_million_yen", MONEY, "金額(百万円)"),
        col("change_reason", "VARCHAR", "主な増減理由"),
        col("raw_text", "VARCHAR", "表示値"),
    ),
    key=("project_key", "fiscal_year", "is_request", "item_no"),
    foreign_keys=PROJECT_FK + FY_FK,
)

INDICATOR = Table(
    "indicator", "成果・活動指標",
    "Outcome, activity, unit-cost and policy indicators, one row per printed cell.",
    (
        PROJECT_KEY,
        col("kind", "VARCHAR", "指標種別", "outcome, activity, unit_cost, policy", False, INDICATOR_KINDS),
        col("indicator_no", "INTEGER", "指標番号", "1-based order within (project_key, kind)", False),
        col("name", "VARCHAR", "指標名", "成果指標 / 活動指標; lines joined with a newline"),
        col("goal", "VARCHAR", "成果目標・算出根拠", "定量的な成果目標 (outcome), 算出根拠 (unit cost)"),
        col("unit", "VARCHAR", "単位"),
        col("fiscal_year", "INTEGER", "年度", "column year; NULL when a target column prints '- 年度'"),
        col("period", "VARCHAR", "期間", "year, outlook, interim_target, final_target", False, INDICATOR_PERIODS),
        col("measure", "VARCHAR", "区分", "actual, target, achievement, planned, formula", False, INDICATOR_MEASURES),
        col("value", VALUE, "値", "NULL when not a number; achievement is a printed percent"),
        col("raw_text", "VARCHAR", "表示値"),
    ),
    key=("project_key", "kind", "indicator_no", "period", "fiscal_year", "measure"),
    foreign_keys=PROJECT_FK + FY_FK,
)

RECIPIENT = Table(
    "recipient", "支出先上位10者リスト", "支出先上位10者リスト: top recipients per block.",
    (
        PROJECT_KEY,
        col("block", "VARCHAR", "ブロック", "A, B, ...", False),
        col("rank", "INTEGER", "順位", "", False),
        col("name", "VARCHAR", "支出先", ""),
        col("corporate_number", "VARCHAR", "法人番号", "13 characters or NULL"),
        col("description", "VARCHAR", "業務概要"),
        col("amount_million_yen", MONEY, "支出額(百万円)"),
        col("contract_method", "VARCHAR", "契約方式等"),
        col("bidder_count", "INTEGER", "入札者数(応募者数)"),
        col("winning_bid_rate", RATE, "落札率", "fraction"),
        col("fiscal_year", "INTEGER", "支出年度", "payment year = review_year - 1"),
        col("raw_text", "VARCHAR", "表示値", "the printed amount cell"),
    ),
    key=("project_key", "block", "rank"),
    foreign_keys=PROJECT_FK + FY_FK,
)

EXPENSE = Table(
    "expense", "費目・用途", "費目・使途 / 費目・用途 blocks.",
    (
        PROJECT_KEY,
        col("block", "VARCHAR", "ブロック", "A, B, ...", False),
        col("row_no", "INTEGER", "行番号", "1-based order within the block", False),
        col("expense_item", "VARCHAR", "費目"),
        col("purpose", "VARCHAR", "用途"),
        col("amount_million_yen", MONEY, "金額(百万円)"),
        col("raw_text", "VARCHAR", "表示値"),
    ),
    key=("project_key", "block", "row_no"),
    foreign_keys=PROJECT_FK,
)

ASSESSMENT = Table(
    "assessment", "事業所管部局による点検・改善", "Self-assessment questions, ratings and explanations.",
    (
        PROJECT_KEY,
        col("category", "VARCHAR", "観点", "the older forms' names (事業の必要性, 効率性, 重複排除, ...) "
           "are stored as the contract's four", True, ASSESSMENT_CATEGORIES),
        col("item_no", "INTEGER", "項目番号", "1-based order in the sheet", False),
        col("question", "VARCHAR", "項目", "", False),
        col("rating", "VARCHAR", "評価", "○ × △ 有 無 -", True, ASSESSMENT_RATINGS),
        col("explanation", "VARCHAR", "評価に関する説明"),
    ),
    key=("project_key", "item_no"),
    foreign_keys=PROJECT_FK,
)

LINEAGE = Table(
    "lineage", "関連する過去のレビューシートの事業番号", "Numbers of this project's earlier review sheets.",
    (
        PROJECT_KEY,
        col("past_review_year", "INTEGER", "過去のレビュー年度", "", False),
        col("past_ministry", "VARCHAR", "過去の府省庁", "NULL = same ministry"),
        col("past_project_number", "VARCHAR", "過去の事業番号", "", False),
    ),
    key=("project_key", "past_review_year", "past_project_number", "past_ministry"),
    foreign_keys=PROJECT_FK,
)


PRINTED_TOTAL = Table(
    "printed_total", "表示された合計",
    "計 rows printed under 予算内訳, 費目・用途 and 支出先 blocks: not items, kept to check the items' sum.",
    (
        PROJECT_KEY,
        col("table_name", "VARCHAR", "対象表", "budget_item, expense or recipient", False, ("budget_item", "expense", "recipient")),
        col("block", "VARCHAR", "ブロック", "block letter (expense, recipient); NULL for budget_item"),
        col("fiscal_year", "INTEGER", "年度", "column year (budget_item)"),
        col("is_request", "BOOLEAN", "要求", "request column (budget_item)"),
        col("amount_million_yen", MONEY, "金額(百万円)"),
        col("raw_text", "VARCHAR", "表示値"),
    ),
    foreign_keys=PROJECT_FK,
)
