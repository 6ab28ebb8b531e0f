"""The security headers of every response, set in one place.

- Content-Security-Policy: scripts only from this site's own files (app/static: ours and
  the vendored Bootstrap, jsQR and Swagger UI), never inline, never eval; no plug-ins; no
  framing; forms post only here. Templates carry no `<script>` body and no `on…=`
  attribute (app/static/js/forms.js gives `data-confirm` and `data-autosubmit` instead).
  Inline *style* attributes are still allowed: a few templates and Swagger UI use them,
  and a style cannot run code.
- Permissions-Policy: no camera, microphone or location, except the camera on the views
  marked `@uses_camera` (door check-in scans tickets' QR codes with the phone).
- Strict-Transport-Security when cookies are HTTPS-only (SESSION_COOKIE_SECURE): the site
  then runs on HTTPS only, and browsers should never try it over HTTP.
- Cache-Control: no-store on everything a signed-in person is answered (pages and API),
  so a shared computer's cache or back button never shows their data to the next person.
- Retry-After on every 429, also Flask-Limiter's.
"""
from __future__ import annotations

import math
import time

from flask import Flask, current_app, g, request
from flask_login import current_user

from app.extensions import limiter

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
_DENIED_FEATURES = ("microphone=()", "geolocation=()", "payment=()", "usb=()")
PERMISSIONS_POLICY = ", ".join(("camera=()", *_DENIED_FEATURES))
CAMERA_PERMISSIONS_POLICY = ", ".join(("camera=(self)", *_DENIED_FEATURES))
STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains"
# What a 429 asks a client to wait when the limit that refused it cannot say.
DEFAULT_RETRY_AFTER = 60
# Files that are the same for everyone: browsers may keep them whoever is signed in.
SHARED_FILE_ENDPOINTS = {"static", "core.favicon"}


def init_app(app: Flask) -> None:
    app.before_request(_note_who_asked)
    app.after_request(_security_headers)


def uses_camera(view):
    """Mark a view whose page may use the camera (put it right under the route decorator)."""
    view.uses_camera = True
    return view


def _is_shared_file() -> bool:
    endpoint = request.endpoint or ""
    return endpoint in SHARED_FILE_ENDPOINTS or endpoint.endswith(".static")


def _note_who_asked() -> None:
    # Signing out ends the session before the answer leaves: that answer is still theirs.
    if not _is_shared_file():
        g.asked_signed_in = current_user.is_authenticated


def _security_headers(response):
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    view = current_app.view_functions.get(request.endpoint or "")
    camera = getattr(view, "uses_camera", False)
    headers.setdefault("Permissions-Policy", CAMERA_PERMISSIONS_POLICY if camera else PERMISSIONS_POLICY)
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        headers.setdefault("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY)
    if not _is_shared_file() and (g.get("asked_signed_in") or current_user.is_authenticated):
        headers["Cache-Control"] = "no-store"
    if response.status_code == 429 and "Retry-After" not in headers:
        headers["Retry-After"] = str(_seconds_until_limit_resets())
    return response


def _seconds_until_limit_resets() -> int:
    limit = limiter.current_limit if limiter.enabled else None
    if limit is None:
        return DEFAULT_RETRY_AFTER
    return max(1, math.ceil(limit.reset_at - time.time()))
