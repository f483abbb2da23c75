"""The schools a registrar picks 就读学校 from (the county's own schools)."""

from __future__ import annotations

from dataclasses import dataclass

from ..db.models import School
from .types import Actor


@dataclass(frozen=True)
class SchoolInfo:
    id: int
    name: str
    county: str
    stage: str
    kind: str  # 普通 / 中职 / 特殊教育


def list_schools(actor: Actor, county: str | None = None) -> list[SchoolInfo]:
    """Schools of `county` (default: the actor's own region), sorted by name.

    School names are public, so any county may be listed; an unknown county gives [].
    """
    county = county or actor.region
    q = School.select().where(School.county == county).order_by(School.name)
    return [SchoolInfo(s.id, s.name, s.county, s.stage, s.kind) for s in q]
