"""Tables the warehouse builds itself, not the parser: fiscal years, the identity links
between sheets, build runs, source files and data-quality findings."""

from __future__ import annotations

from transforms.schema.model import FILE_STATUSES, SEVERITIES, Table, col

FISCAL_YEAR = Table(
    "fiscal_year", "年度", "Gregorian fiscal years (April-March), no gaps.",
    (
        col("fiscal_year", "INTEGER", "年度", "", False),
        col("era", "VARCHAR", "元号", "昭和 / 平成 / 令和", False),
        col("era_year", "INTEGER", "和暦年", "1 for 元年", False),
        col("label_ja", "VARCHAR", "表記", "令和元年度, 平成30年度", False),
        col("starts_on", "DATE", "開始日", "", False),
        col("ends_on", "DATE", "終了日", "", False),
    ),
    key=("fiscal_year",), per_sheet=False,
)

PROJECT_LINK = Table(
    "project_link", "事業の同一性の根拠", "Evidence for every link that joins two sheets into one project_id.",
    (
        col("project_key", "VARCHAR", "シートキー", "", False),
        col("linked_project_key", "VARCHAR", "リンク先シートキー", "", False),
        col("evidence", "VARCHAR", "根拠", "lineage, own_number, shared_lineage or lineage_name", False),
        col("review_year", "INTEGER", "レビュー年度", "review year of the matched number", False),
        col("ministry", "VARCHAR", "府省庁", "", False),
        col("project_number", "VARCHAR", "事業番号", "", False),
    ),
    key=("project_key", "linked_project_key", "evidence"), per_sheet=False,
)

LOAD_RUN = Table(
    "load_run", "ロード実行", "One row per build run.",
    (
        col("run_id", "VARCHAR", "実行ID", "", False),
        col("started_at", "TIMESTAMP", "開始時刻", "", False),
        col("finished_at", "TIMESTAMP", "終了時刻"),
        col("status", "VARCHAR", "状態", "completed, completed_with_quarantine, failed", False),
        col("files_seen", "INTEGER", "ファイル数"),
        col("files_loaded", "INTEGER", "ロード数"),
        col("files_unchanged", "INTEGER", "変更なし"),
        col("files_quarantined", "INTEGER", "隔離数"),
        col("files_removed", "INTEGER", "削除数"),
        col("rows_project", "BIGINT", "project行数"),
        col("rows_budget_line", "BIGINT", "budget_line行数"),
        col("rows_execution_rate", "BIGINT", "execution_rate行数"),
        col("rows_budget_item", "BIGINT", "budget_item行数"),
        col("rows_indicator", "BIGINT", "indicator行数"),
        col("rows_recipient", "BIGINT", "recipient行数"),
        col("rows_expense", "BIGINT", "expense行数"),
        col("rows_assessment", "BIGINT", "assessment行数"),
        col("rows_lineage", "BIGINT", "lineage行数"),
        col("warnings", "BIGINT", "警告数"),
        col("report_path", "VARCHAR", "レポート"),
        col("build_mode", "VARCHAR", "作成方法",
           "how the run wrote the warehouse file: rebuild (from scratch), copy (same sheets as before, "
           "run tables rewritten) or patch (a few sheets replaced in a copy)"),
    ),
    key=("run_id",), per_sheet=False,
)

SOURCE_FILE = Table(
    "source_file", "入力ファイル", "Every input file with its status and, when not loaded, the reason.",
    (
        col("path", "VARCHAR", "パス", "", False),
        col("sha256", "VARCHAR", "ハッシュ"),
        col("size_bytes", "BIGINT", "サイズ"),
        col("format", "VARCHAR", "形式"),
        col("encoding", "VARCHAR", "文字コード"),
        col("status", "VARCHAR", "状態", "loaded, unchanged, quarantined", False, FILE_STATUSES),
        col("project_key", "VARCHAR", "シートキー"),
        col("message", "VARCHAR", "理由", "one line a person can act on"),
        col("run_id", "VARCHAR", "実行ID", "run of the last change", False),
        col("stat_key", "VARCHAR", "ファイル状態",
           "size, modification and inode-change times, inode and device when last hashed; "
           "a run trusts sha256 while they are unchanged"),
        col("parser_version", "VARCHAR", "解析コード版",
           "fingerprint of the parser and checks that last read the file; a build with other "
           "code parses it again"),
    ),
    key=("path",), per_sheet=False,
)

DQ_ISSUE = Table(
    "dq_issue", "データ品質の指摘", "Data-quality findings: errors keep a sheet out, warnings load it.",
    (
        col("run_id", "VARCHAR", "実行ID", "", False),
        col("project_key", "VARCHAR", "シートキー"),
        col("source_path", "VARCHAR", "ファイル"),
        col("table_name", "VARCHAR", "テーブル"),
        col("check_name", "VARCHAR", "チェック", "", False),
        col("severity", "VARCHAR", "重大度", "error blocks the sheet, warning loads it", False, SEVERITIES),
        col("fiscal_year", "INTEGER", "年度"),
        col("observed", "VARCHAR", "観測値"),
        col("expected", "VARCHAR", "期待値"),
        col("message", "VARCHAR", "説明", "", False),
    ),
    per_sheet=False,
)
