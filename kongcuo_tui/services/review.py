"""Supervising B-class results: a city or province flags rows 需复核, the county re-submits.

Flagging is the supervisor's write (city, province or administrator, within its region);
re-submitting is the county's: re-classifying a flagged row (services/classify.py calls
`reclassified` in its own transaction) or adding evidence with an explanation
(`resubmit`). Every step bumps the row's version with UPDATE … WHERE version = ? RETURNING,
is one append-only Review row (the row's review history) and one audit record.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from peewee import Case, fn

from ..db.connection import is_sqlite
from ..db.models import Entry, EvidenceItem, Region, Review, now
from ..db.transactions import write_transaction
from ..domain.codes import CODES, EVIDENCE, CodeClass, codes_in
from ..domain.review import STATE_LABELS, ResubmitHow, ReviewState, check_note
from ..domain.terminal import strip_controls
from . import accounts, audit
from .errors import PermissionDenied, ServiceError, write_or_busy
from .scope import entry_scope, narrowed_scope
from .types import Actor, Conflict, ReviewInfo

CANNOT_FLAG = "只有市级、省级账号可以标记“需复核”（县级账号请对被标记的记录重新提交）"
CANNOT_RESUBMIT = "只有县级学籍管理员可以重新提交（需县级账号）"
NOT_IN_SCOPE = "有 {n} 条记录不存在或不在您的管辖范围内"
B_CODES = codes_in(CodeClass.NO_PERSUADE)


class ReviewConflict(ServiceError):
    """Rows changed after they were shown; nothing was saved."""

    def __init__(self, conflicts: list[Conflict]):
        super().__init__("未保存：" + "；".join(c.message for c in conflicts))
        self.conflicts = conflicts


@dataclass(frozen=True)
class BResult:
    """One B-class result with what it rests on, for the supervisor's list."""

    entry_id: int
    version: int
    county: str
    county_name: str
    name: str
    id_number: str
    code: str
    code_name: str
    proof_person: str
    proof_date: date | None
    notes: str
    evidence: list[str]  # labels of the documents on file
    handled_by: str
    handled_at: datetime | None
    review_state: str
    review_note: str
    review_by: str
    review_at: datetime | None

    @property
    def review_label(self) -> str:
        return STATE_LABELS[ReviewState(self.review_state)]


@dataclass(frozen=True)
class ReviewCount:
    """Per county: B-class results, flagged now (awaiting the county) and re-submitted."""

    region: str
    name: str
    b_results: int
    flagged: int
    resubmitted: int


def last_change(e: Entry) -> tuple[str, datetime | None]:
    """Who changed the row last and when: the classifier, or a later review step or verified ID."""
    later = [(at, by) for at, by in ((e.review_at, e.review_by), (e.verified_at, e.verified_by))
             if at is not None and (e.handled_at is None or at >= e.handled_at)]
    if later:
        at, by = max(later)
        return by, at
    return e.handled_by, e.updated_at


def _conflict(e: Entry) -> Conflict:
    return Conflict(e.id, e.name, *last_change(e))


def _locked(actor: Actor, ids: list[int]) -> dict[int, Entry]:
    out: dict[int, Entry] = {}
    for i in range(0, len(ids), 500):
        q = Entry.select().where(entry_scope(actor) & Entry.id.in_(ids[i:i + 500])).order_by(Entry.id)
        if not is_sqlite():
            q = q.for_update(of=Entry)
        out.update({e.id: e for e in q})
    missing = [i for i in ids if i not in out]
    if missing:
        raise PermissionDenied(NOT_IN_SCOPE.format(n=len(missing)))
    return out


def _bump(e: Entry, at: datetime, **columns) -> bool:
    return bool(list(Entry.update(version=e.version + 1, updated_at=at, review_at=at, **columns)
                     .where((Entry.id == e.id) & (Entry.version == e.version))
                     .returning(Entry.id).tuples().execute()))


def _refuse(errors: list[str]) -> None:
    if errors:
        raise ServiceError("未保存：" + "；".join(errors))


# ---- writes ---------------------------------------------------------------------------------

@audit.audits_denials("review")
def flag(actor: Actor, versions: dict[int, int], note: str) -> list[int]:
    """Mark the B-class rows `versions` names (id → version seen) 需复核 with `note`.

    All or nothing: a row that is not a B result, or changed since it was shown, saves none.
    Returns the flagged ids.
    """
    actor = accounts.current(actor)
    if not actor.role.can_flag_review:
        raise PermissionDenied(CANNOT_FLAG)
    if not versions:
        raise ServiceError("没有选中任何记录")
    note = strip_controls(note).strip()  # shown on other people's terminals
    _refuse(check_note(note, "需复核的原因（请写明哪项材料或结论需要核实）"))
    ids = sorted(versions)

    def work() -> list[int]:
        with write_transaction():
            entries = _locked(actor, ids)
            not_b = [e.name for e in entries.values() if e.code not in B_CODES]
            if not_b:
                shown = "、".join(not_b[:5]) + (f" 等 {len(not_b)} 人" if len(not_b) > 5 else "")
                raise ServiceError(f"未保存：{shown} 不是 B 类结果，只有 B 类结果需要复核")
            stale = [_conflict(entries[i]) for i in ids if entries[i].version != versions[i]]
            if stale:
                raise ReviewConflict(stale)
            at = now()
            lost = [e for e in entries.values()
                    if not _bump(e, at, review_state=ReviewState.FLAGGED.value, review_note=note, review_by=actor.login)]
            if lost:
                raise ReviewConflict([_conflict(Entry.get_by_id(e.id)) for e in lost])
            Review.insert_many([{"entry": i, "kind": "flag", "how": "", "note": note, "by": actor.login, "at": at,
                                 "version": entries[i].version + 1} for i in ids]).execute()
            audit.record_many(actor.login, "review", [
                (f"entry:{i}", {"step": "flag", "code": entries[i].code, "note": note}) for i in ids])
            return ids

    return write_or_busy(work)


@audit.audits_denials("review")
def resubmit(actor: Actor, entry_id: int, version: int, note: str, evidence: frozenset[str] = frozenset(), *,
             today: date | None = None) -> int:
    """The county re-submits a flagged row without changing its result: adds the `evidence`
    documents (keys of the row's code) and explains in `note` what was checked.

    Returns the row's new version. (A new result goes through classify, which re-submits too.)
    """
    actor = accounts.current(actor)
    if not actor.can_classify:
        raise PermissionDenied(CANNOT_RESUBMIT)
    note = strip_controls(note).strip()
    _refuse(check_note(note, "重新提交的说明（核实了什么、补充了哪些材料）"))
    unknown = sorted(k for k in evidence if k not in EVIDENCE)
    if unknown:
        raise ServiceError(f"未保存：未知的证明材料“{'、'.join(unknown)}”（可用：{'、'.join(EVIDENCE)}）")
    on = today or date.today()

    def work() -> int:
        with write_transaction():
            e = _locked(actor, [entry_id])[entry_id]
            if e.review_state != ReviewState.FLAGGED.value:
                raise ServiceError(f"未保存：{e.name} 没有被标记为需复核，无需重新提交")
            if e.version != version:
                raise ReviewConflict([_conflict(e)])
            code = CODES.get(e.code)
            allowed = set(code.evidence_keys) if code else set()
            wrong = sorted(k for k in evidence if k not in allowed)
            if wrong:
                raise ServiceError(f"未保存：{e.code} 不需要这些材料：{'、'.join(EVIDENCE[k] for k in wrong)}")
            at = now()
            if not _bump(e, at, review_state=ReviewState.RESUBMITTED.value, review_by=actor.login):
                raise ReviewConflict([_conflict(Entry.get_by_id(e.id))])
            have = {k for (k,) in EvidenceItem.select(EvidenceItem.kind).where(EvidenceItem.entry == e.id).tuples()}
            for kind in sorted(evidence - have):
                EvidenceItem.create(entry=e.id, kind=kind, received_on=on, recorded_by=actor.login, recorded_at=at)
            Review.create(entry=e.id, kind="resubmit", how=ResubmitHow.EVIDENCE.value, note=note, by=actor.login,
                          at=at, version=e.version + 1)
            audit.record(actor.login, "review", f"entry:{e.id}", step="resubmit", how=ResubmitHow.EVIDENCE.value,
                         evidence=sorted(evidence - have), note=note)
            return e.version + 1

    return write_or_busy(work)


def reclassified(actor: Actor, entries: list[Entry], notes: str, at: datetime) -> None:
    """Inside classify's transaction: the flagged rows among `entries` (as read before the
    save, now saved at version + 1) were re-submitted by their new classification."""
    flagged = [e for e in entries if e.review_state == ReviewState.FLAGGED.value]
    if not flagged:
        return
    ids = [e.id for e in flagged]
    for i in range(0, len(ids), 500):
        Entry.update(review_state=ReviewState.RESUBMITTED.value, review_by=actor.login, review_at=at).where(
            Entry.id.in_(ids[i:i + 500])).execute()
    rows = [{"entry": e.id, "kind": "resubmit", "how": ResubmitHow.RECLASSIFY.value, "note": notes.strip(),
             "by": actor.login, "at": at, "version": e.version + 1} for e in flagged]
    for i in range(0, len(rows), 300):
        Review.insert_many(rows[i:i + 300]).execute()
    audit.record_many(actor.login, "review", [
        (f"entry:{e.id}", {"step": "resubmit", "how": ResubmitHow.RECLASSIFY.value}) for e in flagged])


# ---- reads ----------------------------------------------------------------------------------

def current_versions(actor: Actor, ids: list[int]) -> dict[int, int]:
    """The versions of the rows as they are now (for the command line, which shows no screen)."""
    out: dict[int, int] = {}
    for i in range(0, len(ids), 500):
        out.update(Entry.select(Entry.id, Entry.version).where(
            entry_scope(actor) & Entry.id.in_(ids[i:i + 500])).tuples())
    missing = [i for i in ids if i not in out]
    if missing:
        raise PermissionDenied(NOT_IN_SCOPE.format(n=len(missing)) + f"（{', '.join(map(str, missing[:10]))}）")
    return out


_B_FIELDS = (Entry.id, Entry.version, Entry.region, Entry.name, Entry.id_number, Entry.code, Entry.proof_person,
             Entry.proof_date, Entry.notes, Entry.handled_by, Entry.handled_at, Entry.review_state,
             Entry.review_note, Entry.review_by, Entry.review_at)


def b_results(actor: Actor, *, state: ReviewState | None = None, region: str | None = None,
              page: int = 1000) -> Iterator[BResult]:
    """The B-class results of the actor's region (within `region`, in `state` if given), with
    their evidence, county by county; read by key a page at a time, so memory stays flat."""
    cond = narrowed_scope(actor, region) & Entry.code.in_(B_CODES)
    if state is not None:
        cond &= Entry.review_state == state.value
    names: dict[str, str] = {}
    after: tuple[str, int] | None = None
    while True:
        where = cond if after is None else cond & ((Entry.region > after[0]) | (
            (Entry.region == after[0]) & (Entry.id > after[1])))
        rows = list(Entry.select(*_B_FIELDS).where(where).order_by(Entry.region, Entry.id).limit(page).tuples())
        if not rows:
            return
        ids = [r[0] for r in rows]
        evidence: dict[int, list[str]] = {}
        for eid, kind in (EvidenceItem.select(EvidenceItem.entry, EvidenceItem.kind)
                          .where(EvidenceItem.entry.in_(ids)).order_by(EvidenceItem.id).tuples()):
            evidence.setdefault(eid, []).append(EVIDENCE.get(kind, kind))
        wanted = {r[2] for r in rows} - names.keys()
        if wanted:
            names.update(Region.select(Region.code, Region.name).where(Region.code.in_(list(wanted))).tuples())
        for (eid, version, county, name, idn, code, person, on, notes, by, at, rstate, rnote, rby, rat) in rows:
            c = CODES.get(code)
            yield BResult(eid, version, county, names.get(county, county), name, idn, code, c.name if c else "",
                          person, on, notes, evidence.get(eid, []), by, at, rstate, rnote, rby, rat)
        after = (rows[-1][2], rows[-1][0])


def flagged_count(actor: Actor) -> int:
    """Rows of the actor's region flagged 需复核 and not yet re-submitted."""
    return Entry.select().where(entry_scope(actor) & (Entry.review_state == ReviewState.FLAGGED.value)).count()


def review_counts(actor: Actor) -> dict[str, ReviewCount]:
    """Per county of the actor's region: B-class results, flagged (awaiting the county) and
    re-submitted rows — for the roll-up and the overview. One grouped query."""
    def share(cond):
        return fn.SUM(Case(None, [(cond, 1)], 0))

    q = (Entry.select(Entry.region, share(Entry.code.in_(B_CODES)),
                      share(Entry.review_state == ReviewState.FLAGGED.value),
                      share(Entry.review_state == ReviewState.RESUBMITTED.value))
         .where(entry_scope(actor) & (Entry.code.in_(B_CODES) | (Entry.review_state != "")))
         .group_by(Entry.region).tuples())
    counts = {region: [int(b or 0), int(f or 0), int(r or 0)] for region, b, f, r in q}
    names = dict(Region.select(Region.code, Region.name).where(Region.code.in_(list(counts))).tuples()) if counts else {}
    return {r: ReviewCount(r, names.get(r, r), *c) for r, c in sorted(counts.items())}


def history(entry_id: int) -> list[ReviewInfo]:
    """One row's review steps, oldest first (the caller has checked the row is in scope)."""
    return [ReviewInfo(r.kind, r.how, r.note, r.version, r.by, r.at)
            for r in Review.select().where(Review.entry == entry_id).order_by(Review.id)]
