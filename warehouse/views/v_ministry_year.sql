-- @view 府省庁別・年度別の予算と執行: per ministry and fiscal_year, the number of projects and the sums of 当初予算, 計 and 執行額 in millions of yen (百万円) over v_budget_latest (each project counted once per year, with its latest figures), and the execution rate.
-- @column ministry: 府省庁 as printed on each project's latest sheet for the year
-- @column projects: 事業数: distinct project_id reporting the year
-- @column initial: 当初予算の合計 (百万円)
-- @column total: 計の合計 (百万円)
-- @column executed: 執行額の合計 (百万円)
-- @column total_with_executed: 計の合計 over the projects that report 執行額 and a 計 above 0 (百万円): the denominator of execution_rate
-- @column execution_rate: 執行率 = 執行額 / total_with_executed over the same projects, a fraction; years whose execution is not reported yet do not dilute it, and a project executing money its 計 does not show (計 0: a budget held under another project) does not inflate it

with latest as (

    select * from v_budget_latest

),

final as (

    select
        ministry,
        fiscal_year,
        count(distinct project_id) as projects,
        sum(initial) as initial,
        sum(total) as total,
        sum(executed) as executed,
        sum(total) filter (where executed is not null and total > 0) as total_with_executed,
        try_cast(
            sum(executed) filter (where total > 0)
                / nullif(sum(total) filter (where executed is not null and total > 0), 0)
            as decimal(18, 6)
        ) as execution_rate
    from latest
    group by ministry, fiscal_year

)

select * from final
