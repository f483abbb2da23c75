"""A ledger row named briefly (which child, which county, its state): what review lists show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..db.models import Entry
from ..domain.regions import region_name

FIELDS = (Entry.id, Entry.region, Entry.seq, Entry.name, Entry.birth_date, Entry.id_number, Entry.id_ok,
          Entry.status, Entry.code, Entry.watch_groups, Entry.version)


@dataclass(frozen=True)
class RowRef:
    id: int
    region: str
    region_name: str
    seq: int
    name: str
    birth_date: date | None
    id_number: str
    id_ok: bool
    status: str
    code: str
    watch_groups: str
    version: int


def row_ref(t: tuple) -> RowRef:
    """From a row of ``Entry.select(*FIELDS).tuples()``."""
    return RowRef(t[0], t[1], region_name(t[1]), t[2], t[3], t[4], t[5], bool(t[6]), *t[7:])


def refs(cond, order=(Entry.id,)) -> list[RowRef]:
    return [row_ref(t) for t in Entry.select(*FIELDS).where(cond).order_by(*order).tuples()]
