"""RS System files on money beyond the budget table (see `transforms.sources.rs_csv`):
5-2 (支出ブロックのつながり) -> `fund_flow` and `own_expense`, 5-4 (国庫債務負担行為等による
契約) -> `multi_year_contract`, 1-4 (補助率等) -> `subsidy_rate`.

5-2 holds two kinds of rows, told apart by what they fill:

- a **link** names the block the money goes to (支出先の支出先ブロック) and where it
  comes from: a block (支出元の支出先ブロック) or, with 担当組織からの支出 TRUE, the
  project's own organisation (the block column then blank, its name in
  支出元の支出先ブロック名).  Links may form cycles (A -> B and B -> A), so they are kept
  as printed, one row each; the blocks' recipients are in `recipient`.
- an **own expense** row fills only 国自らが支出する間接経費 (its 区分), its 項目 and
  金額: money the organisation spends itself, outside any block.

5-4 lists the contracts a project pays over several years (国庫債務負担行為 and the like),
with their whole amount, by spending block; 1-4 the subsidy rates a project grants, as
printed (`8/10`, `定額`, prose: the published cells start with a `'`, which is dropped).
"""

from __future__ import annotations

from decimal import Decimal

from transforms.normalize import nfkc, parse_number, parse_percent
from transforms.sources.rs_bundle import cell_text as _text

MILLION = Decimal(1_000_000)


def fund_flows(rows: list[dict]) -> tuple[list[dict], list[dict]]:
    """(`fund_flow` rows, `own_expense` rows) of one project's 5-2 rows.

    >>> links, own = fund_flows([
    ...     {"支出元の支出先ブロック名": "内閣官房", "担当組織からの支出": "TRUE", "支出先の支出先ブロック": "A",
    ...      "支出先の支出先ブロック名": "民間会社"},
    ...     {"支出元の支出先ブロック": "A", "支出元の支出先ブロック名": "民間会社", "担当組織からの支出": "FALSE",
    ...      "支出先の支出先ブロック": "B", "資金の流れの補足情報": "再委託"},
    ...     {"国自らが支出する間接経費": "間接経費", "国自らが支出する間接経費の項目": "旅費",
    ...      "国自らが支出する間接経費の金額": "281000"}])
    >>> [(r["from_block"], r["from_organization"], r["to_block"], r["note"]) for r in links]
    [(None, True, 'A', None), ('A', False, 'B', '再委託')]
    >>> [(r["category"], r["item"], r["amount_million_yen"]) for r in own]
    [('間接経費', '旅費', Decimal('0.281'))]
    """
    links: list[dict] = []
    own: list[dict] = []
    for row in rows:
        to_block = _text(row.get("支出先の支出先ブロック"))
        if to_block is not None:
            flag = _text(row.get("担当組織からの支出"))
            links.append({
                "flow_no": len(links) + 1,
                "from_block": _text(row.get("支出元の支出先ブロック")),
                "from_name": _text(row.get("支出元の支出先ブロック名")),
                "from_organization": None if flag is None else flag.lower() in ("true", "t", "1", "1.0"),
                "to_block": to_block,
                "to_name": _text(row.get("支出先の支出先ブロック名")),
                "note": _text(row.get("資金の流れの補足情報")),
            })
        category = _text(row.get("国自らが支出する間接経費"))
        item = _text(row.get("国自らが支出する間接経費の項目"))
        raw = _text(row.get("国自らが支出する間接経費の金額"))
        if category is not None or item is not None or raw is not None:
            value = parse_number(raw) if raw is not None else None
            own.append({"row_no": len(own) + 1, "category": category, "item": item,
                        "amount_million_yen": None if value is None else value / MILLION, "raw_text": raw})
    return links, own


def multi_year_contracts(rows: list[dict]) -> list[dict]:
    """`multi_year_contract` rows of one project's 5-4 rows (placeholder rows give none).

    >>> [(r["block"], r["name"], r["amount_million_yen"], r["bidder_count"], r["winning_bid_rate"])
    ...  for r in multi_year_contracts([{"支出先ブロック（国庫債務負担行為等による契約）": "A",
    ...     "契約先名（国庫債務負担行為等による契約）": "日本電気株式会社",
    ...     "契約額（国庫債務負担行為等による契約）": "241725000",
    ...     "入札者数（応募者数）（国庫債務負担行為等による契約）": "1",
    ...     "落札率（％）（国庫債務負担行為等による契約）": "91.5"}, {}])]
    [('A', '日本電気株式会社', Decimal('241.725'), 1, Decimal('0.915'))]
    """
    out: list[dict] = []
    for row in rows:
        def get(name: str) -> str | None:
            return _text(row.get(f"{name}（国庫債務負担行為等による契約）"))
        block, name, raw = get("支出先ブロック"), get("契約先名"), get("契約額")
        if block is None and name is None and raw is None:
            continue
        value = parse_number(raw) if raw is not None else None
        number = get("契約先の法人番号")
        bidders, rate = get("入札者数（応募者数）"), get("落札率（％）")
        out.append({
            "row_no": len(out) + 1, "block": block, "name": name,
            "corporate_number": number if number and len(number) == 13 and number.isdigit() else None,
            "description": get("契約概要（契約名）"),
            "amount_million_yen": None if value is None else value / MILLION,
            "contract_method": get("契約方式等"),
            "bidder_count": int(bidders) if bidders and bidders.isdigit() else None,
            "winning_bid_rate": parse_percent(rate) if rate else None,  # printed in percent
            "one_bid_reason": _one_bid_reason(row),
            "raw_text": raw,
        })
    return out


def _one_bid_reason(row: dict) -> str | None:
    for key, value in row.items():  # the header names the 10億円 threshold in its own words
        name = nfkc(key)
        if name.startswith("一者応札") and name.endswith("(国庫債務負担行為等による契約)"):
            return _text(value)
    return None


def subsidy_rates(rows: list[dict]) -> list[dict]:
    """`subsidy_rate` rows of one project's 1-4 rows.

    >>> [(r["subsidy_target"], r["rate_text"]) for r in subsidy_rates([{"補助対象": "地域計画認定市町村",
    ...     "補助率": "'8/10", "補助上限等": "", "補助率URL": ""}, {}])]
    [('地域計画認定市町村', '8/10')]
    """
    out: list[dict] = []
    for row in rows:
        target, rate = _text(row.get("補助対象")), _text(row.get("補助率"))
        cap, url = _text(row.get("補助上限等")), _text(row.get("補助率URL"))
        if target is None and rate is None and cap is None and url is None:
            continue
        if rate is not None and rate.startswith("'"):
            rate = rate[1:].strip() or None  # (published with a leading `'`, a spreadsheet's text mark)
        out.append({"row_no": len(out) + 1, "subsidy_target": target, "rate_text": rate, "cap_text": cap, "url": url})
    return out
