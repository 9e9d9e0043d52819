"""Deterministic stand-ins for what the records lack (texts, budget items, unit costs,
contracts, expenses, assessments, lineage), in the seed's wording.

Every function takes the `random.Random` of its section, so the same record, form
year and seed always give the same sheet.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from . import wording
from .eras import era_label
from .model import Recipient, SheetModel
from .printed import round_to

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII")


@dataclass
class ContractDetails:
    """契約方式等, 入札者数(応募者数), 落札率 (fraction) and the one-bid reason of one recipient."""

    method: str | None
    bidders: int | None
    rate: Decimal | None
    reason: str | None


def short_name(model: SheetModel) -> str:
    return model.project_name.split("\n")[0][:30]


def project_texts(model: SheetModel, rng: random.Random) -> dict[str, str | None]:
    """Printed texts of the sheet's prose cells (None = blank, '-' = printed dash)."""
    topic = next((p for p in model.policies if p != "その他"), None) or model.bureau or model.ministry
    team = rng.choice(wording.REVIEW_TEAM)
    remarks = rng.choice(wording.REMARKS)
    reflection = rng.choice(wording.REFLECTIONS)
    return {
        "legal_basis": rng.choice((f"{model.ministry}設置法第4条", f"{model.ministry}設置法第4条第1項", "予算補助")),
        "related_plans": rng.choice(("-", f"{topic}に関する基本方針(閣議決定)",
                                     f"経済財政運営と改革の基本方針{model.form_year - 1}")),
        "main_policy": "、".join(model.policies) if model.policies not in ([], ["その他"]) else "-",
        "main_expense_category": wording.MAIN_EXPENSE.get(model.ministry, "その他の事項経費"),
        "policy": f"{rng.choice(ROMAN)}. {topic}",
        "policy_measure": f"{topic}の推進",
        "policy_relation": (model.purpose or short_name(model)).split("。")[0] + "。",
        "inspection_result": rng.choice(wording.INSPECTION_RESULTS).format(short=short_name(model)),
        "improvement_direction": rng.choice(wording.IMPROVEMENT_DIRECTIONS),
        "external_expert_opinion": rng.choice(wording.EXTERNAL_OPINIONS),
        "review_team_judgment": team[0],
        "review_team_opinion": team[1],
        "reflection_judgment": reflection[0],
        "reflection": reflection[1],
        "remarks": remarks.format(last_year=era_label(model.form_year - 1)) if remarks else None,
        "data_source": f"{model.bureau or model.ministry}調べ",
    }


def split_amount(total: Decimal, weights: list[float]) -> list[Decimal]:
    """Split a printed amount into parts (tenths below 100, else whole) that sum exactly."""
    if total <= 0 or len(weights) == 1:
        return [total] + [Decimal(0)] * (len(weights) - 1)
    unit = Decimal("0.1") if total < 100 or total != total.to_integral_value() else Decimal(1)
    units = int((total / unit).to_integral_value(ROUND_FLOOR))
    shares = [int(units * w / sum(weights)) for w in weights]
    shares[0] += units - sum(shares)
    parts = [round_to(s * unit, 1) for s in shares]
    parts[0] += total - sum(parts)
    return parts


def budget_items(model: SheetModel, current: Decimal, request: Decimal | None,
                 rng: random.Random) -> list[tuple[str, Decimal, Decimal | None, str | None]]:
    """予算内訳 rows (item, current amount, request amount, 主な増減理由) summing to the totals."""
    names: list[str] = []
    for method in model.methods or ["その他"]:
        for name in wording.BUDGET_ITEM_NAMES.get(method, wording.BUDGET_ITEM_NAMES["その他"]):
            if name not in names:
                names.append(name)
    count = 1 if current < 1 else rng.randint(1, min(4, len(names)))
    weights = sorted((rng.random() + 0.2 for _ in range(count)), reverse=True)
    now = split_amount(current, weights)
    later = split_amount(request, weights) if request is not None else [None] * count
    rows = []
    for i, (name, a, b) in enumerate(zip(names[:count], now, later)):
        reason = None
        if i == 0 and b is not None and a and abs(b - a) > a / 10:
            reason = "事業の見直しによる減" if b < a else "事業の拡充による増"
        rows.append((name, a, b, reason))
    return rows


def executed_for_review_year(model: SheetModel) -> Decimal | None:
    """The seed prints an execution figure for the review year: last year's rate × 計."""
    current = model.budget_of(model.form_year)
    previous = model.budget_of(model.form_year - 1)
    if current is None or previous is None or current.total is None:
        return None
    if not previous.total or previous.executed is None:
        return None
    return round_to(current.total * previous.executed / previous.total, 1)


def unit_cost_rows(model: SheetModel, rng: random.Random) -> list[tuple[int, Decimal | None, Decimal | None]]:
    """(fiscal year, numerator in 千円, denominator) per past year, from 執行額 and the
    first activity's actual values (the seed's `1,770/47`)."""
    activity = model.activities[0] if model.activities else None
    actuals = {fy: actual for fy, actual, _ in activity.years} if activity else {}
    rows = []
    for fy in model.past_years:
        budget = model.budget_of(fy)
        executed = budget.executed if budget else None
        denominator = actuals.get(fy)
        if executed is None or not denominator or denominator <= 0:
            rows.append((fy, None, None))
            continue
        numerator = round_to(executed * 1000 * Decimal(str(round(rng.uniform(0.85, 1.1), 3))), 0)
        rows.append((fy, numerator, round_to(denominator, 1)))
    return rows


def is_public_body(r: Recipient) -> bool:
    """State, prefectures, municipalities: 法人番号 with 0000 in digits 2-5, or no number."""
    number = r.corporate_number or ""
    return len(number) == 13 and number[1:5] == "0000"


def contract_details(r: Recipient, model: SheetModel, rng: random.Random) -> ContractDetails:
    """Plausible contract columns: blanks for staff and individuals, 補助 for grants."""
    if not r.corporate_number:
        return ContractDetails(None, None, None, None)
    if is_public_body(r) or any(m in ("補助", "交付", "負担") for m in model.methods[:1]):
        return ContractDetails("補助金等交付", None, None, None)
    method = rng.choice(wording.CONTRACT_METHODS)
    if method.startswith("一般競争"):
        bidders = rng.choice((1, 1, 2, 3, 4, 6))
        rate = round_to(Decimal(str(rng.uniform(0.6, 1.0))), 3)
    elif method == "随意契約(企画競争)" or method == "随意契約(公募)":
        bidders, rate = rng.choice((1, 2, 3)), None
    else:
        bidders, rate = None, None
    reason = wording.ONE_BID_REASON if bidders == 1 and r.amount and r.amount >= 1000 else None
    return ContractDetails(method, bidders, rate, reason)


def expense_item_for(name: str, description: str) -> str:
    """費目 guessed from the recipient's name and work."""
    for item, keys in wording.EXPENSE_ITEMS:
        if any(k in name or k in description for k in keys):
            return item
    return "委託費" if "株式会社" in name or "法人" in name else "庁費"


def expense_blocks(model: SheetModel) -> list[tuple[str, list[tuple[str, str, Decimal]]]]:
    """費目・用途 blocks: per recipient block (at most 4), the largest uses (at most 3)."""
    blocks: dict[str, dict[str, list]] = {}
    for r in model.recipients:
        if r.amount is None:
            continue
        uses = blocks.setdefault(r.block, {})
        key = r.description or "事業費"
        entry = uses.setdefault(key, [expense_item_for(r.name or "", key), Decimal(0)])
        entry[1] += r.amount
    result = []
    for block, uses in list(blocks.items())[:4]:
        top = sorted(uses.items(), key=lambda kv: kv[1][1], reverse=True)[:3]
        rows = [(item, use, round_to(amount, 1 if amount < 1000 else 0)) for use, (item, amount) in top]
        result.append((block, rows))
    return result


def assessment(model: SheetModel, questions, rng: random.Random) -> list[tuple[str, str, str, str | None]]:
    """(category, question, rating, explanation) for the 点検 table."""
    last = model.budget_of(model.form_year - 1)
    unused = bool(last and last.total and last.executed is not None and last.executed < last.total * Decimal("0.8"))
    carried = bool(last and last.carried_out)
    rows = []
    for category, question, rule in questions:
        rating, text = _rate(rule, model, unused, carried, rng)
        rows.append((category, question, rating, text))
    return rows


def _rate(rule: str, model: SheetModel, unused: bool, carried: bool, rng: random.Random):
    explanation = rng.choice(wording.EXPLANATIONS)
    if rule == "need":
        return "○", (model.purpose or explanation).split("。")[0][:120] + "。"
    if rule in ("one_bid", "no_competition"):
        return ("有", wording.ONE_BID_REASON) if rng.random() < 0.2 else ("無", None)
    if rule == "flow":
        return ("-", None) if model.methods == ["直接実施"] else ("○", explanation)
    if rule == "unused":
        return ("○", explanation + wording.UNUSED_REASON) if unused else ("-", None)
    if rule == "carry":
        return ("○", wording.CARRY_REASON) if carried else ("-", None)
    if rule in ("facility", "related"):
        return ("-", None) if rng.random() < 0.6 else ("○", explanation)
    return ("△", explanation) if rng.random() < 0.03 else ("○", explanation)


def lineage(model: SheetModel, first_review_year: int, rng: random.Random,
            invent: bool = True) -> list[tuple[int, str | None, str]]:
    """Past review sheets' numbers: the record's own entries, else (if `invent`) a plausible history."""
    if model.lineage:
        return [e for e in model.lineage if first_review_year <= e[0] < model.form_year]
    if not invent or model.new_offset is not None or rng.random() < 0.3:
        return []
    digits = "".join(c for c in (model.number_core or "1").split("-")[0] if c.isdigit()) or "1"
    base = int(digits)
    start = max(first_review_year, model.start_year or first_review_year)
    entries = []
    for year in range(start, model.form_year):
        number = f"{max(1, base + rng.randint(-3, 3)):04d}"
        if year == start and rng.random() < 0.3:
            number += f"-{rng.randint(1, 3)}"
        entries.append((year, None, number))
    if entries and rng.random() < 0.4:  # the seed: 平成31年度 総務省 ( 0037 )
        year, _, _ = entries[-1]
        entries[-1] = (year, model.ministry, f"{base:04d}")
    return entries
