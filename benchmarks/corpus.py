"""A cached benchmark corpus: N realistic sheets under ``data/bench/<N>/sheets``.

The sheets are exactly those of ``benchmarks.render.render_corpus(out, N, seed=...)``
(same records, form years, noise and file names), rendered in a process pool and
without the ``facts.jsonl`` sidecar (the build must not see it).  A finished corpus
is marked by ``data/bench/<N>/corpus.json``; reruns reuse it.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import time
from concurrent.futures import ProcessPoolExecutor
from itertools import islice
from multiprocessing import get_context
from pathlib import Path

from flows.settings import DATA_DIR

BENCH_DIR = DATA_DIR / "bench"
CHUNK = 500

_records: list[dict] | None = None


def corpus_dir(n: int, seed: int = 0, root: Path = BENCH_DIR) -> Path:
    return Path(root) / (str(n) if seed == 0 else f"{n}-seed{seed}")


def ensure_corpus(n: int, *, seed: int = 0, workers: int = 2, root: Path = BENCH_DIR, log=print) -> tuple[Path, float | None]:
    """The folder of the N-sheet corpus, rendered if missing; (folder, render seconds or None if cached)."""
    base = corpus_dir(n, seed, root)
    sheets, marker = base / "sheets", base / "corpus.json"
    if marker.exists() and sheets.is_dir():
        return sheets, None
    started = time.perf_counter()
    tmp = base / "sheets.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    chunks = [(start, min(start + CHUNK, n)) for start in range(0, n, CHUNK)]
    log(f"rendering {n:,} sheets into {sheets} ({workers} processes) ...")
    if workers <= 1:
        for start, stop in chunks:
            _render_range(str(tmp), n, seed, start, stop)
    else:
        with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
            list(pool.map(_render_range, *zip(*[(str(tmp), n, seed, a, b) for a, b in chunks])))
    shutil.rmtree(sheets, ignore_errors=True)
    os.replace(tmp, sheets)
    seconds = time.perf_counter() - started
    marker.write_text(json.dumps({"n": n, "seed": seed, "render_seconds": round(seconds, 1)}) + "\n")
    return sheets, seconds


def _render_range(out_dir: str, n: int, seed: int, start: int, stop: int) -> int:
    """Render sheets start..stop-1 exactly as `render_corpus` numbers and names them."""
    from benchmarks.render import FORM_YEARS, choose_noise, iter_records, render_sheet

    global _records
    if _records is None:
        _records = list(islice(iter_records(), n))
    for i in range(start, stop):
        record = _records[i % len(_records)]
        form_year = FORM_YEARS[i % len(FORM_YEARS)]
        noise = choose_noise(random.Random(f"{seed}|corpus|{i}"), 0.3)
        sheet = render_sheet(record, form_year, noise, seed)
        Path(out_dir, f"{i:05d}_{form_year}_{record.get('ID') or i}.txt").write_bytes(sheet.data)
    return stop - start
