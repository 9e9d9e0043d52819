"""Data-quality gate: Great Expectations suites from the contract, business rules, runner, report.

Modules: `suites` (schema-derived GE suites), `rules` (business rules as SQL),
`tolerance` (rounding-aware comparison), `runner` (`validate_staged`,
`validate_warehouse`), `report` (offline HTML), `gx_duckdb` (GE on DuckDB, quietly).
"""
