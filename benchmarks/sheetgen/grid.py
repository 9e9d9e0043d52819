"""Rows, sections and fact rows: what every section writer produces, and the
`Context` it writes with (model, layout, facts, random streams, cell-level noise)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from transforms.schema import SHEET_TABLES

from .eras import bare_label, header_labels
from .layouts import FormFamily
from .model import SheetModel
from .printed import DASH, FULLWIDTH, Printed

# Columns the parser fills from the file, not from what the sheet prints.
NOT_PRINTED_COLUMNS = {"project_key", "project_id", "source_path", "source_sha256", "source_format"}
FACT_COLUMNS: dict[str, list[str]] = {
    table.name: [c for c in table.column_names if c not in NOT_PRINTED_COLUMNS] for table in SHEET_TABLES
}
DASH_VARIANTS = ("―", "－", "ー")
HEADING_FULLWIDTH = str.maketrans("():", "（）：")


@dataclass
class Row:
    """One line of the sheet: its cells, and whether noise may shift it one cell left."""

    cells: list[str]
    shiftable: bool = False

    @property
    def text(self) -> str:
        if any("\n" in c or "\t" in c for c in self.cells):
            raise ValueError(f"a cell holds a line break or tab: {self.cells}")
        return "\t".join(self.cells)


@dataclass
class Section:
    """A block of rows; `movable` sections (after the activity block) may be reordered."""

    key: str
    rows: list[Row]
    movable: bool = False


class Facts:
    """Rows per contract table, each with exactly the printed columns of the schema."""

    def __init__(self) -> None:
        self.tables: dict[str, list[dict]] = {name: [] for name in FACT_COLUMNS}

    def add(self, table: str, **values) -> None:
        unknown = set(values) - set(FACT_COLUMNS[table])
        if unknown:
            raise KeyError(f"{table}: unknown columns {sorted(unknown)}")
        self.tables[table].append({column: values.get(column) for column in FACT_COLUMNS[table]})


def bold(label: str) -> str:
    return f"<b>{label}</b>"


def cell(text: str | None) -> str:
    """A prose cell: blank for None, in-cell line breaks as `<br>`."""
    return "" if text is None else text.replace("\n", "<br>")


def fact_text(text: str | None) -> str | None:
    """The value a text cell stands for: the print itself (`-` included), None when blank."""
    return None if text in (None, "") else text


def pad(cells: list[str], width: int) -> list[str]:
    return cells + [""] * (width - len(cells))


@dataclass
class Context:
    """What a section writer needs: the model, its layout, the facts and randomness."""

    model: SheetModel
    family: FormFamily
    facts: Facts
    seed_key: str
    noise: frozenset[str]
    texts: dict
    show_request: bool
    project: dict = field(default_factory=dict)
    invent_lineage: bool = True  # a plausible history when the record names none

    def rng(self, part: str) -> random.Random:
        """A random stream of its own per section: noise never changes the content."""
        return random.Random(f"{self.seed_key}|{part}")

    def __post_init__(self) -> None:
        self._noise_rng = self.rng("noise-cells")
        self.noise_used: set[str] = set()

    def _fullwidth(self, text: str, table: dict) -> str:
        if "fullwidth_digits" in self.noise and self._noise_rng.random() < 0.6:
            changed = text.translate(table)
            if changed != text:
                self.noise_used.add("fullwidth_digits")
            return changed
        return text

    def num(self, printed: Printed) -> Printed:
        """A numeric cell after cell-level noise (fullwidth digits, dash variants)."""
        text = printed.text
        if text == DASH and "dash_variants" in self.noise and self._noise_rng.random() < 0.5:
            text = self._noise_rng.choice(DASH_VARIANTS)
            self.noise_used.add("dash_variants")
        return Printed(self._fullwidth(text, FULLWIDTH), printed.value)

    def heading(self, label: str) -> str:
        """A bold section heading, sometimes with fullwidth brackets under that noise."""
        return bold(self._fullwidth(label, HEADING_FULLWIDTH))

    def year_label(self, text: str) -> str:
        return self._fullwidth(text, FULLWIDTH)

    def year_headers(self, years: list[int]) -> list[str]:
        labels = header_labels(years, self.family.header_first_era, self.family.heisei_only)
        return [self.year_label(label) for label in labels]

    def bare(self, fiscal_year: int, suffix: str = "年度") -> str:
        return bare_label(fiscal_year, self.family.heisei_only, suffix)
