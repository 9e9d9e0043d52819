"""Japanese era year labels as the sheets print them.

The sheets print fiscal years in the Japanese calendar: `平成29年度`, `令和元年度`, a
bare `30年度` that inherits the era of the column before it, and in sheets made
before 2020 even `平成32年度` (平成 continued past its end, 1988 + n).

>>> era_year(2019)
('令和', 1)
>>> era_label(2019, heisei_only=True)
'平成31年度'
>>> era_label(2019)
'令和元年度'
>>> header_labels([2017, 2018, 2019, 2020], first_era=True)
['平成29年度', '30年度', '令和元年度', '2年度']
>>> header_labels([2016, 2017, 2018, 2019], first_era=False, heisei_only=True)
['28年度', '29年度', '30年度', '31年度']
"""

from __future__ import annotations

ERAS = (("令和", 2019), ("平成", 1989), ("昭和", 1926))


def era_year(fiscal_year: int, heisei_only: bool = False) -> tuple[str, int]:
    """(era, year within era) of a Gregorian fiscal year.

    `heisei_only` mimics sheets made before 2020 that kept counting 平成 (平成32 = 2020).
    """
    for era, first in ERAS:
        if heisei_only and era == "令和":
            continue
        if fiscal_year >= first:
            return era, fiscal_year - first + 1
    raise ValueError(f"fiscal year before 昭和: {fiscal_year}")


def number_label(n: int, gannen: bool = True) -> str:
    """`元` for the first year of an era, else the number."""
    return "元" if n == 1 and gannen else str(n)


def era_label(fiscal_year: int, heisei_only: bool = False, suffix: str = "年度") -> str:
    """Full label with era: `平成15年度`, `令和元年度`, `昭和62年度`."""
    era, n = era_year(fiscal_year, heisei_only)
    return f"{era}{number_label(n)}{suffix}"


def bare_label(fiscal_year: int, heisei_only: bool = False, suffix: str = "年度") -> str:
    """Label without era: `30年度`, `元年度`, `2年度`."""
    _, n = era_year(fiscal_year, heisei_only)
    return f"{number_label(n)}{suffix}"


def header_labels(years: list[int], first_era: bool, heisei_only: bool = False) -> list[str]:
    """Column headers for consecutive years: an era prefix on the first column (when
    `first_era`) and wherever the era changes, bare numbers elsewhere."""
    labels: list[str] = []
    previous_era = None
    for i, year in enumerate(years):
        era, _ = era_year(year, heisei_only)
        with_era = era != previous_era and (i > 0 or first_era)
        labels.append(era_label(year, heisei_only) if with_era else bare_label(year, heisei_only))
        previous_era = era
    return labels


def two_digit_era_year(fiscal_year: int, heisei_only: bool = False) -> str:
    """`30`, `02` as used in 新30-0035 / 新02-0001 project numbers."""
    return f"{era_year(fiscal_year, heisei_only)[1]:02d}"
