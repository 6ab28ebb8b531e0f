"""The pieces every printed document shares (app.core.documents): the CJK font, wrapping,
QR codes, signed tokens and A4 pages."""
from __future__ import annotations

import base64
import io
import json
import logging
import os
import shutil
import subprocess
import time

import pytest
import qrcode
from hypothesis import example, given, settings, strategies as st
from PIL import Image
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from app.core.documents import fonts, pdf, qr, tokens
from app.core.documents.text import wrap

CHINESE_SAMPLE = "准考证 姓名 证件号码 工作单位 欧阳娜娜 华东电力 全国职工职业技能大赛 检录二维码 考生须知 结业证书 荣誉证书"


def need_tool(tool: str) -> None:
    """Skip when a Debian tool is missing (`make system-packages` installs them); on CI, fail."""
    if shutil.which(tool) is not None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{tool} not installed; CI must run this test")
    pytest.skip(f"{tool} not installed (`make system-packages`)")


def need_truetype_font() -> str:
    font = fonts.font_name()
    if font != fonts.TRUETYPE_FONT:
        if os.environ.get("CI") == "true":
            pytest.fail("fonts-wqy-zenhei not installed; CI must run this test")
        pytest.skip("fonts-wqy-zenhei not installed (`make system-packages`)")
    return font


# --- the font ------------------------------------------------------------------------------

def test_the_truetype_font_has_a_glyph_for_every_character_of_chinese_documents():
    need_truetype_font()
    assert fonts.missing_glyphs(CHINESE_SAMPLE) == set()


def test_a_character_the_font_lacks_is_named():
    need_truetype_font()
    assert fonts.missing_glyphs("王𠀀") == {"𠀀"}   # CJK extension B: beyond WenQuanYi Zen Hei


def test_without_a_truetype_font_the_builtin_cid_font_is_registered_with_a_warning(monkeypatch, caplog):
    monkeypatch.setattr(fonts, "CJK_FONT_PATHS", ("/nonexistent/wqy-zenhei.ttc",))
    monkeypatch.setattr(fonts, "_font_name", None)
    monkeypatch.setattr(logging.getLogger(fonts.__name__), "disabled", False)  # Alembic's logging set-up
    with caplog.at_level(logging.WARNING, logger=fonts.__name__):
        assert fonts.font_name() == fonts.FALLBACK_FONT
    assert "install fonts-wqy-zenhei" in caplog.text
    assert fonts.missing_glyphs("王𠀀") == set()   # the reader's viewer supplies the glyphs


# --- wrapping ------------------------------------------------------------------------------

def width(text: str) -> float:
    return pdfmetrics.stringWidth(text, fonts.font_name(), 12)


def test_text_that_fits_is_one_line():
    assert wrap("全国职工职业技能大赛", fonts.font_name(), 12, 500) == ["全国职工职业技能大赛"]


def test_chinese_breaks_between_any_two_characters():
    text = "全国职工职业技能大赛焊工赛项决赛"
    lines = wrap(text, fonts.font_name(), 12, width("全国职工职"))
    assert lines == ["全国职工职", "业技能大赛", "焊工赛项决", "赛"]


def test_latin_text_breaks_at_spaces_and_keeps_words_whole():
    lines = wrap("Bring this ticket and your ID document", fonts.font_name(), 12, width("Bring this ticket"))
    assert lines == ["Bring this ticket", "and your ID", "document"]


@settings(max_examples=150, deadline=None)
@given(text=st.text(alphabet="技能大赛焊工电力 abcdefgXYZ-1234", min_size=1, max_size=80),
       points=st.integers(min_value=8, max_value=300))
@example(text="1 1-力", points=22)  # a carried word plus the next character once overflowed
def test_wrapped_lines_fit_and_lose_no_character_but_spaces(text, points):
    lines = wrap(text, fonts.font_name(), 12, points)
    assert lines
    assert all(width(line) <= points or len(line) == 1 for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


# --- QR codes ------------------------------------------------------------------------------

def scan(png: bytes, folder) -> str:
    need_tool("zbarimg")
    path = folder / "code.png"
    path.write_bytes(png)
    scanned = subprocess.run(["zbarimg", "--quiet", "--raw", str(path)], capture_output=True, text=True)
    assert scanned.returncode == 0, f"zbarimg found no code: {scanned.stderr}"
    return scanned.stdout.strip()


@pytest.mark.parametrize("text", ["eyJyIjo3LCJlIjozLCJuIjoiQTIwMjYtMDAxIn0.mQrf2-EoXtaFGpvPPjfTljPQyRs",
                                  "https://jiyi.example.org/certificates/verify/" + "Z" * 40])
def test_a_qr_code_decodes_to_its_text(text, tmp_path):
    assert scan(qr.qr_png(text), tmp_path) == text


def test_a_qr_code_uses_the_fixed_mask_and_whole_pixels_per_module():
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=qr.QUIET_ZONE_MODULES,
                         mask_pattern=qr.MASK_PATTERN)
    code.add_data("2026WA0001")
    code.make(fit=True)
    modules = len(code.get_matrix())
    image = Image.open(io.BytesIO(qr.qr_png("2026WA0001", pixels_per_module=3)))
    assert image.mode == "L" and image.size == (modules * 3, modules * 3)


# --- signed tokens -------------------------------------------------------------------------

TICKET = tokens.TokenKind(purpose="admission-ticket")
CHECK_IN = tokens.TokenKind(purpose="check-in-screen", max_age_s=300)


def test_a_token_gives_back_its_payload():
    for kind in (TICKET, CHECK_IN):
        assert tokens.read(kind, tokens.sign(kind, {"r": 1, "n": "考号"})) == {"r": 1, "n": "考号"}


def test_a_token_made_by_the_ticket_code_before_the_move_still_verifies():
    old = "eyJyIjo3LCJlIjozLCJuIjoiQTIwMjYtMDAxIn0.mQrf2-EoXtaFGpvPPjfTljPQyRs"
    assert tokens.read(TICKET, old) == {"r": 7, "e": 3, "n": "A2026-001"}


def test_a_tampered_token_is_refused():
    token = tokens.sign(TICKET, {"r": 1})
    body, signature = token.split(".")
    forged = base64.urlsafe_b64encode(json.dumps({"r": 2}).encode()).decode().rstrip("=")
    flipped = signature[:-2] + ("A" if signature[-2] != "A" else "B") + signature[-1]
    for bad in (f"{forged}.{signature}", f"{body}.{flipped}", token[:-1], "", "not a token", None):
        with pytest.raises(tokens.BadToken):
            tokens.read(TICKET, bad)


def test_a_token_of_another_purpose_or_another_key_is_refused():
    other = tokens.TokenKind(purpose="certificate")
    with pytest.raises(tokens.BadToken):
        tokens.read(other, tokens.sign(TICKET, {"r": 1}))
    with pytest.raises(tokens.BadToken):
        tokens.read(TICKET, tokens.sign(TICKET, {"r": 1}, secret="another system's secret key"))
    with pytest.raises(tokens.BadToken):
        tokens.read(TICKET, tokens.sign(CHECK_IN, {"r": 1}))   # a timed token is not an untimed one


def test_a_token_older_than_its_max_age_is_refused_as_expired(monkeypatch):
    token = tokens.sign(CHECK_IN, {"r": 1})
    now = time.time()
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: now + CHECK_IN.max_age_s - 5)
    assert tokens.read(CHECK_IN, token) == {"r": 1}
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: now + CHECK_IN.max_age_s + 5)
    with pytest.raises(tokens.ExpiredToken):
        tokens.read(CHECK_IN, token)


# --- pages ---------------------------------------------------------------------------------

def test_a_document_has_one_page_per_item_with_its_text(tmp_path):
    need_tool("pdftotext")
    font = fonts.font_name()

    def draw(canvas, name):
        pdf.centred(canvas, f"结业证书 {name}", pdf.PAGE_HEIGHT / 2, font, 20, 300)

    document = pdf.pages_pdf(["欧阳娜娜", "王小明"], draw, title="结业证书")
    path = tmp_path / "doc.pdf"
    path.write_bytes(document)
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True).stdout
    pages = text.split("\f")[:-1]
    assert len(pages) == 2 and "欧阳娜娜" in pages[0] and "王小明" in pages[1]


def test_centred_text_wraps_and_returns_the_next_free_baseline():
    canvas = Canvas(io.BytesIO())
    font = fonts.font_name()
    one = pdf.centred(canvas, "技能", 500, font, 10, 400)
    three = pdf.centred(canvas, "技能大赛" * 3, 500, font, 10, pdfmetrics.stringWidth("技能大赛", font, 10))
    assert one == 500 - 10 * pdf.LEADING and three == 500 - 3 * 10 * pdf.LEADING


@settings(max_examples=300, deadline=None)
@given(junk=st.text(max_size=120) | st.from_regex(r"[A-Za-z0-9_\-]{1,40}\.[A-Za-z0-9_\-]{1,40}(\.[A-Za-z0-9_\-]{1,9})?",
                                                   fullmatch=True))
def test_junk_is_refused_as_a_bad_token_and_nothing_else(junk):
    for kind in (TICKET, CHECK_IN):
        with pytest.raises(tokens.BadToken):
            tokens.read(kind, junk)
