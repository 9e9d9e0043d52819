"""transforms/ stays pure: no orchestration, validation or storage imports."""

from __future__ import annotations

import ast
from pathlib import Path

FORBIDDEN = {"prefect", "great_expectations", "duckdb"}
TRANSFORMS = Path(__file__).resolve().parents[2] / "transforms"


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


def test_transforms_import_no_orchestration_or_storage():
    modules = sorted(TRANSFORMS.rglob("*.py"))
    assert len(modules) > 10
    offenders = {str(p.relative_to(TRANSFORMS)): imported_roots(p) & FORBIDDEN for p in modules}
    assert {k: v for k, v in offenders.items() if v} == {}
