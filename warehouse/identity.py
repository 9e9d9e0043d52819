"""Project identity: one `project_id` for the sheets of one project across review years.

Each sheet prints its own number (事業番号) for its review year and ministry, and
lists the numbers of its earlier sheets (関連する過去のレビューシートの事業番号,
table `lineage`; `past_ministry` NULL means the sheet's own ministry).  A *number
key* is (review_year, ministry, number).  Two sheets are linked when they share a
number key; the links are recorded in `project_link` with their evidence:

- `lineage`       project_key's lineage names linked_project_key's own number;
- `own_number`    both sheets print the same number for the same year and ministry
                  (the same sheet from two sources, or a duplicate);
- `shared_lineage` both lineages name the same past number and no loaded sheet
                  prints it (e.g. the past sheet is not in the warehouse yet);
- `lineage_name`  project_key's lineage names a number for a review year and ministry
                  where no sheet prints it, and exactly one sheet of that year and
                  ministry prints no number at all and the same project name (the
                  form of some years had no 事業番号 cell).

Linked sheets form connected components (union-find); the component's
`project_id` is the `project_key` of its earliest sheet (min review_year, then min
project_key).  An unlinked sheet keeps `project_id = project_key`.  The result
depends only on the set of sheets, never on input order, so an incremental build
recomputes it over all sheets and gets the same answer as a full build.

Matching rule (documented in docs/cookbook.md too):
- ministry: NFKC, all whitespace removed (`総 務 省` == `総務省`); names are not
  otherwise unified (a ministry that changed its name breaks the chain unless the
  lineage prints the old name).
- number: NFKC, then split into tokens on whitespace and dashes (`-‐‑‒–—―−ー`), and
  leading zeros are stripped from all-digit tokens; tokens are joined with `-`.
  So `新30-0035` == `新30 0035` == `新３０－００３５`, `0037` == `37`, and
  `0032-2` (-> `32-2`) stays distinct from `00322` (-> `322`).  Leading zeros are
  not significant because the same sheet prints `0037` in one place and `37` in
  another; a separator is significant because `0032-2` is a sub-number.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from transforms.labels import compact
from transforms.normalize import is_project_number

_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―−ー]+")
_BRACKETS = "()[]{}「」【】"


@dataclass(frozen=True, slots=True)  # slots: tens of thousands of them per build
class Sheet:
    project_key: str
    review_year: int
    ministry: str
    project_number: str | None
    project_name: str | None = None


@dataclass(frozen=True, slots=True)
class PastNumber:
    project_key: str
    past_review_year: int
    past_ministry: str | None
    past_project_number: str


@dataclass(frozen=True)
class Identity:
    project_ids: dict[str, str]  # project_key -> project_id
    links: list[dict]  # project_link rows


@lru_cache(maxsize=1 << 14)  # a few dozen ministries, repeated on every sheet and lineage row
def normalize_ministry(text: str | None) -> str | None:
    """NFKC with all whitespace removed.

    >>> normalize_ministry(" 総 務　省 ")
    '総務省'
    """
    return compact(text) or None if text is not None else None


_NEW_WITHOUT_SEPARATOR = re.compile(r"^新(\d{2})(\d{4})$")  # 新300106 = 新30-0106


@lru_cache(maxsize=1 << 16)
def normalize_number(text: str | None) -> str | None:
    """Matching form of a printed project number (see the module docstring).

    >>> [normalize_number(t) for t in ["新30-0035", "新30 0035", "新３０－００３５", "( 0037 )"]]
    ['新30-35', '新30-35', '新30-35', '37']
    >>> normalize_number("0032-2"), normalize_number("00322"), normalize_number("0000"), normalize_number(" ")
    ('32-2', '322', '0', None)

    Words without a digit (`新規`, `該当なし`) are no number: they link nothing.

    >>> normalize_number("新規"), normalize_number("該当なし")
    (None, None)

    A new project's number printed without its separator is the same number.

    >>> normalize_number("新300106"), normalize_number("新30-0106")
    ('新30-106', '新30-106')
    """
    if not is_project_number(text):
        return None
    text = unicodedata.normalize("NFKC", text).strip().strip(_BRACKETS)
    text = _NEW_WITHOUT_SEPARATOR.sub(r"新\1-\2", text)
    tokens = [t for t in _SEPARATORS.split(text) if t]
    tokens = [str(int(t)) if t.isascii() and t.isdigit() else t for t in tokens]
    return "-".join(tokens) or None


class _UnionFind:
    def __init__(self, items: Iterable[str]):
        self.parent = {item: item for item in items}

    def find(self, item: str) -> str:
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:  # path compression
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def resolve_identity(sheets: Iterable[Sheet], lineage: Iterable[PastNumber]) -> Identity:
    """project_id per sheet and the `project_link` rows, independent of input order."""
    sheets = sorted(sheets, key=lambda s: s.project_key)
    by_key = {s.project_key: s for s in sheets}

    owners: dict[tuple, list[Sheet]] = defaultdict(list)  # number key -> sheets printing it
    for s in sheets:
        number = normalize_number(s.project_number)
        if number is not None:
            owners[(s.review_year, normalize_ministry(s.ministry), number)].append(s)

    referrers: dict[tuple, list[tuple[str, PastNumber]]] = defaultdict(list)
    for p in sorted(lineage, key=lambda p: (p.project_key, p.past_review_year, p.past_project_number)):
        sheet = by_key.get(p.project_key)
        number = normalize_number(p.past_project_number)
        if sheet is None or number is None:
            continue
        ministry = normalize_ministry(p.past_ministry) or normalize_ministry(sheet.ministry)
        referrers[(p.past_review_year, ministry, number)].append((p.project_key, p))

    candidates: list[tuple] = []  # (project_key, linked_project_key, evidence, sort order, row)
    for key, owning in owners.items():
        first = owning[0]
        for other in owning[1:]:
            candidates.append(_link(first.project_key, other, "own_number"))
        for project_key, _past in referrers.get(key, ()):
            for owner in owning:
                if owner.project_key != project_key:
                    candidates.append(_link(project_key, owner, "lineage"))
    unnumbered: dict[tuple, list[Sheet]] = defaultdict(list)  # (year, ministry, name) -> sheets without a number
    for s in sheets:
        if normalize_number(s.project_number) is None and (name := _name_key(s.project_name)):
            unnumbered[(s.review_year, normalize_ministry(s.ministry), name)].append(s)
    for key, referring in referrers.items():
        if key in owners:
            continue
        for project_key, past in referring:
            named = unnumbered.get((key[0], key[1], _name_key(by_key[project_key].project_name)), [])
            if len(named) == 1 and named[0].project_key != project_key:
                candidates.append(_named_link(project_key, named[0], past))
        keys = sorted({k for k, _ in referring})
        for project_key in keys[1:]:
            past = next(p for k, p in referring if k == project_key)
            candidates.append(_shared_link(keys[0], project_key, past, by_key[project_key]))

    links: dict[tuple[str, str, str], tuple] = {}
    candidates.sort(key=lambda c: (c[0], c[1], c[2], c[3]))
    for *pair, _order, row in candidates:
        links.setdefault(tuple(pair), row)
    del candidates

    union_find = _UnionFind(by_key)
    for project_key, linked, _evidence in links:
        union_find.union(project_key, linked)
    earliest: dict[str, Sheet] = {}
    for s in sheets:
        root = union_find.find(s.project_key)
        current = earliest.get(root)
        if current is None or (s.review_year, s.project_key) < (current.review_year, current.project_key):
            earliest[root] = s
    project_ids = {s.project_key: earliest[union_find.find(s.project_key)].project_key for s in sheets}
    return Identity(project_ids, [dict(zip(_LINK_COLUMNS, links[k])) for k in sorted(links)])


_LINK_COLUMNS = ("project_key", "linked_project_key", "evidence", "review_year", "ministry", "project_number")


def _link(project_key: str, owner: Sheet, evidence: str) -> tuple:
    # the project_link row is built only for the links kept (tuples are a fraction of a dict)
    row = (project_key, owner.project_key, evidence, owner.review_year, owner.ministry, owner.project_number)
    return (project_key, owner.project_key, evidence, (0,), row)


def _named_link(project_key: str, owner: Sheet, past: PastNumber) -> tuple:
    row = (project_key, owner.project_key, "lineage_name", owner.review_year, owner.ministry, past.past_project_number)
    return (project_key, owner.project_key, "lineage_name", (0,), row)


def _name_key(name: str | None) -> str | None:
    """A project name for matching: NFKC, no white space."""
    return compact(name) or None if name else None


def _shared_link(first_key: str, project_key: str, past: PastNumber, sheet: Sheet) -> tuple:
    row = (first_key, project_key, "shared_lineage", past.past_review_year, past.past_ministry or sheet.ministry,
           past.past_project_number)
    # several shared past numbers for one pair: keep the most recent one (one number of
    # two ministries, 内閣官房(12)、復興庁(12): the ministry decides, not the input order)
    order = (-past.past_review_year, past.past_project_number, past.past_ministry or "")
    return (first_key, project_key, "shared_lineage", order, row)


def resolve_in_database(con, project_table: str = "project", lineage_table: str = "lineage") -> Identity:
    """Read sheets and lineage from a DuckDB connection and resolve identity."""
    sheets = [
        Sheet(*row)
        for row in con.execute(
            f"select project_key, review_year, ministry, project_number, project_name from {project_table}"
        ).fetchall()
    ]
    lineage = [
        PastNumber(*row)
        for row in con.execute(
            f"select project_key, past_review_year, past_ministry, past_project_number from {lineage_table}"
        ).fetchall()
    ]
    return resolve_identity(sheets, lineage)
