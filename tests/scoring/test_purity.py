"""The arithmetic stays pure: its modules import only the standard library's decimal, dataclasses
and typing, and each other — no Flask, no database session, no clock — so a trainings assessment
can reuse it and a result can be recomputed years later."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ARITHMETIC = Path(__file__).resolve().parents[2] / "app" / "scoring" / "arithmetic"
ALLOWED = {"__future__", "dataclasses", "decimal", "typing"}


@pytest.mark.parametrize("module", sorted(ARITHMETIC.glob("*.py")), ids=lambda p: p.name)
def test_an_arithmetic_module_imports_nothing_impure(module: Path):
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
            [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
        for name in names:
            assert name.split(".")[0] in ALLOWED or name.startswith("app.scoring.arithmetic"), f"{module.name}: {name}"
