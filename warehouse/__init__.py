"""The DuckDB warehouse: DDL from `transforms.schema`, the build of a new file from
the previous warehouse plus staged Parquet, project identity, SQL views, file-swap
publishing and read-only query helpers.

Modules
- `ddl`: CREATE TABLE / COMMENT ON statements generated from the schema; view loading.
- `identity`: `project_id` across review years and the `project_link` evidence.
- `dimensions`: the `fiscal_year` dimension (eras, labels, dates).
- `build`: `build_warehouse()` — one new DuckDB file per run: rebuilt, copied or patched.
- `load`: the table loaders the build modes are made of (sources, sheet selection, ordering).
- `publish`: `publish()`, `read_previous()`, `export_parquet()`, stale-file cleanup.
- `lock`: `writer_lock()`, one build at a time per warehouse file (no heavy imports).
- `issues`: `replace_dq_issues()` for the cross-sheet checks run on the built file.
- `query`: `run_query()`, `recent_runs()`, `dq_summary()` for the CLI (read-only).
"""
