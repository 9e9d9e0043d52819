"""parse(render(record)) == facts: compare a parsed sheet with the facts it prints.

A fact is one expected row of a table (every column the renderer states) or one
field of the project row.  A row fact is exact when the parsed table holds a row
equal on all those columns; facts are matched as a multiset.

    python -m benchmarks.roundtrip -n 5000        # every layout and noise kind
    python -m benchmarks.roundtrip -n 300 --examples 40

Misses are grouped into classes (table, the columns that differ from the closest
parsed row, form year) so that the residual failures can be read at a glance.
"""

from __future__ import annotations

import argparse
import random
import time
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal

from benchmarks.render import FORM_YEARS, NOISE_KINDS, RenderedSheet, iter_records, render_sheet
from transforms.model import ParseError
from transforms.sources.text_sheet import parse_bytes

IGNORED = {"project_key", "project_id", "source_path", "source_sha256", "source_format", "form_family"}
ENCODINGS = ("bom", "cp932", "utf16")


def _norm(value):
    if isinstance(value, Decimal):
        return value.normalize()
    if isinstance(value, float):
        return Decimal(str(value)).normalize()
    return value


def _row_key(row: dict, columns: tuple[str, ...]):
    return tuple(_norm(row.get(c)) for c in columns)


def compare(parsed: dict[str, list[dict]], facts: dict[str, list[dict]]) -> tuple[int, int, list[tuple]]:
    """(exact facts, all facts, the misses as (table, expected, closest parsed or None))."""
    exact = total = 0
    misses: list[tuple] = []
    for table, expected_rows in facts.items():
        if table == "project":
            got = (parsed.get("project") or [{}])[0]
            for column, value in expected_rows[0].items():
                if column in IGNORED:
                    continue
                total += 1
                if _norm(got.get(column)) == _norm(value):
                    exact += 1
                else:
                    misses.append(("project", {column: value}, {column: got.get(column)}))
            continue
        pool: Counter = Counter()
        rows = parsed.get(table, [])
        for expected in expected_rows:
            columns = tuple(sorted(c for c in expected if c not in IGNORED))
            if not pool.get(("__built__", columns)):
                for row in rows:
                    pool[(columns, _row_key(row, columns))] += 1
                pool[("__built__", columns)] = 1
            key = (columns, _row_key(expected, columns))
            total += 1
            if pool[key] > 0:
                pool[key] -= 1
                exact += 1
            else:
                misses.append((table, expected, None))
    return exact, total, misses


def miss_class(table: str, expected: dict, parsed: dict[str, list[dict]]) -> tuple:
    """(table, columns differing from the closest parsed row) — `nomatch` when no parsed
    row agrees on all but three columns."""
    if table == "project":
        return ("project", next(iter(expected)))
    columns = [c for c in expected if c not in IGNORED]
    best: list[str] | None = None
    for row in parsed.get(table, []):
        differing = [c for c in columns if _norm(row.get(c)) != _norm(expected[c])]
        if best is None or len(differing) < len(best):
            best = differing
    return (table, tuple(best) if best is not None and len(best) <= 3 else "nomatch")


def sheets(n: int, seed: int = 0, noise_rate: float = 0.5) -> Iterator[tuple[int, RenderedSheet]]:
    """n rendered sheets: records in file order, form years cycled, each noise kind on
    about noise_rate / 3 of the sheets (at most one encoding per sheet)."""
    rng = random.Random(seed)
    records = iter_records()
    for i in range(n):
        record = next(records)
        form_year = FORM_YEARS[i % len(FORM_YEARS)]
        kinds = [k for k in NOISE_KINDS if rng.random() < noise_rate / 3]
        encodings = [k for k in kinds if k in ENCODINGS]
        noise = frozenset([k for k in kinds if k not in encodings] + encodings[:1])
        yield i, render_sheet(record, form_year, noise, seed=i)


def run(n: int, seed: int = 0, noise_rate: float = 0.5, verbose: int = 0) -> dict:
    """Round-trip n sheets; anything but ParseError propagates (a parser bug)."""
    exact = total = raised = 0
    by_table: Counter = Counter()
    by_family: Counter = Counter()
    classes: Counter = Counter()
    noise_seen: Counter = Counter()
    examples: dict = {}
    started = time.perf_counter()
    for i, sheet in sheets(n, seed, noise_rate):
        noise_seen.update(sheet.noise)
        try:
            parsed = parse_bytes(sheet.data, f"sheet_{i}.txt").tables
        except ParseError as exc:
            raised += 1
            parsed = {}
            examples.setdefault(("ParseError", str(exc)[:60]), (i, sheet.form_year, sorted(sheet.noise)))
        e, t, misses = compare(parsed, sheet.facts)
        exact, total = exact + e, total + t
        for table, expected, got in misses:
            by_table[table] += 1
            by_family[sheet.form_year] += 1
            key = miss_class(table, expected, parsed) + (sheet.form_year,)
            classes[key] += 1
            examples.setdefault(key, (i, sorted(sheet.noise), expected, got))
    result = {"sheets": n, "facts": total, "exact": exact, "ratio": exact / max(total, 1), "parse_errors": raised,
              "misses_by_table": dict(by_table), "misses_by_form_year": dict(sorted(by_family.items())),
              "miss_classes": dict(classes.most_common()), "noise_seen": dict(sorted(noise_seen.items())),
              "seconds": round(time.perf_counter() - started, 1)}
    if verbose:
        for key, count in classes.most_common(verbose):
            print(count, key, str(examples[key])[:400])
        for key, example in examples.items():
            if key[0] == "ParseError":
                print(key, example)
    return result


def main() -> None:  # pragma: no cover - command line
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--examples", type=int, default=0, help="print this many miss classes with an example")
    args = parser.parse_args()
    result = run(args.n, args.seed, verbose=args.examples)
    classes = result.pop("miss_classes")
    print(result)
    print(f"{len(classes)} miss classes; largest: {dict(list(classes.items())[:10])}")


if __name__ == "__main__":
    main()
