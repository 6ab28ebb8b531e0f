"""Keeping an uploaded file from its preview to its confirmation.

An import is checked, shown, and only then confirmed; between the two the file waits on
disk under an unguessable token (`keep_upload`) and is claimed exactly once
(`take_upload`). Files older than an hour are refused and swept.
"""
from __future__ import annotations

import os
import re
import secrets
import time
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from app.core.errors import InvalidInput

UPLOAD_MAX_AGE_S = 60 * 60
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32,64}")
# The names keep_upload and take_upload give files; the sweep touches nothing else.
_KEPT_FILE = re.compile(r"[A-Za-z0-9_-]{32,64}(?:\.xlsx|\.partial|\.[0-9a-f]{16}\.claimed)")


def _upload_dir() -> Path:
    directory = Path(current_app.config.get("UPLOAD_DIR") or Path(current_app.instance_path) / "uploads")
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def keep_upload(data: bytes) -> str:
    """Keep `data` for a later `take_upload`; returns its unguessable token.

    The file lands under its final name only once it is whole (write, then rename), so a
    confirmation never reads half a file. Uploads older than an hour are swept here.
    """
    directory = _upload_dir()
    _sweep(directory)
    token = secrets.token_urlsafe(32)
    partial = directory / f"{token}.partial"
    partial.write_bytes(data)
    os.replace(partial, directory / f"{token}.xlsx")
    return token


def take_upload(token: str) -> bytes:
    """The bytes kept under `token`, which is used up. Raises InvalidInput when unknown or expired.

    The file is claimed by an atomic rename, so two confirmations of one upload (a double
    click, two tabs) cannot both get it.
    """
    gone = InvalidInput(_("This upload is no longer available (it was already imported, or it is more "
                          "than an hour old). Please upload the file again."), field="file")
    if not _TOKEN.fullmatch(token or ""):
        raise gone
    directory = _upload_dir()
    claimed = directory / f"{token}.{secrets.token_hex(8)}.claimed"
    try:
        os.rename(directory / f"{token}.xlsx", claimed)
    except FileNotFoundError:
        raise gone from None
    try:
        if time.time() - claimed.stat().st_mtime > UPLOAD_MAX_AGE_S:
            raise gone
        return claimed.read_bytes()
    finally:
        claimed.unlink(missing_ok=True)


def _sweep(directory: Path) -> None:
    cutoff = time.time() - UPLOAD_MAX_AGE_S
    for path in directory.iterdir():
        try:
            if _KEPT_FILE.fullmatch(path.name) and path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
        except OSError:  # another worker swept it first
            continue
