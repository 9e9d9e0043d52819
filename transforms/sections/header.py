"""The basic-information block (label -> value) and the `project` row built from it.

`parse_basic_info` reads the header's label cells and their values (beside, below, split
over cells or rows); `start_end_years` reads 事業開始・終了(予定)年度; `parse_project`
assembles the row from the title (`transforms.sections.title`), these values, checkbox
cells (`checkboxes`), the own 事業番号 (`project_numbers`) and the free-text blocks
(`free_text`).
"""

from __future__ import annotations

import re
from functools import lru_cache

from transforms.labels import lookup
from transforms.normalize import nfkc
from transforms.read import EMPTY as EMPTY_CELL
from transforms.read import Cell, Row
from transforms.sections.budget import era_context
from transforms.sections.checkboxes import (
    CHECKBOX_FIELDS, box_cells, checkbox_text, checked_items, join_boxes, opens_with_box,
)
from transforms.sections.context import SheetContext
from transforms.sections.free_text import block_text, labelled_text, no_goal_reason
from transforms.sections.locate import Sections
from transforms.sections.project_numbers import number_in_a_cell, own_number
from transforms.sections.text import text_value
from transforms.years import (
    EraReader, cell_year, is_closed_range, is_range, parse_start_end, spelled_year_cell,
)


@lru_cache(maxsize=1 << 16)
def _label_field(text: str) -> str | None:
    """The field a basic-information label cell names, or None (memoised: the parser asks
    about each cell several times, and the same labels on every sheet)."""
    return lookup("basic", text) if len(text) < 60 else None


def parse_basic_info(rows: list[Row], ctx: SheetContext | None = None) -> dict[str, tuple[str, str]]:
    """Label cells -> their value cell, as {field: (raw, text)}.

    A value is the next cell to the right; when that is empty, the cell directly below
    the label (a two-row merged cell), or failing that one cell beside it (merged cells
    collapse), if no label of that row claims it.  A combined start-end cell continues
    into the next cells when the export split the range (`平成20年度 ⇥ ~ ⇥ 平成24年度`).
    A bold cell that is no known label is reported (the form may have gained a field).
    """
    labels, halves, inline = _basic_labels(rows, ctx)
    claimed: set[tuple[int, int]] = set(halves)
    values: dict[str, tuple[str, str]] = {}
    at: dict[str, tuple[int, int]] = {}  # where each value beside its label was found
    pending: list[tuple[int, int, str]] = []
    for (r, i), field in labels.items():
        j = i + 1
        if not rows[r][j].text and rows[r][j + 1].text and (r, j + 1) not in labels and (r, j + 1) not in halves:
            j += 1  # a merged value cell collapsed one cell further right
        cell = rows[r][j]
        if cell.text and (r, j) not in labels and (r, j) not in halves:
            claimed.add((r, j))
            if field not in values:
                at[field] = (r, j)
            if field in CHECKBOX_FIELDS and opens_with_box(cell.text):  # `□直接実施 ⇥ ■委託・請負 ⇥ □補助 …`
                boxes = box_cells(rows[r], j, lambda k, r=r: (r, k) in labels)
                if boxes:
                    claimed.update((r, k) for k, _ in boxes)
                    cell = join_boxes([cell] + [c for _, c in boxes])
            if field == "start_end":
                cell = _range_across_cells(rows[r], j, lambda k, r=r: (r, k) in labels)
                below = rows[r + 1][j] if r + 1 < len(rows) else EMPTY_CELL
                if _open_range(cell.text) and below.text and (r + 1, j) not in labels \
                        and is_closed_range(cell.text + below.text):
                    claimed.add((r + 1, j))  # `平成20年度~` / `平成24年度` on the row below
                    cell = Cell(cell.raw + below.raw, cell.text + below.text)
            values.setdefault(field, (cell.raw, cell.text))
        else:
            pending.append((r, i, field))
    below_at: dict[str, tuple[int, int]] = {}  # where each value below its label was found
    value_columns = {position for position in at.values()}
    for r, i, field in pending:
        if field in values or r + 1 >= len(rows):
            continue
        n = r + 1
        if n + 1 < len(rows) and _continues_row(rows[n], r, value_columns):
            n += 1  # the row below only continues values of the label's row (a second line)
        for j in (i, i - 1, i + 1):
            below = rows[n][j]
            if below.text and (n, j) not in labels and (n, j) not in claimed:
                claimed.add((n, j))
                values[field] = (below.raw, below.text)
                below_at[field] = (n, j)
                break
    found_at = {**below_at, **at}
    _rest_of_row(rows, values, found_at, labels, halves, claimed)
    _continued_values(rows, values, found_at, labels, halves, claimed)
    for field, value in inline.items():
        values.setdefault(field, value)
    return values


def _continues_row(row: Row, above: int, value_columns: set) -> bool:
    """Whether every filled cell of `row` stands in the column of a value found beside its
    label on row `above` (the second lines of those values, as `_continued_values` reads them)."""
    filled = row.filled()
    return bool(filled) and all((above, j) in value_columns and not _label_field(cell.text) for j, cell in filled)


def _rest_of_row(rows: list[Row], values: dict, at: dict, labels: dict, halves: set, claimed: set) -> None:
    """Cells after a value and before the next label of its row continue that value (a value
    the export spread over cells: `課長 ⇥ 多田 浩人`, `国土交通省 ⇥ 観光庁`, a second account or
    law); lines are joined with a newline.  A bold cell (an unknown label) ends the value; the
    start-end cell reads its following cells itself."""
    owners = {position: field for field, position in at.items() if field != "start_end"}
    for r in sorted({r for r, _ in owners}):
        owner = None
        for j, cell in rows[r].filled():
            if (r, j) in owners:
                owner = owners[(r, j)]
            elif (r, j) in labels or (r, j) in halves or cell.bold or _opens_with_label(cell.text):
                owner = None
            elif owner is not None and (r, j) not in claimed:
                claimed.add((r, j))
                raw, text = values[owner]
                values[owner] = (f"{raw}\n{cell.raw}", f"{text}\n{cell.text}")


def _opens_with_label(text: str) -> bool:
    """Whether a cell is a label, or a label printed with its value (`案件番号 3`, `事業番号:0037`).

    >>> _opens_with_label("案件番号 3"), _opens_with_label("事業番号:0037"), _opens_with_label("課長 多田 浩人")
    (True, True, False)
    """
    return bool(_label_field(text) or _label_field(re.split(r"[\s:：]", text.strip(), maxsplit=1)[0]))


def _continued_values(rows: list[Row], values: dict, at: dict, labels: dict, halves: set, claimed: set) -> None:
    """A row whose every cell stands in the column of a value on the row above continues
    those values (multi-line cells the export split over rows: a second law, a second
    account, `平成30年度終了予定` under `昭和18年度開始`, `課長 多` / `田 浩人` under the
    作成責任者 label's row, also two such lines on one row);
    lines are joined with a newline.  The row may also hold the next lines of the labels
    beside those values (a two-line label split the same way: `根拠法令` / `(具体的な条項も
    記載)`, `事業開始` / `年度`)."""
    ends = {position: field for field, position in at.items()}  # (row, column) of each value's last line
    heads = {position: rows[position[0]][position[1]].text for position in labels}  # label text by its last line
    for n in range(min((r for r, _ in ends), default=len(rows)) + 1, len(rows)):
        found = _continuation(rows[n], n, ends, heads, labels, halves, claimed)
        if found is None:
            continue
        label_lines, lines = found
        heads.update({(n, j): label for j, label in label_lines.items()})
        for field, j, cell in lines:
            claimed.add((n, j))
            ends[(n, j)] = field
            raw, text = values[field]
            values[field] = (f"{raw}\n{cell.raw}", f"{text}\n{cell.text}")


def _continuation(row: Row, n: int, ends: dict, heads: dict, labels: dict, halves: set, claimed: set):
    """({column: label} of the label lines, [(field, column, cell)] of the value lines) of
    row `n` when it continues the values above it (see `_continued_values`), else None.
    The first cell that continues neither ends the look (most rows are no continuation)."""
    label_lines: dict[int, str] = {}
    lines: list[tuple[str, int, Cell]] = []
    for j, cell in row.filled():
        head = heads.get((n - 1, j))
        if head is not None and ((n, j) in halves or _continues_label(head, cell.text)):
            label_lines[j] = head + cell.text
            continue
        field = ends.get((n - 1, j))
        if field is None or (n, j) in labels or (n, j) in claimed or _label_field(cell.text):
            return None
        lines.append((field, j, cell))
    return (label_lines, lines) if lines else None


def _continues_label(label: str, text: str) -> bool:
    """Whether `text`, printed under a label cell, is that label's next line: with it, the
    label still names the same field (`根拠法令` + `(具体的な条項も記載)`).

    >>> _continues_label("根拠法令", "(具体的な条項も記載)"), _continues_label("事業名", "担当部局庁")
    (True, False)
    """
    field = _label_field(label)
    return field is not None and not _label_field(text) and _label_field(label + text) == field


def _basic_labels(rows: list[Row], ctx: SheetContext | None):
    """The label cells of the basic information: ({(row, column): field}, the lower
    halves of labels split over two rows (`事業開始` / `年度`), {field: (raw, text)} of
    cells printing label and value together (`事業名:○○`)).  A bold cell that is no
    known label is reported."""
    labels: dict[tuple[int, int], str] = {}
    halves: set[tuple[int, int]] = set()
    inline: dict[str, tuple[str, str]] = {}
    for r, row in enumerate(rows):
        for i, cell in row.filled():
            if (r, i) in halves:
                continue
            field = _label_field(cell.text)
            if not field and r + 1 < len(rows) and len(cell.text) < 30:
                below = rows[r + 1][i]
                if below.text and len(below.text) < 30 and not _label_field(below.text):
                    field = _label_field(cell.text + below.text)
                    if field:
                        halves.add((r + 1, i))
            if field:
                labels[(r, i)] = field
            elif ":" in cell.text and (found := _label_and_value(cell)):
                inline.setdefault(*found)
            elif cell.bold and ctx is not None and len(cell.text) < 60 and "レビューシート" not in cell.text:
                ctx.unknown_label("basic", cell.text, row.number, "project", "no project column holds its value")
    return labels, halves, inline


def _label_and_value(cell: Cell) -> tuple[str, tuple[str, str]] | None:
    """(field, (raw, text)) of a cell printing a label, a colon and its value (`事業名：○○`)."""
    head, _, rest = cell.text.partition(":")
    field = _label_field(head) if len(head) < 30 else None
    if not field or not rest.strip():
        return None
    raw = re.split(r"[:：]", cell.raw, maxsplit=1)[-1].strip()
    return field, (raw, rest.strip())


def _open_range(text: str) -> bool:
    """A range with its end still to come (`平成20年度~`)."""
    return is_range(text) and not is_closed_range(text)


def _range_across_cells(row: Row, first: int, is_label) -> Cell:
    """The start-end cell at `first`, joined with the next one or two filled cells before
    the next label when only together they print a range (`平成20年度 ⇥ ~ ⇥ 平成24年度`)."""
    cell = row[first]
    following = [c for j, c in row.filled() if j > first and not is_label(j)][:2]
    if not following or is_closed_range(cell.text):
        return cell
    for n in range(1, len(following) + 1):
        parts = [cell] + following[:n]
        joined = "".join(c.text for c in parts)
        if is_closed_range(joined):
            return Cell("".join(c.raw for c in parts), joined)
    return cell




def start_end_years(start: str | None, end: str | None, combined: str | None,
                    review_year: int | None) -> tuple[int | None, int | None, str | None]:
    """(start FY, end FY, printed text) from two cells (事業開始年度 / 事業終了(予定)年度) or
    the combined 事業開始・終了(予定)年度 cell (`昭和62年度開始`, `平成20年度~平成24年度`,
    `平成14年度~`, `22年度 ~ 27年度`, full dates, `別紙参照`); end NULL when 終了予定なし.

    >>> start_end_years("平成15年度", "終了予定なし", None, 2020)
    (2003, None, '平成15年度 / 終了予定なし')
    >>> start_end_years(None, None, "平成24年4月1日~平成25年3月31日", 2014)
    (2012, 2012, '平成24年4月1日~平成25年3月31日')
    >>> start_end_years("平成30年度", "2年度", None, 2019)[:2]  # an end before the start: the later era
    (2018, 2020)
    """
    sheet_year, review_year = review_year, era_context(review_year)
    # a start cell without an end cell may hold the whole range (`平成23年度-平成27年度`)
    if combined is not None or (end is None and start is not None and is_range(start)):
        text = combined if combined is not None else start
        first, last = parse_start_end(text, review_year)
        if combined is not None and start is not None:  # both printed: the plain start wins
            first = parse_start_end(start, review_year)[0]
        return _showa_start(first, start or text, sheet_year), last, text
    first = parse_start_end(start, review_year)[0] if start else None
    if first is not None and review_year is not None and first > review_year + 1:
        # `17年度` without its era on a 令和 sheet: a project starts by the request year at the latest
        earlier = parse_start_end(start, None)[0]
        first = earlier if earlier is not None and earlier <= review_year + 1 else first
    first = _showa_start(first, start, sheet_year)
    end_year = spelled_year_cell(end) if end else None  # also `2025`, `R5`, `令和5`
    last = cell_year(end_year, EraReader(review_year)) if end_year else None
    if first is not None and last is not None and last < first:  # `2年度` printed without its era after 平成31
        later = cell_year(end_year, EraReader(None, "令和"))
        last = later if later is not None and later >= first else last
    return first, last, " / ".join(v for v in (start, end) if v) or None




def _showa_start(first: int | None, printed: str | None, review_year: int | None) -> int | None:
    """A start year printed without its era (`48年度`, `48年度~25年度`) that the 平成 / 令和
    readings put after the request year (平成48 = 2036) is a 昭和 year (1973): a project
    starts by the request year at the latest.

    >>> _showa_start(2036, "48年度", 2016), _showa_start(2028, "平成40年度", 2018), _showa_start(2003, "15年度", 2020)
    (1973, 2028, 2003)
    """
    if first is None or review_year is None or first <= review_year + 1 or not printed:
        return first
    bare = nfkc(printed)
    showa = parse_start_end("昭和" + bare, None)[0] if bare[:1].isdigit() else None
    return showa if showa is not None else first


def parse_project(sections: Sections, ctx: SheetContext, title: tuple) -> dict:
    """The `project` row (without keys and source columns)."""
    review_year, ministry, _ = title
    info = parse_basic_info(sections.get("header"), ctx)

    def text(field: str) -> str | None:
        return text_value(info[field][0]) if field in info else None

    start, end, start_end_text = start_end_years(text("start"), text("end"), text("start_end"), review_year)
    policy = labelled_text(sections.get("policy"), "policy")
    # Old forms label the inspection rows 事業所管部局による点検 inside the assessment block.
    inspection = labelled_text(sections.get("inspection") or sections.get("assessment"), "inspection")
    return {
        "review_year": review_year,
        "ministry": ministry,
        "project_number": own_number(text("project_number") or number_in_a_cell(sections.get("header")), ministry),
        "project_name": text("project_name"),
        "bureau": text("bureau"),
        "division": text("division"),
        "responsible_official": text("responsible_official"),
        "start_fiscal_year": start,
        "end_fiscal_year": end,
        "start_end_text": start_end_text,
        "account_type": checked_items(text("account_type")),  # `■一般会計 □特別会計` -> 一般会計
        "legal_basis": text("legal_basis"),
        "related_plans": text("related_plans"),
        "main_policy": text("main_policy"),
        "main_expense_category": text("main_expense_category"),
        "purpose": text("purpose"),
        "overview": text("overview"),
        "implementation_method": checkbox_text(text("implementation_method")),
        "policy": policy.get("policy"),
        "policy_measure": policy.get("policy_measure"),
        "inspection_result": inspection.get("inspection_result"),
        "improvement_direction": inspection.get("improvement_direction"),
        "external_expert_opinion": block_text(sections.get("external_opinion")),
        "review_team_opinion": block_text(sections.get("team_opinion")),
        "reflection": block_text(sections.get("reflection")),
        "remarks": block_text(sections.get("remarks")),
        "no_quantitative_goal_reason": no_goal_reason(sections.get("no_goal_reason")),
    }
