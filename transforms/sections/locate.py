"""Find the sections of a sheet by their label text, never by position.

`split_sections(grid)` returns the rows of each section in file order.  A section
starts at a row whose heading cell matches one of `MARKERS` and runs to the next
heading, so sections may come in any order.  Rows before the first heading are
the title and basic-information block (``header``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from transforms.read import EMPTY, Cell, Grid, Row
from transforms.sections.page_breaks import (PAGE_NUMBER_START, TITLE_PART_ENDS, TITLE_PART_LAST, TITLE_TAILS,
                                             is_bracketed_ministry, is_page_artefact, page_title_rows, title_split)
from transforms.years import YEAR_WITHOUT_NEN, spelled_year

# `費目・使途`, `費目・用途等`, `費目・使途(単位:百万円)`; not the 点検 question `費目・使途が…`
_EXPENSE_HEADING = re.compile(r"費目・[用使]途等?(?:\(|$)")
# `資金の流れ`, also with its note or unit in the same cell: `資金の流れ(単位:百万円)`;
# not the 点検 question `資金の流れの中間段階での支出は…`
_MONEY_FLOW_HEADING = re.compile(r"資金の流れ(?:$|\()")
_INSPECTION = ("事業所管部局による点検", "所管部局による点検")
# the budget table's title cell (2010: `予算の状況(単位:百万円)`); with two year cells on its row
_BUDGET_TITLES = ("予算額・執行額", "予算額及び執行額", "予算の状況", "予算・執行の状況", "予算執行の状況", "予算・執行状況",
                  "予算執行状況", "予算額(単位")
_UNIT_PREFIX = re.compile(r"^\(単位[^()]*\)")  # `(単位:百万円)予算額・執行額`
# the no-goal block's labels, a heading wherever they stand (a goal text only starts with them)
_NO_GOAL_LABELS = ("定量的な成果目標の設定が困難な場合", "定量的な目標が設定できない理由")
# a year header cell: `29年度`, `元年度`, `2017年度`, or without 年 `H29`, `R3要求`, `2021要求`
_YEAR_CELL = re.compile(rf"(\d{{1,2}}|元)\s*年度?|(19|20)\d{{2}}\s*年|{YEAR_WITHOUT_NEN.pattern}")


def _year_cells(row: Row) -> int:
    return sum(1 for _, c in row.filled() if len(c.text) < 24 and _YEAR_CELL.search(spelled_year(c.text)))


def _texts(row: Row) -> list[str]:
    """Compact texts of the row's non-empty cells (cells are NFKC already)."""
    return [c.text.replace(" ", "") for c in row.cells if c.text]


def _is_budget_header(row: Row, texts: list[str]) -> bool:
    """The budget table's title row: with its year columns, or alone on its row when the
    title names the table unambiguously (`予算額・執行額(単位:百万円)`, years below)."""
    if "予算" not in "\t".join(texts):
        return False  # (every title names 予算: most heading rows are passed over here, by one search)
    titles = [_UNIT_PREFIX.sub("", t) for t in texts]
    if not any(t.startswith(_BUDGET_TITLES) for t in titles) or any("予算内訳" in t for t in texts):
        return False
    return _year_cells(row) >= 2 or (len(titles) == 1 and titles[0].startswith(("予算額・執行額", "予算の状況(単位")))


def _lone_budget_title(row: Row, found: dict) -> str | None:
    """"budget" for a bare budget title alone on its row (`予算の状況`, its years and unit
    on the rows below) while no budget table was found yet; inside the table the same
    words are the vertical label of its rows (平成28) and open nothing."""
    if "budget" in found or row.filled_count() != 1:
        return None
    index, cell = row.first()
    if index > 2 and not cell.bold:
        return None
    return "budget" if _UNIT_PREFIX.sub("", cell.text.replace(" ", "")) in _BUDGET_TITLES else None


def _heads_row(row: Row) -> bool:
    """A heading whose words also open ordinary text (※, 定量的な成果目標の設定が困難, 備考)
    counts only in the row's first column or in bold: a goal or name cell that
    starts with the same words sits further right."""
    first = row.first()
    return first is not None and (first[0] == 0 or first[1].bold)


def _alone_in_second_column(row: Row) -> bool:
    """The only cell of its row, one cell right of the first column (a label cell
    printed after an extra empty cell)."""
    return row.filled_count() == 1 and row.first()[0] == 1


# (section name, the words its heading cell starts with, a further predicate on (row,
# compact texts, first compact text)); the first marker that matches wins.  No words: the
# predicate alone decides (the budget titles may stand in any cell); no predicate: the
# words alone do.
Marker = tuple[str, tuple[str, ...] | None, Callable[[Row, list[str], str], bool] | None]
MARKERS: list[Marker] = [
    ("budget", None, lambda r, t, h: _is_budget_header(r, t)),
    # (the joined texts: one search passes over the rows without 予算内訳 before the loop)
    ("budget_item", None, lambda r, t, h: "予算内訳" in "\t".join(t) and any("予算内訳" in x and len(x) < 40 for x in t)),
    ("outcome_note", None, lambda r, t, h: "成果目標及び成果実績" in h and "記載" in h),
    ("outcome", ("成果目標及び成果実績",), None),
    ("no_goal_reason", ("定量的な目標が設定できない理由", "定量的な成果目標の設定が困難"),
     lambda r, t, h: _heads_row(r) or h in _NO_GOAL_LABELS),
    ("activity", ("活動指標及び活動実績",), None),
    # (`単位当たり` alone: the label split over two rows, `コスト` below).  The words also
    # label the block's measure rows: a heading has 算出根拠 or 単位 beside it, or stands
    # alone on its row above the header, in the first column or in bold.
    ("unit_cost", ("単位当たり", "単位あたり"),
     lambda r, t, h: "算出根拠" in t or "単位" in t or (len(t) == 1 and _heads_row(r))),
    ("policy", ("政策評価",), lambda r, t, h: "との関係" in h),
    # Old forms head the 点検結果 / 改善の方向性 rows 事業所管部局による点検, like the assessment block.
    ("inspection", ("点検・改善結果",), lambda r, t, h: h == "点検・改善結果"),
    ("inspection", _INSPECTION, lambda r, t, h: "点検結果" in t),
    ("assessment", _INSPECTION, None),
    # the 点検 table's column header (項目 | 評価 | 評価に関する説明) when its heading row was not exported
    ("assessment", ("項目",), lambda r, t, h: h == "項目" and "評価に関する説明" in t),
    ("external_opinion", ("外部有識者の所見",), None),
    # (…推進チームの所見 / …推進チームによる所見)
    ("team_opinion", ("行政事業レビュー推進チーム", "レビュー推進チーム"), lambda r, t, h: "所見" in h),
    # (所見を踏まえた改善点, …見直し後の状況, a heading of 概算要求における反映状況 alone)
    ("reflection", ("所見を踏まえた改善点", "所見を踏まえた見直し"), None),
    ("reflection", ("概算要求における反映状況",), lambda r, t, h: _heads_row(r)),
    ("remarks", ("備考",), lambda r, t, h: h == "備考" and (_heads_row(r) or _alone_in_second_column(r))),
    ("lineage", ("関連する過去のレビューシートの事業番号",), None),
    # `※令和元年度実績を記入。…` above 資金の流れ; other ※ lines belong to the text they follow.
    ("note", ("※",), lambda r, t, h: "実績を記入" in h and _heads_row(r)),
    ("money_flow", ("資金の流れ",), lambda r, t, h: _MONEY_FLOW_HEADING.match(h) is not None),
    ("expense", ("費目・",), lambda r, t, h: _EXPENSE_HEADING.match(h) is not None),
    ("expense_note", ("費目・用途欄", "費目・使途欄"), None),
    ("recipient", ("支出先上位",), lambda r, t, h: "欄" not in h),
    # the second ranked list under the payees (contracts of several years: 契約額, not
    # 支出額), not read: none of its rows is a payee
    ("contract_list", ("国庫債務負担行為",), lambda r, t, h: "契約先上位" in h and "欄" not in h),
]


def _markers_by_first_character() -> dict[str, list[Marker]]:
    """For each first character of a marker's words, the markers (in order) a heading
    starting with it may match: those words' markers and the markers without words."""
    characters = {word[0] for _, words, _ in MARKERS for word in words or ()}
    return {ch: [m for m in MARKERS if m[1] is None or any(word[0] == ch for word in m[1])] for ch in characters}


_MARKERS_BY_FIRST_CHARACTER = _markers_by_first_character()
_MARKERS_WITHOUT_WORDS = [m for m in MARKERS if m[1] is None]

# The words a heading's first cell starts with: a cheap pre-filter for `section_of`.
_HEADING_START = re.compile(
    r"(予算|\(単位|成果目標|定量的|活動指標|単位当たり|単位あたり|政策評価|事業所管|所管部局|点検|項目|外部有識者|行政事業レビュー推進|レビュー推進"
    r"|所見を踏まえ|概算要求における反映|備考|関連する過去|※|資金の流れ|費目|支出先上位|国庫債務負担行為)"
)

SECTION_NAMES = ("header",) + tuple(dict.fromkeys(name for name, _, _ in MARKERS))


@dataclass
class Sections:
    """Rows of each section; a section seen twice keeps both runs in order."""

    rows: dict[str, list[Row]] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    second_budget_at: int | None = None  # line of a budget table after other sections: a second sheet

    def get(self, name: str) -> list[Row]:
        return self.rows.get(name, [])

    def __contains__(self, name: str) -> bool:
        return name in self.rows


def section_of(row: Row) -> str | None:
    """The section a heading row opens, or None for an ordinary row.

    Every heading's label is the row's first non-empty cell, so a row whose first
    cell starts with no heading word is passed over without further work.
    """
    first = row.first()
    if first is None:
        return None
    if not _may_open(first[1].text):
        return None
    return _heading_section(row, *first)


def _may_open(text: str) -> bool:
    """The cheap test a row's first cell passes before the headings are checked
    (spaced headings such as `予 算 額 ・ 執 行 額` included, and decorated ones such as
    `【事業所管部局による点検・改善】`)."""
    if _HEADING_START.match(text) or "予算内訳" in text:
        return True
    if text[:1] in _DECORATION_MARKS:
        return _may_open(undecorated(text))
    return " " in text and len(text) < 60 and _HEADING_START.match(text.replace(" ", "")) is not None


# (not ・, ○ or □: bullets, ratings and checkboxes open ordinary lines and values)
_DECORATION_MARKS = frozenset("【■●◆◇[<《")
_DECORATION = re.compile(r"^[【■●◆◇\[<《]+\s*|\s*[】\]>》]+$")


def undecorated(text: str) -> str:
    """A heading without the marks around it.

    >>> undecorated("【事業所管部局による点検・改善】"), undecorated("■予算額・執行額"), undecorated("・備考")
    ('事業所管部局による点検・改善', '予算額・執行額', '・備考')
    """
    return _DECORATION.sub("", text)


def _heading_section(row: Row, index: int, cell: Cell) -> str | None:
    """The section a candidate heading row opens, or None (`index`, `cell`: its first filled cell)."""
    if not cell.bold and (index > 2 or _reads_as_text(cell.text)):
        return None  # free text that starts with a heading's words (`予算内訳のとおり…`)
    texts = _texts(row)
    if texts[0][:1] in _DECORATION_MARKS:
        texts[0] = undecorated(texts[0])
    head = texts[0]
    for name, words, predicate in _MARKERS_BY_FIRST_CHARACTER.get(head[:1], _MARKERS_WITHOUT_WORDS):
        if (words is None or head.startswith(words)) and (predicate is None or predicate(row, texts, head)):
            return name
    return None


_BRACKETED = re.compile(r"\([^()]*\)")


def _reads_as_text(text: str) -> bool:
    """A sentence rather than a heading: it closes a clause (。) or runs long, not
    counting a bracketed note (`支出先上位10者リスト(支出額の多い順に記載。)`).  The
    `※…実績を記入。` note above 資金の流れ is a heading that does."""
    if "(" in text:
        text = _BRACKETED.sub("", text)
    return ("。" in text and not text.startswith("※")) or len(text) > 60


# tables that may continue on the next page under their heading again; indicator blocks
# are not among them: each of their headings opens an indicator group of its own
_CONTINUED = {"budget_item", "expense", "recipient", "lineage", "assessment", "external_opinion", "team_opinion",
              "reflection", "remarks", "money_flow", "contract_list"}
# tables whose rows a `※` note row would otherwise join (as the rest of a split cell); not
# the indicator blocks, whose name and goal cells print such notes as lines of their own
_NOTE_FREE = frozenset({"budget", "budget_item", "expense", "recipient", "assessment", "lineage"})


def _is_note(row: Row) -> bool:
    r"""A row holding one `※…` note and nothing else.

    >>> from transforms.read import to_grid
    >>> [_is_note(r) for r in to_grid("※金額は四捨五入\n\t※注\t12\n計\t3")]
    [True, False, False]
    """
    filled = row.filled()
    return len(filled) == 1 and filled[0][1].text.startswith("※")


# The headings an export may print split over two rows (`<b>外部有識</b>` / `<b>者の所見</b>`), and
# every head such a split leaves on the first row: a row's first cell is looked at with the
# row below only when it is one of these heads (most rows: one look-up).
_SPLIT_TITLES = frozenset((
    "予算額・執行額", "予算の状況", "成果目標及び成果実績", "定量的な成果目標の設定が困難な場合", "定量的な目標が設定できない理由",
    "活動指標及び活動実績", "単位当たりコスト", "政策評価との関係", "政策評価、経済・財政再生アクション・プログラムとの関係",
    "政策評価、新経済・財政再生計画との関係", "事業所管部局による点検・改善", "項目", "点検・改善結果",
    "外部有識者の所見", "行政事業レビュー推進チームの所見", "所見を踏まえた改善点", "概算要求における反映状況",
    "所見を踏まえた改善点/概算要求における反映状況", "備考", "関連する過去のレビューシートの事業番号", "資金の流れ",
    "費目・使途", "費目・用途", "支出先上位10者リスト"))
_HEADING_HEADS = frozenset(title[:k] for title in _SPLIT_TITLES for k in range(1, len(title)))


def _joined_heading(row: Row, below: Row, index: int, found: dict) -> tuple[Row, str] | None:
    """(the row with the rest of a heading cell joined, the section it opens) when `below`
    holds nothing but that rest, in the same column, and the joined row opens another
    section than `row` alone: `<b>備</b>` / `<b>考</b>`, or on the 2010 form
    `事業所管部局による点検 | 点検 | …` / `| 結果`; or the same section when the joined cell
    is a whole title (`事業所管部局による点検・` / `改善`; not a heading and its text below it).
    None for any other pair of rows (`index`: the column of `row`'s first cell)."""
    if below.filled_count() != 1:
        return None  # (most head-like rows: a table's column labels, a row of values below)
    column, rest = below.first()
    cell = row[column] if column < len(row) else EMPTY
    if not cell.text or len(cell.text) + len(rest.text) > 60:
        return None
    joined = Row(row.number, row.cells[:column] + [Cell(cell.raw + rest.raw, cell.text + rest.text, cell.bold)]
                 + row.cells[column + 1:])
    section = _heading_section(joined, *joined.first()) or _lone_budget_title(joined, found)
    if section is None or (section == _opens(row, index, row[index], found)
                           and cell.text + rest.text not in _SPLIT_TITLES):
        return None
    return joined, section


def _opens(row: Row, index: int, cell: Cell, found: dict) -> str | None:
    """The section a row whose first cell (`cell`, at `index`) may be a heading opens, else
    None (the test `split_sections` makes inline, for the rows it joins)."""
    text = cell.text
    if _HEADING_START.match(text) or "予算内訳" in text \
            or (((" " in text and len(text) < 60) or text[:1] in _DECORATION_MARKS) and _may_open(text)):
        return _heading_section(row, index, cell) or _lone_budget_title(row, found)
    return None


def split_sections(grid: Grid) -> Sections:
    """Rows per section in file order; page-break artefacts (`is_page_artefact`, the title
    repeated at the top of a page: `page_title_rows`) and a heading repeated inside its
    own section (a table continued on the next page: `費目・用途(続き)`) are left out."""
    sections = Sections()
    rows = sections.rows
    current, current_rows = "header", None
    match = _HEADING_START.match
    title_above = False  # the row above ended a repeated title line: its ministry may follow
    split_title = False  # the sheet's title is printed split: look for its parts, not only its words
    joined = None  # (the heading row joined with the rest of its cell on the row below)
    numbered = enumerate(grid, start=1)  # (n: the index of the row below)
    for n, row in numbered:
        text = ""  # the row's first filled cell
        # `section_of`, inlined: most rows fail the first-cell pre-filter.
        for index, cell in enumerate(row.cells):
            if cell.text:
                text = cell.text
                # (a repeated title only for a row whose first cell may hold a part of it, a page
                # number for one starting with a page number's character: most rows are neither)
                if ("行政事業レビューシート" in text or (split_title and text[-1] in TITLE_PART_LAST and (
                        text.startswith(TITLE_TAILS) or text.endswith(TITLE_PART_ENDS)))) and current != "header" \
                        and (back := page_title_rows(row, current_rows or [])) is not None:
                    if back:
                        del current_rows[-back:]
                    row, title_above = None, row.filled()[-1][1].text.endswith("シート")
                    break
                if title_above and is_bracketed_ministry(row):
                    row = None
                elif text[0] in PAGE_NUMBER_START and is_page_artefact(row, text):
                    row = None
                elif (text in _HEADING_HEADS and n < len(grid)
                      and (joined := _joined_heading(row, grid[n], index, rows)) is not None) \
                        or (match(text) or "予算内訳" in text  # (`_opens`, inlined)
                            or (((" " in text and len(text) < 60) or text[:1] in _DECORATION_MARKS) and _may_open(text))) \
                        and (opened := _heading_section(row, index, cell) or _lone_budget_title(row, rows)) is not None:
                    if joined is not None:  # a heading's head alone, the rest of its cell on the next row
                        (row, opened), joined = joined, None
                        next(numbered)  # (the row below: the rest, now in the heading row)
                    if opened == current and opened in _CONTINUED:
                        row = None  # the same table continued: its heading again
                    else:
                        if opened not in rows:
                            sections.order.append(opened)
                        elif opened == "budget" and sections.second_budget_at is None:
                            sections.second_budget_at = row.number
                        if current == "header":  # (once: the sheet's own title tells how a repeat may print)
                            split_title = title_split(rows.get("header", []))
                        current, current_rows = opened, None
                title_above = False
                break
        if row is None or (text.startswith("※") and current in _NOTE_FREE and _is_note(row)):
            continue  # a `※…` note under a table: no row of it, and no line of its cells
        if current_rows is None:
            current_rows = rows.setdefault(current, [])
        current_rows.append(row)
    return sections
