"""Realistic review-sheet text files rendered from real judgit records, with the facts
a parser must extract from them.

Quick start::

    python -m benchmarks.render /tmp/corpus -n 1000      # 1000 sheets + facts.jsonl

    from benchmarks.render import iter_records, render_sheet
    sheet = render_sheet(next(iter_records()), 2014, noise=frozenset({"cp932"}))
    sheet.data      # the file's bytes
    sheet.facts     # {"project": [...], "budget_line": [...], ...}

Layouts are described as data in `benchmarks/sheetgen/layouts.py`; section writers
live in `benchmarks/sheetgen/sections_*.py`, noise in `benchmarks/sheetgen/noise.py`.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import islice
from pathlib import Path

from benchmarks.sheetgen import noise as noise_mod
from benchmarks.sheetgen.grid import Context, Facts
from benchmarks.sheetgen.layouts import FormFamily, family_for
from benchmarks.sheetgen.model import SheetModel, build_model
from benchmarks.sheetgen.sections_budget import budget_items_section, budget_section
from benchmarks.sheetgen.sections_head import basic_section, title_section
from benchmarks.sheetgen.sections_indicators import (
    activity_section, outcome_section, policy_section, unit_cost_section)
from benchmarks.sheetgen.sections_late import (
    assessment_section, expense_section, funds_flow_section, lineage_section, opinions_section,
    recipients_section)
from benchmarks.sheetgen.synth import project_texts

# The repository's parent holds shared/ (here and in CI's fresh clone).
DEFAULT_NDJSON = Path(__file__).resolve().parents[2] / "shared" / "data" / "judgit_2020.ndjson.gz"
FORM_YEARS = tuple(range(2010, 2024))
NOISE_KINDS = noise_mod.NOISE_KINDS
SECTION_WRITERS = (
    title_section, basic_section, budget_section, budget_items_section, outcome_section,
    activity_section, unit_cost_section, policy_section, assessment_section, opinions_section,
    lineage_section, funds_flow_section, expense_section, recipients_section,
)


@dataclass(frozen=True)
class RenderedSheet:
    """One rendered sheet: its text (LF), its bytes, the facts it prints, and the
    noise kinds that actually changed it."""

    text: str
    data: bytes
    facts: dict[str, list[dict]]
    form_year: int
    noise: frozenset[str]
    encoding: str


def iter_records(path: Path | str = DEFAULT_NDJSON) -> Iterator[dict]:
    """judgit records: from an ndjson(.gz) file, one JSON file, or a folder of JSON files."""
    path = Path(path)
    if path.is_dir():
        for file in sorted(path.rglob("*.json")):
            yield json.loads(file.read_text(encoding="utf-8"))
        return
    if path.suffix == ".json":
        yield json.loads(path.read_text(encoding="utf-8"))
        return
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                yield json.loads(line)


def record_key(record: dict) -> str:
    """A stable identity of a record for seeding its random streams."""
    return "|".join(str(record.get(k)) for k in ("府省庁", "事業番号", "公開年度", "ID"))


def render_sheet(record: dict, form_year: int, noise: frozenset[str] = frozenset(), seed: int = 0,
                 *, invent_lineage: bool = True) -> RenderedSheet:
    """Render `record` in the layout of review year `form_year` with the given noise.
    `invent_lineage=False`: a record without past numbers prints none (else a plausible
    history is made up)."""
    noise = frozenset(noise)
    noise_mod.check_noise(noise)
    if form_year not in FORM_YEARS:
        raise ValueError(f"form_year must be in {FORM_YEARS[0]}..{FORM_YEARS[-1]}, got {form_year}")
    family = family_for(form_year)
    model = build_model(record, form_year, cp932_safe="cp932" in noise)
    seed_key = f"{seed}|{record_key(record)}|{form_year}"
    noise_rng = random.Random(f"{seed_key}|noise")
    applied = set(noise) & set(noise_mod.TEXT_KINDS)  # these always change the bytes
    if "split_name" in noise and noise_mod.split_one_name(model, noise_rng):
        applied.add("split_name")
    show_request = has_request_column(family, model)
    if "no_request_column" in noise and show_request and family.request_column_optional:
        show_request = False
        applied.add("no_request_column")
    texts = project_texts(model, random.Random(f"{seed_key}|texts"))
    ctx = Context(model, family, Facts(), seed_key, noise, texts, show_request, invent_lineage=invent_lineage)
    sections = [s for s in (writer(ctx) for writer in SECTION_WRITERS) if s is not None]
    ctx.facts.add("project", **ctx.project)
    sections, row_noise = noise_mod.apply_section_noise(sections, noise, noise_rng)
    lines = [row.text for section in sections for row in section.rows]
    if "trailing_spaces" in noise:
        lines = noise_mod.add_trailing_spaces(lines, noise_rng)
    text = "\n".join(lines) + "\n"
    data, encoding = noise_mod.encode(text, noise)
    applied |= row_noise | ctx.noise_used
    return RenderedSheet(text, data, ctx.facts.tables, form_year, frozenset(applied), encoding)


def has_request_column(family: FormFamily, model: SheetModel) -> bool:
    """A finished project (end ≤ review year, nothing requested) may print no 要求 column."""
    finished = model.end_year is not None and model.end_year <= model.form_year and not model.request
    return not (family.request_column_optional and finished)


def choose_noise(rng: random.Random, noise_rate: float) -> frozenset[str]:
    """No noise for (1 - noise_rate) of the sheets, else one to three compatible kinds."""
    if rng.random() >= noise_rate:
        return frozenset()
    kinds = rng.sample(NOISE_KINDS, rng.choice((1, 1, 2, 3)))
    encodings = [k for k in kinds if k in noise_mod.ENCODING_KINDS]
    return frozenset(k for k in kinds if k not in encodings[1:])


def facts_to_json(facts: dict[str, list[dict]]) -> dict:
    """Facts with Decimals as strings (exact), ready for json.dumps."""
    return {table: [{k: (str(v) if isinstance(v, Decimal) else v) for k, v in row.items()} for row in rows]
            for table, rows in facts.items()}


def render_corpus(out_dir: Path | str, n: int, *, seed: int = 0, form_years: tuple[int, ...] = FORM_YEARS,
                  noise_rate: float = 0.3, records_path: Path | str = DEFAULT_NDJSON) -> list[Path]:
    """Write n sheets (records and form years cycled, random noise) and `facts.jsonl`."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    records = list(islice(iter_records(records_path), n))
    paths = []
    with open(out_dir / "facts.jsonl", "w", encoding="utf-8") as sidecar:
        for i in range(n):
            record = records[i % len(records)]
            form_year = form_years[i % len(form_years)]
            noise = choose_noise(random.Random(f"{seed}|corpus|{i}"), noise_rate)
            sheet = render_sheet(record, form_year, noise, seed)
            path = out_dir / f"{i:05d}_{form_year}_{record.get('ID') or i}.txt"
            path.write_bytes(sheet.data)
            paths.append(path)
            sidecar.write(json.dumps({
                "file": path.name, "form_year": form_year, "noise": sorted(sheet.noise),
                "encoding": sheet.encoding, "ministry": record.get("府省庁"),
                "record_number": record.get("事業番号"), "facts": facts_to_json(sheet.facts),
            }, ensure_ascii=False) + "\n")
    return paths


def parse_years(text: str) -> tuple[int, ...]:
    """`2010-2023` or `2014,2020`."""
    if "-" in text:
        first, last = (int(x) for x in text.split("-"))
        return tuple(range(first, last + 1))
    return tuple(int(x) for x in text.split(","))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.render",
        description="Render review-sheet text files from judgit records, with a facts.jsonl sidecar. "
                    "Example: python -m benchmarks.render /tmp/corpus -n 1000 --noise-rate 0.3")
    parser.add_argument("out_dir", type=Path, help="folder for the sheets and facts.jsonl")
    parser.add_argument("-n", type=int, default=100, help="number of sheets (default 100)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--noise-rate", type=float, default=0.3, help="share of sheets with noise")
    parser.add_argument("--form-years", type=parse_years, default=FORM_YEARS, help="e.g. 2010-2023 or 2014,2020")
    parser.add_argument("--records", type=Path, default=DEFAULT_NDJSON, help="ndjson(.gz), JSON file or folder")
    args = parser.parse_args(argv)
    paths = render_corpus(args.out_dir, args.n, seed=args.seed, form_years=args.form_years,
                          noise_rate=args.noise_rate, records_path=args.records)
    print(f"wrote {len(paths)} sheets and facts.jsonl to {args.out_dir}")


if __name__ == "__main__":
    main()
