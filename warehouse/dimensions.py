"""The `fiscal_year` dimension: one row per Gregorian fiscal year (April–March).

The era of a fiscal year is the era in force for most of it, as the sheets print
it: 2019 -> 令和元年度 (not 平成31年度), 1989 -> 平成元年度.  The contract needs
昭和/平成/令和; 大正 and 明治 are added for the rare 事業開始年度 before 1926 so that
no label reads 昭和-3年度.
"""

from __future__ import annotations

from datetime import date

# (first Gregorian fiscal year of the era, era name), latest first
ERAS: tuple[tuple[int, str], ...] = (
    (2019, "令和"),
    (1989, "平成"),
    (1926, "昭和"),
    (1912, "大正"),
    (1868, "明治"),
)


def era_of(fiscal_year: int) -> tuple[str, int]:
    """(era, era_year) of a Gregorian fiscal year.

    >>> era_of(2019), era_of(2018), era_of(1989), era_of(1988)
    (('令和', 1), ('平成', 30), ('平成', 1), ('昭和', 63))
    """
    for first, era in ERAS:
        if fiscal_year >= first:
            return era, fiscal_year - first + 1
    raise ValueError(f"fiscal year {fiscal_year} is before 明治 (1868)")


def label_ja(fiscal_year: int) -> str:
    """The printed form: 元 for the first year of an era.

    >>> label_ja(2019), label_ja(2018), label_ja(2020)
    ('令和元年度', '平成30年度', '令和2年度')
    """
    era, era_year = era_of(fiscal_year)
    return f"{era}{'元' if era_year == 1 else era_year}年度"


def fiscal_year_row(fiscal_year: int) -> dict:
    """One `fiscal_year` row.

    >>> row = fiscal_year_row(2020)
    >>> row["label_ja"], row["starts_on"], row["ends_on"]
    ('令和2年度', datetime.date(2020, 4, 1), datetime.date(2021, 3, 31))
    """
    era, era_year = era_of(fiscal_year)
    return {
        "fiscal_year": fiscal_year,
        "era": era,
        "era_year": era_year,
        "label_ja": label_ja(fiscal_year),
        "starts_on": date(fiscal_year, 4, 1),
        "ends_on": date(fiscal_year + 1, 3, 31),
    }


def fiscal_year_rows(first: int | None, last: int | None) -> list[dict]:
    """Rows for every year from `first` to `last` inclusive, no gaps ([] when None).

    >>> [r["fiscal_year"] for r in fiscal_year_rows(2017, 2019)]
    [2017, 2018, 2019]
    """
    if first is None or last is None:
        return []
    return [fiscal_year_row(y) for y in range(first, last + 1)]
