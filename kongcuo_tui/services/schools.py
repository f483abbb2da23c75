"""Schools: those a registrar picks 就读学校 from (a county's own), and those a filter offers."""

from __future__ import annotations

from dataclasses import dataclass

from ..db.models import School
from .scope import school_scope
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


def schools_in_scope(actor: Actor) -> list[SchoolInfo]:
    """Every school of the actor's area (a province account: the province's), by county and name."""
    q = School.select().where(school_scope(actor)).order_by(School.county, School.name)
    return [SchoolInfo(s.id, s.name, s.county, s.stage, s.kind) for s in q]
