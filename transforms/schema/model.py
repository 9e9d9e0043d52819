"""The building blocks of the warehouse contract (`transforms.schema`): a `Table` of
`Column`s, types in DuckDB's vocabulary, and the columns and value sets several tables
share."""

from __future__ import annotations

from dataclasses import dataclass, field

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


def col(name, type_, label_ja, description="", nullable=True, domain=None) -> Column:
    return Column(name, type_, label_ja, description, nullable, domain)


PROJECT_KEY = col("project_key", "VARCHAR", "シートキー", "deterministic key of one review sheet", False)
FY_FK = (("fiscal_year", "fiscal_year", "fiscal_year"),)
FILE_ROW_NO = col("row_no", "INTEGER", "行番号", "1-based order in the file", False)  # RS System rows
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
