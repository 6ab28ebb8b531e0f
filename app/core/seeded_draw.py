"""Seeded draws (抽签): a line of items nobody can steer without the seed and anybody with it
can recompute, for the judge draw today and the station draw next.

- `rank_key` — an item's place in line is HMAC-SHA256 keyed by the seed over "<label>:<id>";
  the label names the algorithm (`RANK_V1`) and is stored with every draw, so a recorded
  draw is recomputed by the same rule years later;
- `seeded_order` — items in ascending rank_key order, whatever order they come in;
- `new_seed` — 32 bytes from the operating system's secure random source, as hex;
- `normalise_seed` — a seed typed in front of witnesses, as a draw uses it;
- `choose_seed` — the secure seed, or the typed one with the witnesses who saw it typed.

Standard library only: no Flask, no database, no clock and no `random` (its algorithms are
not promised across Python versions). Refusals are ValueErrors; callers word them.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

Item = TypeVar("Item")

RANK_V1 = "hmac-sha256-rank/v1"
MAX_SEED_LENGTH = 200
MAX_WITNESSES = 1000   # characters of the witnesses' names, as typed


def rank_key(seed: str, item_id: int | str, label: str = RANK_V1) -> bytes:
    """An item's place in line: HMAC-SHA256 keyed by the seed (UTF-8) over "<label>:<item_id>"."""
    return hmac.new(seed.encode("utf-8"), f"{label}:{item_id}".encode("utf-8"), hashlib.sha256).digest()


def seeded_order(items: Iterable[Item], seed: str, id_of: Callable[[Item], int | str],
                 label: str = RANK_V1) -> list[Item]:
    """`items` in ascending rank_key order of their ids (ties, which SHA-256 will not produce, by id)."""
    return sorted(items, key=lambda item: (rank_key(seed, id_of(item), label), id_of(item)))


def new_seed() -> str:
    """A fresh seed: 32 bytes from the secure random source, as 64 hex characters."""
    return secrets.token_hex(32)


def normalise_seed(text: str) -> str:
    """A seed typed in front of witnesses, as the draw will use it (NFKC, so a full-width １
    is a 1, and stripped); raises ValueError if it is empty or longer than MAX_SEED_LENGTH."""
    if not isinstance(text, str):
        raise ValueError("the seed must be text")
    seed = unicodedata.normalize("NFKC", text).strip()
    if not seed:
        raise ValueError("the seed is empty")
    if len(seed) > MAX_SEED_LENGTH:
        raise ValueError(f"the seed is longer than {MAX_SEED_LENGTH} characters")
    try:
        seed.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError("the seed is not valid text") from None
    return seed


@dataclass(frozen=True)
class Seed:
    """The seed a draw uses: `is_witnessed` when typed in front of `witnesses`, else secure random."""

    value: str
    is_witnessed: bool
    witnesses: str | None


class SeedRefused(ValueError):
    """A seed or its witnesses cannot be used. `field` is "seed" or "witnesses"; `reason` is
    "too_long" (witnesses over MAX_WITNESSES), "invalid" (a typed seed normalise_seed refuses)
    or "missing" (a typed seed with nobody named as witness)."""

    def __init__(self, field: str, reason: str):
        super().__init__(field, reason)
        self.field = field
        self.reason = reason


def choose_seed(*, witnessed: bool, typed: str | None = None, witnesses: str | None = None) -> Seed:
    """A new secure seed, or (`witnessed`) the typed seed normalised; the witnesses' names with
    runs of spaces made one, or None when blank. A typed seed needs witnesses; a secure one
    may name them too. Raises SeedRefused, witnesses' length checked first."""
    names = " ".join((witnesses or "").split()) or None
    if names is not None and len(names) > MAX_WITNESSES:
        raise SeedRefused("witnesses", "too_long")
    if not witnessed:
        return Seed(new_seed(), False, names)
    try:
        seed = normalise_seed(typed or "")
    except ValueError:
        raise SeedRefused("seed", "invalid") from None
    if names is None:
        raise SeedRefused("witnesses", "missing")
    return Seed(seed, True, names)
