"""What a classification form starts with, read in one go off the UI thread.

The starting values follow two rules: 证明人 is the registrar's own name (a row being
re-classified keeps its own 证明人), and the account's recent 证明人 are offered as
choices, never filled in by themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from peewee import fn

from ..db.models import History
from ..domain.roles import Role
from ..domain.codes import CODES, Action
from . import drafts, ledger, schools
from .classify import require_classifier
from .errors import ServiceError
from .schools import SchoolInfo
from .types import Actor

RECENT_PEOPLE = 5


@dataclass(frozen=True)
class FormSetup:
    action: Action
    targets: dict[int, int]  # entry id → version shown
    names: list[str]  # in row order
    proof_person: str
    person_choices: tuple[str, ...]  # the registrar first, then recent ones, newest first
    proof_date: date
    code: str = ""
    notes: str = ""
    graduation: str = ""
    study_region: str | None = None
    study_school: str = ""
    schools: tuple[SchoolInfo, ...] = ()  # of study_region
    on_file: frozenset[str] = field(default_factory=frozenset)  # evidence kinds already kept
    draft_key: str = ""
    draft: dict[str, object] | None = None  # what was typed and not saved last time, if anything
    draft_at: datetime | None = None


def recent_proof_people(actor: Actor, limit: int = RECENT_PEOPLE) -> list[str]:
    """The last `limit` distinct 证明人 this account saved, newest first."""
    last = fn.MAX(History.id)  # `at` has whole seconds; ids keep the order of saving
    q = (History.select(History.proof_person, last).where(History.by == actor.login)
         .group_by(History.proof_person).order_by(last.desc()).limit(limit + 1).tuples())
    return [p for p, _ in q if p and p != actor.display_name][:limit]


def default_study_region(actor: Actor) -> str | None:
    """A county registrar's children mostly study at home: start 就读省县 there."""
    return actor.region if actor.role is Role.COUNTY else None


def county_schools(actor: Actor, region: str | None) -> tuple[SchoolInfo, ...]:
    """The schools 就读学校 is picked from; none for a province or city code."""
    return tuple(schools.list_schools(actor, region)) if region and len(region) == 6 else ()


def prepare(actor: Actor, action: Action, ids: list[int], today: date) -> FormSetup:
    """Everything the form for `ids` needs; refuses read-only accounts first."""
    require_classifier(actor)
    action = Action(action)
    rows = sorted(ledger.rows_by_id(actor, ids), key=lambda r: r.id)
    if not rows:
        raise ServiceError("没有可处理的记录：所选记录不存在或不在您的管辖范围内")
    start = dict(proof_person=actor.display_name, proof_date=today,
                 study_region=default_study_region(actor) if action == Action.ENROLLED else None)
    start.update(_current(actor, rows[0].id, action) if len(rows) == 1 and rows[0].code else {})
    region = start["study_region"]
    key = drafts.key_for(f"classify:{action.name}", [r.id for r in rows])
    saved = drafts.load(actor, key)
    if saved:
        start.update(draft=saved[0], draft_at=saved[1])
    return FormSetup(
        draft_key=key,
        action=action, targets={r.id: r.version for r in rows}, names=[r.name for r in rows],
        person_choices=tuple([actor.display_name] + recent_proof_people(actor)),
        schools=county_schools(actor, region) if action == Action.ENROLLED else (), **start,
    )


def _current(actor: Actor, entry_id: int, action: Action) -> dict:
    """What carries over from the row's current result: its 证明人 always; the rest only
    when the action stays the same (99 → B2 is a new finding)."""
    d = ledger.detail(actor, entry_id)
    code = CODES.get(d.row.code)
    out: dict = {"on_file": frozenset(e.kind for e in d.evidence)}
    if d.row.proof_person:
        out["proof_person"] = d.row.proof_person
    if code is None or code.action != action:
        return out
    out.update(code=code.code, notes=d.notes, graduation=d.graduation)
    if d.row.proof_date:
        out["proof_date"] = d.row.proof_date
    if action == Action.ENROLLED and d.study_region:
        out.update(study_region=d.study_region, study_school=d.study_school)
    return out
