"""Recording a child's persuasion case step by step, and what is due across the ledger.

Every write is scoped (a school account: its own school's children), role-checked, audited
and optimistically locked on the row's `Entry.version`: each step bumps the version with
UPDATE … WHERE version = ? RETURNING, so a step recorded against a row someone changed after
it was shown is refused. Records are append-only; for single steps (report, notice, return,
closing) the latest recorded one counts, so a mistake is corrected by recording again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta

from ..db import case_deadlines
from ..db.connection import db, is_sqlite
from ..db.models import Entry, FollowUp, Persuasion, School, now
from ..db.transactions import write_transaction
from ..domain import persuasion as P
from ..domain.codes import Action, CodeClass, codes_in
from ..domain.dates import school_year_cutoff
from ..domain.roles import Role
from ..domain.rules import Classification
from ..domain.workdays import WorkCalendar
from . import accounts, audit
from .errors import PermissionDenied, ServiceError, write_or_busy
from .ledger import id_among
from .scope import entry_scope
from .types import Actor, Conflict

CANNOT_RECORD = "您的账号只能查看和导出，不能录入劝返记录（需县级或学校账号）"
CANNOT_CLOSE = "销号只能由县级学籍管理员办理（需县级账号）"
CANNOT_RETURN = "复学需同时重新分类台账，只能由县级学籍管理员办理（需县级账号）"
NOT_IN_SCOPE = "该记录不存在或不在您的管辖范围内"
DEFAULT_CUTOFF = (8, 31)


class VersionConflict(ServiceError):
    """The row changed after it was shown; nothing was saved."""

    def __init__(self, conflict: Conflict):
        super().__init__(conflict.message)
        self.conflict = conflict


@dataclass(frozen=True)
class Recorded:
    """One stored step, for the timeline."""

    kind: str  # absence / school / report / notice / joint / continued / procedure / return / close / letter
    on: date
    summary: str
    recorded_by: str
    recorded_at: datetime
    detail: str = ""  # a persuasion's process and result, a letter's hand-over


@dataclass(frozen=True)
class Case:
    entry_id: int
    name: str
    version: int
    birth_date: date | None
    code: str
    school: str
    records: P.CaseRecords
    state: P.CaseState
    partners: P.Partners
    age_out_on: date | None
    may_age_out: bool
    recorded: list[Recorded] = field(default_factory=list)  # oldest first

    @property
    def last_attempt(self) -> P.SchoolAttempt | None:
        """What the next school attempt's form offers (role, person, method)."""
        return max(self.records.attempts, key=lambda a: a.at, default=None)


@dataclass(frozen=True)
class DueRow:
    entry_id: int
    version: int
    name: str
    school: str
    stage: P.Stage
    due: date | None
    due_what: str
    overdue: bool
    responsible: str


# ---- writes ---------------------------------------------------------------------------------

def _refuse(errors: list[str]) -> None:
    if errors:
        raise ServiceError("未保存：" + "；".join(errors))


_guarded = write_or_busy


def _locked_entry(actor: Actor, entry_id: int, version: int) -> Entry:
    q = Entry.select().where(entry_scope(actor) & (Entry.id == entry_id))
    if not is_sqlite():
        q = q.for_update(of=Entry)
    e = q.first()
    if e is None:
        raise PermissionDenied(NOT_IN_SCOPE)
    if e.version != version:
        raise VersionConflict(Conflict(e.id, e.name, e.handled_by, e.updated_at))
    if e.closed_on is not None:
        raise ServiceError(f"未保存：{e.name} 已于 {e.closed_on:%Y-%m-%d} 销号归档，不能再录入")
    return e


def _bump(e: Entry, at: datetime, **columns) -> int:
    changed = (Entry.update(version=e.version + 1, updated_at=at, **columns)
               .where((Entry.id == e.id) & (Entry.version == e.version))
               .returning(Entry.id).tuples().execute())
    if not list(changed):
        cur = Entry.get_by_id(e.id)
        raise VersionConflict(Conflict(e.id, e.name, cur.handled_by, cur.updated_at))
    return e.version + 1


def _record(actor: Actor, entry_id: int, version: int, step: str,
            check: Callable[[Entry], list[str]], rows: Callable[[Entry, datetime], list[tuple[type, dict]]],
            need: Role | None = None, **bump_columns) -> int:
    """The shared path of every step: returns the row's new version."""
    actor = accounts.current(actor)
    if not actor.can_record_persuasion:
        raise PermissionDenied(CANNOT_RECORD)
    if need is not None and actor.role not in {Role.ADMIN, need}:
        raise PermissionDenied(CANNOT_CLOSE if step == "close" else CANNOT_RETURN)

    def work() -> int:
        with write_transaction():
            e = _locked_entry(actor, entry_id, version)
            _refuse(check(e))
            at = now()
            new = _bump(e, at, **bump_columns)
            details = []
            for model, values in rows(e, at):
                model.create(entry=e.id, recorded_by=actor.login, recorded_at=at, **values)
                details.append({k: v for k, v in values.items() if k not in ("process_result", "note")})
            case_deadlines.refresh([e.id])
            audit.record(actor.login, "persuasion", f"entry:{e.id}", step=step, records=details)
            return new

    return _guarded(work)


def _today(today: date | None) -> date:
    return today or date.today()


def _step(kind: str, on: date, **values) -> tuple[type, dict]:
    return FollowUp, {"kind": kind, "on": on, **values}


@audit.audits_denials("persuasion")
def record_absence(actor: Actor, entry_id: int, version: int, on: date, *, today: date | None = None) -> int:
    """The first day of unexplained absence: the school stage's 10 working days start here."""
    t = _today(today)
    return _record(actor, entry_id, version, "absence", lambda e: P.check_day("首次缺课日期", on, t, e.birth_date),
                   lambda e, at: [_step("absence", on)])


@audit.audits_denials("persuasion")
def record_school_attempt(actor: Actor, entry_id: int, version: int, a: P.SchoolAttempt, *,
                          today: date | None = None) -> int:
    t = _today(today)
    a = replace(a, role=a.role.strip(), person=a.person.strip(), method=a.method.strip(),
                process_result=a.process_result.strip(), phone=a.phone.strip())

    def rows(e, at):
        n = Persuasion.select().where((Persuasion.entry == e.id) & (Persuasion.kind == "school")).count()
        return [(Persuasion, {"kind": "school", "round": n + 1, "on": a.at.date(), "at": a.at, "party": a.role,
                              "method": a.method, "process_result": a.process_result, "signer": a.person,
                              "phone": a.phone})]

    return _record(actor, entry_id, version, "school", lambda e: P.check_attempt(a, t, e.birth_date), rows)


@audit.audits_denials("persuasion")
def record_report(actor: Actor, entry_id: int, version: int, on: date, *, today: date | None = None) -> int:
    """The 辍学学生登记表 reported to the township and the county: the county stage starts."""
    t = _today(today)
    return _record(actor, entry_id, version, "report", lambda e: P.check_day("上报日期", on, t, e.birth_date),
                   lambda e, at: [_step("report", on)])


@audit.audits_denials("persuasion")
def record_notice(actor: Actor, entry_id: int, version: int, on: date, kind: str = P.NOTICE_KINDS[0], *,
                  today: date | None = None) -> int:
    """The 限期返校通知书 / 劝返通知书 served on the guardian: 5 working days to return."""
    t = _today(today)

    def check(e):
        return P.check_day("通知书发放日期", on, t, e.birth_date) + P.check_notice_kind(kind)

    return _record(actor, entry_id, version, "notice", check, lambda e, at: [_step("notice", on, subkind=kind)])


@audit.audits_denials("persuasion")
def record_joint_round(actor: Actor, entry_id: int, version: int, r: P.JointRound, *,
                       today: date | None = None) -> int:
    """A joint (联合劝返) round, or with ``r.continued`` a 继续劝返 round after the procedures."""
    t = _today(today)
    r = replace(r, units=P.parse_units(",".join(r.units)), method=r.method.strip(), people=r.people.strip(),
                process_result=r.process_result.strip(), phone=r.phone.strip())
    kind = "continued" if r.continued else "joint"

    def rows(e, at):
        n = Persuasion.select().where((Persuasion.entry == e.id) & (Persuasion.kind == kind)).count()
        return [(Persuasion, {"kind": kind, "round": n + 1, "on": r.on, "party": "", "units": ",".join(r.units),
                              "method": r.method, "process_result": r.process_result, "signer": r.people,
                              "phone": r.phone})]

    return _record(actor, entry_id, version, kind, lambda e: P.check_round(r, t, e.birth_date), rows)


@audit.audits_denials("persuasion")
def record_procedure(actor: Actor, entry_id: int, version: int, p: P.Procedure, *, today: date | None = None) -> int:
    """请假 / 休学 / 延缓入学 after joint persuasion failed, with the approving body."""
    t = _today(today)
    p = replace(p, kind=p.kind.strip(), approved_by=p.approved_by.strip())
    return _record(actor, entry_id, version, "procedure", lambda e: P.check_procedure(p, t),
                   lambda e, at: [_step("procedure", p.on, subkind=p.kind, approved_by=p.approved_by)])


@audit.audits_denials("persuasion")
def record_letter(actor: Actor, entry_id: int, version: int, letter: P.Letter, *, today: date | None = None) -> int:
    """The 控辍保学的函 to the county of household registration, and the hand-over."""
    t = _today(today)
    letter = replace(letter, to_county=letter.to_county.strip(), note=letter.note.strip(),
                     to_region=letter.to_region.strip())
    return _record(actor, entry_id, version, "letter", lambda e: P.check_letter(letter, t),
                   lambda e, at: [_step("letter", letter.on, party=letter.to_county, region=letter.to_region,
                                        note=letter.note)])


@audit.audits_denials("persuasion")
def close_case(actor: Actor, entry_id: int, version: int, c: P.Closing, *, today: date | None = None,
               cutoff: tuple[int, int] | None = DEFAULT_CUTOFF) -> int:
    """超龄销号 (only once the child is 16 at the cutoff rule), or missing / dead: closed and archived.

    ``cutoff`` is the province's (month, day) ages count at; None counts at the birthday.
    """
    t = _today(today)
    c = replace(c, by=c.by.strip() or accounts.current(actor).display_name)
    return _record(actor, entry_id, version, "close", lambda e: P.check_closing(c, t, e.birth_date, cutoff),
                   lambda e, at: [_step("close", c.on, subkind=c.kind, approved_by=c.by)],
                   need=Role.COUNTY, closed_on=c.on)


@audit.audits_denials("persuasion")
def record_return(actor: Actor, entry_id: int, version: int, r: P.Return, c: Classification, *,
                  today: date | None = None, cutoff: date | None = None) -> int:
    """复学: records the return and re-classifies the row (e.g. B2 at that school) in one transaction.

    The classification goes through the normal path (its rules, history and audit); it is what
    bumps the row's version.
    """
    from . import classify

    t = _today(today)
    r = replace(r, school=r.school.strip())
    actor = accounts.current(actor)
    if not actor.can_classify:
        raise PermissionDenied(CANNOT_RETURN)
    _refuse(P.check_return(r, t))
    if c.action is not Action.ENROLLED:
        raise ServiceError("未保存：复学后应按“实际就读”重新分类（如 B2 在校有学籍）")

    def work() -> int:
        with write_transaction() as tx:
            _locked_entry(actor, entry_id, version)
            result = classify._classify(actor, {entry_id: version}, c, False, t, cutoff or school_year_cutoff(t),
                                        False)
            if not result.ok:
                tx.rollback()
                if result.conflicts:
                    raise VersionConflict(result.conflicts[0])
                raise ServiceError("未保存：" + "；".join(x.message for f in result.failures for x in f.errors))
            at = now()
            FollowUp.create(entry=entry_id, kind="return", on=r.on, party=r.school, recorded_by=actor.login,
                            recorded_at=at)
            case_deadlines.refresh([entry_id])
            audit.record(actor.login, "persuasion", f"entry:{entry_id}", step="return", on=r.on, school=r.school,
                         code=c.code)
            return version + 1

    return _guarded(work)


# ---- reads ----------------------------------------------------------------------------------

_records = case_records = case_deadlines.case_records  # one reading of the stored records


def _recorded(prows: list[Persuasion], frows: list[FollowUp]) -> list[Recorded]:
    out = []
    for p in prows:
        label = dict(school="学校劝返", joint="联合劝返", continued="继续劝返").get(p.kind, p.kind)
        phone = f"（{p.phone}）" if p.phone else ""
        if p.kind == "school":
            when = f"{p.at:%H:%M} " if p.at else ""
            summary, detail = f"{when}第{p.round}次{label}：{p.party} {p.signer}，{p.method}{phone}", p.process_result
        else:  # the units make a long line: they go under it, with the people and the result
            units = P.unit_labels(P.parse_units(p.units))
            summary = f"第{p.round}次{label}：{p.method}"
            detail = "\n".join(x for x in (f"单位：{units}", f"人员：{p.signer}{phone}" if p.signer or phone else "",
                                            p.process_result) if x)
        out.append(Recorded(p.kind, p.on, summary, p.recorded_by, p.recorded_at, detail))
    names = {"absence": "首次缺课", "report": "上报辍学学生登记表", "notice": "发放", "procedure": "办理",
             "return": "复学", "close": "销号", "letter": "发函"}
    for f in frows:
        detail = " ".join(x for x in (f.subkind, f.approved_by, f.party) if x)
        out.append(Recorded(f.kind, f.on, f"{names.get(f.kind, f.kind)} {detail}".strip(), f.recorded_by,
                            f.recorded_at, f.note))
    return sorted(out, key=lambda r: (r.on, r.recorded_at))


def _school_names(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(School.select(School.id, School.name).where(School.id.in_(list(ids))).tuples())


def case(actor: Actor, entry_id: int, *, today: date | None = None, calendar: WorkCalendar | None = None,
         cutoff: tuple[int, int] | None = DEFAULT_CUTOFF) -> Case:
    """Everything recorded for one child, and where the case stands on ``today``."""
    t = _today(today)
    e = Entry.select().where(entry_scope(actor) & (Entry.id == entry_id)).first()
    if e is None:
        raise PermissionDenied(NOT_IN_SCOPE)
    prows = list(Persuasion.select().where(Persuasion.entry == e.id).order_by(Persuasion.on, Persuasion.id))
    frows = list(FollowUp.select().where(FollowUp.entry == e.id).order_by(FollowUp.id))
    recs = _records(prows, frows)
    state = P.case_state(recs, calendar or WorkCalendar(), t)
    age_out = P.age_out_date(e.birth_date, cutoff) if e.birth_date else None
    school = _school_names({e.school_id} if e.school_id else set()).get(e.school_id, e.prov_school)
    return Case(e.id, e.name, e.version, e.birth_date, e.code, school, recs, state,
                P.partner_units(e.code, e.dropout_reason, e.watch_groups), age_out,
                age_out is not None and age_out <= t, _recorded(prows, frows))


# What _records reads (the entry's id under the name a model row gives it).
_P_COLUMNS = (Persuasion.id, Persuasion.entry.alias("entry_id"), Persuasion.kind, Persuasion.on, Persuasion.at,
              Persuasion.party, Persuasion.units, Persuasion.method, Persuasion.process_result, Persuasion.signer,
              Persuasion.phone)
_F_COLUMNS = (FollowUp.id, FollowUp.entry.alias("entry_id"), FollowUp.kind, FollowUp.subkind, FollowUp.on,
              FollowUp.approved_by, FollowUp.party, FollowUp.region, FollowUp.note)


def _responsible(recs: P.CaseRecords, stage: P.Stage) -> str:
    if stage is not P.Stage.SCHOOL and recs.rounds:
        return recs.rounds[-1].people
    return recs.attempts[-1].person if recs.attempts else ""


def due_list(actor: Actor, today: date | None = None, overdue_only: bool = False, within_days: int | None = None,
             *, calendar: WorkCalendar | None = None, among: frozenset[int] | None = None) -> list[DueRow]:
    """Open cases in the actor's scope with what is due next; overdue first, then by due date.

    A case is any row classified A (must be persuaded back), or pending / 99 with a persuasion
    record (a school starts before the county classifies); a row since classified B (in school,
    over age …) needs no persuasion and is not listed.
    ``within_days``: only cases due on or before today + that many days (overdue included).
    ``among``: only these rows (e.g. the one a step was just saved for).
    One query per table for the whole scope, however many rows.
    """
    t = _today(today)
    if within_days is not None and within_days < 0:
        raise ServiceError(f"天数不能为负数（{within_days}）")
    cal = calendar or WorkCalendar()
    scope = entry_scope(actor)
    has_p = Persuasion.select(Persuasion.entry)
    has_f = FollowUp.select(FollowUp.entry)
    cases = scope & Entry.closed_on.is_null() & (
        Entry.code.in_(codes_in(CodeClass.PERSUADE))
        | (Entry.code.not_in(codes_in(CodeClass.NO_PERSUADE)) & (Entry.id.in_(has_p) | Entry.id.in_(has_f))))
    if among is not None:
        cases &= id_among(among)
    entries = list(Entry.select(Entry.id, Entry.version, Entry.name, Entry.school, Entry.prov_school)
                   .where(cases).order_by(Entry.id).tuples())
    ids = Entry.select(Entry.id).where(cases)
    # Plain named tuples, not model instances: at 100,000 rows building models was half the time.
    prows: dict[int, list] = {}
    for p in (Persuasion.select(*_P_COLUMNS).where(Persuasion.entry.in_(ids))
              .order_by(Persuasion.on, Persuasion.id).namedtuples()):
        prows.setdefault(p.entry_id, []).append(p)
    frows: dict[int, list] = {}
    for f in FollowUp.select(*_F_COLUMNS).where(FollowUp.entry.in_(ids)).order_by(FollowUp.id).namedtuples():
        frows.setdefault(f.entry_id, []).append(f)
    schools = _school_names({s for _, _, _, s, _ in entries if s})
    limit = t + timedelta(days=within_days) if within_days is not None else None
    out = []
    for eid, version, name, school_id, prov_school in entries:
        recs = _records(prows.get(eid, []), frows.get(eid, []))
        s = P.case_state(recs, cal, t)
        if s.stage in (P.Stage.RETURNED, P.Stage.CLOSED):
            continue
        if overdue_only and not s.overdue:
            continue
        if limit is not None and (s.due is None or s.due > limit):
            continue
        out.append(DueRow(eid, version, name, schools.get(school_id, prov_school), s.stage, s.due, s.due_what,
                          s.overdue, _responsible(recs, s.stage)))
    return sorted(out, key=lambda r: (not r.overdue, r.due is None, r.due or t, r.entry_id))


def overdue_ids(actor: Actor, today: date | None = None, *,
                among: frozenset[int] | None = None) -> frozenset[int]:
    """Ids of the open cases in the actor's scope that are overdue on ``today`` (of ``among`` only,
    when given).

    The ledger reads this once per reload (in a worker) for its count and its 只看逾期 filter;
    after a step is saved it asks again for that one row only. One indexed query: the case's
    deadline is stored with its records (db.case_deadlines), computed with the calendar of
    their writes (``kongcuo deadlines`` recomputes them after a calendar change).
    """
    cond = entry_scope(actor) & overdue_on(_today(today))
    if among is not None:
        cond &= id_among(among)
    # Straight from the driver's cursor: at a province's ~90,000 overdue cases peewee's
    # per-row conversion took a second of the worker's (and so the UI thread's) time.
    return frozenset(eid for (eid,) in db.execute(Entry.select(Entry.id).where(cond)).fetchall())


def overdue_on(day: date):
    """Open cases overdue on ``day`` as a condition on Entry: not closed, not classified B
    (A, 99 or not yet classified), and the stored deadline passed."""
    return (Entry.closed_on.is_null() & Entry.code.not_in(codes_in(CodeClass.NO_PERSUADE))
            & (Entry.overdue_after < day))


def recompute_deadlines(actor: Actor, calendar: WorkCalendar) -> int:
    """After the working-day calendar changed: every case's stored deadline again (administrator
    only; `kongcuo deadlines`). Returns the number of cases."""
    actor = accounts.current(actor)
    if actor.role is not Role.ADMIN:
        raise PermissionDenied("重新计算劝返期限只能由管理员办理")
    n = _guarded(lambda: case_deadlines.refresh_all(calendar))
    audit.record(actor.login, "deadlines", "", cases=n)
    return n


@dataclass(frozen=True)
class AgeOutRow:
    entry_id: int
    version: int
    name: str
    birth_date: date
    age_out_on: date
    stage: P.Stage


def age_out_list(actor: Actor, today: date | None = None, *, cutoff: tuple[int, int] | None = DEFAULT_CUTOFF,
                 calendar: WorkCalendar | None = None) -> list[AgeOutRow]:
    """Open cases whose child is 16 at the cutoff rule by ``today``: they may be closed by 超龄销号.

    Closing stays an explicit action (close_case); nothing here changes a row.
    """
    t = _today(today)
    cal = calendar or WorkCalendar()
    # Everyone born after this cannot be 16 yet under any rule; the exact date is the domain's.
    latest_birth = date(t.year - P.AGE_OUT_YEARS, 12, 31)
    rows = due_list(actor, t, calendar=cal)
    births = dict(Entry.select(Entry.id, Entry.birth_date).where(
        entry_scope(actor) & Entry.closed_on.is_null() & (Entry.birth_date <= latest_birth)).tuples())
    out = []
    for r in rows:
        b = births.get(r.entry_id)
        if b is not None and (at := P.age_out_date(b, cutoff)) <= t:
            out.append(AgeOutRow(r.entry_id, r.version, r.name, b, at, r.stage))
    return sorted(out, key=lambda r: (r.age_out_on, r.entry_id))
