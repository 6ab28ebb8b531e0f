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


def test_the_templates_are_found():
    assert MACRO in TEMPLATES and len(TEMPLATES) > 50


@pytest.mark.parametrize("path", [p for p in TEMPLATES if p != MACRO], ids=_relative)
def test_a_table_is_cards_or_says_why_not(path: Path):
    lines = path.read_text(encoding="utf-8").splitlines()
    bare = [n + 1 for n, line in enumerate(lines) if "<table" in line
            and not EXEMPTION.search(line) and not (n and EXEMPTION.search(lines[n - 1]))]
    assert not bare, f"{_relative(path)}: a <table> on line(s) {bare} is neither cards_table nor exempted"


@pytest.mark.parametrize("path", TEMPLATES, ids=_relative)
def test_every_card_cell_names_its_column(path: Path):
    text = path.read_text(encoding="utf-8")
    unnamed = [cell for call in CALL.findall(text) for cell in CELL.findall(call)
               if "data-label=" not in cell and not re.search(r'class="[^"]*\b(actions|empty)\b', cell)]
    assert not unnamed, f"{_relative(path)}: cells without data-label, actions or empty: {unnamed}"


def test_the_checks_catch_a_plain_table_and_an_unnamed_cell():
    plain = ["<div>", '<table class="table">']
    assert "<table" in plain[1] and not EXEMPTION.search(plain[1]) and not EXEMPTION.search(plain[0])
    assert EXEMPTION.search("{# stays a table: a matrix read across on a desktop #}")
    assert not EXEMPTION.search("{# stays a table: #}")
    call = '{% call cards_table(["A"]) %}<tr><td>1</td><td data-label="A">2</td></tr>{% endcall %}'
    cells = [c for m in CALL.findall(call) for c in CELL.findall(m) if "data-label=" not in c]
    assert cells == ["<td>"]
