-- @view 成果・活動指標(事業情報付き): indicator rows (outcome 成果目標, activity 活動指標, unit_cost 単位当たりコスト, policy 測定指標) with the sheet's project_id, ministry, project name and review year. value is as printed (achievement is a percent: 99.3 means 99.3 %).

with indicators as (

    select * from indicator

),

projects as (

    select
        project_key,
        project_id,
        review_year,
        ministry,
        project_name
    from project

),

final as (

    select
        projects.project_id,
        indicators.project_key,
        projects.review_year,
        projects.ministry,
        projects.project_name,
        indicators.kind,
        indicators.indicator_no,
        indicators.name,
        indicators.goal,
        indicators.unit,
        indicators.fiscal_year,
        indicators.period,
        indicators.measure,
        indicators.value,
        indicators.raw_text
    from indicators
    join projects on projects.project_key = indicators.project_key

)

select * from final
