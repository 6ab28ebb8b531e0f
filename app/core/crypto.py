"""Protecting ID numbers at rest: encryption to read them back, a keyed hash to find them.

Both keys derive from the DATA_KEY setting through HKDF with distinct labels, so one
secret is managed and the two uses never share a key. The keyed hash (HMAC-SHA256) lets
us refuse a duplicate person without storing or comparing the number itself.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app


@lru_cache(maxsize=8)
def _derive(data_key: str, label: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"jiyi", info=label).derive(data_key.encode())


def _fernet() -> Fernet:
    key = _derive(current_app.config["DATA_KEY"], b"id-number encryption")
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(plaintext: str) -> str:
    return _fernet().encrypt(plaintext.encode()).decode("ascii")


def decrypt(ciphertext: str) -> str:
    """The plaintext; raises ValueError when the data key does not fit."""
    try:
        return _fernet().decrypt(ciphertext.encode("ascii")).decode()
    except InvalidToken as exc:
        raise ValueError("ciphertext does not decrypt with the configured DATA_KEY") from exc


def keyed_hash(kind: str, value: str) -> str:
    """HMAC-SHA256 of `kind:value` under the data key, as hex (for unique indexes)."""
    key = _derive(current_app.config["DATA_KEY"], b"id-number hash")
    return hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
