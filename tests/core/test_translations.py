"""The Chinese catalogue is complete: every message in the code and templates has a
translation, with the same placeholders. (English is the message ids themselves.)"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "app/translations/zh_Hans_CN/LC_MESSAGES/messages.po"
METHODS = [("app/**.py", "python"), ("app/**/templates/**.html", "jinja2"), ("app/**/templates/**.txt", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")

pytestmark = pytest.mark.no_database


def _messages_in_code() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map=METHODS, keywords=KEYWORDS,
            options_map={"app/**/templates/**.html": {"extensions": "jinja2.ext.i18n"}}):
        found.add(message[0] if isinstance(message, tuple) else message)
    return {m for m in found if m}


def _catalogue():
    with CATALOGUE.open("rb") as handle:
        return read_po(handle, locale="zh_CN")


def test_every_message_has_a_chinese_translation():
    catalogue = _catalogue()
    translated = {}
    for entry in catalogue:
        if entry.id and not entry.fuzzy:
            key = entry.id[0] if isinstance(entry.id, (tuple, list)) else entry.id
            value = entry.string[0] if isinstance(entry.string, (tuple, list)) else entry.string
            if value:
                translated[key] = value
    missing = sorted(_messages_in_code() - set(translated))
    assert not missing, "untranslated (run `make extract-messages`, then translate): " + "; ".join(missing[:20])


def test_translations_keep_every_placeholder():
    for entry in _catalogue():
        if not entry.id:
            continue
        source = entry.id[0] if isinstance(entry.id, (tuple, list)) else entry.id
        target = entry.string[0] if isinstance(entry.string, (tuple, list)) else entry.string
        if target:
            assert set(PLACEHOLDER.findall(source)) == set(PLACEHOLDER.findall(target)), source


@pytest.mark.parametrize("cookie, expected", [("zh_CN", "技艺职业技能平台"), ("en", "Jiyi skills platform")])
def test_pages_are_served_in_the_chosen_language(app, cookie, expected):
    """Babel reads zh_CN as zh_Hans_CN: the catalogue must live where it is looked for."""
    client = app.test_client()
    client.set_cookie("lang", cookie)
    assert expected in client.get("/").get_data(as_text=True)


def test_chinese_is_the_default_language(app, monkeypatch):
    from app.config import DEFAULTS

    monkeypatch.setitem(app.config, "BABEL_DEFAULT_LOCALE", DEFAULTS["BABEL_DEFAULT_LOCALE"])
    assert "技艺职业技能平台" in app.test_client().get("/").get_data(as_text=True)
