"""事業所管部局による点検・改善 (assessment): a question, its rating (○ × △ 有 無 -) and the
explanation, under their category (国費投入の必要性, 事業の効率性, …)."""

from __future__ import annotations

import re
from functools import lru_cache

from transforms.labels import compact, lookup
from transforms.normalize import label_key
from transforms.read import Row
from transforms.sections.context import SheetContext
from transforms.sections.related import plain_header
from transforms.sections.text import text_value

RATINGS = {"○": "○", "〇": "○", "◯": "○", "×": "×", "✕": "×", "X": "×", "x": "×", "△": "△", "有": "有", "有り": "有", "あり": "有",
           "無": "無", "無し": "無", "なし": "無", "-": "-", "―": "-", "ー": "-", "－": "-", "−": "-", "—": "-", "–": "-",
           # not applicable: what the form's `-` stands for
           "該当なし": "-", "対象外": "-"}


# The contract's four categories (schema.ASSESSMENT_CATEGORIES); the 2010-2013 forms
# printed other names for them
CATEGORIES = {"国費投入の必要性": "国費投入の必要性", "事業の必要性": "国費投入の必要性", "必要性": "国費投入の必要性",
              "事業の効率性": "事業の効率性", "事業の効率化": "事業の効率性", "効率性": "事業の効率性",
              "事業の有効性": "事業の有効性", "有効性": "事業の有効性",
              "関連事業": "関連事業", "重複排除": "関連事業"}


def contract_category(printed: str | None) -> str | None:
    """The contract's name of a category the sheet prints, also with a note after it (an
    unknown name is kept).

    >>> contract_category("重複排除"), contract_category("効率性"), contract_category("事業の有効性")
    ('関連事業', '事業の効率性', '事業の有効性')
    >>> contract_category("国費投入の必要性(注)"), contract_category("事業の必要性【必須】")
    ('国費投入の必要性', '国費投入の必要性')
    >>> contract_category("【国費投入の必要性】"), contract_category("2.事業の効率性")
    ('国費投入の必要性', '事業の効率性')
    """
    if not printed:
        return printed
    return CATEGORIES.get(printed) or CATEGORIES.get(label_key(printed)) \
        or CATEGORIES.get(label_key(_undecorated(printed)), printed)


# a category printed in brackets or numbered; NFKC has made `（…）` `(…)`, `＜…＞` `<…>`,
# `１．` `1.`, `①` `1` and `Ⅰ` `I`
_DECORATED = re.compile(r"^(?:[(\[【〔<《〈「『](?P<inner>[^)\]】〕>》〉」』]+)[)\]】〕>》〉」』]"
                        r"|(?:\d{1,2}|[IVX]{1,4})[.、)]?\s?(?P<rest>\D.*))$")
_DECORATION_STARTS = frozenset("([【〔<《〈「『0123456789IVX")


def _undecorated(text: str) -> str:
    """A 点検 label without the brackets around it or the number before it, else as printed.

    >>> [_undecorated(t) for t in ["(国費投入の必要性)", "【事業の効率性】", "1.事業の有効性", "4 関連事業", "II.関連事業"]]
    ['国費投入の必要性', '事業の効率性', '事業の有効性', '関連事業', '関連事業']
    >>> _undecorated("国費投入の必要性"), _undecorated("(注)国費")
    ('国費投入の必要性', '(注)国費')
    """
    if text[:1] not in _DECORATION_STARTS or (match := _DECORATED.match(text)) is None:
        return text
    return match.group("inner") or match.group("rest")


@lru_cache(maxsize=4096)
def _label(text: str) -> str | None:
    """What a cell of the 点検 table labels (`category`, `header`), or None: `lookup`, and
    a category also in brackets or numbered (`(国費投入の必要性)`, `1.国費投入の必要性`).
    (Memoised: the form's questions and labels repeat from sheet to sheet.)"""
    field = lookup("assessment", text)
    if field is None and (bare := _undecorated(text)) is not text and lookup("assessment", bare) == "category":
        return "category"
    return field


_RATING_WITH_NOTE = re.compile(r"^(?P<mark>\S{1,2}?)\s*\([^()]{1,20}\)$")


def rating_of(text: str) -> str | None:
    """The rating a 点検 cell prints, also with a bracketed note after it.

    >>> rating_of("○"), rating_of("無(該当なし)"), rating_of("有 (一部)"), rating_of("該当なし"), rating_of("(注)"), rating_of("事業の目的")
    ('○', '無', '有', '-', None, None)
    """
    if text in RATINGS:
        return RATINGS[text]
    if text.endswith(")") and (match := _RATING_WITH_NOTE.match(text)):
        return RATINGS.get(match.group("mark"))
    return None


def parse_assessment(rows: list[Row], ctx: SheetContext) -> list[dict]:
    """点検 rows: a question cell followed by a rating cell (○ × △ 有 無 -).

    A multi-line cell the export split over rows is joined (`_continue_assessment`); a
    rating on the row below its question, under an empty question cell, is that question's.
    """
    out: list[dict] = []
    category = None
    question_col = explanation_col = None
    pending: list[str] = []  # the first lines of a question whose rating is on a later row
    split = _SplitCategory()
    related_table = False  # below the 関連事業 table's plain header: its rows are projects (`related`)
    for at, row in enumerate(rows[1:], start=1):
        filled = row.filled()
        rating_at = _rating_at(filled)
        if rating_at is None and (related_table or plain_header(row) is not None):
            related_table = True
            continue
        related_table = False
        if rating_at is None and pending and filled and rating_of(filled[0][1].text):
            rating_at = 0  # the rating of the question above, under its empty cell (merged over two rows)
        before = filled[: max(rating_at - 1, 0)] if rating_at is not None else \
            [(i, c) for i, c in filled if question_col is not None and i < question_col]
        for _, cell in filled[: rating_at if rating_at is not None else len(filled)]:
            if len(cell.text) < 20 and _label(cell.text) == "category":
                # (`必要性` is a category of its own, and the end of `国費投入の` / `必要性`)
                if (joined := split.join_with(cell.text)) is not None:
                    for item in out[split.first_item:]:
                        item["category"] = joined
                category = joined or compact(cell.text)
                split.clear()
        taken = split.pieces_of(before)
        if (joined := split.add(taken, len(out))) is not None:
            category = joined
            for item in out[split.first_item:]:
                item["category"] = category
            split.clear()
        if rating_at is None:
            lines = [(i, c) for i, c in filled if not (len(c.text) < 20 and _label(c.text))
                     and (i, c) not in taken]
            if out and out[-1]["question"].endswith("。") and \
                    (unrated := _unrated_question(lines, question_col, explanation_col)) is not None:
                out.append({"category": category, "item_no": len(out) + 1, "question": "".join(pending + [unrated[0]]),
                            "rating": None, "explanation": unrated[1]})
                pending = []
                continue
            opens = len(lines) == 1 and _opens_question(rows, at, lines[0][0])
            _continue_assessment(lines, out, pending, question_col, explanation_col, opens)
            continue
        question = filled[rating_at - 1][1] if rating_at else None
        if question is not None and len(question.text) < 20 and _label(question.text):
            pending = []
            continue  # a category or the table's column header, not a question
        rating_index, rating_cell = filled[rating_at]
        # the explanation: the next cell, or the next filled one (a rating merged over two
        # cells exported as the rating and an empty cell)
        explanation_at = filled[rating_at + 1][0] if rating_at + 1 < len(filled) else rating_index + 1
        question_col = filled[rating_at - 1][0] if question else rating_index - 1
        explanation_col = explanation_at
        explanation = text_value(row[explanation_at].raw)
        if question and pending and out and pending[-1].endswith("。"):
            _report_sentence_above(row, pending, ctx)
        lines = pending + [text_value(question.raw)] if question else pending
        out.append({
            "category": category, "item_no": len(out) + 1, "question": "".join(lines),
            "rating": rating_of(rating_cell.text), "explanation": explanation,
        })
        pending = []
    for item in out:
        item["category"] = contract_category(item["category"])
    return out


def _report_sentence_above(row: Row, pending: list[str], ctx: SheetContext) -> None:
    """A whole sentence on the unrated row above a rated question, after a whole question
    (`…事業か。 | ○` / `政策体系の中で優先度の高い事業か。` / `競争性が… | ○`): the second
    sentence of the question above split onto its own row, a question left unrated, or the
    first sentence of this one (its rating on its last row); the rows do not tell
    (`ambiguous_assessment`: the rows are loaded, read the third way)."""
    ctx.warn("ambiguous_assessment", f"{ctx.source_path}: 点検 line {row.number}: '{pending[-1][:40]}' on the row above "
             "may end the question above it, be a question left unrated, or begin this one; read as its beginning",
             "assessment", observed=pending[-1][:80])


def _rating_at(filled: list) -> int | None:
    """The index in `filled` (a row's filled cells) of its first rating cell after the first cell, or None."""
    for k in range(1, len(filled)):
        if rating_of(filled[k][1].text):
            return k
    return None


class _SplitCategory:
    """A 点検 category label whose cell the export split over rows (国費投入の / 必要性):
    its pieces are collected from the cells left of the questions until they join into
    a known category, which then also goes to the questions printed beside the pieces."""

    def __init__(self) -> None:
        self.clear()

    def clear(self) -> None:
        self.pieces: list[str] = []
        self.first_item = 0

    @staticmethod
    def pieces_of(cells: list) -> list:
        """The cells (of those left of a row's question) that may be a piece: one short unknown
        text, not a sentence (a question one column left of the others' ends in 。)."""
        pieces = [(i, c) for i, c in cells if c.text and len(c.text) < 20 and not _label(c.text)
                  and not c.text.endswith("。")]
        return pieces if len(pieces) == 1 else []

    def join_with(self, text: str) -> str | None:
        """The category the pieces and `text` make together, if any."""
        for start in range(len(self.pieces)):
            joined = compact("".join(self.pieces[start:]) + text)
            if _label(joined) == "category":
                return joined
        return None

    def add(self, pieces: list, items_so_far: int) -> str | None:
        """Take a row's piece (see `pieces_of`); the category once the pieces join."""
        if not pieces:
            return None
        if not self.pieces:
            self.first_item = items_so_far
        self.pieces = (self.pieces + [c.text for _, c in pieces])[-3:]
        for start in range(len(self.pieces) - 1):
            joined = compact("".join(self.pieces[start:]))
            if _label(joined) == "category":
                return joined
        return None


def _unrated_question(lines: list, question_col: int | None, explanation_col: int | None) -> tuple[str, str] | None:
    """(question, explanation) of a row without rating, after a whole question, printing a
    whole question (ending 。) in the question column and a text right of it, up to the
    explanation column: a question left unrated, not the first line of the next one.
    Either may stand one column off (a merged cell before it, or the empty rating cell
    merged into the question's, dropped by the export).  None for other rows."""
    if question_col is None or len(lines) != 2:
        return None
    (question_at, question), (explanation_at, explanation) = lines
    if abs(question_at - question_col) > 1 or explanation_at > explanation_col + 1 \
            or not question.text.endswith("。"):
        return None
    return text_value(question.raw), text_value(explanation.raw)


def _is_note(line: str) -> bool:
    """A line all in brackets: a note ending a question (`(理由を右に記載)`), never the
    first line of one.

    >>> _is_note("(理由を右に記載)"), _is_note("(注)受益者との負担関係は妥当か。")
    (True, False)
    """
    return line[:1] in "(（" and line[-1:] in ")）" and "(" not in line[1:-1] and ")" not in line[1:-1]


def _opens_question(rows: list[Row], at: int, column: int) -> bool:
    """Whether the text in `column` of `rows[at]` (a row without rating) can be the first
    line of a question whose rest and rating follow: the rows right below (a split
    cell's lines are consecutive rows, no blank row between) hold more lines in that
    column, then a rated question in the same column."""
    for row in rows[at + 1:]:
        filled = row.filled()
        if filled and all(i == column for i, _ in filled):
            continue  # another line of the question
        rating_at = _rating_at(filled)
        return rating_at is not None and filled[rating_at - 1][0] == column
    return False


def _continue_assessment(lines: list, out: list[dict], pending: list[str], question_col, explanation_col,
                         opens_question: bool = False) -> None:
    """Place the cells of a 点検 row without a rating (a multi-line cell the export split):
    text in the question column finishes the question above when that one has not
    ended (no 。) and otherwise starts the next question (`pending`); text in the
    explanation column continues the explanation above.  A note in brackets
    (`(理由を右に記載)`) ends the question above even after its 。.

    The export may collapse the merged cell left of an explanation's later line, so
    that the line sits one cell left, in the rating column: alone on its row, and
    neither a rating nor the first line of a question rated below, it continues the
    explanation too.  It is taken for a question's first line when `opens_question`
    (`_opens_question`: the row above was itself shifted left, and the next question,
    printed in the form's columns, starts here) unless it ends a sentence (。) after
    an explanation it can continue."""
    if not lines:
        return
    if question_col is None:  # before the first rated row: the first line of its question
        if len(lines) == 1:
            pending.append(text_value(lines[0][1].raw))
        return
    last = out[-1] if out else None
    if len(lines) == 1 and lines[0][0] == explanation_col - 1 and not rating_of(lines[0][1].text):
        line = text_value(lines[0][1].raw)  # alone in the rating column
        if opens_question and not (last and last["explanation"] and line.endswith("。")):
            pending.append(line)  # a question printed right of the row above (that row shifted left)
            return
        lines = [(explanation_col, lines[0][1])]  # an explanation line shifted left
    if any(i not in (question_col, explanation_col) for i, _ in lines):
        return
    for index, cell in lines:
        line = text_value(cell.raw)
        if not line:
            continue
        if index == question_col:
            if last is not None and not pending and (not last["question"].endswith("。") or _is_note(line)):
                last["question"] += line
            else:
                pending.append(line)
        elif last is not None and not pending:
            last["explanation"] = f"{last['explanation']}\n{line}" if last["explanation"] else line
