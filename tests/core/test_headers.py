"""Security headers on every route (app.core.headers), walked from the URL map as the route
matrix does, asked by nobody and by a signed-in administrator; and templates that need no
inline script, so the Content-Security-Policy can forbid it.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select, update

from app.core import headers, permissions
from tests.matrix_judges import CHIEF_JUDGE, SEATED_JUDGE
from tests.matrix_support import World, argument_values, build_url, build_world, client_for, route_cases, send

CASES = route_cases()
# The pages that scan admission tickets' QR codes with the phone's camera.
CAMERA_ENDPOINTS = {"competitions.check_in", "competitions.check_in_event", "competitions.door"}
APP_DIR = Path(__file__).resolve().parents[2] / "app"


def header_problems(response, *, signed_in: bool, camera: bool, https: bool) -> list[str]:
    problems = []
    got = response.headers
    if got.get("Content-Security-Policy") != headers.CONTENT_SECURITY_POLICY:
        problems.append(f"Content-Security-Policy is {got.get('Content-Security-Policy')!r}")
    expected_permissions = headers.CAMERA_PERMISSIONS_POLICY if camera else headers.PERMISSIONS_POLICY
    if got.get("Permissions-Policy") != expected_permissions:
        problems.append(f"Permissions-Policy is {got.get('Permissions-Policy')!r}, not {expected_permissions!r}")
    if got.get("X-Content-Type-Options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    if https and got.get("Strict-Transport-Security") != headers.STRICT_TRANSPORT_SECURITY:
        problems.append(f"Strict-Transport-Security is {got.get('Strict-Transport-Security')!r}")
    if not https and "Strict-Transport-Security" in got:
        problems.append("Strict-Transport-Security without HTTPS-only cookies")
    if signed_in and "no-store" not in (got.get("Cache-Control") or ""):
        problems.append(f"signed in, but Cache-Control is {got.get('Cache-Control')!r}")
    if response.status_code == 429 and not (got.get("Retry-After") or "").isdigit():
        problems.append("a 429 without Retry-After")
    return problems


@pytest.fixture
def world(app) -> World:
    return build_world(app)


@pytest.mark.parametrize("https", [True, False], ids=["https-only-cookies", "plain-http"])
def test_every_route_answers_with_the_security_headers(app, world, monkeypatch, https):
    monkeypatch.setitem(app.config, "SESSION_COOKIE_SECURE", https)
    base_url = "https://localhost" if https else "http://localhost"
    admin = world.users[World.ADMIN]
    # A page only a relation opens (a panel's own pages) is walked by one who stands in them all.
    chief, seated = world.users[CHIEF_JUDGE], world.users[SEATED_JUDGE]
    problems = []
    # Reading requests first, then the API's writes, then the pages': the admin's empty POSTs
    # that pass validation change the world (one revokes the admin's own API token).
    with app.test_request_context():
        relation_endpoints = {c.endpoint for c in CASES if permissions.rule_for(c.endpoint).kind == "relation"}
    # The judges' own routes first, their API writes last of them (the chief may decline their
    # seat there), then everyone else's: an admin's write may take the chief off their panel.
    def walk_order(c):
        if c.endpoint in relation_endpoints:
            return (0, c.method != "GET", c.is_api)
        return (1, c.method != "GET", not c.is_api)

    for case in sorted(CASES, key=walk_order):
        by_relation = case.endpoint in relation_endpoints
        if by_relation:
            _reseat_chief(app, chief)
        for who in (None, chief if by_relation else admin):
            kwargs = {"json": {}} if case.sends_body and case.is_api else {"data": {}} if case.sends_body else {}
            url = build_url(case, argument_values(case, world, "A", who))
            response = send(app, client_for(app, who), case, url, who, base_url=base_url, **kwargs)
            if by_relation and who is not None and response.status_code in (401, 403):
                who = seated  # a page of the marking judges (their chief does not mark)
                url = build_url(case, argument_values(case, world, "A", who))
                response = send(app, client_for(app, who), case, url, who, base_url=base_url, **kwargs)
            if who is not None and response.status_code in (401, 403):
                problems.append(f"{case.id} as {who.key}: {response.status_code}, the walk did not reach the page")
            signed_in = who is not None and case.endpoint not in headers.SHARED_FILE_ENDPOINTS
            for problem in header_problems(response, signed_in=signed_in, https=https,
                                           camera=case.endpoint in CAMERA_ENDPOINTS):
                problems.append(f"{case.id} as {'admin' if who else 'anonymous'} ({response.status_code}): {problem}")
    assert not problems, "\n".join(problems)


def _reseat_chief(app, chief) -> None:
    """The walk's earlier writes may have taken the chief off their panel (a decline, a
    removal): put them back, so their panel's pages open to them."""
    from app.accounts.models import User
    from app.extensions import db
    from app.judges.models import JudgeProfile, MemberStatus, PanelMember, PanelRole

    with app.app_context():
        profile_id = db.session.scalar(select(JudgeProfile.id).join(User, User.person_id == JudgeProfile.person_id)
                                       .where(User.id == chief.id))
        db.session.execute(update(PanelMember).where(PanelMember.profile_id == profile_id)
                           .values(status=MemberStatus.ACCEPTED, role=PanelRole.CHIEF))
        db.session.commit()


def test_static_files_and_the_api_document_carry_the_headers_and_stay_cacheable(app, world):
    admin = world.users[World.ADMIN]
    client = client_for(app, admin)
    for url in ("/static/app.css", "/static/js/forms.js"):
        response = client.get(url)
        assert response.status_code == 200
        assert response.headers["Content-Security-Policy"] == headers.CONTENT_SECURITY_POLICY
        assert "no-store" not in (response.headers.get("Cache-Control") or "")
        response.close()
    document = client.get("/api/v1/openapi.json")
    assert document.headers["Content-Security-Policy"] == headers.CONTENT_SECURITY_POLICY


def test_policy_allows_no_inline_script_and_no_eval():
    script_src = next(part for part in headers.CONTENT_SECURITY_POLICY.split("; ") if part.startswith("script-src"))
    assert script_src == "script-src 'self'"
    assert "frame-ancestors 'none'" in headers.CONTENT_SECURITY_POLICY


def test_rate_limited_request_carries_retry_after(client, db):
    for _ in range(5):
        client.post("/password/forgot", data={"identifier": "nobody-here"})
    response = client.post("/password/forgot", data={"identifier": "nobody-here"})
    assert response.status_code == 429
    assert 0 < int(response.headers["Retry-After"]) <= 61  # the minute's window, rounded up


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_ATTRIBUTE = re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.IGNORECASE)


@pytest.mark.no_database
def test_no_template_has_inline_script():
    """The policy would block it in the browser; this names the template before anyone opens it."""
    templates = sorted(APP_DIR.rglob("*.html"))
    assert templates
    offenders = []
    for template in templates:
        text = template.read_text("utf-8")
        for pattern, what in ((INLINE_SCRIPT, "a <script> without src"), (EVENT_ATTRIBUTE, "an on…= attribute"),
                              (JAVASCRIPT_URL, "a javascript: URL")):
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                offenders.append(f"{template.relative_to(APP_DIR)}:{line}: {what} (use a file in app/static/js/)")
    assert not offenders, "\n".join(offenders)


def test_favicon_is_a_real_icon_that_browsers_may_keep(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert "max-age" in response.headers["Cache-Control"]
    assert response.data[:4] == b"\x00\x00\x01\x00"  # the ICO file signature
    assert response.mimetype in ("image/vnd.microsoft.icon", "image/x-icon")
