"""How many warnings each data-quality check raises over the 5,445 sheets of review year 2020.

Renders every record of the 2020 database as a 令和2 sheet (no noise), builds a
warehouse with the real flow, and prints per check: issues, sheets, and samples
with observed/expected values, so each finding can be traced to its source record.

    python -m benchmarks.dq_census [--out data/bench/census]
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import duckdb


def main() -> None:  # pragma: no cover - a long-running command
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("data/bench/census"))
    parser.add_argument("--samples", type=int, default=3)
    args = parser.parse_args()

    from benchmarks.render import render_corpus
    from flows.settings import configure_environment

    configure_environment()
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    from flows.build import build_warehouse

    sheets = args.out / "sheets"
    if not sheets.exists():
        render_corpus(sheets, 5445, form_years=(2020,), noise_rate=0.0)
        shutil.move(str(sheets / "facts.jsonl"), str(args.out / "facts.jsonl"))
    warehouse = args.out / "warehouse.duckdb"
    with temporary_settings({PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        summary = build_warehouse([str(sheets.absolute())], str(warehouse.absolute()), full_refresh=True)
    print(f"{summary.files_loaded} sheets loaded, {summary.files_quarantined} quarantined")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        checks = con.execute(
            "select check_name, severity, count(*), count(distinct project_key) from dq_issue "
            "group by all order by severity, 3 desc").fetchall()
        for check, severity, issues, sheets_hit in checks:
            print(f"\n{check} ({severity}): {issues} issues on {sheets_hit} sheets")
            for path, observed, expected, message in con.execute(
                    "select source_path, observed, expected, message from dq_issue where check_name = ? "
                    "order by source_path, fiscal_year limit ?", [check, args.samples]).fetchall():
                print(f"  {Path(path or '').name}: {message} [observed {observed}; expected {expected}]")


if __name__ == "__main__":
    main()
