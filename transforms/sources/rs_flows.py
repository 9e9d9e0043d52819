"""RS System files 5-2 (支出ブロックのつながり) and 1-5 (関連事業) -> `fund_flow`,
`own_expense` and `related_project` rows (see `transforms.sources.rs_csv`).

5-2 holds two kinds of rows, told apart by what they fill:

- a **link** names the block the money goes to (支出先の支出先ブロック) and where it
  comes from: a block (支出元の支出先ブロック) or, with 担当組織からの支出 TRUE, the
  project's own organisation (the block column then blank, its name in
  支出元の支出先ブロック名).  Links may form cycles (A -> B and B -> A), so they are kept
  as printed, one row each; the blocks' recipients are in `recipient`.
- an **own expense** row fills only 国自らが支出する間接経費 (its 区分), its 項目 and
  金額: money the organisation spends itself, outside any block.

1-5 rows name a related project by its 予算事業ID, 事業名 and 関連性 (統合先 / 統合元,
分割先 / 分割元, 子事業 / 親事業, 基金造成した基金シート, ...).
"""

from __future__ import annotations

from decimal import Decimal

from transforms.normalize import parse_number
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


def related_projects(rows: list[dict]) -> list[dict]:
    """`related_project` rows of one project's 1-5 rows (placeholder rows give none).

    >>> [(r["related_no"], r["related_project_number"], r["relation"]) for r in related_projects([
    ...     {"関連事業の事業ID": "5578", "関連事業の事業名": "高粒度データの整備", "関連性": "統合先"}, {}])]
    [(1, '5578', '統合先')]
    """
    out: list[dict] = []
    for row in rows:
        number, name = _text(row.get("関連事業の事業ID")), _text(row.get("関連事業の事業名"))
        relation = _text(row.get("関連性"))
        if number is None and name is None and relation is None:
            continue
        out.append({"related_no": len(out) + 1, "related_ministry": None, "related_project_number": number,
                    "related_project_name": name, "relation": relation})
    return out
