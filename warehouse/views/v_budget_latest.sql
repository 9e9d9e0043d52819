-- @view 予算額・執行額(最新のレビューシートの値): per project_id and fiscal_year (actual columns only, no ○年度要求), the values of the most recent review sheet that prints at least one amount for that year; restatements across review years resolve to the latest sheet. A project split into several sheets of one review year (its successors share its past number, hence its project_id, and each reports its own part) gets the sum of those sheets. Amounts in millions of yen (百万円).
-- @column project_key: シートキー: the review sheet the values come from (the first in key order when several sheets of the review year are summed)
-- @column review_year: レビュー実施年度 of that sheet
-- @column ministry: 府省庁 as printed on that sheet
-- @column project_name: 事業名 as printed on that sheet
-- @column initial: 当初予算 (百万円)
-- @column supplementary: 補正予算 (百万円)
-- @column carried_in: 前年度から繰越し (百万円)
-- @column carried_out: 翌年度へ繰越し (百万円; negative)
-- @column reserve: 予備費等 (百万円)
-- @column total: 計 (百万円)
-- @column executed: 執行額 (百万円)
-- @column execution_rate_reported: 執行率 as printed (basis 計), a fraction; NULL when several sheets are summed (none printed their combined rate)
-- @column execution_rate_computed: 執行額 / 計, a fraction
-- @column reporting_sheets: number of review sheets of the project that print this year (more than 1: the year may be restated)
-- @column latest_sheets: number of sheets of the latest review year whose amounts are summed (more than 1: the project was split into several sheets)

with budget as (

    select * from v_budget
    where not is_request

),

reporting as (

    -- a sheet "reports" a year when it prints at least one amount for it
    select * from budget
    where coalesce(initial, supplementary, carried_in, carried_out, reserve, total, executed) is not null

),

ranked as (

    select
        *,
        count(*) over (partition by project_id, fiscal_year) as reporting_sheets,
        dense_rank() over (partition by project_id, fiscal_year order by review_year desc) as recency
    from reporting

),

latest as (

    -- the most recent review year's sheets: one, or the parts of a split project
    select * from ranked
    where recency = 1

),

final as (

    select
        project_id,
        fiscal_year,
        min(project_key) as project_key,
        any_value(review_year) as review_year,
        arg_min(ministry, project_key) as ministry,
        arg_min(project_name, project_key) as project_name,
        sum(initial)::decimal(20, 6) as initial,
        sum(supplementary)::decimal(20, 6) as supplementary,
        sum(carried_in)::decimal(20, 6) as carried_in,
        sum(carried_out)::decimal(20, 6) as carried_out,
        sum(reserve)::decimal(20, 6) as reserve,
        sum(total)::decimal(20, 6) as total,
        sum(executed)::decimal(20, 6) as executed,
        case when count(*) = 1 then any_value(execution_rate_reported) end as execution_rate_reported,
        case
            when count(*) = 1 then any_value(execution_rate_computed)
            else try_cast(sum(executed) / nullif(sum(total), 0) as decimal(18, 6))
        end as execution_rate_computed,
        any_value(reporting_sheets) as reporting_sheets,
        count(*) as latest_sheets
    from latest
    group by project_id, fiscal_year

)

select * from final
