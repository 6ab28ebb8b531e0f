"""Imports between packages follow DESIGN.md's order, read from the code itself.

    jobs, api → certificates → scoring → competitions, trainings → judges → scheduling
    → accounts → orgs → notifications → core

A package imports only packages below it: never one above (upward), never another on its
own floor (sideways, e.g. competitions and trainings), so packages never import in a circle.
Every import counts, also one inside a function. `app/__init__.py` and `app/demo.py` wire
everything together and sit above the order; `app/extensions.py` and `app/config.py` count
as core. Where a lower package must learn something from a higher one, the higher one
registers a provider with it (see app.judges.services.facts).
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

APP = Path(__file__).resolve().parent.parent / "app"

# Floors from the top down; the packages on one floor may not import each other.
FLOORS: list[set[str]] = [
    {"jobs", "api"},
    {"certificates"},
    {"scoring"},
    {"competitions", "trainings"},
    {"judges"},
    {"scheduling"},
    {"accounts"},
    {"orgs"},
    {"notifications"},
    {"core"},
]
TOP = {"__init__", "demo"}  # app/__init__.py and app/demo.py: the wiring
AS_CORE = {"extensions", "config"}  # app/extensions.py, app/config.py: set-up every floor uses
FLOOR_OF = {package: index for index, floor in enumerate(FLOORS) for package in floor}


@dataclass(frozen=True)
class Import:
    where: str      # app/orgs/routes/units.py:9
    source: str     # the importing package: "orgs"
    target: str     # the imported package: "accounts"
    module: str     # what the line names: "app.accounts.models"

    def __str__(self) -> str:
        return f"{self.where} imports {self.module}"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(APP.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _absolute(node: ast.ImportFrom, path: Path) -> str:
    """The module a `from … import` names, relative imports resolved."""
    if not node.level:
        return node.module or ""
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    base = package[:len(package) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def _named_modules(node: ast.AST, path: Path) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        module = _absolute(node, path)
        if module == "app":  # `from app import config`: each name is a module of app
            return [f"app.{alias.name}" for alias in node.names]
        return [module]
    return []


def _package_of(path: Path) -> str:
    relative = path.relative_to(APP)
    package = relative.parts[0] if len(relative.parts) > 1 else relative.stem
    return "core" if package in AS_CORE else package


def imports_between_packages() -> list[Import]:
    """Every import in app/ from one package (or top-level module) of app to another."""
    found = []
    for path in sorted(APP.rglob("*.py")):
        source = _package_of(path)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            for module in _named_modules(node, path):
                parts = module.split(".")
                if parts[0] != "app" or len(parts) < 2:
                    continue
                target = "core" if parts[1] in AS_CORE else parts[1]
                if target != source:
                    found.append(Import(f"{path.relative_to(APP.parent)}:{node.lineno}", source, target, module))
    return found


def problem_of(imp: Import) -> str | None:
    """Why `imp` breaks the order, or None when it follows it."""
    if imp.source in TOP:
        return None
    for package in (imp.source, imp.target):
        if package not in FLOOR_OF and package not in TOP:
            return f"{imp}: app/{package} has no place in the order; add it to DESIGN.md and to FLOORS here"
    if imp.target in TOP:
        return f"{imp}: {imp.target} wires the application; nothing below it imports it"
    source_floor, target_floor = FLOOR_OF[imp.source], FLOOR_OF[imp.target]
    if target_floor < source_floor:
        return f"{imp}: upward ({imp.source} sits below {imp.target}); let {imp.target} register a provider instead"
    if target_floor == source_floor:
        return f"{imp}: sideways ({imp.source} and {imp.target} share a floor); move what both need down"
    return None


def test_the_reader_sees_imports_inside_functions_and_relative_ones():
    sources = {imp.where.split(":")[0] for imp in imports_between_packages() if imp.target == "accounts"}
    assert "app/__init__.py" in sources      # imported inside create_app's helpers
    assert "app/api/__init__.py" in sources  # imported inside init_api


def test_the_rule_refuses_upward_and_sideways_imports():
    assert problem_of(Import("x.py:1", "orgs", "accounts", "app.accounts.models")).endswith(
        "let accounts register a provider instead")
    assert "sideways" in problem_of(Import("x.py:1", "competitions", "trainings", "app.trainings.models"))
    assert problem_of(Import("x.py:1", "judges", "orgs", "app.orgs.models")) is None
    assert "no place in the order" in problem_of(Import("x.py:1", "newthing", "core", "app.core.time"))


def test_every_import_between_packages_follows_the_order():
    problems = [problem for imp in imports_between_packages() if (problem := problem_of(imp))]
    assert not problems, "imports against DESIGN.md's order:\n" + "\n".join(problems)


def test_packages_never_import_in_a_circle():
    edges: dict[str, dict[str, Import]] = {}
    for imp in imports_between_packages():
        edges.setdefault(imp.source, {}).setdefault(imp.target, imp)

    def circle_from(start: str, path: list[str]) -> list[str] | None:
        for target in edges.get(path[-1], {}):
            if target == start:
                return path + [target]
            if target not in path:
                found = circle_from(start, path + [target])
                if found:
                    return found
        return None

    for package in sorted(edges):
        circle = circle_from(package, [package])
        if circle:
            steps = [str(edges[a][b]) for a, b in zip(circle, circle[1:])]
            raise AssertionError(f"{' → '.join(circle)}:\n" + "\n".join(steps))
