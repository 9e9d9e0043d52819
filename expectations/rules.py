"""Business rules of the review sheet (SHEET_FORMAT.md "Known relations") as SQL.

Every rule is one DuckDB query over the staged tables that returns the
*violating* rows, one per offending sheet (and year), with the columns
``project_key, fiscal_year, observed, expected, message``.  The runner wraps each
query in a Great Expectations ``UnexpectedRowsExpectation``: ``{batch}`` is the
rule's own table (``Rule.table_name``); other tables are named directly.

Arithmetic relations hold *within rounding*: the allowed difference is the sum
of the half-units of every printed term (``4`` -> ±0.5, ``0.7`` -> ±0.05,
``50%`` -> ±0.005), propagated by interval arithmetic for ratios.  The rule and
its SQL/Python implementation live in `expectations.tolerance`; in short,
4 vs 1 + 1 + 0.7 + 0.3 holds and 9 vs 4 does not.

All rules here are warnings: the sheet is loaded and the finding lands in
``dq_issue``.  A rule may return a ``table_name`` column to name the table of each
finding (``printed_total_sum`` does).  Write queries without ``:word`` (SQLAlchemy
bind syntax), ``?`` (a DBAPI placeholder) and braces other than ``{batch}``.
"""

from __future__ import annotations

from dataclasses import dataclass

from expectations.tolerance import EPSILON, PERCENT, fmt_sql, half_unit_sql, outside_sql, pct_sql, ratio_bounds_sql

BATCH = "{batch}"  # Great Expectations substitutes the rule's own table here

LINE_LABELS = {
    "initial": "当初予算", "supplementary": "補正予算", "carried_in": "前年度から繰越し",
    "carried_out": "翌年度へ繰越し", "reserve": "予備費等", "total": "計", "executed": "執行額",
}
COMPONENTS = "('initial', 'supplementary', 'carried_in', 'carried_out', 'reserve')"
IMPLAUSIBLE_FACTOR = 100  # an amount above 100 x its reference is a unit error, not a budget


@dataclass(frozen=True)
class Rule:
    """One business rule: a query returning the violating rows."""

    check_name: str
    table_name: str
    severity: str  # "error" keeps the sheet out, "warning" loads it
    description: str
    sql: str


def with_batch(body: str) -> str:
    """Prefix a query with ``batch_rows`` = the rule's table (never alias ``{batch}`` itself:
    GE renders it as a table name, ``(subquery)`` or ``(subquery) AS subselect``)."""
    body = body.strip()
    head = f"with batch_rows as (select * from {BATCH})"
    return head + ",\n" + body[5:] if body.lower().startswith("with ") else head + "\n" + body


def year_sql(fiscal_year: str, is_request: str | None = None) -> str:
    """SQL: 'FY2018' (or 'FY2021 request (要求)') for messages."""
    label = f"coalesce('FY' || CAST({fiscal_year} AS VARCHAR), 'undated')"
    if is_request:
        label += f" || CASE WHEN {is_request} THEN ' request (要求)' ELSE '' END"
    return f"({label})"


def line_label_sql(line: str) -> str:
    """SQL: the Japanese label of a budget line."""
    cases = " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in LINE_LABELS.items())
    return f"(CASE {line} {cases} ELSE {line} END)"


# An RS System CSV amount is printed in yen (its labels end in （合計）): half a yen, in 百万円.
_PRINTED_UNIT = "(CASE WHEN contains(coalesce(label_ja, ''), '合計）') THEN 0.000001 ELSE 1 END)"


def lines_cte(source: str, where: str = "TRUE") -> str:
    """SQL: printed budget lines with their half-units (`hu`)."""
    return (
        "select project_key, fiscal_year, is_request, line, amount_million_yen as amount, raw_text, label_ja, "
        f"{half_unit_sql('raw_text', 'amount_million_yen', _PRINTED_UNIT)} as hu "
        f"from {source} where amount_million_yen is not null and {where}"
    )


def _pick(line: str, column: str) -> str:
    return f"max({column}) filter (where line = '{line}')"


TOTAL_IDENTITY = Rule(
    "budget_total_identity", "budget_line", "warning",
    "計 = 当初 + 補正 + 前年度から繰越し + 翌年度へ繰越し (deducted) + 予備費等, per year and column; "
    "checked when 計 and a 補正予算 row are printed (its cell may print -, nothing) or in the 要求 column.",
    with_batch(f"""
with lines as ({lines_cte('batch_rows')}),
supplementary_rows as (  -- a 補正予算 row printed for the year, also as '-'
  select distinct project_key, fiscal_year, is_request from batch_rows where line = 'supplementary'
),
per_column as (
  select project_key, fiscal_year, is_request,
    {_pick('total', 'amount')} as total, {_pick('total', 'raw_text')} as total_raw,
    {_pick('total', 'hu')} as total_hu,
    sum(case when line = 'carried_out' then -abs(amount) else amount end)
      filter (where line in {COMPONENTS}) as components,
    sum(hu) filter (where line in {COMPONENTS}) as components_hu
  from lines group by project_key, fiscal_year, is_request
),
checked as (
  select *, exists (select 1 from supplementary_rows s where s.project_key = per_column.project_key
                    and s.fiscal_year = per_column.fiscal_year and s.is_request = per_column.is_request) as has_supplementary
  from per_column
)
select project_key, fiscal_year, total_raw as observed,
  {fmt_sql('components')} || ' ± ' || {fmt_sql('total_hu + components_hu')} as expected,
  {year_sql('fiscal_year', 'is_request')} || ' — 計 (total) is ' || total_raw
    || ' but 当初+補正+前年度から繰越し-翌年度へ繰越し+予備費等 add up to ' || {fmt_sql('components')}
    || ' (rounding allows ±' || {fmt_sql('total_hu + components_hu')} || ')' as message
from checked
where total is not null and components is not null and (is_request or has_supplementary)
  and abs(total - components) > total_hu + components_hu + {EPSILON}
"""))

_RATE_LOW, _RATE_HIGH = ratio_bounds_sql("executed", "executed_hu", "denominator", "denominator_hu")
_ACH_LOW, _ACH_HIGH = ratio_bounds_sql("a", "a_hu", "t", "t_hu")
_INV_LOW, _INV_HIGH = ratio_bounds_sql("t", "t_hu", "a", "a_hu")

EXECUTION_RATE = Rule(
    "execution_rate_consistency", "execution_rate", "warning",
    "執行率 = 執行額 / 計 (basis total) and 執行額 / (当初 + 補正) (basis initial_plus_supplementary), "
    "within rounding of all three printed values.",
    with_batch(f"""
with rates as (
  select project_key, fiscal_year, basis, rate, raw_text,
    -- a rate printed as the fraction it is (RS System CSV: 0.99777) rounds in its own digits
    case when rate <> 0 and try_cast(raw_text as decimal(38, 12)) = rate then {half_unit_sql('raw_text', 'rate')}
         else {half_unit_sql('raw_text', 'rate', PERCENT)} end as hu
  from batch_rows where rate is not null
),
lines as ({lines_cte('budget_line', 'not is_request')}),
per_year as (
  select project_key, fiscal_year,
    {_pick('executed', 'amount')} as executed, {_pick('executed', 'hu')} as executed_hu,
    {_pick('total', 'amount')} as total, {_pick('total', 'hu')} as total_hu,
    {_pick('initial', 'amount')} + coalesce({_pick('supplementary', 'amount')}, 0) as initial_supp,
    {_pick('initial', 'hu')} + coalesce({_pick('supplementary', 'hu')}, 0) as initial_supp_hu
  from lines group by project_key, fiscal_year
),
pairs as (
  select r.*, p.executed, p.executed_hu,
    case r.basis when 'total' then p.total else p.initial_supp end as denominator,
    case r.basis when 'total' then p.total_hu else p.initial_supp_hu end as denominator_hu
  from rates r join per_year p on p.project_key = r.project_key and p.fiscal_year = r.fiscal_year
  where p.executed is not null
),
bounds as (
  select *, {_RATE_LOW} as low, {_RATE_HIGH} as high
  from pairs where denominator - denominator_hu > 0
)
select project_key, fiscal_year, raw_text as observed,
  {pct_sql('low')} || '–' || {pct_sql('high')} as expected,
  {year_sql('fiscal_year')} || ' — '
    || case basis when 'total' then '執行率' else '当初予算+補正予算に対する執行額の割合' end
    || ' is printed ' || raw_text || ' but 執行額 ' || {fmt_sql('executed')} || ' / '
    || case basis when 'total' then '計 ' else '(当初+補正) ' end || {fmt_sql('denominator')}
    || ' gives ' || {pct_sql('executed / denominator')}
    || ' (' || {pct_sql('low')} || '–' || {pct_sql('high')} || ' allowing for rounding)' as message
from bounds
where {outside_sql('rate', 'hu', 'low', 'high')}
"""))

CARRYOVER = Rule(
    "carryover_continuity", "budget_line", "warning",
    "前年度から繰越し of year y+1 = −翌年度へ繰越し of year y, within one sheet.",
    with_batch(f"""
with lines as ({lines_cte('batch_rows', 'not is_request')})
select i.project_key, i.fiscal_year, i.raw_text as observed,
  {fmt_sql('abs(o.amount)')} || ' ± ' || {fmt_sql('i.hu + o.hu')} as expected,
  {year_sql('i.fiscal_year')} || ' — 前年度から繰越し is ' || i.raw_text || ' but FY'
    || CAST(o.fiscal_year AS VARCHAR) || ' 翌年度へ繰越し printed ' || o.raw_text
    || ' (rounding allows ±' || {fmt_sql('i.hu + o.hu')} || ')' as message
from lines i join lines o
  on o.project_key = i.project_key and o.fiscal_year = i.fiscal_year - 1
 and i.line = 'carried_in' and o.line = 'carried_out'
where abs(i.amount - abs(o.amount)) > i.hu + o.hu + {EPSILON}
"""))

ITEMS_SUM = Rule(
    "budget_items_sum", "budget_item", "warning",
    "予算内訳 items add up to 当初予算 of that year (or to the 要求 column's 当初/計).",
    with_batch(f"""
with items as (
  select project_key, fiscal_year, is_request, sum(amount_million_yen) as items_sum,
    sum({half_unit_sql('raw_text', 'amount_million_yen')}) as items_hu, count(*) as n_items
  from batch_rows where amount_million_yen is not null group by project_key, fiscal_year, is_request
),
lines as ({lines_cte('budget_line', "line in ('initial', 'total')")}),
target as (
  select project_key, fiscal_year, is_request,
    coalesce({_pick('initial', 'amount')}, {_pick('total', 'amount')}) as amount,
    coalesce({_pick('initial', 'raw_text')}, {_pick('total', 'raw_text')}) as raw_text,
    coalesce({_pick('initial', 'hu')}, {_pick('total', 'hu')}) as hu
  from lines group by project_key, fiscal_year, is_request
)
select i.project_key, i.fiscal_year, {fmt_sql('i.items_sum')} as observed,
  t.raw_text || ' ± ' || {fmt_sql('i.items_hu + t.hu')} as expected,
  {year_sql('i.fiscal_year', 'i.is_request')} || ' — the ' || CAST(i.n_items AS VARCHAR)
    || ' items of 予算内訳 add up to ' || {fmt_sql('i.items_sum')} || ' but 当初予算 is ' || t.raw_text
    || ' (rounding allows ±' || {fmt_sql('i.items_hu + t.hu')} || ')' as message
from items i join target t
  on t.project_key = i.project_key and t.fiscal_year = i.fiscal_year and t.is_request = i.is_request
where t.amount is not null and abs(i.items_sum - t.amount) > i.items_hu + t.hu + {EPSILON}
"""))

ACHIEVEMENT = Rule(
    "achievement_consistency", "indicator", "warning",
    "達成度 ≈ 成果実績 / 目標値 × 100 (or 目標値 / 成果実績 × 100 for lower-is-better targets), "
    "within rounding.",
    with_batch(f"""
with cells as (
  select project_key, kind, indicator_no, period, fiscal_year, measure, value, raw_text,
    {half_unit_sql('raw_text', 'value')} as hu
  from batch_rows where value is not null and measure in ('actual', 'target', 'achievement')
),
per_cell as (
  select project_key, kind, indicator_no, period, fiscal_year,
    max(value) filter (where measure = 'actual') as a, max(hu) filter (where measure = 'actual') as a_hu,
    max(value) filter (where measure = 'target') as t, max(hu) filter (where measure = 'target') as t_hu,
    max(value) filter (where measure = 'achievement') as p,
    max(hu) filter (where measure = 'achievement') as p_hu,
    max(raw_text) filter (where measure = 'achievement') as p_raw
  from cells group by project_key, kind, indicator_no, period, fiscal_year
),
bounds as (
  select *, {_ACH_LOW} * 100 as low, {_ACH_HIGH} * 100 as high,
    case when a - a_hu > 0 then {_INV_LOW} * 100 end as inv_low,
    case when a - a_hu > 0 then {_INV_HIGH} * 100 end as inv_high
  from per_cell where p is not null and a is not null and t - t_hu > 0
)
select project_key, fiscal_year, p_raw as observed,
  {fmt_sql('low', 2)} || '–' || {fmt_sql('high', 2)} as expected,
  {year_sql('fiscal_year')} || ' — ' || kind || ' indicator ' || CAST(indicator_no AS VARCHAR)
    || ' 達成度 is printed ' || p_raw || ' but 成果実績 ' || {fmt_sql('a')} || ' / 目標値 ' || {fmt_sql('t')}
    || ' × 100 gives ' || {fmt_sql('a / t * 100', 2)} || ' (' || {fmt_sql('low', 2)} || '–'
    || {fmt_sql('high', 2)} || ' allowing for rounding)' as message
from bounds
where {outside_sql('p', 'p_hu', 'low', 'high')}
  and (inv_low is null or {outside_sql('p', 'p_hu', 'inv_low', 'inv_high')})
"""))

_FORMULA = (
    "replace(replace(translate(coalesce(f.raw_text, ''), '０１２３４５６７８９．，／÷　', '0123456789.,// '), ',', ''), ' ', '')"
)
_OPERAND = "[0-9.]+"  # no `?` in queries: some DBAPI drivers read it as a placeholder

UNIT_COST = Rule(
    "unit_cost_formula", "indicator", "warning",
    "単位当たりコスト ≈ its 計算式 (numerator / denominator as printed, e.g. 1,770/47), within rounding.",
    with_batch(f"""
with formulas as (
  select f.project_key, f.indicator_no, f.period, f.fiscal_year, f.raw_text,
    regexp_extract({_FORMULA}, '^({_OPERAND})/({_OPERAND})$', 1) as n_text,
    regexp_extract({_FORMULA}, '^({_OPERAND})/({_OPERAND})$', 2) as d_text
  from batch_rows f where f.kind = 'unit_cost' and f.measure = 'formula'
),
operands as (
  select *, TRY_CAST(n_text AS DOUBLE) as n, {half_unit_sql('n_text', 'NULL')} as n_hu,
    TRY_CAST(d_text AS DOUBLE) as d, {half_unit_sql('d_text', 'NULL')} as d_hu
  from formulas where n_text <> '' and d_text <> ''
),
pairs as (
  select o.*, v.value, v.raw_text as value_raw, {half_unit_sql('v.raw_text', 'v.value')} as v_hu,
    (o.n - o.n_hu) / (o.d + o.d_hu) as low, (o.n + o.n_hu) / (o.d - o.d_hu) as high
  from operands o join indicator v
    on v.project_key = o.project_key and v.kind = 'unit_cost' and v.measure = 'actual'
   and v.indicator_no = o.indicator_no and v.period = o.period
   and v.fiscal_year is not distinct from o.fiscal_year
  where v.value is not null and o.n is not null and o.d - o.d_hu > 0
)
select project_key, fiscal_year, value_raw as observed,
  raw_text || ' = ' || {fmt_sql('low', 4)} || '–' || {fmt_sql('high', 4)} as expected,
  {year_sql('fiscal_year')} || ' — 単位当たりコスト is printed ' || value_raw || ' but its 計算式 '
    || raw_text || ' gives ' || {fmt_sql('n / d', 4)} || ' (' || {fmt_sql('low', 4)} || '–'
    || {fmt_sql('high', 4)} || ' allowing for rounding)' as message
from pairs
where {outside_sql('value', 'v_hu', 'low', 'high')}
"""))

PRINTED_TOTAL_SUM = Rule(
    "printed_total_sum", "printed_total", "warning",
    "A printed 計 row (予算内訳 per year/column, 費目・用途 and 支出先 per block) equals the sum of its "
    "items, within rounding; each finding names the items' table.",
    with_batch(f"""
with items as (
  select 'budget_item' as table_name, project_key, CAST(NULL AS VARCHAR) as block, fiscal_year, is_request,
    amount_million_yen as amount, {half_unit_sql('raw_text', 'amount_million_yen')} as hu
  from budget_item
  union all
  select 'expense', project_key, block, NULL, NULL, amount_million_yen,
    {half_unit_sql('raw_text', 'amount_million_yen')}
  from expense
  union all
  select 'recipient', project_key, block, NULL, NULL, amount_million_yen,
    {half_unit_sql('raw_text', 'amount_million_yen')}
  from recipient
),
sums as (
  select table_name, project_key, block, fiscal_year, is_request, sum(amount) as items_sum,
    sum(hu) as items_hu, count(*) as n_items
  from items where amount is not null
  group by table_name, project_key, block, fiscal_year, is_request
),
totals as (
  select *, {half_unit_sql('raw_text', 'amount_million_yen')} as hu,
    CASE table_name WHEN 'budget_item' THEN '予算内訳' WHEN 'expense' THEN '費目・用途'
      ELSE '支出先上位10者リスト' END as label
  from batch_rows where amount_million_yen is not null
),
matched as (
  select t.*, s.items_sum, s.n_items, s.items_hu + t.hu as tol
  from totals t join sums s
    on s.table_name = t.table_name and s.project_key = t.project_key and s.block is not distinct from t.block
   and (t.table_name <> 'budget_item'
        or (s.fiscal_year = t.fiscal_year and s.is_request is not distinct from t.is_request))
)
select table_name, project_key, fiscal_year, {fmt_sql('items_sum')} as observed,
  raw_text || ' ± ' || {fmt_sql('tol')} as expected,
  CASE WHEN table_name = 'budget_item' THEN {year_sql('fiscal_year', 'is_request')} || ' — ' ELSE '' END
    || label || coalesce(' block ' || block, '')
    || ' — the ' || CAST(n_items AS VARCHAR) || ' items add up to ' || {fmt_sql('items_sum')}
    || ' but the printed 計 is ' || raw_text || ' (rounding allows ±' || {fmt_sql('tol')} || ')' as message
from matched
where abs(items_sum - amount_million_yen) > tol + {EPSILON}
"""))

# The review year's own 執行額 is printed by many sheets (all of 令和2年度, published after
# that year closed), so only a year after the review year is flagged: it had not begun.
NOT_CLOSED = Rule(
    "execution_not_closed", "budget_line", "warning",
    "執行額 printed for a fiscal year after the review year (the year had not begun: a column slip or a typo).",
    with_batch(f"""
select b.project_key, b.fiscal_year, b.raw_text as observed,
  '執行額 only for years up to FY' || CAST(p.review_year AS VARCHAR) as expected,
  {year_sql('b.fiscal_year')} || ' — 執行額 ' || b.raw_text || ' is printed for a year that had not begun'
    || ' at the review (review year ' || CAST(p.review_year AS VARCHAR) || ')' as message
from batch_rows b join project p on p.project_key = b.project_key
where b.line = 'executed' and not b.is_request and b.amount_million_yen is not null
  and b.fiscal_year > p.review_year
"""))

RECIPIENT_MAGNITUDE = Rule(
    "recipient_amount_plausible", "recipient", "warning",
    f"A recipient's 支出額 above {IMPLAUSIBLE_FACTOR} × the 執行額 of its payment year (likely a unit error).",
    with_batch(f"""
with executed as ({lines_cte('budget_line', "not is_request and line = 'executed'")})
select r.project_key, r.fiscal_year, coalesce(r.raw_text, {fmt_sql('r.amount_million_yen')}) as observed,
  '≤ ' || {fmt_sql(f'{IMPLAUSIBLE_FACTOR} * e.amount')} as expected,
  {year_sql('r.fiscal_year')} || ' — recipient ' || coalesce(r.name, '(no name)') || ' (block ' || r.block
    || ', rank ' || CAST(r.rank AS VARCHAR) || ') received ' || {fmt_sql('r.amount_million_yen')}
    || ' 百万円, more than {IMPLAUSIBLE_FACTOR} × the 執行額 ' || e.raw_text || ' of that year (unit error)'
    as message
from batch_rows r join executed e on e.project_key = r.project_key and e.fiscal_year = r.fiscal_year
where e.amount > 0 and r.amount_million_yen > {IMPLAUSIBLE_FACTOR} * e.amount
"""))

ITEM_MAGNITUDE = Rule(
    "budget_item_amount_plausible", "budget_item", "warning",
    f"A 予算内訳 item above {IMPLAUSIBLE_FACTOR} × the 当初予算 of its year (likely a unit error).",
    with_batch(f"""
with initial as ({lines_cte('budget_line', "line = 'initial'")})
select i.project_key, i.fiscal_year, coalesce(i.raw_text, {fmt_sql('i.amount_million_yen')}) as observed,
  '≤ ' || {fmt_sql(f'{IMPLAUSIBLE_FACTOR} * b.amount')} as expected,
  {year_sql('i.fiscal_year', 'i.is_request')} || ' — 予算内訳 item ' || i.item_name || ' is '
    || {fmt_sql('i.amount_million_yen')} || ', more than {IMPLAUSIBLE_FACTOR} × 当初予算 ' || b.raw_text
    || ' (unit error)' as message
from batch_rows i join initial b
  on b.project_key = i.project_key and b.fiscal_year = i.fiscal_year and b.is_request = i.is_request
where b.amount > 0 and i.amount_million_yen > {IMPLAUSIBLE_FACTOR} * b.amount
"""))

RESTATEMENT = Rule(
    "restatement", "budget_line", "warning",
    "The same fiscal year's budget line printed differently by two review sheets of one project_id "
    "(compared with the previous review sheet that printed it; rounding-aware).",
    with_batch(f"""
with lines as ({lines_cte('batch_rows', 'not is_request')}),
observations as (
  select l.*, p.project_id, p.review_year,
    lag(l.amount) over w as prev_amount, lag(l.raw_text) over w as prev_raw,
    lag(l.hu) over w as prev_hu, lag(p.review_year) over w as prev_review_year
  from lines l join project p on p.project_key = l.project_key
  window w as (partition by p.project_id, l.fiscal_year, l.line order by p.review_year, l.project_key)
)
select project_key, fiscal_year, raw_text as observed,
  prev_raw || ' (review ' || CAST(prev_review_year AS VARCHAR) || ')' as expected,
  {year_sql('fiscal_year')} || ' — ' || {line_label_sql('line')} || ' is ' || raw_text
    || ' in the review ' || CAST(review_year AS VARCHAR) || ' sheet but was ' || prev_raw
    || ' in the review ' || CAST(prev_review_year AS VARCHAR) || ' sheet (restated)' as message
from observations
where prev_amount is not null and prev_review_year < review_year
  and abs(amount - prev_amount) > hu + prev_hu + {EPSILON}
"""))

# Rules over the staged tables, in report order.
RULES: tuple[Rule, ...] = (
    TOTAL_IDENTITY, EXECUTION_RATE, CARRYOVER, ITEMS_SUM, ACHIEVEMENT, UNIT_COST,
    PRINTED_TOTAL_SUM, NOT_CLOSED, RECIPIENT_MAGNITUDE, ITEM_MAGNITUDE,
)
# Cross-sheet rules over a built warehouse (tables project with project_id, budget_line).
WAREHOUSE_RULES: tuple[Rule, ...] = (RESTATEMENT,)


def rule_sql(rule: Rule, table: str | None = None) -> str:
    """The rule's query with ``{batch}`` replaced by a table name (for a full re-fetch)."""
    return rule.sql.replace(BATCH, table or rule.table_name)
