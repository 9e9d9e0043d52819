"""Change one printed number in one loaded sheet, and check that only its rows changed.

`edit_one_sheet(warehouse)` picks the first loaded UTF-8 sheet of the warehouse,
adds 1 to the first amount of its 当初予算 row (a budget line) and writes the file
anew (unlink, then write: a hard-linked corpus keeps the original).  `changed_rows`
compares two warehouse files table by table.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import duckdb

_AMOUNT = re.compile(r"^\d[\d,]*$")


def edit_one_sheet(warehouse: str | Path) -> dict:
    """Edit one loaded sheet; returns what changed and a copy of the warehouse before the edit."""
    warehouse = Path(warehouse)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        candidates = con.execute(
            "select s.path, s.project_key from source_file s join budget_line b using (project_key) "
            "where s.status in ('loaded', 'unchanged') and s.encoding = 'utf-8' and b.line = 'initial' "
            "and not b.is_request group by all order by s.path limit 50").fetchall()
    for path, key in candidates:
        lines = Path(path).read_text(encoding="utf-8").split("\n")
        for number, line in enumerate(lines):
            cells = line.split("\t")
            if not any("当初予算" in c for c in cells[:3]):
                continue
            for index, cell in enumerate(cells):
                if _AMOUNT.match(cell.strip()):
                    before = cell.strip()
                    after = f"{int(before.replace(',', '')) + 1:,}" if "," in before else str(int(before) + 1)
                    cells[index] = cell.replace(before, after)
                    lines[number] = "\t".join(cells)
                    snapshot = warehouse.with_name(warehouse.name + ".before-edit")
                    shutil.copyfile(warehouse, snapshot)
                    Path(path).unlink()
                    Path(path).write_text("\n".join(lines), encoding="utf-8")
                    return {"path": path, "project_key": key, "line": number + 1, "before": before, "after": after,
                            "snapshot": str(snapshot)}
    raise RuntimeError("no loaded UTF-8 sheet with a 当初予算 amount to edit")


def changed_rows(before: str | Path, after: str | Path, project_key: str,
                 tables=("project", "budget_line", "budget_line_other", "execution_rate", "budget_item", "indicator",
                         "recipient", "expense", "assessment", "lineage", "printed_total")) -> dict[str, dict]:
    """Per table: rows that differ between two warehouse files, for the edited sheet and for all others."""
    out = {}
    with duckdb.connect() as con:
        con.execute(f"attach '{before}' as a (read_only)")
        con.execute(f"attach '{after}' as b (read_only)")
        key = project_key.replace("'", "''")
        for table in tables:
            counts = {}
            for label, where in (("edited_sheet", f"project_key = '{key}'"), ("other_sheets", f"project_key <> '{key}'")):
                gone = con.execute(f"select count(*) from (select * from a.{table} where {where} "
                                   f"except all select * from b.{table} where {where})").fetchone()[0]
                new = con.execute(f"select count(*) from (select * from b.{table} where {where} "
                                  f"except all select * from a.{table} where {where})").fetchone()[0]
                counts[label] = gone + new
            out[table] = counts
    return out
