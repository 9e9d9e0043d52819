"""Time the RS System CSV source at national scale, against a plain read of the same CSVs.

The bundled sample (data/samples/rs_csv, 49 projects of review year 2024) is repeated
with new 予算事業IDs until it holds about N projects (a national year has about 5,600),
written once under ``data/bench/rs/<N>/``.  One run then measures, in one process:

- floor: reading every CSV and splitting it into cells with the csv module;
- split: `extract_bundles` into a fresh folder (one record file per project);
- resplit: the same split again (every record compared, none rewritten);
- parse: `parse_file` of every record (what the build's parser workers do);

and prints the seconds, their ratios to the floor and the peak RSS of the process.

    python -m benchmarks.rs_bundle -n 5600
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import resource
import shutil
import time
from pathlib import Path

from flows.settings import DATA_DIR, SAMPLE_DIR
from transforms.discover import member_of_bundle
from transforms.sources import parse_file, rs_bundle

SAMPLE = SAMPLE_DIR / "rs_csv"
ID_STEP = 10_000  # copy k of a project gets 予算事業ID id + k * ID_STEP


def write_bundle(projects: int, folder: Path) -> list[Path]:
    """The 2024 sample files repeated to about `projects` projects (cached)."""
    members = sorted(p for p in SAMPLE.glob("*_RS_2024_*.csv"))
    if folder.is_dir() and len(list(folder.glob("*.csv"))) == len(members):
        return sorted(folder.glob("*.csv"))
    sample_ids = set()
    for path in members:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
        at = rows[0].index("予算事業ID")
        sample_ids |= {r[at] for r in rows[1:]}
    copies = max(1, round(projects / max(1, len(sample_ids))))
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for path in members:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
        header, body = rows[0], rows[1:]
        at = header.index("予算事業ID")
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(header)
        for k in range(copies):
            for row in body:
                writer.writerow(row[:at] + [str(int(row[at]) + k * ID_STEP)] + row[at + 1:])
        (folder / path.name).write_bytes(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))
    return sorted(folder.glob("*.csv"))


def floor_seconds(members: list[Path]) -> float:
    started = time.perf_counter()
    for path in members:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            for _ in csv.reader(handle):
                pass
    return time.perf_counter() - started


def run(projects: int, root: Path | None = None) -> dict:
    root = root or DATA_DIR / "bench" / "rs" / str(projects)
    members = write_bundle(projects, root / "bundle")
    assert all(member_of_bundle(str(p)) for p in members)
    floor = floor_seconds(members)
    out = root / "extracted"
    shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    split = rs_bundle.extract_bundles([str(p) for p in members], out)
    split_seconds = time.perf_counter() - started
    started = time.perf_counter()
    again = rs_bundle.extract_bundles([str(p) for p in members], out)
    resplit_seconds = time.perf_counter() - started
    started = time.perf_counter()
    rows = refused = 0
    for record in split.records:
        try:
            rows += sum(len(r) for r in parse_file(record).tables.values())
        except Exception:  # noqa: BLE001 - counted, as the build would quarantine it
            refused += 1
    parse_seconds = time.perf_counter() - started
    return {
        "projects": len(split.records), "bundle_mb": round(sum(p.stat().st_size for p in members) / 1e6, 1),
        "floor_s": round(floor, 2), "split_s": round(split_seconds, 2), "resplit_s": round(resplit_seconds, 2),
        "resplit_written": again.written, "parse_s": round(parse_seconds, 2), "rows": rows, "refused": refused,
        "split_x_floor": round(split_seconds / floor, 1), "parse_x_floor": round(parse_seconds / floor, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.rs_bundle", description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=5600, help="projects in the synthetic bundle (default 5600)")
    args = parser.parse_args(argv)
    result = run(args.n)
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return result


if __name__ == "__main__":
    main()
