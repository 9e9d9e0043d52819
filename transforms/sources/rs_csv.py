"""Source adapter for the RS System bulk CSV (行政事業レビュー見える化サイト, review year 2024 on).

The RS System publishes a review year as about fifteen CSV files (one per ZIP), each
listing every project of the year (its 予算事業ID) over one part of the sheet:
``1-2_RS_2024_基本情報_事業概要等.csv``, ``2-1_RS_2024_予算・執行_サマリ.csv``, ...  The
warehouse loads one sheet per file, so a bundle is handled in two steps:

1. `transforms.sources.rs_bundle` splits the bundle's files into one JSON record per
   (review year, 予算事業ID) holding that project's rows, headers as published.
2. `parse_bytes` here turns one record into the contract's rows, like the text parser
   does for a text sheet.

Mapping (money: the CSV's 円 integers become exact 百万円, ``1234567`` -> 1.234567):

- ``project``: 事業名, 政策所管府省庁 (the ministry a printed sheet's title names: 総務省
  for a 消防庁 project), 局・庁, 課/室, 作成責任者 (1-1), 事業開始年度 / 事業終了（予定）年度
  / 終了予定なし, 主要経費, 目的 / 概要, 実施方法 flags (1-2), 政策 / 施策 / 法令名 /
  計画通知名 (1-3), 会計区分 (2-1), 点検 and 所見 texts (4-1), 備考 (6-1).
  ``project_number`` is the 予算事業ID; ``source_format`` is ``rs_csv``.
- ``budget_line`` from the total rows of 2-1 (会計区分 blank), one per 予算年度:
  当初予算（合計） -> initial, 補正予算（合計） -> supplementary, 前年度からの繰越し（合計） ->
  carried_in, 予備費等（合計） -> reserve, 計（歳出予算現額合計） -> total, 執行額（合計） ->
  executed (not for the review year itself: the CSV prints 0 for a year still running),
  翌年度への繰越し(合計） -> carried_out, negative as on the printed sheets; the review
  year's 翌年度要求額（合計） -> the request column (initial) of the next year.  Note that
  the CSV's 計 is the 歳出予算現額, before the carry-over to the next year is deducted:
  ``total`` is 歳出予算現額 - 翌年度への繰越し, a printed sheet's 計 (raw_text shows both
  figures), and the 歳出予算現額 itself goes to ``budget_line_other``.
- ``execution_rate`` from 執行率 (already a fraction), basis ``total``, for years without a
  carry-over (the CSV's rate is 執行額 / 歳出予算現額, the contract's 執行額 / 計).
- ``budget_item`` from 2-2's rows of the review year (item ``項／目``): 当初予算 rows
  and each item's 翌年度要求額 (the request column), as the printed 予算内訳 shows them.
- ``expense`` from 5-3 (費目, 使途, 金額 per block); ``recipient`` from 5-1's payee rows.
- ``fund_flow`` (links between the organisation and the spending blocks) and
  ``own_expense`` (国自らが支出する間接経費) from 5-2, ``multi_year_contract`` from 5-4,
  ``subsidy_rate`` from 1-4 (see `rs_spending`); ``related_project`` from 1-5 and
  ``outcome_path`` (the logic model's links) from 3-2 (see `rs_links`).
- ``lineage`` from 旧事業番号 (``2023-デジ-22-0001``: the 2023 sheet's number) and, from
  review year 2025 on, the previous review year's sheet of the same 予算事業ID (the RS
  System keeps that ID from year to year; see `rs_links`).
- ``indicator`` from 3-1 (効果発現経路_目標・実績): an アウトカム is an ``outcome`` (name
  成果指標, goal 成果目標), an アウトプット an ``activity`` (name 活動指標; the contract's goal
  is an outcome's, so an activity's 活動目標 is not loaded),
  unit 単位; its 2.目標値 / 3.実績値 / 4.達成率 rows give ``target`` / ``actual`` /
  ``achievement`` (a printed percent), one row per filled year column (2007-2060); the
  year its 1.目標年度 row marks is the ``final_target`` column (an earlier mark
  ``interim_target``), the others ``year``.  アクティビティ rows, which carry no figures,
  and outcomes printing none (qualitative ones) give no rows (see `rs_indicators`).

Every published file is mapped.  Of 3-1, the
アウトカムの期間 (短期 / 中期 / 長期), 成果目標の種類, 改善の上向き／下向き, the source
(出典), the qualitative outcome texts and the KPI 閣議決定 columns have no contract column.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from decimal import Decimal
from functools import lru_cache

from transforms.model import Issue, ParsedSheet, ParseError, SourceInfo
from transforms.normalize import nfkc, parse_number, parse_percent
from transforms.sheet import project_key
from transforms.sources.rs_bundle import cell_text as _text, whole_year
from transforms.sources.rs_links import lineage, outcome_paths, related_projects
from transforms.sources.rs_spending import fund_flows, multi_year_contracts, subsidy_rates
from transforms.sources.rs_indicators import indicators

FORMAT = "rs_csv"
MILLION = Decimal(1_000_000)


# ---------------------------------------------------------------- one project record -> rows


def parse_bytes(data: bytes, path: str, sha256: str | None = None) -> ParsedSheet:
    """Parse one project record written by `extract_bundles`.  Raises ParseError."""
    try:
        record = json.loads(data)
        files = {code: _rows(part["header"], part["rows"]) for code, part in record["files"].items()}
        review_year, project_id = int(record["review_year"]), str(record["budget_project_id"])
    except (ValueError, KeyError, TypeError) as exc:
        raise ParseError(f"not a readable RS project record ({type(exc).__name__})") from None
    source = SourceInfo(path, sha256 or hashlib.sha256(data).hexdigest(), len(data), FORMAT, "utf-8")
    first = next((rows[0] for code in ("1-2", "2-1", *sorted(files)) if (rows := files.get(code))), None)
    if first is None:
        raise ParseError(f"RS project {project_id} ({review_year}): no rows")
    ministry = _ministry(first)
    if not ministry:
        raise ParseError(f"RS project {project_id} ({review_year}): no 府省庁")
    project = _project(files, first, review_year, project_id, ministry)
    if not project["project_name"]:
        raise ParseError(f"RS project {project_id} ({review_year}): no 事業名")
    key = project_key(review_year, ministry, project_id, project["project_name"])
    tables = {
        "budget_line": [], "budget_line_other": [], "execution_rate": [], "budget_item": [], "indicator": [],
        "recipient": [], "expense": [], "assessment": [], "lineage": [], "printed_total": [],
        "related_project": [], "fund_flow": [], "own_expense": [], "multi_year_contract": [], "subsidy_rate": [],
        "outcome_path": [],
    }
    _budget(files.get("2-1", []), review_year, tables)
    if not tables["budget_line"]:
        raise ParseError(f"RS project {project_id} ({review_year}): {_no_total_row(files.get('2-1', []))}")
    tables["budget_item"] = _budget_items(files.get("2-2", []), review_year)
    tables["expense"] = _expenses(files.get("5-3", []))
    tables["recipient"] = _recipients(files.get("5-1", []), review_year)
    tables["lineage"] = lineage(files.get("1-2", []), review_year, project_id)
    tables["fund_flow"], tables["own_expense"] = fund_flows(files.get("5-2", []))
    tables["related_project"] = related_projects(files.get("1-5", []))
    tables["multi_year_contract"] = multi_year_contracts(files.get("5-4", []))
    tables["subsidy_rate"] = subsidy_rates(files.get("1-4", []))
    tables["outcome_path"] = outcome_paths(files.get("3-2", []))
    issues: list[Issue] = []
    tables["indicator"] = indicators(files.get("3-1", []), path, issues)
    project.update(project_key=key, project_id=key, source_path=path, source_sha256=source.sha256,
                   source_format=FORMAT, form_family="rs")
    tables["project"] = [project]
    for rows in tables.values():
        for row in rows:
            row["project_key"] = key
    return ParsedSheet(key, source, tables, issues)


class _Row(dict):
    """One CSV row by header.  A header is also found by its NFKC form without spaces, so
    the published quirks (`翌年度への繰越し(合計）`) and their corrected or normalised
    spellings (`翌年度への繰越し（合計）`, `(合計)`) read the same column."""

    def get(self, key, default=None):
        return super().get(_header_key(key), default)


@lru_cache(maxsize=512)
def _header_key(name: str) -> str:
    return nfkc(name).replace(" ", "")


def _rows(header: list[str], rows: list[list[str]]) -> list[_Row]:
    keys = [_header_key(h) for h in header]
    return [_Row(zip(keys, row)) for row in rows]


def _ministry(row: dict) -> str | None:
    """The ministry a printed sheet's title names: 政策所管府省庁 (1-1: 所管府省庁), else the
    ministry part of 府省庁 (``国土交通省　観光庁`` -> 国土交通省)."""
    named = _text(row.get("政策所管府省庁")) or _text(row.get("所管府省庁")) or _text(row.get("府省庁"))
    return nfkc(named.split("\u3000")[0].split(" ")[0]) if named else None


def _join(values, separator: str = "\n") -> str | None:
    seen: list[str] = []
    for value in values:
        text = _text(value)
        if text and text not in seen:
            seen.append(text)
    return separator.join(seen) or None


def _year(value: str | None) -> int | None:
    return whole_year(value)


def _flag(value: str | None) -> bool:
    """A published flag: TRUE / FALSE (1-2), t / f (5-4), 1 / blank (実施方法).

    >>> [_flag(v) for v in ("TRUE", "t", "1", "1.0", "FALSE", "f", "", None)]
    [True, True, True, True, False, False, False, False]
    """
    return (value or "").strip().lower() in ("true", "t", "1", "1.0")


_METHODS = ("直接実施", "補助", "負担", "交付", "分担金・拠出金", "その他")


def _project(files: dict[str, list[dict]], first: dict, review_year: int, project_id: str, ministry: str) -> dict:
    overview = files.get("1-2", [])
    basics = overview[0] if overview else {}
    agency = (first.get("府省庁") or "").split("\u3000")
    bureau = _join([agency[1] if len(agency) > 1 else None, first.get("局・庁"), first.get("部")], " ")
    start, end = _year(basics.get("事業開始年度")), _year(basics.get("事業終了（予定）年度"))
    no_end = _flag(basics.get("終了予定なし"))
    start_text = _join([
        f"事業開始年度 {_text(basics.get('事業開始年度'))}" if _text(basics.get("事業開始年度")) else None,
        "開始年度不明" if _flag(basics.get("開始年度不明")) else None,
        f"事業終了（予定）年度 {_text(basics.get('事業終了（予定）年度'))}" if _text(basics.get("事業終了（予定）年度")) else None,
        "終了予定なし" if no_end else None,
    ], " / ")
    policies = files.get("1-3", [])
    review = (files.get("4-1") or [{}])[0]
    accounts = [r.get("会計区分") for r in files.get("2-1", []) if _text(r.get("会計区分"))]
    officials = files.get("1-1", [])
    return {
        "review_year": review_year,
        "ministry": ministry,
        "project_number": project_id,
        "project_name": _text(basics.get("事業名")) or _text(first.get("事業名")),
        "bureau": bureau,
        "division": _join([first.get("課"), first.get("室"), first.get("班"), first.get("係")], " "),
        "responsible_official": _join((r.get("作成責任者") for r in officials), "、"),
        "start_fiscal_year": start,
        "end_fiscal_year": None if no_end and end is None else end,
        "start_end_text": start_text,
        "account_type": _join(accounts, "、"),
        "legal_basis": _join(" ".join(filter(None, (_text(r.get(c)) for c in ("法令名", "条", "項", "号・号の細分"))))
                             for r in policies),
        "related_plans": _join(r.get("計画通知名") for r in policies),
        "main_policy": None,
        "main_expense_category": _join((r.get("主要経費") for r in overview), "、"),
        "purpose": _text(basics.get("事業の目的")),
        "overview": _text(basics.get("事業の概要")),
        "implementation_method": _join((m for m in _METHODS if _flag(basics.get(f"実施方法ー{m}"))), "、"),
        "policy": _join(r.get("政策") for r in policies),
        "policy_measure": _join(r.get("施策") for r in policies),
        "inspection_result": _text(review.get("事業所管部局による点検・改善ー点検結果")),
        "improvement_direction": _text(review.get("事業所管部局による点検・改善ー改善の方向性")),
        "external_expert_opinion": _text(review.get("外部有識者による点検ー所見")),
        "review_team_opinion": _join([review.get("行政事業レビュー推進チームの所見"),
                                      review.get("行政事業レビュー推進チームの所見の詳細")]),
        "reflection": _join([review.get("所見を踏まえた改善点／概算要求における反映状況"),
                             review.get("所見を踏まえた改善点／概算要求における反映状況の詳細")]),
        "remarks": _join([basics.get("備考"), *((r.get("備考") for r in files.get("6-1", [])))]),
        "no_quantitative_goal_reason": None,
    }


def _no_total_row(rows: list[dict]) -> str:
    """Why a project has no budget: its 2-1 rows are all per account, or it has none."""
    if any(_text(row.get("会計区分")) for row in rows):
        return ("its 2-1 予算・執行_サマリ rows are all per account (会計区分 filled); none is the total row "
                "(会計区分 blank) the budget is read from")
    return ("the bundle has no 2-1 予算・執行_サマリ total row for it (the 2-1 file is missing, cut short or "
            "refused: see its source_file row)")


def _yen(text: str | None) -> tuple[Decimal | None, str | None]:
    """(百万円, the cell as published) of a 円 amount; (None, cell) when not a number."""
    raw = _text(text)
    if raw is None:
        return None, None
    value = parse_number(raw)  # published plain (`-1500000`); re-saved by a spreadsheet `△1,500,000`
    return (None if value is None else value / MILLION), raw


def _fraction(text: str | None) -> Decimal | None:
    """A rate of the CSV as a fraction: published `0.84606`; `84.606%` once a spreadsheet formats it.

    >>> _fraction("0.84606"), _fraction("84.606%"), _fraction("-"), _fraction(None)
    (Decimal('0.84606'), Decimal('0.84606'), None, None)
    """
    text = _text(text)
    if text is None:
        return None
    return parse_percent(text) if text.endswith(("%", "％")) else parse_number(text)


_LINES = (
    ("initial", "当初予算（合計）"), ("supplementary", "補正予算（合計）"), ("carried_in", "前年度からの繰越し（合計）"),
    ("reserve", "予備費等（合計）"), ("total", "計（歳出予算現額合計）"), ("executed", "執行額（合計）"),
    ("carried_out", "翌年度への繰越し(合計）"),
)


def _budget(rows: list[dict], review_year: int, tables: dict[str, list[dict]]) -> None:
    seen: set[int] = set()
    for row in rows:
        if _text(row.get("会計区分")) or not any(_text(row.get(column)) for _, column in _LINES):
            continue  # an account row (its sums are the total row's), also one whose 会計区分 is blank
        year = _year(row.get("予算年度"))
        if year is None or year in seen:
            continue
        seen.add(year)
        printed: dict[str, tuple] = {}
        for line, column in _LINES:
            if line == "executed" and year >= review_year:
                continue  # not closed yet: the CSV prints 0
            amount, raw = _yen(row.get(column))
            if raw is None:
                continue
            if line == "carried_out" and amount is not None:
                amount = -abs(amount)
            printed[line] = (amount, raw, column)
        carried_out = printed.get("carried_out", (None,))[0]
        if "total" in printed and carried_out:
            # The CSV's 計 is the 歳出予算現額, before 翌年度への繰越し is deducted; a sheet's 計 is
            # after it (the contract's): 計 = 歳出予算現額 - 繰越し.  The CSV's figure stays in
            # budget_line_other under its own label.
            amount, raw, column = printed["total"]
            tables["budget_line_other"].append({"fiscal_year": year, "is_request": False, "label_ja": column,
                                                "amount_million_yen": amount, "raw_text": raw})
            printed["total"] = (None if amount is None else amount + carried_out,
                                f"{raw} - {printed['carried_out'][1]}", f"{column} - {printed['carried_out'][2]}")
        for line, (amount, raw, column) in printed.items():
            tables["budget_line"].append({"fiscal_year": year, "is_request": False, "line": line,
                                          "amount_million_yen": amount, "raw_text": raw, "label_ja": column})
        rate = _text(row.get("執行率"))
        # the CSV's 執行率 is 執行額 / 歳出予算現額: the contract's 執行率 (執行額 / 計) only without a carry-over
        if rate is not None and year < review_year and not carried_out:
            tables["execution_rate"].append({"fiscal_year": year, "basis": "total", "rate": _fraction(rate),
                                             "raw_text": rate})
        if year == review_year:
            amount, raw = _yen(row.get("翌年度要求額（合計）"))
            if raw is not None:
                tables["budget_line"].append({"fiscal_year": year + 1, "is_request": True, "line": "initial",
                                              "amount_million_yen": amount, "raw_text": raw,
                                              "label_ja": "翌年度要求額（合計）"})


def _budget_items(rows: list[dict], review_year: int) -> list[dict]:
    items: list[dict] = []
    numbers: dict[tuple[int, bool], int] = defaultdict(int)

    def add(year: int, is_request: bool, name: str, text: str | None, reason: str | None) -> None:
        amount, raw = _yen(text)
        if raw is None:
            return
        numbers[(year, is_request)] += 1
        items.append({"fiscal_year": year, "is_request": is_request, "item_no": numbers[(year, is_request)],
                      "item_name": name, "amount_million_yen": amount, "change_reason": reason, "raw_text": raw})

    for row in rows:
        year = _year(row.get("予算年度"))
        # many rows leave 項 / 目 blank and name the item in 歳出予算項目の補足情報
        name = _join([row.get("項"), row.get("目")], "／") or _text(row.get("歳出予算項目の補足情報"))
        if year is None or name is None:
            continue
        if year != review_year:  # like a printed sheet's 予算内訳: the review year and its request
            continue
        if (row.get("予算種別") or "").strip() == "当初予算":
            add(year, False, name, row.get("予算額（歳出予算項目ごと）"), _text(row.get("備考（歳出予算項目ごと）")))
        add(year + 1, True, name, row.get("翌年度要求額（歳出予算項目ごと）"), None)
    return items


def _expenses(rows: list[dict]) -> list[dict]:
    out: list[dict] = []
    numbers: dict[str, int] = defaultdict(int)
    for row in rows:
        block = _text(row.get("支出先ブロック番号"))
        if block is None:
            continue
        amount, raw = _yen(row.get("金額"))
        numbers[block] += 1
        out.append({"block": block, "row_no": numbers[block], "expense_item": _text(row.get("費目")),
                    "purpose": _text(row.get("使途")), "amount_million_yen": amount, "raw_text": raw})
    return out


def _recipients(rows: list[dict], review_year: int) -> list[dict]:
    """Payees of 5-1.  The file mixes three kinds of rows per block: the block's own row
    (支出先ブロック名 …), a payee row (支出先名, 法人番号, 支出先の合計支出額) and contract rows
    (契約概要, 金額, 契約方式等, 入札者数, 落札率) that belong to the payee above them, with
    or without its name repeated.  A payee is a row naming 支出先名 without a contract
    金額, its amount 支出先の合計支出額 (summing 金額 too would count the money twice); its
    first contract row gives 業務概要 (契約概要), 契約方式等, 入札者数 and 落札率.  A contract
    row with a name but no payee row above it stands for its payee."""
    out: list[dict] = []
    ranks: dict[str, int] = defaultdict(int)
    current: dict | None = None
    for row in rows:
        block, name = _text(row.get("支出先ブロック番号")), _text(row.get("支出先名"))
        if block is None:
            continue
        contract = _text(row.get("金額")) is not None or _text(row.get("契約概要")) is not None
        if contract and current is not None and current["block"] == block and name in (None, current["name"]):
            if current["description"] is None:  # the payee's first contract
                current.update(_contract_fields(row))
            continue
        if name is None:
            continue
        amount, raw = _yen(row.get("支出先の合計支出額") if _text(row.get("支出先の合計支出額")) else row.get("金額"))
        number = _text(row.get("法人番号"))
        if number is not None and not (len(number) == 13 and number.isdigit()):
            number = None  # as for text sheets: a 法人番号 is 13 digits or nothing
        ranks[block] += 1
        current = {"block": block, "rank": ranks[block], "name": name, "corporate_number": number,
                   "description": None, "amount_million_yen": amount, "contract_method": None, "bidder_count": None,
                   "winning_bid_rate": None, "fiscal_year": review_year - 1, "raw_text": raw}
        if contract:
            current.update(_contract_fields(row))
        out.append(current)
    return out


def _contract_fields(row: dict) -> dict:
    rate_text = _text(row.get("落札率"))
    rate = parse_percent(rate_text) if rate_text else None  # the CSV prints 落札率 in percent
    bidders = _text(row.get("入札者数"))
    return {"description": _text(row.get("契約概要")), "contract_method": _text(row.get("契約方式等")),
            "bidder_count": int(bidders) if bidders and bidders.isdigit() else None, "winning_bid_rate": rate}
