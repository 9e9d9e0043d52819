"""The bundled sample corpus: `data/samples/` besides the reference sheet.

Every record of ``shared/data/judgit/<year>/<ministry>/<number>.json`` (review years
2015–2023: five 内閣府 project histories, the reference sheet's 総務省 project, a
厚生労働省 one) is rendered in the form of its own review year, without noise, into
``data/samples/<year>/<ministry>_<number>.txt``.  The record the reference sheet
itself prints (総務省 0037 of 2020) is left out: the reference sheet stands for it.

The database keeps at most one past number per record (none before 2018 or after
2020), so each sheet's 関連する過去のレビューシートの事業番号 table is completed from the
project's other records here, as a real sheet lists every past review year (records
are one project when they share JUDGIT's 事業ID or the ministry and 事業名).

    python -m benchmarks.samples            # rewrite data/samples/<year>/ folders
    python -m benchmarks.samples --check    # exit 1 if the bundled files differ

So `make run` builds a warehouse with projects followed across review years
(identity, restatements, `v_budget_latest`) instead of a single sheet.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import unicodedata
from pathlib import Path

from benchmarks.render import DEFAULT_NDJSON, iter_records, render_sheet
from flows.settings import SAMPLE_DIR

RECORDS_DIR = DEFAULT_NDJSON.parent / "judgit"
REFERENCE = ("総務省", "0037", 2020)  # the reference sheet's own project and review year


def histories(records: list[dict]) -> list[list[dict]]:
    """The records grouped by project, each group in review-year order: a record joins
    the group of an earlier record with the same 事業ID or the same ministry and 事業名."""
    groups: list[list[dict]] = []
    by_id: dict[object, list[dict]] = {}
    by_name: dict[tuple[str, str], list[dict]] = {}
    for record in sorted(records, key=lambda r: int(r["公開年度"])):
        name = (record["府省庁"], unicodedata.normalize("NFKC", record["事業名"]).strip())
        group = by_id.get(record.get("事業ID")) or by_name.get(name)
        if group is None:
            group = []
            groups.append(group)
        group.append(record)
        by_name[name] = group
        if record.get("事業ID") is not None:
            by_id[record["事業ID"]] = group
    return groups


def with_history(record: dict, earlier: list[dict]) -> dict:
    """`record` whose lineage also names every earlier record of its project."""
    entries = list(record.get("関連する過去のレビューシート") or [])
    listed = {int(e["年度"]) for e in entries}
    for past in earlier:
        year = int(past["公開年度"])
        if year not in listed:
            entries.append({"年度": year, "府省庁": None, "事業番号2": str(past["事業番号"]), "事業番号3": None})
    return dict(record, 関連する過去のレビューシート=sorted(entries, key=lambda e: int(e["年度"])))


def sample_files(records_dir: Path = RECORDS_DIR) -> dict[str, bytes]:
    """Relative path -> bytes of every rendered sample sheet."""
    files: dict[str, bytes] = {}
    for history in histories(list(iter_records(records_dir))):
        for position, record in enumerate(history):
            files.update(_render(with_history(record, history[:position]), files))
    return dict(sorted(files.items()))


def _render(record: dict, files: dict[str, bytes]) -> dict[str, bytes]:
    year, ministry, number = int(record["公開年度"]), record["府省庁"], str(record["事業番号"])
    if (ministry, number, year) == REFERENCE:
        return {}
    name = f"{year}/{ministry}_{number}.txt"
    if name in files:
        raise ValueError(f"two records would both be written to {name}")
    return {name: render_sheet(record, year, invent_lineage=False).data}


def bundled_differences(root: Path = SAMPLE_DIR, records_dir: Path = RECORDS_DIR) -> list[str]:
    """Rendered files missing from, different in or extra in `root`'s year folders."""
    expected = sample_files(records_dir)
    present = {p.relative_to(root).as_posix() for p in root.glob("*/*.txt")}
    problems = [f"extra: {name}" for name in sorted(present - set(expected))]
    for name, data in sorted(expected.items()):
        path = root / name
        if not path.exists():
            problems.append(f"missing: {name}")
        elif path.read_bytes() != data:
            problems.append(f"differs: {name}")
    return problems


def write_samples(root: Path = SAMPLE_DIR, records_dir: Path = RECORDS_DIR) -> int:
    """Replace the year folders under `root` with freshly rendered sheets; returns their number."""
    files = sample_files(records_dir)
    for folder in root.iterdir():
        if folder.is_dir() and folder.name.isdigit():
            shutil.rmtree(folder)
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return len(files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.samples", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 on any difference")
    args = parser.parse_args(argv)
    if not RECORDS_DIR.is_dir():
        print(f"records not found: {RECORDS_DIR} (shared/ beside the repository clone)", file=sys.stderr)
        return 2
    if args.check:
        problems = bundled_differences()
        for line in problems:
            print(line)
        return 1 if problems else 0
    print(f"wrote {write_samples()} sample sheets under {SAMPLE_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
