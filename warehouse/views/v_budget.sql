-- @view 予算額・執行額(年度別・横持ち): one row per sheet (project_key), fiscal_year and is_request (○年度要求 column) with the seven budget lines as columns, in millions of yen (百万円), plus the reported and the computed execution rate and the sheet's ministry, name, review year and project_id.
-- @column initial: 当初予算 (百万円)
-- @column supplementary: 補正予算 (百万円)
-- @column carried_in: 前年度から繰越し (百万円)
-- @column carried_out: 翌年度へ繰越し (百万円; printed ▲, so negative)
-- @column reserve: 予備費等 (百万円)
-- @column total: 計 (百万円)
-- @column executed: 執行額 (百万円)
-- @column execution_rate_reported: 執行率 as printed (basis 計), a fraction: 85% -> 0.85
-- @column execution_rate_computed: 執行額 / 計 computed here, a fraction; NULL when either is missing or 計 is 0

-- amounts stay DECIMAL (millions of yen, exact); only the computed rate goes
-- through a division (DOUBLE in DuckDB) and is cast back to DECIMAL(18,6).

with budget_lines as (

    select * from budget_line

),

reported_rates as (

    -- 執行率 rows only exist for actual (non-request) columns
    select
        project_key,
        fiscal_year,
        false as is_request,
        rate as execution_rate_reported
    from execution_rate
    where basis = 'total'

),

pivoted as (

    select
        project_key,
        fiscal_year,
        is_request,
        max(amount_million_yen) filter (where line = 'initial') as initial,
        max(amount_million_yen) filter (where line = 'supplementary') as supplementary,
        max(amount_million_yen) filter (where line = 'carried_in') as carried_in,
        max(amount_million_yen) filter (where line = 'carried_out') as carried_out,
        max(amount_million_yen) filter (where line = 'reserve') as reserve,
        max(amount_million_yen) filter (where line = 'total') as total,
        max(amount_million_yen) filter (where line = 'executed') as executed
    from budget_lines
    group by project_key, fiscal_year, is_request

),

with_rates as (

    select
        coalesce(pivoted.project_key, reported_rates.project_key) as project_key,
        coalesce(pivoted.fiscal_year, reported_rates.fiscal_year) as fiscal_year,
        coalesce(pivoted.is_request, reported_rates.is_request) as is_request,
        pivoted.initial,
        pivoted.supplementary,
        pivoted.carried_in,
        pivoted.carried_out,
        pivoted.reserve,
        pivoted.total,
        pivoted.executed,
        reported_rates.execution_rate_reported,
        try_cast(pivoted.executed / nullif(pivoted.total, 0) as decimal(18, 6)) as execution_rate_computed
    from pivoted
    full outer join reported_rates
        on pivoted.project_key = reported_rates.project_key
        and pivoted.fiscal_year = reported_rates.fiscal_year
        and pivoted.is_request = reported_rates.is_request

),

final as (

    select
        project.project_id,
        with_rates.project_key,
        project.review_year,
        project.ministry,
        project.project_name,
        with_rates.fiscal_year,
        with_rates.is_request,
        with_rates.initial,
        with_rates.supplementary,
        with_rates.carried_in,
        with_rates.carried_out,
        with_rates.reserve,
        with_rates.total,
        with_rates.executed,
        with_rates.execution_rate_reported,
        with_rates.execution_rate_computed
    from with_rates
    join project on project.project_key = with_rates.project_key

)

select * from final
