"""Every list in the templates reads as cards on a phone, or says why it stays a table.

A `<table` is written only by the `cards_table` macro (macros/tables.html); any other one
carries, on its own line or the line above, a comment `{# stays a table: why #}` (a matrix
read across on a desktop page). Inside a `cards_table` call every cell names its column
(`data-label`), or is the row's actions (`actions`) or an empty list's line (`empty`).
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[1] / "app"
MACRO = APP / "templates" / "macros" / "tables.html"
TEMPLATES = sorted(APP.rglob("templates/**/*.html"))
EXEMPTION = re.compile(r"\{#\s*stays a table:\s*\S.*#\}")
CALL = re.compile(r"\{%-?\s*call cards_table\(.*?\{%-?\s*endcall\s*-?%\}", re.S)
CELL = re.compile(r"<td\b[^>]*>")


def _relative(path: Path) -> str:
    return str(path.relative_to(APP))


def bare_tables(text: str) -> list[int]:
    """Line numbers of each `<table` with no exemption on its line or the line above."""
    lines = text.splitlines()
    return [n + 1 for n, line in enumerate(lines) if "<table" in line
            and not EXEMPTION.search(line) and not (n and EXEMPTION.search(lines[n - 1]))]


def unnamed_cells(text: str) -> list[str]:
    """Cells inside `cards_table` calls with neither data-label nor the class actions or empty."""
    return [cell for call in CALL.findall(text) for cell in CELL.findall(call)
            if "data-label=" not in cell and not re.search(r'class="[^"]*\b(actions|empty)\b', cell)]


def test_the_templates_are_found():
    assert MACRO in TEMPLATES and len(TEMPLATES) > 50


@pytest.mark.parametrize("path", [p for p in TEMPLATES if p != MACRO], ids=_relative)
def test_a_table_is_cards_or_says_why_not(path: Path):
    bare = bare_tables(path.read_text(encoding="utf-8"))
    assert not bare, f"{_relative(path)}: a <table> on line(s) {bare} is neither cards_table nor exempted"


@pytest.mark.parametrize("path", TEMPLATES, ids=_relative)
def test_every_card_cell_names_its_column(path: Path):
    unnamed = unnamed_cells(path.read_text(encoding="utf-8"))
    assert not unnamed, f"{_relative(path)}: cells without data-label, actions or empty: {unnamed}"


def test_the_checks_catch_a_plain_table_an_empty_reason_and_an_unnamed_cell():
    assert bare_tables('<div>\n<table class="table">') == [2]
    assert bare_tables("{# stays a table: #}\n<table>") == [2]
    assert bare_tables("{# stays a table: a matrix read across #}\n<table>") == []
    call = '{% call cards_table(["A"]) %}<tr><td>1</td><td data-label="A">2</td><td class="x actions">'
    assert unnamed_cells(call + "</td></tr>{% endcall %}") == ["<td>"]
