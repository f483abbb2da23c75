"""Which ledger rows an account may see: no one sees rows outside their region."""

from __future__ import annotations

from ..db.models import Entry
from .types import Actor


def _prefix(actor: Actor) -> str:
    code = actor.region
    if actor.role in ("admin", "province"):
        return code[:2]
    if actor.role == "city":
        return code[:4]
    return code


def _next_prefix(p: str) -> str:
    return str(int(p) + 1).zfill(len(p))


def entry_scope(actor: Actor):
    """A peewee expression selecting the actor's rows; a range on `region` keeps the index usable."""
    if actor.role == "school":
        return Entry.school == actor.school_id
    p = _prefix(actor)
    if len(p) == 6:
        return Entry.region == p
    return (Entry.region >= p) & (Entry.region < _next_prefix(p))


def region_in_scope(actor: Actor, region_code: str) -> bool:
    if actor.role == "school":
        return False
    return region_code.startswith(_prefix(actor))
