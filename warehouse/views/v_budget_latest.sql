-- @view 予算額・執行額(最新のレビューシートの値): per project_id and fiscal_year (actual columns only, no ○年度要求), the values of the most recent review sheet that prints at least one amount for that year; restatements across review years resolve to the latest sheet. Amounts in millions of yen (百万円).
-- @column project_key: シートキー: the review sheet the values come from
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
-- @column execution_rate_reported: 執行率 as printed (basis 計), a fraction
-- @column execution_rate_computed: 執行額 / 計, a fraction
-- @column reporting_sheets: number of review sheets of the project that print this year (more than 1: the year may be restated)

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
        row_number() over (
            partition by project_id, fiscal_year
            order by review_year desc, project_key
        ) as recency
    from reporting

),

final as (

    select
        project_id,
        fiscal_year,
        project_key,
        review_year,
        ministry,
        project_name,
        initial,
        supplementary,
        carried_in,
        carried_out,
        reserve,
        total,
        executed,
        execution_rate_reported,
        execution_rate_computed,
        reporting_sheets
    from ranked
    where recency = 1

)

select * from final
