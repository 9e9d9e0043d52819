"""A judgit record turned into what one sheet of a given review year shows.

The record's years are shifted so that its newest budget year becomes the form year
(the 要求 column is form year + 1); texts are NFKC-normalised like the seed's export
(`（書面）` -> `(書面)`, fullwidth spaces -> spaces). Values stay unrounded here: the
section writers round them the way their layout prints.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from .eras import era_year
from .printed import to_decimal

EARLIEST_FISCAL_YEAR = 1926  # 昭和元年; older start years are clamped


@dataclass
class BudgetYear:
    """One fiscal year of the 予算額・執行額 table, unrounded (百万円)."""

    fiscal_year: int
    initial: Decimal | None = None
    supplementary: Decimal | None = None
    carried_in: Decimal | None = None
    carried_out: Decimal | None = None
    reserve: Decimal | None = None
    total: Decimal | None = None
    executed: Decimal | None = None

    def get(self, key: str) -> Decimal | None:
        if key == "carried_net":  # the old net 繰越し等 row
            parts = [self.carried_in, self.carried_out, self.reserve]
            return None if all(p is None for p in parts) else sum((p for p in parts if p is not None), Decimal(0))
        return getattr(self, key)


@dataclass
class Outcome:
    """One 成果指標 with its yearly actual/target values (unrounded)."""

    goal: str | None
    name: str | None
    unit: str | None
    years: list[tuple[int, Decimal | None, Decimal | None]]  # (fiscal year, actual, target)
    final_target: Decimal | None
    final_target_text: str | None
    final_year: int | None


@dataclass
class Activity:
    """One 活動指標 with yearly actual/planned values and the outlook (見込) values."""

    name: str | None
    unit: str | None
    years: list[tuple[int, Decimal | None, Decimal | None]]  # (fiscal year, actual, planned)
    outlook: list[tuple[int, Decimal | None]]  # (fiscal year, expected) for 見込 columns


@dataclass
class Recipient:
    """One row of 支出先上位10者リスト as held by the record."""

    block: str
    rank: int
    name: str | None
    corporate_number: str | None
    description: str | None
    amount: Decimal | None


@dataclass
class SheetModel:
    """Everything one rendered sheet shows, before layout and rounding."""

    form_year: int
    ministry: str
    number_core: str | None  # `0037`, `0003-1`
    new_offset: int | None  # 0 or 1 for 新02/新03 style numbers, None otherwise
    project_name: str
    bureau: str | None
    division: str | None
    official: str | None
    start_year: int | None
    end_year: int | None
    account_types: list[str]
    purpose: str | None
    overview: str | None
    methods: list[str]
    policies: list[str]
    no_goal_reason: str | None
    budget: list[BudgetYear]
    request: Decimal | None
    outcomes: list[Outcome]
    activities: list[Activity]
    recipients: list[Recipient]
    lineage: list[tuple[int, str | None, str]] = field(default_factory=list)

    @property
    def budget_years(self) -> list[int]:
        return [b.fiscal_year for b in self.budget]

    @property
    def past_years(self) -> list[int]:
        """The three completed years before the review year (indicator columns)."""
        return [self.form_year - 3, self.form_year - 2, self.form_year - 1]

    def budget_of(self, fiscal_year: int) -> BudgetYear | None:
        return next((b for b in self.budget if b.fiscal_year == fiscal_year), None)


def clean_text(value, cp932_safe: bool = False) -> str | None:
    """NFKC, no tabs or carriage returns, lines stripped, empty lines dropped."""
    if value is None:
        return None
    text = unicodedata.normalize("NFKC", str(value)).replace("\t", " ").replace("\r", "\n")
    if cp932_safe:
        text = "".join(c if _round_trips_cp932(c) else "〓" for c in text)
    lines = [line.strip() for line in text.split("\n")]
    text = "\n".join(line for line in lines if line)
    return text or None


def one_line(text: str | None) -> str | None:
    """A short label printed on every row of its block (単位): line breaks become spaces."""
    return None if text is None else text.replace("\n", " ")


def _round_trips_cp932(char: str) -> bool:
    try:
        return char.encode("cp932").decode("cp932") == char
    except UnicodeError:
        return False


def newest_budget_year(record: dict) -> int:
    """The last fiscal year with a budget (not the 要求 entry)."""
    years = [e["年度"] for e in record.get("予算") or [] if "要求額" not in e and e.get("年度")]
    return max(years) if years else int(record.get("公開年度") or 2020)


def build_model(record: dict, form_year: int, cp932_safe: bool = False) -> SheetModel:
    """Shift a record's years to `form_year` and normalise its texts."""
    shift = form_year - newest_budget_year(record)

    def text(v):
        return clean_text(v, cp932_safe)

    def year(y):
        return None if y is None else max(int(y) + shift, EARLIEST_FISCAL_YEAR)

    budget, request = _budget(record, shift)
    end = year(record.get("終了年度"))
    return SheetModel(
        form_year=form_year,
        ministry=text(record.get("府省庁")) or "不明",
        number_core=_number_core(record),
        new_offset=_new_offset(record),
        project_name=text(record.get("事業名")) or "(事業名なし)",
        bureau=text(record.get("担当部局庁")),
        division=text(record.get("担当課室")),
        official=text(record.get("作成責任者")),
        start_year=year(record.get("開始年度")),
        end_year=end,
        account_types=[t for t in (text(a) for a in record.get("会計区分") or []) if t],
        purpose=text(record.get("事業目的")),
        overview=text(record.get("事業概要")),
        methods=[t for t in (text(m) for m in record.get("実施方法") or []) if t],
        policies=[t for t in (text(p) for p in record.get("主要施策") or []) if t],
        no_goal_reason=text(record.get("定量的な目標が設定できない理由")),
        budget=budget,
        request=request,
        outcomes=[_outcome(o, shift, text) for o in record.get("アウトカム") or []],
        activities=[_activity(a, shift, form_year, text) for a in record.get("アウトプット") or []],
        recipients=_recipients(record, text),
        lineage=[_lineage_entry(e, shift, text) for e in record.get("関連する過去のレビューシート") or []],
    )


def _budget(record: dict, shift: int) -> tuple[list[BudgetYear], Decimal | None]:
    years, request = [], None
    for entry in record.get("予算") or []:
        if "要求額" in entry:
            request = to_decimal(entry.get("要求額"))
            continue
        years.append(BudgetYear(
            fiscal_year=int(entry["年度"]) + shift,
            initial=to_decimal(entry.get("当初予算")),
            supplementary=to_decimal(entry.get("補正予算")),
            carried_in=to_decimal(entry.get("前年度から繰越し")),
            carried_out=to_decimal(entry.get("翌年度へ繰越し")),
            reserve=to_decimal(entry.get("予備費等")),
            total=to_decimal(entry.get("予算計")),
            executed=to_decimal(entry.get("執行額")),
        ))
    years.sort(key=lambda b: b.fiscal_year)
    return years[-4:], request


def _number_core(record: dict) -> str | None:
    """The ministry-internal number: `0037`, or `0003-1` for sub-numbered sheets."""
    main = record.get("事業番号4") or record.get("事業番号2")
    if main is None:
        return None
    sub = record.get("事業番号3") if record.get("事業番号4") is None else None
    return f"{main}-{sub}" if sub else str(main)


def _new_offset(record: dict) -> int | None:
    """0 for a project new in the review year (新02 in 2020), 1 for 新03, else None."""
    prefix = record.get("事業番号1") or ""
    if not prefix.startswith("新"):
        return None
    review_year = int(record.get("公開年度") or 2020)
    for heisei_only in (False, True):
        offset = int(prefix[1:] or 0) - era_year(review_year, heisei_only)[1] if prefix[1:].isdigit() else 0
        if offset in (0, 1):
            return offset
    return 0


REIWA_OFFSET = 2018  # 令和n = 2018 + n
LATEST_PLAUSIBLE_YEAR = 2200


def database_year(year) -> int | None:
    """A year of the official database as the sheet printed it.

    Sheets print some target years in Gregorian numbers (`2025 年度`); the database read
    those as 令和 years and stored 2018 + 2025 = 4043. Rendering 4043 back would print a
    `平成2053` that no sheet ever printed, so the offset is taken off again.

    >>> database_year(4043), database_year(2025), database_year(None)
    (2025, 2025, None)
    """
    if year is None:
        return None
    year = int(year)
    return year - REIWA_OFFSET if year > LATEST_PLAUSIBLE_YEAR else year


def _outcome(o: dict, shift: int, text) -> Outcome:
    final_text = text(o.get("目標値"))
    final_year = database_year(o.get("目標最終年度"))
    return Outcome(
        goal=text(o.get("成果目標")),
        name=text(o.get("成果指標")),
        unit=one_line(text(o.get("単位"))),
        years=[(int(y["年度"]) + shift, to_decimal(y.get("成果実績")), to_decimal(y.get("目標値")))
               for y in o.get("成果実績") or []][-3:],
        final_target=to_decimal(final_text) if final_text else None,
        final_target_text=final_text,
        final_year=None if final_year is None else final_year + shift,
    )


def _activity(a: dict, shift: int, form_year: int, text) -> Activity:
    years = [(int(y["年度"]) + shift, to_decimal(y.get("活動実績")), to_decimal(y.get("当初見込み")))
             for y in a.get("活動実績") or []][-3:]
    last = None
    if years:  # the review year's outlook repeats the last plan (the seed's 47)
        _, last_actual, last_planned = years[-1]
        last = last_planned if last_planned is not None else last_actual
    return Activity(
        name=text(a.get("活動指標")),
        unit=one_line(text(a.get("単位"))),
        years=years,
        outlook=[(form_year, last), (form_year + 1, None)],
    )


def _recipients(record: dict, text) -> list[Recipient]:
    rows = []
    for r in record.get("支出先") or []:
        if int(r.get("番号") or 0) > 10:
            continue
        rows.append(Recipient(
            block=str(r.get("グループ") or "A"),
            rank=int(r.get("番号") or len(rows) + 1),
            name=text(r.get("支出先名")),
            corporate_number=(str(r["法人番号"]).strip() or None) if r.get("法人番号") else None,
            description=text(r.get("業務概要")),
            amount=to_decimal(r.get("支出額")),
        ))
    return rows


def _lineage_entry(e: dict, shift: int, text) -> tuple[int, str | None, str]:
    """(review year, ministry, number) of one past sheet: `0349-1`, `新31-0001` (the
    prefix 新31 is part of the number: 内閣府 新31-0001 is not 内閣府 0001)."""
    number = "-".join(str(p) for p in (e.get("事業番号1"), e.get("事業番号2"), e.get("事業番号3")) if p)
    return int(e["年度"]) + shift, text(e.get("府省庁")), number or "0000"
