"""The lower half: 点検・改善, 所見, 関連する過去のレビューシート, 資金の流れ,
費目・用途 and 支出先上位10者リスト."""

from __future__ import annotations

from . import wording
from .eras import era_label
from .layouts import MONEY_AS_HELD, RECIPIENT_COLUMNS_2018
from .grid import Context, Row, Section, bold, cell, pad
from .printed import DASH, Printed, group, money, percent, round_to
from .synth import assessment, contract_details, expense_blocks, lineage

RELATED_TABLE = ('<table border="1"> <thead> <tr> <th>所管府省名</th> <th>事業番号</th> <th>事業名</th> '
                 '</tr> </thead> <tbody> <tr> <td></td> <td></td> <td></td> </tr> </tbody> </table>')
ONE_BID_COLUMN = RECIPIENT_COLUMNS_2018[-1]
SHIFTED_QUESTIONS = ("繰越額が大きい", "その他コスト削減")  # printed one cell left in the seed


def assessment_section(ctx: Context) -> Section:
    """事業所管部局による点検・改善 (with the seed's quirks in the 2020+ layouts)."""
    f = ctx.family
    questions = wording.NEW_QUESTIONS if f.assessment_wording == "new" else wording.OLD_QUESTIONS
    rows = [Row(["事業所管部局による点検・改善"]), Row([""]), Row(["", "項目", "評価", "評価に関する説明"])]
    previous_category = None
    for item_no, (category, question, rating, explanation) in enumerate(
            assessment(ctx.model, questions, ctx.rng("assessment")), start=1):
        ctx.facts.add("assessment", category=category, item_no=item_no, question=question,
                      rating=rating, explanation=explanation)
        first = category != previous_category
        if f.assessment_quirks and first and category == "事業の有効性":
            rows += [Row([""]), Row([" "])]
        if f.assessment_quirks and question.startswith(SHIFTED_QUESTIONS):
            rows.append(Row([question, rating, cell(explanation), ""]))
        else:
            cells = [category if first else "", question, rating, cell(explanation)]
            rows.append(Row(pad(cells, 9) if f.assessment_quirks and category in ("事業の有効性", "関連事業") else cells))
        previous_category = category
    if f.assessment_quirks:
        rows += [Row(pad(["", RELATED_TABLE, "所管府省名", "事業番号", "事業名"], 9)),
                 Row(pad(["所管府省名", "事業番号", "事業名"], 9))]
    t = ctx.texts
    rows += [Row(pad([f.inspection_label, "点検結果", cell(t["inspection_result"])], 9)),
             Row(pad(["", "改善の方向性", cell(t["improvement_direction"])], 9))]
    ctx.project.update(inspection_result=t["inspection_result"], improvement_direction=t["improvement_direction"])
    return Section("assessment", rows, movable=True)


def opinions_section(ctx: Context) -> Section:
    """外部有識者の所見, 推進チームの所見, 改善点 and 備考."""
    t = ctx.texts
    external, team, reflection = ctx.family.opinion_labels
    rows = [Row(pad([bold(external)], 9)), Row(pad([cell(t["external_expert_opinion"])], 8)),
            Row(pad([bold(team)], 9)), Row(pad([t["review_team_judgment"], cell(t["review_team_opinion"])], 8)),
            Row(pad([bold(reflection)], 9)), Row(pad([t["reflection_judgment"], cell(t["reflection"])], 8)),
            Row(pad([bold("備考")], 9))]
    if t["remarks"]:
        rows.append(Row(pad([cell(t["remarks"])], 8)))
    ctx.project.update(  # a 判定 cell and its text are joined with a newline
        external_expert_opinion=t["external_expert_opinion"],
        review_team_opinion=f"{t['review_team_judgment']}\n{t['review_team_opinion']}",
        reflection=f"{t['reflection_judgment']}\n{t['reflection']}", remarks=t["remarks"])
    return Section("opinions", rows, movable=True)


def lineage_section(ctx: Context) -> Section | None:
    """Pairs `平成22年度 ⇥ 0032-2`, four to a row; an entry naming its ministry
    (`総務省 ( 0037 )`) gets a row of its own."""
    f = ctx.family
    if not f.has_lineage:
        return None
    entries = lineage(ctx.model, 2010, ctx.rng("lineage"), invent=ctx.invent_lineage)
    rows = [Row(["関連する過去のレビューシートの事業番号"]), Row([""])]
    plain = [e for e in entries if e[1] is None]
    for start in range(0, len(plain), 4):
        cells = []
        for year, _, number in plain[start:start + 4]:
            cells += [era_label(year, f.lineage_heisei_31), number]
        rows.append(Row(pad(cells, 8)))
    for year, ministry, number in (e for e in entries if e[1] is not None):
        rows.append(Row(pad([era_label(year, f.lineage_heisei_31), f"{ministry} ( {number} )"], 8)))
    for year, ministry, number in entries:
        ctx.facts.add("lineage", past_review_year=year, past_ministry=ministry, past_project_number=number)
    rows.append(Row([""]))
    return Section("lineage", rows, movable=True)


def funds_flow_section(ctx: Context) -> Section:
    rows = []
    if ctx.family.results_note:
        last = era_label(ctx.model.form_year - 1)
        rows += [Row([f"※{last}実績を記入。執行実績がない新規事業、新規要求事業については現時点で予定やイメージを記入。"]),
                 Row([""])]
    rows += [Row(["**資金の流れ**  "]), Row([" (資金の受け取り先が何を行っているかについて補足する)  "]),
             Row([" (単位: 百万円)"]), Row([""]), Row([""]), Row([""])]
    return Section("funds_flow", rows, movable=True)


def expense_section(ctx: Context) -> Section:
    """費目・使途 / 費目・用途 blocks side by side, two per row group, each with its 計."""
    section_word, use_word = ctx.family.expense_words
    rows = [Row([f"**{section_word}**  "]),
            Row([f" (「資金の流れ」においてブロックごとに最大の金額が支出されている者について記載する。費目と{use_word}の双方で実情が分かるように記載)"]),
            Row([""])]
    blocks = expense_blocks(ctx.model)
    for start in range(0, len(blocks), 2):
        pair = blocks[start:start + 2]
        rows.append(Row(sum(([f"{block}.", "", ""] for block, _ in pair), [])))
        rows.append(Row(sum((["費目", use_word, "金額 (百万円)"] for _ in pair), [])))
        height = max(len(items) for _, items in pair)
        for i in range(height):
            cells = []
            for block, items in pair:
                cells += expense_cells(ctx, block, i, items)
            rows.append(Row(cells))
        rows.append(Row(sum((expense_total_cells(ctx, block, items) for block, items in pair), [])))
        rows.append(Row([""]))
    rows += [Row([f"{section_word}欄についてさらに記載が必要な場合はチェックの上【別紙2】に記載"]), Row([""]), Row(["チェック"])]
    return Section("expense", rows, movable=True)


def group_signed(amount) -> str:
    amount = round_to(amount, 3)
    return ("-" if amount < 0 else "") + group(amount)


def expense_total_cells(ctx: Context, block: str, items) -> list[str]:
    """The block's 計 row: not an item, kept in printed_total."""
    total = round_to(sum(a for _, _, a in items), 3)
    printed = ctx.num(Printed(group_signed(total), total))
    ctx.facts.add("printed_total", table_name="expense", block=block, amount_million_yen=printed.value,
                  raw_text=printed.text)
    return ["計", "", printed.text]


def expense_cells(ctx: Context, block: str, i: int, items) -> list[str]:
    if i >= len(items):
        return ["", "", ""]
    item, use, amount = items[i]
    printed = ctx.num(Printed(group_signed(amount), amount))
    ctx.facts.add("expense", block=block, row_no=i + 1, expense_item=item, purpose=use,
                  amount_million_yen=printed.value, raw_text=printed.text)
    return [item, cell(use), printed.text]


def recipients_section(ctx: Context) -> Section | None:
    """**支出先上位10者リスト**: blocks `A.`, `B.` … with the family's columns."""
    m, f = ctx.model, ctx.family
    if not m.recipients:
        return None
    rows = [Row(["**支出先上位10者リスト**"]), Row([""])]
    rng = ctx.rng("recipients")
    current_block = None
    for r in m.recipients:
        if r.block != current_block:
            if current_block is not None:
                rows.append(Row([""]))
            rows += [Row([f"{r.block}."]), Row([""] + list(f.recipient_columns))]
            current_block = r.block
        rows.append(Row([str(r.rank)] + recipient_cells(ctx, r, contract_details(r, m, rng))))
    return Section("recipients", rows, movable=True)


def recipient_cells(ctx: Context, r, details) -> list[str]:
    columns = ctx.family.recipient_columns
    shows = set(columns)
    amount = ctx.num(money(r.amount, MONEY_AS_HELD, ctx.family.negative))
    bidders = Printed(str(details.bidders), details.bidders) if details.bidders else Printed(DASH, None)
    if shows & {"入札者数", "入札者数(応募者数)"}:
        bidders = ctx.num(bidders)
    rate = ctx.num(percent(details.rate, 1, True)) if "落札率" in shows else Printed("", None)
    values = {
        "支出先": cell(r.name), "法人番号": r.corporate_number or "", "業務概要": cell(r.description),
        "支出額(百万円)": amount.text, "契約方式": details.method or "", "契約方式等": details.method or "",
        "入札者数": bidders.text, "入札者数(応募者数)": bidders.text, "落札率": rate.text,
        ONE_BID_COLUMN: cell(details.reason),
    }
    ctx.facts.add(
        "recipient", block=r.block, rank=r.rank, name=r.name,
        corporate_number=r.corporate_number if "法人番号" in shows else None,
        description=r.description, amount_million_yen=amount.value,
        contract_method=details.method,
        bidder_count=details.bidders if shows & {"入札者数", "入札者数(応募者数)"} else None,
        winning_bid_rate=rate.value if "落札率" in shows else None,
        fiscal_year=ctx.model.form_year - 1, raw_text=amount.text or None,
    )
    return [values[column] for column in columns]
