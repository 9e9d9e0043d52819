"""Plain records passed between the parser, the staging step and the warehouse.

`ParsedSheet` is what every source adapter produces for one file: rows per contract
table (dicts keyed by column name, see `transforms.schema`) plus the problems met on
the way.  Everything downstream is blind to the file format.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Limits of one input file (the command line's --max-bytes; no option for lines).
DEFAULT_MAX_BYTES = 8 * 1024 * 1024  # a real sheet is 20-200 KB
DEFAULT_MAX_LINE = 256 * 1024


class ParseError(Exception):
    """A file that cannot become a sheet; the message is one line a person can act on."""


@dataclass
class Issue:
    """A problem found while parsing or validating one sheet (a future `dq_issue` row)."""

    check_name: str
    severity: str  # "error" keeps the sheet out, "warning" loads it
    message: str
    table_name: str | None = None
    fiscal_year: int | None = None
    observed: str | None = None
    expected: str | None = None

    def as_row(self, run_id: str, project_key: str | None, source_path: str | None) -> dict:
        return {
            "run_id": run_id,
            "project_key": project_key,
            "source_path": source_path,
            "table_name": self.table_name,
            "check_name": self.check_name,
            "severity": self.severity,
            "fiscal_year": self.fiscal_year,
            "observed": self.observed,
            "expected": self.expected,
            "message": self.message,
        }


@dataclass
class SourceInfo:
    """Where a sheet came from."""

    path: str
    sha256: str
    size_bytes: int
    format: str = "sheet_text"
    encoding: str | None = None


@dataclass
class ParsedSheet:
    """The rows of one sheet, per contract table, and what went wrong on the way."""

    project_key: str
    source: SourceInfo
    tables: dict[str, list[dict]] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)

    @property
    def project(self) -> dict:
        return self.tables["project"][0]

    def row_counts(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in self.tables.items()}
