"""What every section parser gets besides its rows: the sheet's years and an issue log."""

from __future__ import annotations

from dataclasses import dataclass, field

from transforms.model import Issue


@dataclass
class SheetContext:
    source_path: str
    review_year: int | None = None
    issues: list[Issue] = field(default_factory=list)

    def warn(self, check_name: str, message: str, table_name: str | None = None, **extra) -> None:
        self.issues.append(Issue(check_name, "warning", message, table_name, **extra))

    def error(self, check_name: str, message: str, table_name: str | None = None, **extra) -> None:
        self.issues.append(Issue(check_name, "error", message, table_name, **extra))

    def unknown_label(self, section: str, label: str, row_number: int, table_name: str | None = None,
                      consequence: str = "its values were not loaded") -> None:
        """A label no form year's wording (labels.csv) knows: reported, never dropped silently."""
        self.warn(
            "unknown_label",
            f"{self.source_path}: unknown label '{label}' in section {section} (line {row_number}); {consequence}",
            table_name,
            observed=label,
        )
