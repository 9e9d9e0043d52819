"""Numbers as the sheets print them, and the exact Decimal each print stands for.

Every formatter returns a `Printed` pair: the cell text and the value a parser must
read from it (None for `-`, `#DIV/0!` and other non-numbers).

>>> money(Decimal("-356601"), negative="▲ ").text
'▲ 356,601'
>>> money(Decimal("0.30000000000000004"), decimals=1).text
'0.3'
>>> money(Decimal("0"), zero_as_dash=True)
Printed(text='-', value=None)
>>> value_1dp(Decimal("2.98")).text, value_1dp(Decimal("2.91")).text
('3', '2.9')
>>> percent(Decimal("0.946"), decimals=1, sign=False)
Printed(text='94.6', value=Decimal('0.946'))
>>> percent(Decimal("0.5"), decimals=1, sign=True).text
'50%'
>>> to_fullwidth("1,234.5%")
'１，２３４．５％'
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

DASH = "-"
FULLWIDTH = str.maketrans("0123456789,.%()/", "０１２３４５６７８９，．％（）／")


class Printed(NamedTuple):
    """One printed cell and the number it stands for."""

    text: str
    value: Decimal | None


def to_decimal(x) -> Decimal | None:
    """Exact Decimal of a JSON number (via its shortest repr) or numeric string."""
    if x is None or x == "":
        return None
    if isinstance(x, Decimal):
        return x
    if isinstance(x, float):
        return Decimal(repr(x))
    try:
        return Decimal(str(x).strip())
    except ArithmeticError:
        return None


def round_to(d: Decimal, decimals: int) -> Decimal:
    """Round half up to `decimals` places, without trailing zeros (2.90 -> 2.9, 3.0 -> 3)."""
    q = Decimal(d).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    q = q.normalize() if q != 0 else Decimal(0)
    return q.quantize(Decimal(1)) if q == q.to_integral_value() else q


def group(d: Decimal) -> str:
    """Digits with thousands separators, no sign: 1234.5 -> '1,234.5'."""
    text = format(abs(d), "f")
    whole, _, frac = text.partition(".")
    whole = f"{int(whole):,}"
    return f"{whole}.{frac}" if frac else whole


def money(d: Decimal | None, decimals: int = 1, negative: str = "▲ ",
          zero_as_dash: bool = False) -> Printed:
    """A 百万円 cell: rounded, thousands separators, `▲ ` (or `▲`, `△`) for negatives."""
    if d is None:
        return Printed("", None)
    r = round_to(d, decimals)
    if r == 0:
        return Printed(DASH, None) if zero_as_dash else Printed("0", Decimal(0))
    text = group(r)
    return Printed(f"{negative}{text}" if r < 0 else text, r)


def value_1dp(d: Decimal | None, missing: str = DASH) -> Printed:
    """An indicator value printed with at most one decimal (2.98 -> 3)."""
    if d is None:
        return Printed(missing, None)
    r = round_to(d, 1)
    text = group(r)
    return Printed(f"-{text}" if r < 0 else text, r)


def percent(fraction: Decimal | None, decimals: int, sign: bool, missing: str = DASH) -> Printed:
    """A rate printed as a percent (`94.6`, `95%`); the value is the printed fraction."""
    if fraction is None:
        return Printed(missing, None)
    pct = round_to(fraction * 100, decimals)
    text = group(pct) if pct >= 0 else "-" + group(pct)
    return Printed(text + ("%" if sign else ""), pct.scaleb(-2).normalize())


def ratio(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    """numerator / denominator, None when either is missing or the denominator is 0."""
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator


def to_fullwidth(text: str) -> str:
    """Fullwidth digits, separators, percent sign and brackets (what old tooling printed)."""
    return text.translate(FULLWIDTH)
