"""What a persuasion step's form starts with, read in one go off the UI thread.

The form of one step (STEPS in domain/persuasion.py) for one child: the case as it stands
(its version is the one the save is checked against), the county's schools for a return,
the bureau a letter goes to when the ID names another county, and last time's unsaved
typing. Accounts that may not record the step are refused here, with the services' words,
before anything is typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ..db.models import Entry
from ..domain import persuasion as P
from ..domain.regions import region_name
from ..domain.roles import Role
from . import accounts, drafts, persuasion
from .errors import PermissionDenied, ServiceError
from .form_setup import county_schools
from .schools import SchoolInfo
from .scope import entry_scope
from .types import Actor


@dataclass(frozen=True)
class StepSetup:
    step: str  # a STEPS key
    case: persuasion.Case
    person: str  # the account's own name (经办人, 证明人)
    region: str  # the county that owns the row
    schools: tuple[SchoolInfo, ...] = ()  # a return: the county's schools
    letter_to: str = ""  # a letter: the bureau of the county in the ID, when it is another one
    letter_region: str = ""
    draft_key: str = ""
    draft: dict[str, object] | None = None
    draft_at: datetime | None = None


def refusal(actor: Actor, step: str) -> str | None:
    """Why this account may not record `step` (the services' message), or None."""
    if not actor.can_record_persuasion:
        return persuasion.CANNOT_RECORD
    if step == "close" and actor.role not in {Role.ADMIN, Role.COUNTY}:  # as close_case asks
        return persuasion.CANNOT_CLOSE
    if step == "returned" and not actor.can_classify:
        return persuasion.CANNOT_RETURN
    return None


def prepare(actor: Actor, entry_id: int, step: str, today: date,
            cutoff: tuple[int, int] | None = persuasion.DEFAULT_CUTOFF) -> StepSetup:
    """Everything the form of `step` for this child needs; raises ServiceError with the reason.

    ``cutoff``: the province's (month, day) ages count at (the 超龄销号 date)."""
    if step not in P.STEPS:
        raise ServiceError(f"无法识别的劝返步骤“{step}”")
    actor = accounts.current(actor)
    reason = refusal(actor, step)
    if reason:
        raise PermissionDenied(reason)
    c = persuasion.case(actor, entry_id, today=today, cutoff=cutoff)
    if c.records.closed is not None:
        raise ServiceError(f"{c.name} 已于 {c.records.closed.on:%Y-%m-%d} 销号归档，不能再录入")
    region, id_number = (Entry.select(Entry.region, Entry.id_number)
                         .where(entry_scope(actor) & (Entry.id == entry_id)).tuples().get())
    kw: dict = {}
    if step == "returned":
        kw["schools"] = county_schools(actor, region)
    hukou = (id_number or "")[:6]
    if step == "letter" and hukou.isdigit() and hukou != region and region_name(hukou) != hukou:
        kw.update(letter_to=f"{region_name(hukou)}教育局", letter_region=hukou)
    key = drafts.key_for(f"persuasion:{step}", [entry_id])
    saved = drafts.load(actor, key)
    if saved:
        kw.update(draft=saved[0], draft_at=saved[1])
    return StepSetup(step, c, actor.display_name, region, draft_key=key, **kw)


def record(actor: Actor, step: str, entry_id: int, version: int, rec, classification=None, *, today: date,
           cutoff: tuple[int, int] | None = persuasion.DEFAULT_CUTOFF, school_cutoff: date | None = None) -> int:
    """Save one step's record through its service; returns the row's new version."""
    p, kw = persuasion, {"today": today}
    if step == "absence":
        return p.record_absence(actor, entry_id, version, rec, **kw)
    if step == "school":
        return p.record_school_attempt(actor, entry_id, version, rec, **kw)
    if step == "report":
        return p.record_report(actor, entry_id, version, rec, **kw)
    if step == "notice":
        return p.record_notice(actor, entry_id, version, rec[0], rec[1], **kw)
    if step in ("joint", "continued"):
        return p.record_joint_round(actor, entry_id, version, rec, **kw)
    if step == "procedure":
        return p.record_procedure(actor, entry_id, version, rec, **kw)
    if step == "letter":
        return p.record_letter(actor, entry_id, version, rec, **kw)
    if step == "close":
        return p.close_case(actor, entry_id, version, rec, cutoff=cutoff, **kw)
    if step == "returned":
        return p.record_return(actor, entry_id, version, rec, classification, cutoff=school_cutoff, **kw)
    raise ServiceError(f"无法识别的劝返步骤“{step}”")


def saved_text(step: str, c: persuasion.Case) -> str:
    """'已保存：第3次学校劝返（王小明）' — what the user reads after the save."""
    n = {"school": len(c.records.attempts), "joint": sum(not r.continued for r in c.records.rounds),
         "continued": sum(r.continued for r in c.records.rounds)}.get(step)
    what = f"第{n + 1}次{P.STEPS[step]}" if n is not None else P.STEPS[step]
    return f"已保存：{what}（{c.name}）"
