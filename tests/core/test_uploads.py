"""Keeping an upload from its preview to its confirmation: once, for an hour, swept after."""
from __future__ import annotations

import os
import time

import pytest

from app.core import uploads
from app.core.errors import InvalidInput


def test_a_kept_upload_can_be_taken_once(upload_dir):
    token = uploads.keep_upload(b"contents")
    assert uploads.take_upload(token) == b"contents"
    with pytest.raises(InvalidInput):
        uploads.take_upload(token)
    assert list(upload_dir.iterdir()) == []


@pytest.mark.parametrize("token", ["", "nope", "../../etc/passwd", "a" * 43, "a/" * 20])
def test_an_unknown_or_malformed_token_is_refused(upload_dir, token):
    with pytest.raises(InvalidInput, match="upload"):
        uploads.take_upload(token)


def test_an_upload_older_than_an_hour_is_refused_and_removed(upload_dir):
    token = uploads.keep_upload(b"contents")
    old = time.time() - uploads.UPLOAD_MAX_AGE_S - 5
    os.utime(upload_dir / f"{token}.xlsx", (old, old))
    with pytest.raises(InvalidInput):
        uploads.take_upload(token)
    assert list(upload_dir.iterdir()) == []


def test_keeping_an_upload_sweeps_stale_ones_but_no_other_file(upload_dir):
    stale = uploads.keep_upload(b"old")
    old = time.time() - uploads.UPLOAD_MAX_AGE_S - 5
    os.utime(upload_dir / f"{stale}.xlsx", (old, old))
    other = upload_dir / "photo.jpg"
    other.write_bytes(b"jpeg")
    os.utime(other, (old, old))
    fresh = uploads.keep_upload(b"new")
    assert sorted(path.name for path in upload_dir.iterdir()) == sorted([f"{fresh}.xlsx", "photo.jpg"])
