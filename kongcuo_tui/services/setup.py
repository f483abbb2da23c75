"""Create or upgrade a database and its reference data (`kongcuo init`)."""

from __future__ import annotations

from dataclasses import dataclass

from ..db.connection import db
from ..db.migrations import upgrade
from ..db.models import Account, Region
from ..domain.regions import all_regions
from ..domain.roles import Role
from . import accounts, audit, pgroles


@dataclass(frozen=True)
class InitResult:
    from_version: int
    to_version: int
    regions_added: int
    admin_created: str | None


def initialize(login: str, province: str = "410000", postgres_roles: bool = False) -> InitResult:
    """Idempotent: creates what is missing, changes nothing that exists.

    `postgres_roles`: also (re)install the roles, row-level security and append-only audit
    of services/pgroles.py.
    """
    before, after = upgrade()
    added = _load_regions()
    admin = None
    with db.atomic():
        if Account.select().count() == 0:
            accounts.add(None, login, login, Role.ADMIN, province)
            admin = login
        if before != after or added:
            audit.record(login, "init", "", schema=f"{before}->{after}", regions_added=added)
    if postgres_roles:
        pgroles.install()
        audit.record(login, "init", "postgres-roles")
    return InitResult(before, after, added, admin)


def _load_regions() -> int:
    have = {r[0] for r in Region.select(Region.code).tuples()}
    rows = [
        {"code": r.code, "name": r.name, "level": r.level, "parent": r.parent, "full_name": r.full_name}
        for r in all_regions() if r.code not in have
    ]
    with db.atomic():
        for i in range(0, len(rows), 500):
            Region.insert_many(rows[i:i + 500]).execute()
    return len(rows)
