"""Which rows an export may contain: the account's region, optionally narrowed by --region."""

from __future__ import annotations

from ..db.models import Entry, Region
from ..services.errors import PermissionDenied, ServiceError
from ..services.scope import entry_scope, region_in_scope
from ..services.types import Actor

_PREFIX_LEN = {"province": 2, "city": 4, "county": 6}


def export_scope(actor: Actor, region: str | None):
    """A peewee condition: the actor's scope, and within it ``region`` (a province, city or county)."""
    cond = entry_scope(actor)
    if not region:
        return cond
    r = Region.get_or_none(Region.code == region)
    if r is None or r.level not in _PREFIX_LEN:
        raise ServiceError(f"“{region}”不是省、市或县级区划代码；请使用如 411328（唐河县）的 6 位代码")
    if not region_in_scope(actor, region):
        raise PermissionDenied(f"{r.full_name}（{region}）不在您的管辖范围（{actor.region_name}）内，不能导出")
    p = region[:_PREFIX_LEN[r.level]]
    if len(p) == 6:
        return cond & (Entry.region == p)
    upper = str(int(p) + 1).zfill(len(p))
    return cond & (Entry.region >= p) & (Entry.region < upper)
