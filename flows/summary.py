"""What a build reports: `RunSummary` (the flow's return value, the CLI's table, the
benchmark's figures) and its Markdown form (the Prefect artifact)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class RunSummary:
    run_id: str
    status: str  # completed, completed_with_quarantine, failed
    warehouse: str
    files_seen: int = 0
    files_loaded: int = 0
    files_unchanged: int = 0
    files_quarantined: int = 0
    files_removed: int = 0
    files_reparsed: int = 0  # bytes as last loaded, parsed again: the parser or checks changed
    files_still_quarantined: int = 0  # of files_quarantined: quarantined before with the same bytes, not parsed again
    rows: dict[str, int] = field(default_factory=dict)
    warnings: int = 0
    quarantined: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    report_path: str | None = None
    stage_seconds: dict[str, float] = field(default_factory=dict)
    stage_cpu_seconds: dict[str, float] = field(default_factory=dict)  # the build process's own CPU (all its threads)
    message: str | None = None

    @property
    def exit_code(self) -> int:
        return {"completed": 0, "completed_with_quarantine": 3}.get(self.status, 1)


def summary_markdown(summary: RunSummary) -> str:
    """The run summary as Markdown (Prefect artifact and CLI share the numbers)."""
    lines = [
        f"# Build {summary.run_id}: {summary.status}", "",
        "| files seen | loaded | unchanged | quarantined | removed | warnings |", "|---|---|---|---|---|---|",
        f"| {summary.files_seen} | {summary.files_loaded} | {summary.files_unchanged} | {summary.files_quarantined} | {summary.files_removed} | {summary.warnings} |",
        "", "| table | rows |", "|---|---|",
        *[f"| {name} | {count} |" for name, count in summary.rows.items()],
    ]
    if summary.files_reparsed:
        lines += ["", reparsed_note(summary.files_reparsed)]
    if summary.files_still_quarantined:
        lines += ["", still_quarantined_note(summary.files_still_quarantined)]
    if summary.quarantined:
        lines += ["", "## Quarantined files", *[f"- `{path}`: {reason}" for path, reason in summary.quarantined]]
    return "\n".join(lines)


def still_quarantined_note(count: int) -> str:
    return (f"{count} quarantined file(s) have the bytes they were quarantined with: "
            "not parsed again, the same reasons stand")


def reparsed_note(count: int) -> str:
    return (f"{count} file(s) with the bytes last loaded were parsed and checked again: "
            "the parser or its checks changed since the last build")
