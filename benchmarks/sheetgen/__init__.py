"""Building blocks of the review-sheet renderer; the public API is `benchmarks.render`.

- `layouts`: what each form family prints (labels, row lists, switches) — as data.
- `model`: a judgit record shifted to the form year, texts NFKC-normalised.
- `synth`, `wording`: deterministic stand-ins for what the records lack.
- `eras`, `printed`: year labels and numbers exactly as sheets print them.
- `grid`: rows, sections, fact rows and the render `Context`.
- `sections_head`, `sections_budget`, `sections_indicators`, `sections_late`: one writer
  per part of the sheet; each prints its cells and records the facts they stand for.
- `noise`: the noise kinds of real exports.
"""
