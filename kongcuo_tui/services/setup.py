"""Create or upgrade a database and its reference data (`kongcuo init`)."""

from __future__ import annotations

from dataclasses import dataclass

from ..db.migrations import SchemaRefused, upgrade
from ..db.models import Account, Region
from ..db.transactions import write_transaction
from ..domain.regions import all_regions
from . import accounts, audit
from .errors import ServiceError


@dataclass(frozen=True)
class InitResult:
    from_version: int
    to_version: int
    regions_added: int
    admin_created: str | None


def initialize(login: str, province: str = "410000") -> InitResult:
    """Idempotent: creates what is missing, changes nothing that exists."""
    try:
        before, after = upgrade()
    except SchemaRefused as e:
        raise ServiceError(str(e)) from None
    added = _load_regions()
    admin = None
    with write_transaction():
        if Account.select().count() == 0:
            accounts.add(None, login, login, "admin", province)
            admin = login
        if before != after or added:
            audit.record(login, "init", "", schema=f"{before}->{after}", regions_added=added)
    return InitResult(before, after, added, admin)


def _load_regions() -> int:
    have = {r[0] for r in Region.select(Region.code).tuples()}
    rows = [
        {"code": r.code, "name": r.name, "level": r.level, "parent": r.parent, "full_name": r.full_name}
        for r in all_regions() if r.code not in have
    ]
    with write_transaction():
        for i in range(0, len(rows), 500):
            Region.insert_many(rows[i:i + 500]).execute()
    return len(rows)
