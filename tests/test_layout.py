"""Every feature package keeps a true table of contents in its `__init__.py` docstring.

The format, the same in every package and sub-package (routes/, forms/, services/, api/):

    Contents:
        models.py        what it holds, in a few words
        routes/          a sub-package (it has its own Contents)
        templates/       the package's templates

One entry a line, indented four spaces: a module (`name.py`) or a folder (`name/`), then the
words; a longer text goes on lines indented further. The block ends at a blank line. A
package with no module yet says `(nothing yet)`.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"
FEATURES = ["accounts", "orgs", "notifications", "scheduling", "judges", "competitions", "trainings", "scoring",
            "jobs", "api", "core"]
ENTRY = re.compile(r"^    (?P<name>[a-z_][a-z0-9_]*(?:\.py|/))(?:\s|$)")
CONTINUATION = re.compile(r"^     ")
NOTHING_YET = "    (nothing yet)"


def contents_of(package: Path) -> list[str] | None:
    """The names the package's Contents block lists, or None when it has no such block."""
    docstring = ast.get_docstring(ast.parse((package / "__init__.py").read_text(encoding="utf-8")), clean=False)
    lines = (docstring or "").splitlines()
    if "Contents:" not in [line.strip() for line in lines]:
        return None
    start = [line.strip() for line in lines].index("Contents:") + 1
    names = []
    for line in lines[start:]:
        if not line.strip():
            break
        match = ENTRY.match(line)
        if match:
            names.append(match["name"])
        elif not CONTINUATION.match(line) and line != NOTHING_YET:
            raise AssertionError(f"{package.relative_to(APP.parent)}/__init__.py: {line!r} is not a Contents "
                                 f"entry (four spaces, then name.py or name/, then the words)")
    return names


def present_in(package: Path) -> set[str]:
    """The modules and folders that sit in the package (caches and __init__ aside)."""
    found = set()
    for child in package.iterdir():
        if child.is_file() and child.suffix == ".py" and child.name != "__init__.py":
            found.add(child.name)
        elif child.is_dir() and child.name != "__pycache__":
            found.add(child.name + "/")
    return found


def packages() -> list[Path]:
    """Every feature package and every package inside one."""
    found = []
    for feature in FEATURES:
        root = APP / feature
        found += [init.parent for init in sorted(root.rglob("__init__.py")) if "templates" not in init.parts]
    return found


@pytest.mark.parametrize("package", packages(), ids=lambda p: str(p.relative_to(APP.parent)))
def test_package_contents_name_exactly_its_modules(package: Path):
    listed = contents_of(package)
    where = f"{package.relative_to(APP.parent)}/__init__.py"
    assert listed is not None, f"{where} has no 'Contents:' block in its docstring"
    assert len(listed) == len(set(listed)), f"{where} names a module twice: {sorted(listed)}"
    present = present_in(package)
    missing = sorted(set(listed) - present)
    unlisted = sorted(present - set(listed))
    assert not missing, f"{where} lists what is not there: {missing}"
    assert not unlisted, f"{where} does not list: {unlisted}"


@pytest.mark.parametrize("feature", ["accounts", "orgs", "notifications", "scheduling", "judges", "competitions", "scoring",
                                     "jobs"])
def test_a_feature_with_pages_has_the_one_shape(feature: str):
    root = APP / feature
    for part in ("routes", "forms", "services"):
        assert (root / part / "__init__.py").is_file(), f"app/{feature}/{part}/ is not a package"
    assert (root / "api.py").is_file() or (root / "api" / "__init__.py").is_file(), f"app/{feature} has no api"
    assert (root / "templates" / feature).is_dir(), f"app/{feature} has no templates/{feature}/"
