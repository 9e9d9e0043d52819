"""The warehouse contract as data: every public table and column, defined once.

Parquet schemas, DuckDB DDL, `COMMENT ON` text and the column lists of the
data-quality suites are all derived from `TABLES` below; nothing else in the
code base spells a column type.  The public names and meanings follow the
project's contract (CONTRACT.md in the design brief): add columns freely, never
rename or re-purpose one.

Types are written in DuckDB's vocabulary ("VARCHAR", "DECIMAL(20,6)", ...) and
mapped to Arrow types by `arrow_type()`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import pyarrow as pa

MONEY = "DECIMAL(20,6)"  # millions of yen (百万円), exact, signed as printed
RATE = "DECIMAL(12,6)"  # a fraction: 85% -> 0.85
VALUE = "DECIMAL(24,6)"  # indicator values as printed


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    label_ja: str
    description: str = ""
    nullable: bool = True
    domain: tuple[str, ...] | None = None  # allowed values for a categorical column


@dataclass(frozen=True)
class Table:
    name: str
    label_ja: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    per_sheet: bool = True  # rows produced by parsing one sheet (carry project_key)
    foreign_keys: tuple[tuple[str, str, str], ...] = field(default=())  # (column, table, column)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name}.{name}")


def _c(name, type_, label_ja, description="", nullable=True, domain=None) -> Column:
    return Column(name, type_, label_ja, description, nullable, domain)


PROJECT_KEY = _c("project_key", "VARCHAR", "シートキー", "deterministic key of one review sheet", False)
FY_FK = (("fiscal_year", "fiscal_year", "fiscal_year"),)
FILE_ROW_NO = _c("row_no", "INTEGER", "行番号", "1-based order in the file", False)  # RS System rows
PROJECT_FK = (("project_key", "project", "project_key"),)

BUDGET_LINES = ("initial", "supplementary", "carried_in", "carried_out", "reserve", "total", "executed")
INDICATOR_KINDS = ("outcome", "activity", "unit_cost", "policy")
INDICATOR_PERIODS = ("year", "outlook", "interim_target", "final_target")
INDICATOR_MEASURES = ("actual", "target", "achievement", "planned", "formula")
RATE_BASES = ("total", "initial_plus_supplementary")
ASSESSMENT_RATINGS = ("○", "×", "△", "有", "無", "-")
ASSESSMENT_CATEGORIES = ("国費投入の必要性", "事業の効率性", "事業の有効性", "関連事業")
FILE_STATUSES = ("loaded", "unchanged", "quarantined")
SEVERITIES = ("error", "warning")

PROJECT = Table(
    "project", "事業", "One row per review sheet (行政事業レビューシート).",
    (
        PROJECT_KEY,
        _c("project_id", "VARCHAR", "事業ID", "the same project across review years (linked by number and lineage)", False),
        _c("review_year", "INTEGER", "レビュー実施年度", "Gregorian fiscal year of the review", False),
        _c("ministry", "VARCHAR", "府省庁", "ministry as printed in the title, NFKC, trimmed", False),
        _c("project_number", "VARCHAR", "事業番号", "number printed for this sheet; NULL if not printed"),
        _c("project_name", "VARCHAR", "事業名", "事業名 / 案件名 / 予算事業名", False),
        _c("bureau", "VARCHAR", "担当部局庁"),
        _c("division", "VARCHAR", "担当課室"),
        _c("responsible_official", "VARCHAR", "作成責任者"),
        _c("start_fiscal_year", "INTEGER", "事業開始年度"),
        _c("end_fiscal_year", "INTEGER", "事業終了(予定)年度", "NULL when no end is planned (終了予定なし)"),
        _c("start_end_text", "VARCHAR", "事業開始・終了(予定)年度", "the printed start/end cell(s)"),
        _c("account_type", "VARCHAR", "会計区分"),
        _c("legal_basis", "VARCHAR", "根拠法令"),
        _c("related_plans", "VARCHAR", "関係する計画、通知等"),
        _c("main_policy", "VARCHAR", "主要政策・施策"),
        _c("main_expense_category", "VARCHAR", "主要経費"),
        _c("purpose", "VARCHAR", "事業の目的"),
        _c("overview", "VARCHAR", "事業概要"),
        _c("implementation_method", "VARCHAR", "実施方法"),
        _c("policy", "VARCHAR", "政策"),
        _c("policy_measure", "VARCHAR", "施策"),
        _c("inspection_result", "VARCHAR", "点検結果"),
        _c("improvement_direction", "VARCHAR", "改善の方向性"),
        _c("external_expert_opinion", "VARCHAR", "外部有識者の所見"),
        _c("review_team_opinion", "VARCHAR", "行政事業レビュー推進チームの所見"),
        _c("reflection", "VARCHAR", "所見を踏まえた改善点"),
        _c("remarks", "VARCHAR", "備考"),
        _c("no_quantitative_goal_reason", "VARCHAR", "定量的な目標が設定できない理由"),
        _c("source_path", "VARCHAR", "ファイル", "file the sheet came from", False),
        _c("source_sha256", "VARCHAR", "ファイルハッシュ", "SHA-256 of the file's bytes", False),
        _c("source_format", "VARCHAR", "ファイル形式", "sheet_text, sheet_xlsx, ...", False),
        _c("form_family", "VARCHAR", "様式", "layout family the parser recognised (2010, 2012, ..., 2021)"),
    ),
    key=("project_key",),
)

BUDGET_LINE = Table(
    "budget_line", "予算額・執行額", "予算額・執行額 table: one row per printed cell.",
    (
        PROJECT_KEY,
        _c("fiscal_year", "INTEGER", "年度", "column year", False),
        _c("is_request", "BOOLEAN", "要求", "true for the ○年度要求 column", False),
        _c("line", "VARCHAR", "区分", "initial, supplementary, carried_in, carried_out, reserve, total, executed", False, BUDGET_LINES),
        _c("amount_million_yen", MONEY, "金額(百万円)", "signed as printed; NULL when the cell is not a number"),
        _c("raw_text", "VARCHAR", "表示値", "the printed cell"),
        _c("label_ja", "VARCHAR", "行ラベル", "the printed row label"),
    ),
    key=("project_key", "fiscal_year", "is_request", "line"),
    foreign_keys=PROJECT_FK + FY_FK,
)

BUDGET_LINE_OTHER = Table(
    "budget_line_other", "予算額・執行額(その他の行)",
    "Rows of the budget table that map to no contract line (費用総額(執行ベース), ...).",
    (
        PROJECT_KEY,
        _c("fiscal_year", "INTEGER", "年度", "", False),
        _c("is_request", "BOOLEAN", "要求", "", False),
        _c("label_ja", "VARCHAR", "行ラベル", "the printed row label", False),
        _c("amount_million_yen", MONEY, "金額(百万円)"),
        _c("raw_text", "VARCHAR", "表示値"),
    ),
    key=("project_key", "fiscal_year", "is_request", "label_ja"),
    foreign_keys=PROJECT_FK + FY_FK,
)

EXECUTION_RATE = Table(
    "execution_rate", "執行率", "執行率 rows as printed, as fractions.",
    (
        PROJECT_KEY,
        _c("fiscal_year", "INTEGER", "年度", "", False),
        _c("basis", "VARCHAR", "基準", "total (執行率) or initial_plus_supplementary", False, RATE_BASES),
        _c("rate", RATE, "執行率", "fraction: 85% -> 0.85"),
        _c("raw_text", "VARCHAR", "表示値"),
    ),
    key=("project_key", "fiscal_year", "basis"),
    foreign_keys=PROJECT_FK + FY_FK,
)

BUDGET_ITEM = Table(
    "budget_item", "予算内訳", "○・○年度予算内訳 (歳出予算目); the 計 row is not an item.",
    (
        PROJECT_KEY,
        _c("fiscal_year", "INTEGER", "年度", "", False),
        _c("is_request", "BOOLEAN", "要求", "", False),
        _c("item_no", "INTEGER", "行番号", "1-based order of the item in the table", False),
        _c("item_name", "VARCHAR", "歳出予算目", "as printed; `項／目` where the 項 has a column of its own (and for RS System items)", False),
        _c("amount_million_yen", MONEY, "金額(百万円)"),
        _c("change_reason", "VARCHAR", "主な増減理由"),
        _c("raw_text", "VARCHAR", "表示値"),
    ),
    key=("project_key", "fiscal_year", "is_request", "item_no"),
    foreign_keys=PROJECT_FK + FY_FK,
)

INDICATOR = Table(
    "indicator", "成果・活動指標",
    "Outcome, activity, unit-cost and policy indicators, one row per printed cell.",
    (
        PROJECT_KEY,
        _c("kind", "VARCHAR", "指標種別", "outcome, activity, unit_cost, policy", False, INDICATOR_KINDS),
        _c("indicator_no", "INTEGER", "指標番号", "1-based order within (project_key, kind)", False),
        _c("name", "VARCHAR", "指標名", "成果指標 / 活動指標; lines joined with a newline"),
        _c("goal", "VARCHAR", "成果目標・算出根拠", "定量的な成果目標 (outcome), 算出根拠 (unit cost)"),
        _c("unit", "VARCHAR", "単位"),
        _c("fiscal_year", "INTEGER", "年度", "column year; NULL when a target column prints '- 年度'"),
        _c("period", "VARCHAR", "期間", "year, outlook, interim_target, final_target", False, INDICATOR_PERIODS),
        _c("measure", "VARCHAR", "区分", "actual, target, achievement, planned, formula", False, INDICATOR_MEASURES),
        _c("value", VALUE, "値", "NULL when not a number; achievement is a printed percent"),
        _c("raw_text", "VARCHAR", "表示値"),
    ),
    key=("project_key", "kind", "indicator_no", "period", "fiscal_year", "measure"),
    foreign_keys=PROJECT_FK + FY_FK,
)

RECIPIENT = Table(
    "recipient", "支出先上位10者リスト", "支出先上位10者リスト: top recipients per block.",
    (
        PROJECT_KEY,
        _c("block", "VARCHAR", "ブロック", "A, B, ...", False),
        _c("rank", "INTEGER", "順位", "", False),
        _c("name", "VARCHAR", "支出先", ""),
        _c("corporate_number", "VARCHAR", "法人番号", "13 characters or NULL"),
        _c("description", "VARCHAR", "業務概要"),
        _c("amount_million_yen", MONEY, "支出額(百万円)"),
        _c("contract_method", "VARCHAR", "契約方式等"),
        _c("bidder_count", "INTEGER", "入札者数(応募者数)"),
        _c("winning_bid_rate", RATE, "落札率", "fraction"),
        _c("fiscal_year", "INTEGER", "支出年度", "payment year = review_year - 1"),
        _c("raw_text", "VARCHAR", "表示値", "the printed amount cell"),
    ),
    key=("project_key", "block", "rank"),
    foreign_keys=PROJECT_FK + FY_FK,
)

EXPENSE = Table(
    "expense", "費目・用途", "費目・使途 / 費目・用途 blocks.",
    (
        PROJECT_KEY,
        _c("block", "VARCHAR", "ブロック", "A, B, ...", False),
        _c("row_no", "INTEGER", "行番号", "1-based order within the block", False),
        _c("expense_item", "VARCHAR", "費目"),
        _c("purpose", "VARCHAR", "用途"),
        _c("amount_million_yen", MONEY, "金額(百万円)"),
        _c("raw_text", "VARCHAR", "表示値"),
    ),
    key=("project_key", "block", "row_no"),
    foreign_keys=PROJECT_FK,
)

ASSESSMENT = Table(
    "assessment", "事業所管部局による点検・改善", "Self-assessment questions, ratings and explanations.",
    (
        PROJECT_KEY,
        _c("category", "VARCHAR", "観点", "the older forms' names (事業の必要性, 効率性, 重複排除, ...) "
           "are stored as the contract's four", True, ASSESSMENT_CATEGORIES),
        _c("item_no", "INTEGER", "項目番号", "1-based order in the sheet", False),
        _c("question", "VARCHAR", "項目", "", False),
        _c("rating", "VARCHAR", "評価", "○ × △ 有 無 -", True, ASSESSMENT_RATINGS),
        _c("explanation", "VARCHAR", "評価に関する説明"),
    ),
    key=("project_key", "item_no"),
    foreign_keys=PROJECT_FK,
)

LINEAGE = Table(
    "lineage", "関連する過去のレビューシートの事業番号", "Numbers of this project's earlier review sheets.",
    (
        PROJECT_KEY,
        _c("past_review_year", "INTEGER", "過去のレビュー年度", "", False),
        _c("past_ministry", "VARCHAR", "過去の府省庁", "NULL = same ministry"),
        _c("past_project_number", "VARCHAR", "過去の事業番号", "", False),
    ),
    key=("project_key", "past_review_year", "past_project_number", "past_ministry"),
    foreign_keys=PROJECT_FK,
)

RELATED_PROJECT = Table(
    "related_project", "関連事業",
    "Projects this sheet names as related: the 関連事業 table of a printed sheet (所管府省名, "
    "事業番号, 事業名) and the RS System's 1-5 (関連事業の事業ID, 事業名, 関連性).",
    (
        PROJECT_KEY,
        _c("related_no", "INTEGER", "番号", "1-based order as printed", False),
        _c("related_ministry", "VARCHAR", "所管府省名", "NULL = not printed"),
        _c("related_project_number", "VARCHAR", "事業番号", "事業番号 printed, or the RS System's 予算事業ID"),
        _c("related_project_name", "VARCHAR", "事業名"),
        _c("relation", "VARCHAR", "関連性", "RS System: 統合先, 分割元, 子事業, 基金造成した基金シート, ...; "
           "a printed sheet: the role-sharing text beside the project, if any"),
    ),
    key=("project_key", "related_no"),
    foreign_keys=PROJECT_FK,
)

FUND_FLOW = Table(
    "fund_flow", "資金の流れ",
    "Who passes the money to whom (RS System 5-2): one row per link from the responsible "
    "organisation or a spending block to a spending block; links may form cycles.",
    (
        PROJECT_KEY,
        _c("flow_no", "INTEGER", "番号", "1-based order in the file", False),
        _c("from_block", "VARCHAR", "支出元ブロック", "NULL when the money leaves the responsible organisation"),
        _c("from_name", "VARCHAR", "支出元ブロック名", "the block's name, or the organisation's"),
        _c("from_organization", "BOOLEAN", "担当組織からの支出",
           "true: paid by the project's own organisation (the recipients of to_block are direct)"),
        _c("to_block", "VARCHAR", "支出先ブロック", "A, B, ... (the blocks of recipient and expense)", False),
        _c("to_name", "VARCHAR", "支出先ブロック名"),
        _c("note", "VARCHAR", "資金の流れの補足情報", "再委託, 物品購入等, ..."),
    ),
    key=("project_key", "flow_no"),
    foreign_keys=PROJECT_FK,
)

OWN_EXPENSE = Table(
    "own_expense", "国自らが支出する間接経費",
    "Money the organisation spends itself, outside the spending blocks (RS System 5-2: "
    "国自らが支出する間接経費: travel, fees, office costs).",
    (
        PROJECT_KEY,
        FILE_ROW_NO,
        _c("category", "VARCHAR", "区分", "間接経費, 一般事務費, ... as printed"),
        _c("item", "VARCHAR", "項目", "旅費, 諸謝金, ..."),
        _c("amount_million_yen", MONEY, "金額(百万円)"),
        _c("raw_text", "VARCHAR", "表示値", "the CSV cell (yen)"),
    ),
    key=("project_key", "row_no"),
    foreign_keys=PROJECT_FK,
)

MULTI_YEAR_CONTRACT = Table(
    "multi_year_contract", "国庫債務負担行為等による契約",
    "Contracts a project pays over several years (国庫債務負担行為 and the like), with their "
    "whole amount, by spending block (RS System 5-4).",
    (
        PROJECT_KEY,
        FILE_ROW_NO,
        _c("block", "VARCHAR", "支出先ブロック", "A, B, ..."),
        _c("name", "VARCHAR", "契約先名"),
        _c("corporate_number", "VARCHAR", "法人番号", "13 characters or NULL"),
        _c("description", "VARCHAR", "契約概要(契約名)"),
        _c("amount_million_yen", MONEY, "契約額(百万円)", "the contract's whole amount"),
        _c("contract_method", "VARCHAR", "契約方式等"),
        _c("bidder_count", "INTEGER", "入札者数(応募者数)"),
        _c("winning_bid_rate", RATE, "落札率", "fraction"),
        _c("one_bid_reason", "VARCHAR", "一者応札・一者応募又は競争性のない随意契約となった理由及び改善策"),
        _c("raw_text", "VARCHAR", "表示値", "the CSV's amount cell (yen)"),
    ),
    key=("project_key", "row_no"),
    foreign_keys=PROJECT_FK,
)

SUBSIDY_RATE = Table(
    "subsidy_rate", "補助率等", "The subsidy rates a project grants, as printed (RS System 1-4).",
    (
        PROJECT_KEY,
        FILE_ROW_NO,
        _c("subsidy_target", "VARCHAR", "補助対象", "who receives the subsidy"),
        _c("rate_text", "VARCHAR", "補助率", "as printed: 8/10, 定額, or a sentence"),
        _c("cap_text", "VARCHAR", "補助上限等"),
        _c("url", "VARCHAR", "補助率URL"),
    ),
    key=("project_key", "row_no"),
    foreign_keys=PROJECT_FK,
)

OUTCOME_PATH = Table(
    "outcome_path", "効果発現経路",
    "The links of a project's logic model (RS System 3-2): from an activity (アクティビティ), "
    "output (アウトプット) or outcome (アウトカム) to the next, each end by its kind, its number "
    "within its kind, an outcome's term and its text.",
    (
        PROJECT_KEY,
        _c("path_no", "INTEGER", "番号", "1-based order in the file", False),
        _c("from_kind", "VARCHAR", "派生元の種別", "アクティビティ, アウトプット or アウトカム"),
        _c("from_no", "INTEGER", "派生元の番号", "number within its kind"),
        _c("from_period", "VARCHAR", "派生元のアウトカムの期間", "短期, 中期, 長期"),
        _c("from_text", "VARCHAR", "派生元の内容・目標"),
        _c("to_kind", "VARCHAR", "派生先の種別", "アウトプット or アウトカム"),
        _c("to_no", "INTEGER", "派生先の番号", "number within its kind"),
        _c("to_period", "VARCHAR", "派生先のアウトカムの期間", "短期, 中期, 長期"),
        _c("to_text", "VARCHAR", "派生先の目標"),
        _c("connection", "VARCHAR", "後続アウトカムへのつながり"),
        _c("single_stage_reason", "VARCHAR", "アウトカムを複数段階で設定できない理由"),
    ),
    key=("project_key", "path_no"),
    foreign_keys=PROJECT_FK,
)

PRINTED_TOTAL = Table(
    "printed_total", "表示された合計",
    "計 rows printed under 予算内訳, 費目・用途 and 支出先 blocks: not items, kept to check the items' sum.",
    (
        PROJECT_KEY,
        _c("table_name", "VARCHAR", "対象表", "budget_item, expense or recipient", False, ("budget_item", "expense", "recipient")),
        _c("block", "VARCHAR", "ブロック", "block letter (expense, recipient); NULL for budget_item"),
        _c("fiscal_year", "INTEGER", "年度", "column year (budget_item)"),
        _c("is_request", "BOOLEAN", "要求", "request column (budget_item)"),
        _c("amount_million_yen", MONEY, "金額(百万円)"),
        _c("raw_text", "VARCHAR", "表示値"),
    ),
    foreign_keys=PROJECT_FK,
)

# Tables built by the warehouse, not by the parser.
FISCAL_YEAR = Table(
    "fiscal_year", "年度", "Gregorian fiscal years (April-March), no gaps.",
    (
        _c("fiscal_year", "INTEGER", "年度", "", False),
        _c("era", "VARCHAR", "元号", "昭和 / 平成 / 令和", False),
        _c("era_year", "INTEGER", "和暦年", "1 for 元年", False),
        _c("label_ja", "VARCHAR", "表記", "令和元年度, 平成30年度", False),
        _c("starts_on", "DATE", "開始日", "", False),
        _c("ends_on", "DATE", "終了日", "", False),
    ),
    key=("fiscal_year",), per_sheet=False,
)

PROJECT_LINK = Table(
    "project_link", "事業の同一性の根拠", "Evidence for every link that joins two sheets into one project_id.",
    (
        _c("project_key", "VARCHAR", "シートキー", "", False),
        _c("linked_project_key", "VARCHAR", "リンク先シートキー", "", False),
        _c("evidence", "VARCHAR", "根拠", "lineage, own_number, shared_lineage or lineage_name", False),
        _c("review_year", "INTEGER", "レビュー年度", "review year of the matched number", False),
        _c("ministry", "VARCHAR", "府省庁", "", False),
        _c("project_number", "VARCHAR", "事業番号", "", False),
    ),
    key=("project_key", "linked_project_key", "evidence"), per_sheet=False,
)

LOAD_RUN = Table(
    "load_run", "ロード実行", "One row per build run.",
    (
        _c("run_id", "VARCHAR", "実行ID", "", False),
        _c("started_at", "TIMESTAMP", "開始時刻", "", False),
        _c("finished_at", "TIMESTAMP", "終了時刻"),
        _c("status", "VARCHAR", "状態", "completed, completed_with_quarantine, failed", False),
        _c("files_seen", "INTEGER", "ファイル数"),
        _c("files_loaded", "INTEGER", "ロード数"),
        _c("files_unchanged", "INTEGER", "変更なし"),
        _c("files_quarantined", "INTEGER", "隔離数"),
        _c("files_removed", "INTEGER", "削除数"),
        _c("rows_project", "BIGINT", "project行数"),
        _c("rows_budget_line", "BIGINT", "budget_line行数"),
        _c("rows_execution_rate", "BIGINT", "execution_rate行数"),
        _c("rows_budget_item", "BIGINT", "budget_item行数"),
        _c("rows_indicator", "BIGINT", "indicator行数"),
        _c("rows_recipient", "BIGINT", "recipient行数"),
        _c("rows_expense", "BIGINT", "expense行数"),
        _c("rows_assessment", "BIGINT", "assessment行数"),
        _c("rows_lineage", "BIGINT", "lineage行数"),
        _c("warnings", "BIGINT", "警告数"),
        _c("report_path", "VARCHAR", "レポート"),
        _c("build_mode", "VARCHAR", "作成方法",
           "how the run wrote the warehouse file: rebuild (from scratch), copy (same sheets as before, "
           "run tables rewritten) or patch (a few sheets replaced in a copy)"),
    ),
    key=("run_id",), per_sheet=False,
)

SOURCE_FILE = Table(
    "source_file", "入力ファイル", "Every input file with its status and, when not loaded, the reason.",
    (
        _c("path", "VARCHAR", "パス", "", False),
        _c("sha256", "VARCHAR", "ハッシュ"),
        _c("size_bytes", "BIGINT", "サイズ"),
        _c("format", "VARCHAR", "形式"),
        _c("encoding", "VARCHAR", "文字コード"),
        _c("status", "VARCHAR", "状態", "loaded, unchanged, quarantined", False, FILE_STATUSES),
        _c("project_key", "VARCHAR", "シートキー"),
        _c("message", "VARCHAR", "理由", "one line a person can act on"),
        _c("run_id", "VARCHAR", "実行ID", "run of the last change", False),
        _c("stat_key", "VARCHAR", "ファイル状態",
           "size, modification and inode-change times, inode and device when last hashed; "
           "a run trusts sha256 while they are unchanged"),
        _c("parser_version", "VARCHAR", "解析コード版",
           "fingerprint of the parser and checks that last read the file; a build with other "
           "code parses it again"),
    ),
    key=("path",), per_sheet=False,
)

DQ_ISSUE = Table(
    "dq_issue", "データ品質の指摘", "Data-quality findings: errors keep a sheet out, warnings load it.",
    (
        _c("run_id", "VARCHAR", "実行ID", "", False),
        _c("project_key", "VARCHAR", "シートキー"),
        _c("source_path", "VARCHAR", "ファイル"),
        _c("table_name", "VARCHAR", "テーブル"),
        _c("check_name", "VARCHAR", "チェック", "", False),
        _c("severity", "VARCHAR", "重大度", "error blocks the sheet, warning loads it", False, SEVERITIES),
        _c("fiscal_year", "INTEGER", "年度"),
        _c("observed", "VARCHAR", "観測値"),
        _c("expected", "VARCHAR", "期待値"),
        _c("message", "VARCHAR", "説明", "", False),
    ),
    per_sheet=False,
)

# Tables a parsed sheet produces, in load order.
SHEET_TABLES: tuple[Table, ...] = (
    PROJECT, BUDGET_LINE, BUDGET_LINE_OTHER, EXECUTION_RATE, BUDGET_ITEM, INDICATOR,
    RECIPIENT, EXPENSE, ASSESSMENT, LINEAGE, PRINTED_TOTAL, RELATED_PROJECT, FUND_FLOW, OWN_EXPENSE,
    MULTI_YEAR_CONTRACT, SUBSIDY_RATE, OUTCOME_PATH,
)
WAREHOUSE_TABLES: tuple[Table, ...] = (FISCAL_YEAR, PROJECT_LINK, LOAD_RUN, SOURCE_FILE, DQ_ISSUE)
TABLES: dict[str, Table] = {t.name: t for t in SHEET_TABLES + WAREHOUSE_TABLES}
FACT_TABLES = tuple(t for t in SHEET_TABLES if t.name != "project")


def arrow_type(duckdb_type: str) -> pa.DataType:
    """Arrow type for one of the DuckDB type names used above.

    >>> arrow_type("DECIMAL(20,6)")
    Decimal128Type(decimal128(20, 6))
    >>> arrow_type("VARCHAR")
    DataType(string)
    """
    t = duckdb_type.upper()
    if t.startswith("DECIMAL("):
        precision, scale = (int(x) for x in t[8:-1].split(","))
        return pa.decimal128(precision, scale)
    return {
        "VARCHAR": pa.string(),
        "INTEGER": pa.int32(),
        "BIGINT": pa.int64(),
        "BOOLEAN": pa.bool_(),
        "DATE": pa.date32(),
        "TIMESTAMP": pa.timestamp("us"),
    }[t]


def arrow_schema(table: Table | str) -> pa.Schema:
    """The Parquet/Arrow schema of a contract table."""
    table = TABLES[table] if isinstance(table, str) else table
    return pa.schema(
        [pa.field(c.name, arrow_type(c.type), nullable=c.nullable) for c in table.columns],
        metadata={"table": table.name},
    )


def quantize(value: Decimal | None, duckdb_type: str) -> Decimal | None:
    """Round a Decimal to the scale of a DECIMAL(p,s) type (exact for printed values)."""
    if value is None:
        return None
    scale = int(duckdb_type.rstrip(")").split(",")[1])
    return value.quantize(Decimal(1).scaleb(-scale))


def to_arrow(table: Table | str, rows: list[dict]) -> pa.Table:
    """Build a typed Arrow table from row dicts (missing keys become NULL)."""
    table = TABLES[table] if isinstance(table, str) else table
    schema = arrow_schema(table)
    columns = {}
    for col in table.columns:
        values = [row.get(col.name) for row in rows]
        if col.type.startswith("DECIMAL"):
            values = [quantize(v, col.type) for v in values]
        columns[col.name] = pa.array(values, type=arrow_type(col.type))
    return pa.Table.from_pydict(columns, schema=schema)


def contract_markdown() -> str:
    """The contract as a Markdown page (docs/contract.md is generated from this)."""
    lines = [
        "# Warehouse tables", "",
        "Generated from `transforms/schema.py` (`pytest --regen-golden` rewrites this page).",
        "Money is DECIMAL in millions of yen (百万円), signed as printed; years are Gregorian",
        "fiscal years (April–March); rates are fractions (50% -> 0.5) except 達成度, kept as",
        "the printed percent. Views: `v_budget`, `v_budget_latest`, `v_ministry_year`,",
        "`v_indicator` (see `warehouse/views/`).", "",
    ]
    for table in TABLES.values():
        lines += [f"## `{table.name}` — {table.label_ja}", "", table.description, ""]
        if table.key:
            lines += [f"Key: ({', '.join(table.key)})", ""]
        lines += ["| column | type | label | meaning |", "|---|---|---|---|"]
        for col in table.columns:
            meaning = col.description + (f" (one of: {', '.join(col.domain)})" if col.domain else "")
            null = "" if col.nullable else " NOT NULL"
            lines.append(f"| {col.name} | {col.type}{null} | {col.label_ja} | {meaning} |")
        lines.append("")
    return "\n".join(lines)
