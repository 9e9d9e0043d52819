"""Tables beyond the contract's: the projects a sheet names as related, and the RS
System files on money and goals (5-2 fund flows and the organisation's own expenses,
5-4 multi-year contracts, 1-4 subsidy rates, 3-2 the logic model's links)."""

from __future__ import annotations

from transforms.schema.model import FILE_ROW_NO, MONEY, PROJECT_FK, PROJECT_KEY, RATE, Table, col

RELATED_PROJECT = Table(
    "related_project", "関連事業",
    "Projects this sheet names as related: the 関連事業 table of a printed sheet (所管府省名, "
    "事業番号, 事業名) and the RS System's 1-5 (関連事業の事業ID, 事業名, 関連性).",
    (
        PROJECT_KEY,
        col("related_no", "INTEGER", "番号", "1-based order as printed", False),
        col("related_ministry", "VARCHAR", "所管府省名", "NULL = not printed"),
        col("related_project_number", "VARCHAR", "事業番号", "事業番号 printed, or the RS System's 予算事業ID"),
        col("related_project_name", "VARCHAR", "事業名"),
        col("relation", "VARCHAR", "関連性", "RS System: 統合先, 分割元, 子事業, 基金造成した基金シート, ...; "
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
        col("flow_no", "INTEGER", "番号", "1-based order in the file", False),
        col("from_block", "VARCHAR", "支出元ブロック", "NULL when the money leaves the responsible organisation"),
        col("from_name", "VARCHAR", "支出元ブロック名", "the block's name, or the organisation's"),
        col("from_organization", "BOOLEAN", "担当組織からの支出",
           "true: paid by the project's own organisation (the recipients of to_block are direct)"),
        col("to_block", "VARCHAR", "支出先ブロック", "A, B, ... (the blocks of recipient and expense)", False),
        col("to_name", "VARCHAR", "支出先ブロック名"),
        col("note", "VARCHAR", "資金の流れの補足情報", "再委託, 物品購入等, ..."),
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
        col("category", "VARCHAR", "区分", "間接経費, 一般事務費, ... as printed"),
        col("item", "VARCHAR", "項目", "旅費, 諸謝金, ..."),
        col("amount_million_yen", MONEY, "金額(百万円)"),
        col("raw_text", "VARCHAR", "表示値", "the CSV cell (yen)"),
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
        col("block", "VARCHAR", "支出先ブロック", "A, B, ..."),
        col("name", "VARCHAR", "契約先名"),
        col("corporate_number", "VARCHAR", "法人番号", "13 characters or NULL"),
        col("description", "VARCHAR", "契約概要(契約名)"),
        col("amount_million_yen", MONEY, "契約額(百万円)", "the contract's whole amount"),
        col("contract_method", "VARCHAR", "契約方式等"),
        col("bidder_count", "INTEGER", "入札者数(応募者数)"),
        col("winning_bid_rate", RATE, "落札率", "fraction"),
        col("one_bid_reason", "VARCHAR", "一者応札・一者応募又は競争性のない随意契約となった理由及び改善策"),
        col("raw_text", "VARCHAR", "表示値", "the CSV's amount cell (yen)"),
    ),
    key=("project_key", "row_no"),
    foreign_keys=PROJECT_FK,
)

SUBSIDY_RATE = Table(
    "subsidy_rate", "補助率等", "The subsidy rates a project grants, as printed (RS System 1-4).",
    (
        PROJECT_KEY,
        FILE_ROW_NO,
        col("subsidy_target", "VARCHAR", "補助対象", "who receives the subsidy"),
        col("rate_text", "VARCHAR", "補助率", "as printed: 8/10, 定額, or a sentence"),
        col("cap_text", "VARCHAR", "補助上限等"),
        col("url", "VARCHAR", "補助率URL"),
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
        col("path_no", "INTEGER", "番号", "1-based order in the file", False),
        col("from_kind", "VARCHAR", "派生元の種別", "アクティビティ, アウトプット or アウトカム"),
        col("from_no", "INTEGER", "派生元の番号", "number within its kind"),
        col("from_period", "VARCHAR", "派生元のアウトカムの期間", "短期, 中期, 長期"),
        col("from_text", "VARCHAR", "派生元の内容・目標"),
        col("to_kind", "VARCHAR", "派生先の種別", "アウトプット or アウトカム"),
        col("to_no", "INTEGER", "派生先の番号", "number within its kind"),
        col("to_period", "VARCHAR", "派生先のアウトカムの期間", "短期, 中期, 長期"),
        col("to_text", "VARCHAR", "派生先の目標"),
        col("connection", "VARCHAR", "後続アウトカムへのつながり"),
        col("single_stage_reason", "VARCHAR", "アウトカムを複数段階で設定できない理由"),
    ),
    key=("project_key", "path_no"),
    foreign_keys=PROJECT_FK,
)
