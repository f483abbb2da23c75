"""Which ledger rows an account may see: no one sees rows outside their region."""

from __future__ import annotations

from ..db.models import Entry, Region
from ..domain.roles import Role
from .errors import PermissionDenied, ServiceError
from .types import Actor

# How many leading digits of a region code name its area, by level.
_PREFIX_LEN = {"province": 2, "city": 4, "county": 6}


def _prefix(actor: Actor) -> str:
    return actor.region[:actor.role.scope_digits]


def _region_prefix(p: str):
    """Rows whose county code starts with `p`; a range on `region` keeps the index usable."""
    if len(p) == 6:
        return Entry.region == p
    return (Entry.region >= p) & (Entry.region < str(int(p) + 1).zfill(len(p)))


def entry_scope(actor: Actor):
    """A peewee expression selecting the actor's rows."""
    if actor.role is Role.SCHOOL:
        return Entry.school == actor.school_id
    return _region_prefix(_prefix(actor))


def region_in_scope(actor: Actor, region_code: str) -> bool:
    if actor.role is Role.SCHOOL:
        return False
    return region_code.startswith(_prefix(actor))


def narrowed_scope(actor: Actor, region: str | None):
    """The actor's scope, and within it `region` (a province, city or county code)."""
    cond = entry_scope(actor)
    if not region:
        return cond
    r = Region.get_or_none(Region.code == region)
    if r is None or r.level not in _PREFIX_LEN:
        raise ServiceError(f"“{region}”不是省、市或县级区划代码；请使用如 411328（唐河县）的 6 位代码")
    if not region_in_scope(actor, region):
        raise PermissionDenied(f"{r.full_name}（{region}）不在您的管辖范围（{actor.region_name}）内，不能导出")
    return cond & _region_prefix(region[:_PREFIX_LEN[r.level]])
