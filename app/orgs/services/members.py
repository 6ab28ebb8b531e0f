"""Who belongs to a unit, told by the package that owns people.

Orgs sit below accounts (DESIGN.md) and never import it. Accounts registers a provider at
import (app/accounts/services/unit_members.py) that answers `UnitMembers` for a unit: its
liaisons' names and how many people name it as theirs. The unit page asks `members_of`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from app.orgs.models import Organisation


@dataclass(frozen=True)
class UnitMembers:
    """A unit's people as its page shows them."""

    liaison_names: tuple[str, ...] = field(default_factory=tuple)
    people_count: int = 0


Provider = Callable[[Organisation], UnitMembers]
_provider: Provider | None = None


def register_unit_members(provider: Provider) -> Provider | None:
    """Install the function that answers UnitMembers for a unit. Returns the one it replaces,
    so a test can put it back."""
    global _provider
    previous, _provider = _provider, provider
    return previous


def members_of(org: Organisation) -> UnitMembers:
    """The unit's liaisons and head count now."""
    if _provider is None:
        raise RuntimeError("no unit members provider is registered (app.accounts registers one at import)")
    return _provider(org)
