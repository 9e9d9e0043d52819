"""Grid -> ParsedSheet: runs every section parser and stamps the sheet's key on its rows."""

from __future__ import annotations

import hashlib

from transforms.model import ParsedSheet, ParseError, SourceInfo
from transforms.normalize import is_project_number, nfkc
from transforms.read import Grid
from transforms.schema import SHEET_TABLES
from transforms.sections.assessment import parse_assessment
from transforms.sections.budget import budget_columns, executed_years, infer_review_year, parse_budget
from transforms.sections.budget_items import parse_budget_items
from transforms.sections.context import SheetContext
from transforms.sections.expense import parse_expense
from transforms.sections.fit import fit_contract, guarded
from transforms.sections.header import parse_project
from transforms.sections.indicators import parse_indicators
from transforms.sections.lineage import parse_lineage
from transforms.sections.locate import split_sections
from transforms.sections.recipients import parse_recipients
from transforms.sections.related import parse_related_projects
from transforms.sections.title import parse_title


def project_key(review_year: int, ministry: str, project_number: str | None, project_name: str | None,
                *context: str | int | None) -> str:
    """Deterministic key of one sheet: review year + hash of ministry and number.

    A sheet without a printed number is known by its name and `context` (bureau,
    division, start year: one ministry may run projects of the same name in several
    offices).  The same project in the same review year always gets the same key, so
    an edited file replaces its own rows and a second file claiming the sheet is
    detected.

    >>> project_key(2020, "総務省", None, "住民基本台帳ネットワークシステムセキュリティ対策経費", "自治行政局", "住民制度課", 2003)
    '2020-7dc0879ccab8adae'
    >>> project_key(2020, "総務省", "0037", "any name") == project_key(2020, "総務省", "0037", "another name")
    True

    A printed 事業番号 without a digit (`新規`) identifies nothing: the name is used.

    >>> project_key(2020, "総務省", "新規", "事業A") == project_key(2020, "総務省", "新規", "事業B")
    False
    """
    if is_project_number(project_number):
        identity = f"{nfkc(ministry)}|no:{nfkc(project_number)}"
    else:
        identity = f"{nfkc(ministry)}|name:{nfkc(project_name)}" + "".join(f"|{nfkc(str(c))}" for c in context if c)
    return f"{review_year}-{hashlib.sha256(identity.encode()).hexdigest()[:16]}"


def parse_grid(grid: Grid, source: SourceInfo) -> ParsedSheet:
    """Every contract table's rows for one sheet; raises ParseError for a non-sheet."""
    sections = split_sections(grid)
    title = parse_title(sections.get("header"))
    review_year, ministry, _ = title
    if "budget" not in sections:
        if review_year is None and ministry is None:
            raise ParseError("not a review sheet: no 行政事業レビューシート title and no budget table")
        raise ParseError("truncated or incomplete sheet: no 予算額・執行額 (budget) table found")
    if ministry is None:
        raise ParseError("no ministry: the title 行政事業レビューシート (府省庁) was not found")
    if sections.second_budget_at is not None:
        raise ParseError(f"two sheets in one file: a second 予算額・執行額 table at line {sections.second_budget_at}; "
                         "split the file")
    if review_year is None:
        columns = budget_columns(sections.get("budget"), None)[0]
        review_year = infer_review_year(columns, set() if any(c.is_request for c in columns)
                                        else executed_years(sections.get("budget")))
        if review_year is None:
            raise ParseError("no review year: neither the title nor the budget table's request column gives one")
    ctx = SheetContext(source.path, review_year)
    tables: dict[str, list[dict]] = {t.name: [] for t in SHEET_TABLES}
    project = parse_project(sections, ctx, (review_year, ministry, None))
    if not project["project_name"]:
        raise ParseError("no project name: no 事業名 (案件名, 予算事業名) label with a value in the basic information")
    _merge(tables, guarded("budget", "budget_line", ctx, parse_budget, sections.get("budget"), ctx))
    if "budget_item" in sections:
        _merge(tables, guarded("budget_item", "budget_item", ctx, parse_budget_items, sections.get("budget_item"), ctx))
    tables["indicator"] = guarded("indicator", "indicator", ctx, parse_indicators, sections, ctx) or []
    if "assessment" in sections:
        tables["assessment"] = guarded("assessment", "assessment", ctx, parse_assessment, sections.get("assessment"), ctx) or []
        tables["related_project"] = guarded("related_project", "related_project", ctx, parse_related_projects,
                                            sections.get("assessment"), ctx) or []
    if "lineage" in sections:
        tables["lineage"] = guarded("lineage", "lineage", ctx, parse_lineage, sections.get("lineage"), ctx) or []
    if "expense" in sections:
        _merge(tables, guarded("expense", "expense", ctx, parse_expense, sections.get("expense"), ctx))
    if "recipient" in sections:
        _merge(tables, guarded("recipient", "recipient", ctx, parse_recipients, sections.get("recipient"), ctx))
    fit_contract(tables, ctx)
    _report_missing_sections(sections, ctx)

    key = project_key(review_year, ministry, project["project_number"], project["project_name"],
                      project["bureau"], project["division"], project["start_fiscal_year"])
    project.update(
        project_key=key, project_id=key, source_path=source.path, source_sha256=source.sha256,
        source_format=source.format, form_family=_form_family(review_year),
    )
    tables["project"] = [project]
    for name, rows in tables.items():
        for row in rows:
            row["project_key"] = key
    return ParsedSheet(key, source, tables, ctx.issues)


# sections every form year prints (the budget table is required outright): a sheet without
# one was most likely cut short
_EXPECTED_SECTIONS = {
    "成果目標 / 活動指標 (indicators)": ("outcome", "activity", "no_goal_reason", "outcome_note"),
    "事業所管部局による点検 (assessment)": ("assessment", "inspection"),
}


def _report_missing_sections(sections, ctx: SheetContext) -> None:
    """A warning for each expected section the sheet lacks (a truncated file loads what it has)."""
    missing = [name for name, found in _EXPECTED_SECTIONS.items() if not any(s in sections for s in found)]
    if missing:
        ctx.warn("section_missing", f"{ctx.source_path}: no {' and no '.join(missing)} section; the file may be "
                 "cut short", observed=", ".join(missing))


def _merge(tables: dict[str, list[dict]], parsed: dict[str, list[dict]] | None) -> None:
    for name, rows in (parsed or {}).items():
        tables[name].extend(rows)


def _form_family(review_year: int) -> str:
    """The layout family of a review year (the years whose forms look alike)."""
    families = ((2010, "2010"), (2011, "2011"), (2012, "2012-13"), (2014, "2014-15"), (2016, "2016-17"),
                (2018, "2018-19"), (2020, "2020"), (2021, "2021-23"))
    family = "2010"
    for start, name in families:
        if review_year >= start:
            family = name
    return family
