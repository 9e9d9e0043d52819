"""Safety nets between the section parsers and the staged tables.

`guarded` runs one section parser so that a failure loses that section only;
`fit_contract` makes every row loadable: a number beyond its DECIMAL / INTEGER
column, a row missing a NOT NULL value, or a second row for the same key (a year
printed twice in a header, a rank repeated in a block) becomes a warning instead of
a failed load or a quarantined sheet.
"""

from __future__ import annotations

from decimal import Decimal
from operator import itemgetter

from transforms.schema import SHEET_TABLES
from transforms.sections.context import SheetContext

# Columns the sheet parser stamps after the sections are read.
STAMPED = {"project_key", "project_id", "source_path", "source_sha256", "source_format"}


def guarded(section: str, table: str, ctx: SheetContext, parser, *args):
    """Run one section parser; a failure is a warning naming the file and the section
    (check `section_failed`: a parser bug to fix) and the section gives no rows."""
    try:
        return parser(*args)
    except Exception as exc:  # noqa: BLE001 - one unreadable section must not lose the sheet
        ctx.warn("section_failed", f"{ctx.source_path}: section {section} could not be read "
                 f"({type(exc).__name__}: {exc}); its rows were not loaded", table)
        return None


def _contract_checks() -> dict[str, list[tuple[str, int | None, bool]]]:
    """Per sheet table: (column, numeric limit or None, nullable) for the columns to check.

    A DECIMAL column's limit is a Decimal: its values are Decimals, and comparing two
    Decimals is several times cheaper than comparing a Decimal with an int (same result).
    """
    checks: dict[str, list[tuple[str, int | None, bool]]] = {}
    for table in SHEET_TABLES:
        columns = []
        for col in table.columns:
            if col.name in STAMPED:
                continue
            limit = None
            if col.type.startswith("DECIMAL("):
                precision, scale = (int(x) for x in col.type[8:-1].split(","))
                limit = Decimal(10) ** (precision - scale)
            elif col.type == "INTEGER":
                limit = 2 ** 31
            if limit is not None or not col.nullable:
                columns.append((col.name, limit, col.nullable))
        checks[table.name] = columns
    return checks


CHECKS = _contract_checks()
_KEY_COLUMNS = {t.name: [c for c in t.key if c != "project_key"] for t in SHEET_TABLES}


def fit_contract(tables: dict[str, list[dict]], ctx: SheetContext) -> None:
    """Make every fact row loadable (the project row is checked by the caller).

    >>> from decimal import Decimal
    >>> ctx = SheetContext("x.txt", 2020)
    >>> tables = {"budget_line": [{"fiscal_year": 2020, "is_request": False, "line": "total",
    ...     "amount_million_yen": Decimal("9" * 30), "raw_text": "9" * 30, "label_ja": "計"}]}
    >>> fit_contract(tables, ctx)
    >>> tables["budget_line"][0]["amount_million_yen"], [i.check_name for i in ctx.issues]
    (None, ['value_out_of_range'])
    """
    for name, rows in tables.items():
        checks = CHECKS.get(name)
        if not rows or not checks or name == "project":
            continue
        incomplete: list[dict] = []
        for column, limit, nullable in checks:  # one pass per column: the common case is a clean table
            if limit is not None:
                low = -limit
                for row in [r for r in rows if (v := r.get(column)) is not None and not low < v < limit]:
                    ctx.warn("value_out_of_range", f"{ctx.source_path}: {name}.{column} {row[column]} does not fit "
                             f"the contract's type; loaded as NULL (raw_text keeps the print)", name,
                             observed=str(row[column])[:80])
                    row[column] = None
            if not nullable:
                incomplete += [r for r in rows if r.get(column) is None]
        if incomplete:
            dropped = {id(r) for r in incomplete}
            for row in [r for r in rows if id(r) in dropped]:
                ctx.warn("row_incomplete", f"{ctx.source_path}: a {name} row without a required value "
                         f"was not loaded: {str(row)[:200]}", name)
            tables[name] = [r for r in rows if id(r) not in dropped]
        tables[name] = _first_per_key(name, tables[name], ctx)


def _first_per_key(name: str, rows: list[dict], ctx: SheetContext) -> list[dict]:
    """The rows with the first of several rows sharing one key (the sheet printed a
    key twice); each later one is reported and left out, an identical repeat silently.

    >>> ctx = SheetContext("x.txt", 2020)
    >>> rows = [{"block": "A", "rank": 1, "name": "甲"}, {"block": "A", "rank": 1, "name": "乙"}]
    >>> [r["name"] for r in _first_per_key("recipient", rows, ctx)], [i.check_name for i in ctx.issues]
    (['甲'], ['duplicate_key'])
    """
    columns = _KEY_COLUMNS.get(name)
    if not columns:
        return rows  # a table without a key of its own (printed_total)
    getter = itemgetter(*columns)
    try:
        keys = [getter(row) for row in rows]
    except KeyError:
        keys = [getter({c: row.get(c) for c in columns}) for row in rows]
    if len(set(keys)) == len(keys):
        return rows  # the common case: every key once
    first: dict[object, dict] = {}
    kept = []
    for row, key in zip(rows, keys):
        if key not in first:
            first[key] = row
            kept.append(row)
        elif row != first[key]:
            shown = ", ".join(f"{c}={v}" for c, v in zip(columns, key if len(columns) > 1 else (key,)))
            ctx.warn("duplicate_key", f"{ctx.source_path}: a second {name} row for {shown} was not loaded "
                     f"(the sheet prints that key twice; the first row is kept): {str(row)[:160]}", name,
                     fiscal_year=row.get("fiscal_year"))
    return kept if len(kept) < len(rows) else rows
