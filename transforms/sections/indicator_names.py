"""The name and goal of an indicator (`Indicator`): the lines the rows of an indicator
block print in its name and goal columns, read where the row prints them (`add_names`),
lines on rows of their own between two indicators (`LinesBetween`), and a goal printed
once for stacked indicators (`share_goals`).  `indicators` reads the blocks."""

from __future__ import annotations

from dataclasses import dataclass, field

from transforms.read import Row
from transforms.sections.context import SheetContext
from transforms.sections.indicator_header import Layout
from transforms.sections.text import text_value


@dataclass
class Indicator:
    """One indicator of a block while its rows are read: its name and goal lines, the
    measures seen (`indicators._opens_indicator`) and its value rows."""

    name_lines: list[str] = field(default_factory=list)
    goal_lines: list[str] = field(default_factory=list)
    measures: set[str] = field(default_factory=set)
    rows: list[dict] = field(default_factory=list)


def new_indicator(indicators: list[Indicator], layout: Layout) -> Indicator:
    """A new indicator appended to `indicators`, its name starting with the header's (測定指標)."""
    indicator = Indicator(name_lines=[layout.header_name] if layout.header_name else [])
    indicators.append(indicator)
    return indicator


def add_names(indicator: Indicator, row: Row, layout: Layout, offset: int, before: int) -> None:
    """The name and goal lines printed on `row` (shifted by `offset`) left of cell `before`.

    The header's name cell is merged over the name and label columns of the rows below;
    an export that prints it once shifts the header's 単位 and years one cell left, not
    its name or goal: a text column the shift would move onto the label stays left of it.
    """
    last_text = layout.last_text_column
    if last_text is None:
        return  # (no name or goal column)
    offset = min(offset, before - 1 - last_text)
    # a cell merged over two columns among the text columns (of the header, or of the row):
    # the text columns left of it are not shifted
    split = None
    if offset:  # (most rows: not shifted)
        split = layout.text_gap if offset < 0 else _row_text_gap(row, layout, before) if offset == 1 else None
    for column_at, lines in ((layout.name, indicator.name_lines), (layout.goal, indicator.goal_lines)):
        if column_at is None:
            continue
        at = column_at if split is not None and column_at < split else column_at + offset
        if 0 <= at < before:
            cell = row[at]
            if cell.text:  # (most rows: the name printed on an indicator's first row only)
                add_line(lines, cell.raw)


def _row_text_gap(row: Row, layout: Layout, before: int) -> int | None:
    """The one empty cell of a row shifted one cell right (its label at `before`) between
    its first text column and its label (`| goal | | name | 成果実績`: a cell merged over
    two columns), else None: with more, which one is merged the row does not tell."""
    first = min(i for i in (layout.name, layout.goal) if i is not None)
    empty = [i for i in range(first, before) if not row[i].text]
    return empty[0] if len(empty) == 1 else None


def add_line(lines: list[str], raw: str) -> None:
    text = text_value(raw)
    if text:
        lines.append(text)


def share_goals(indicators: list[Indicator]) -> None:
    """A goal cell merged over the rows of several stacked indicators prints once, on
    the first one's first row: an indicator of the block that prints no goal lines
    has the goal of the one above (定量的な成果目標 / 算出根拠 is the goal of each)."""
    for above, below in zip(indicators, indicators[1:]):
        if above.goal_lines and not below.goal_lines:
            below.goal_lines = list(above.goal_lines)


class LinesBetween:
    """Name or goal lines on rows of their own between two indicators' measure rows: the
    rest of the cell above (split over rows), or the top of the next indicator's cell,
    printed above its first measure row (平成24's one-row activity indicators).  The
    block tells when its first indicator's lines start above its measure rows (the next
    one's then too), or when the next indicator prints a line of its own in that column
    on its first row (they are the one above's); otherwise they stay the one above's,
    reported (`ambiguous_indicator`)."""

    def __init__(self, layout: Layout) -> None:
        self.header_lines = 1 if layout.header_name else 0  # the name lines every indicator starts with
        self.tells_above = layout.header_name_at is None  # (else a line above the rows may be the header's name)
        self.names_above = False  # the block's first indicator took lines before its first measure row
        self.kept: tuple[Indicator, int, int] | None = None  # (the indicator above, its name and goal lines before them)

    def other_row(self, before: Indicator | None, first: bool, after: Indicator | None, lines: tuple[int, int]) -> None:
        """Note what a row without measure label did: `before` and `after` the indicator
        before and after it, `first` whether the block had none before, `lines` the
        number of name and goal lines of `before` before the row."""
        if before is None:
            self.names_above |= first and after is not None and self.tells_above
        elif after is not before:
            self.kept = None  # (a note ended the indicator)
        elif after.measures and self.kept is None and (len(after.name_lines), len(after.goal_lines)) != lines:
            self.kept = (after, *lines)

    def place(self, above: Indicator | None, current: Indicator, row: Row, kind: str, ctx: SheetContext) -> None:
        """After the first measure row of `current` (`above`: the indicator before it, None
        when the row opened none): move the lines between to it, or report them."""
        kept, self.kept = self.kept, None
        if above is None or kept is None or kept[0] is not above:
            return
        for lines, since, own, start in ((above.name_lines, kept[1], current.name_lines, self.header_lines),
                                         (above.goal_lines, kept[2], current.goal_lines, 0)):
            between = lines[since:]
            if not between:
                continue
            if self.names_above:
                del lines[since:]
                own[start:start] = between
            elif len(own) == start:
                ctx.warn("ambiguous_indicator", f"{ctx.source_path}: {kind} line {row.number}: '{between[0][:40]}' "
                         "on a row of its own above may end the indicator above or begin this one, which prints no "
                         "line in its column; read as the one above's", "indicator", observed=between[0][:80])
