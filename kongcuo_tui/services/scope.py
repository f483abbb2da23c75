"""Which ledger rows an account may see: no one sees rows outside their region.

The scope comes from the account row as it is now, not from the Actor handed in: an Actor
built by hand, or held since before an administrator changed or disabled the account,
grants nothing its account does not.
"""

from __future__ import annotations

from typing import NamedTuple

from ..db.models import Account, Entry, Region, School
from ..domain.roles import Role
from .accounts import disabled_message
from .errors import PermissionDenied, ServiceError
from .types import Actor


class _Live(NamedTuple):
    role: Role
    region: str
    school_id: int | None


def _live(actor: Actor) -> _Live:
    row = (Account.select(Account.role, Account.region, Account.school, Account.active)
           .where(Account.login == actor.login).tuples().first())
    if row is None or not row[3]:
        raise PermissionDenied(disabled_message(actor.login))
    return _Live(Role(row[0]), row[1], row[2])

# How many leading digits of a region code name its area, by level.
_PREFIX_LEN = {"province": 2, "city": 4, "county": 6}


def _prefix(actor: _Live | Actor) -> str:
    return actor.region[:actor.role.scope_digits]


def _region_prefix(p: str, field=Entry.region):
    """Rows whose county code starts with `p`: a range on `field` at every level.

    A county too is a range (one code wide): the keyset reads the counties after a page's
    last one (services/keyset.py), and inside the scope's range that is still an index range.
    """
    return (field >= p) & (field < str(int(p) + 1).zfill(len(p)))


def entry_scope(actor: Actor):
    """A peewee expression selecting the actor's rows."""
    live = _live(actor)
    if live.role is Role.SCHOOL:
        # A school account whose school was deleted sees nothing (not the rows with no school).
        return Entry.school == live.school_id if live.school_id is not None else Entry.id.is_null()
    return _region_prefix(_prefix(live))


def school_scope(actor: Actor):
    """A peewee expression selecting the schools of the actor's area (a school: itself)."""
    live = _live(actor)
    if live.role is Role.SCHOOL:
        return School.id == live.school_id if live.school_id is not None else School.id.is_null()
    return _region_prefix(_prefix(live), School.county)


def region_in_scope(actor: Actor, region_code: str) -> bool:
    live = _live(actor)
    if live.role is Role.SCHOOL:
        return False
    return region_code.startswith(_prefix(live))


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
