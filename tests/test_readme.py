"""Keep the README honest: its quick start and commands exist as written."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from flows.cli import app
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_quick_start_is_make_run_then_make_test():
    block = README.split("## Quick start", 1)[1].split("```")[1]
    commands = [line.split("#")[0].strip() for line in block.strip().splitlines()]
    assert commands == ["make run", "make test"]
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^run:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_every_cli_command_in_the_readme_exists():
    used = set(re.findall(r"review-sheets (\w+)", README))
    assert {"build", "query", "dq", "status"} <= used
    runner = CliRunner()
    for command in used:
        result = runner.invoke(app, [command, "--help"])
        assert result.exit_code == 0, f"README mentions `review-sheets {command}`, which does not exist"
        assert "Example:" in result.output


def test_linked_docs_exist():
    for link in re.findall(r"\]\((docs/[^)]+)\)", README):
        page, _, anchor = link.partition("#")
        assert (ROOT / page).exists(), link
        if anchor:  # GitHub's anchor of a heading: lower case, spaces to hyphens
            headings = re.findall(r"^#+ (.+)$", (ROOT / page).read_text(encoding="utf-8"), re.M)
            assert anchor in {h.strip().lower().replace(" ", "-") for h in headings}, link


def test_links_within_the_readme_name_its_headings():
    anchors = re.findall(r"\]\(#([^)]+)\)", README)
    headings = {h.strip().lower().replace(" ", "-") for h in re.findall(r"^#+ (.+)$", README, re.M)}
    assert anchors and set(anchors) <= headings, set(anchors) - headings


def test_every_check_name_is_documented():
    """docs/checks.md names every check a dq_issue row can carry."""
    import re as _re

    from expectations.rules import RULES, WAREHOUSE_RULES

    page = (ROOT / "docs" / "checks.md").read_text(encoding="utf-8")
    source = "\n".join(p.read_text(encoding="utf-8") for folder in ("transforms", "expectations", "flows", "warehouse")
                       for p in (ROOT / folder).rglob("*.py"))
    emitted = set(_re.findall(r'(?:warn|error)\(\s*"([a-z_]+)"', source))
    emitted |= set(_re.findall(r'Issue\("([a-z_]+)"', source))
    emitted |= set(_re.findall(r'_sql\(table, "([a-z_]+)"', source))
    emitted |= set(_re.findall(r'"check_name": "([a-z_]+)"', source))
    emitted |= set(_re.findall(r'_issue\([^,()]+, "([a-z_]+)"', source))
    emitted |= {f"{prefix}.<column>" for prefix in ("not_null", "in_domain", "year_range")}
    emitted |= {rule.check_name for rule in RULES + WAREHOUSE_RULES}
    from transforms.schema import SHEET_TABLES

    staged = {table.name for table in SHEET_TABLES}  # foreign keys are checked between staged tables
    emitted |= {f"{target}_fk" for table in SHEET_TABLES for _, target, _ in table.foreign_keys if target in staged}
    assert len(emitted) > 25
    missing = {name for name in emitted if f"`{name}`" not in page}
    assert not missing, f"add to docs/checks.md: {sorted(missing)}"
