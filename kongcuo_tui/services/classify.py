"""Classify one or many ledger rows with one of the three actions.

Every row is checked against the code table's rules, the whole batch is one transaction,
and optimistic locking (the row's `version`) refuses to overwrite a row another registrar
changed after it was shown. Which rows a save changed is the database's own answer
(UPDATE … RETURNING), never a guess from the columns afterwards: two saves by one login in
one second are otherwise indistinguishable.
"""

from __future__ import annotations

from datetime import date
from dataclasses import replace

from ..db.bulk import bulk_insert
from ..db.connection import db, is_sqlite
from ..db.models import Entry, EvidenceItem, History, School, now
from ..domain.codes import CODES, Status
from ..domain.dates import school_year_cutoff
from ..domain.regions import region_name
from ..domain.rules import ChildFacts, Classification, asks_graduation, validate
from ..db.transactions import is_lock_error, once_more_on_deadlock, write_transaction
from . import accounts, audit, review
from .errors import SAVE_BUSY, DatabaseBusy, PermissionDenied, ServiceError
from .scope import entry_scope
from .types import Actor, BatchResult, Conflict, RowFailure


def _existing_evidence(entry_ids: list[int]) -> dict[int, set[str]]:
    """Evidence kinds already on file, by entry id."""
    out: dict[int, set[str]] = {}
    for i in range(0, len(entry_ids), 500):
        q = EvidenceItem.select(EvidenceItem.entry, EvidenceItem.kind).where(
            EvidenceItem.entry.in_(entry_ids[i:i + 500])
        ).tuples()
        for eid, kind in q:
            out.setdefault(eid, set()).add(kind)
    return out


def _facts(e: Entry) -> ChildFacts:
    hukou = e.id_number[:6] if e.id_ok and len(e.id_number) == 18 else None
    return ChildFacts(birth_date=e.birth_date, home_region=e.region, hukou_region=hukou)


CANNOT_CLASSIFY = "您的账号只能查看和导出，不能处理台账（需县级账号）"


def require_classifier(actor: Actor) -> None:
    if not actor.can_classify:
        raise PermissionDenied(CANNOT_CLASSIFY)


def _school_list(region: str | None) -> frozenset[str]:
    if not region or len(region) != 6:
        return frozenset()
    return frozenset(n for (n,) in School.select(School.name).where(School.county == region).tuples())


def check(actor: Actor, versions: dict[int, int], c: Classification, today: date | None = None,
          cutoff: date | None = None) -> BatchResult:
    """Validate without saving (what a form shows as the user types)."""
    return classify(actor, versions, c, today=today, cutoff=cutoff, dry_run=True)


@audit.audits_denials("classify")
def classify(
    actor: Actor,
    versions: dict[int, int],
    c: Classification,
    *,
    partial: bool = False,
    today: date | None = None,
    cutoff: date | None = None,
    dry_run: bool = False,
) -> BatchResult:
    """Apply `c` to the rows `versions` names (entry id → version the user saw).

    Nothing is applied when any row fails, unless `partial` is set, in which case the
    valid rows are applied and the rest reported. Conflicts are never applied.
    """
    actor = accounts.current(actor)  # the role and region as the account has them now
    require_classifier(actor)
    if not versions:
        raise ServiceError("没有选中任何记录")
    today = today or date.today()
    cutoff = cutoff or school_year_cutoff(today)
    code = CODES.get(c.code.strip().upper()) if c.code else None
    if code is not None:
        c = replace(c, code=code.code)
    c = replace(c, graduation=c.graduation.strip() if asks_graduation(code) else "")
    if dry_run:
        return _classify(actor, versions, c, partial, today, cutoff, dry_run)
    try:
        return once_more_on_deadlock(lambda: _classify(actor, versions, c, partial, today, cutoff, dry_run))
    except Exception as e:
        if is_lock_error(e):
            raise DatabaseBusy(SAVE_BUSY) from None
        raise


def _classify(actor: Actor, versions: dict[int, int], c: Classification, partial: bool, today: date,
              cutoff: date, dry_run: bool) -> BatchResult:
    ids = sorted(versions)
    # A check only reads; a save waits for the writer lock (SQLite) before it reads.
    with (db.atomic() if dry_run else write_transaction()) as tx:
        entries = _read(actor, ids, lock=not dry_run)
        missing = [i for i in ids if i not in entries]
        if missing:
            raise PermissionDenied(f"有 {len(missing)} 条记录不存在或不在您的管辖范围内")
        have = _existing_evidence(ids)
        code = CODES.get(c.code)
        county_schools = _school_list(c.study_region) if code is not None and code.needs_place else frozenset()
        failures, conflicts, valid = [], [], []
        for eid in versions:
            e = entries[eid]
            if e.version != versions[eid]:
                conflicts.append(Conflict(eid, e.name, *review.last_change(e)))
                continue
            merged = replace(c, evidence=frozenset(c.evidence) | have.get(eid, set()))
            errors = validate(merged, _facts(e), today, cutoff, schools=county_schools)
            if errors:
                failures.append(RowFailure(eid, e.name, errors))
            else:
                valid.append(e)
        if dry_run or ((failures or conflicts) and not partial):
            tx.rollback()
            return BatchResult([], failures, conflicts)
        applied = _apply(actor, valid, c, have)
        lost = _lost(valid, applied)
        # A row someone else saved meanwhile is a conflict like any other: all or nothing.
        if (lost and not partial) or (not applied and valid):
            tx.rollback()
            return BatchResult([], failures, conflicts + lost)
        return BatchResult(applied, failures, conflicts + lost)


def _read(actor: Actor, ids: list[int], lock: bool) -> dict[int, Entry]:
    """The rows in the actor's scope; for a save on PostgreSQL locked in id order.

    Every save locks its rows in the same order, so two overlapping batches queue one
    behind the other instead of each holding rows the other needs (a deadlock).
    """
    entries: dict[int, Entry] = {}
    for i in range(0, len(ids), 500):
        q = Entry.select().where(entry_scope(actor) & Entry.id.in_(ids[i:i + 500])).order_by(Entry.id)
        if lock and not is_sqlite():
            q = q.for_update(of=Entry)
        entries.update({e.id: e for e in q})
    return entries


read_in_scope = _read  # other services saving rows lock them the same way
existing_evidence = _existing_evidence


def classify_rows(actor: Actor, items: dict[int, tuple[int, Classification]], *, today: date, cutoff: date,
                  check_only: bool = False) -> BatchResult:
    """Each row its own classification (a results sheet): entry id → (version seen, classification).

    Runs inside the caller's write transaction. Every row is checked with the same rules as
    one form's save; conflicts and failing rows are reported and left alone, the valid ones
    are applied (unless ``check_only``), grouped so that equal classifications share statements.
    """
    actor = accounts.current(actor)
    require_classifier(actor)
    ids = sorted(items)
    entries = _read(actor, ids, lock=not check_only)
    missing = [i for i in ids if i not in entries]
    if missing:
        raise PermissionDenied(f"有 {len(missing)} 条记录不存在或不在您的管辖范围内")
    have = _existing_evidence(ids)
    schools: dict[str, frozenset[str]] = {}
    failures, conflicts, groups = [], [], {}
    for eid in ids:
        version, c = items[eid]
        e = entries[eid]
        if e.version != version:
            conflicts.append(Conflict(eid, e.name, *review.last_change(e)))
            continue
        code = CODES.get(c.code.strip().upper()) if c.code else None
        c = replace(c, code=code.code if code else c.code,
                    graduation=c.graduation.strip() if asks_graduation(code) else "")
        if code is not None and code.needs_place and c.study_region not in schools:
            schools[c.study_region] = _school_list(c.study_region)
        merged = replace(c, evidence=frozenset(c.evidence) | have.get(eid, set()))
        errors = validate(merged, _facts(e), today, cutoff,
                          schools=schools.get(c.study_region, frozenset()) if code and code.needs_place else frozenset())
        if errors:
            failures.append(RowFailure(eid, e.name, errors))
        else:
            groups.setdefault(c, []).append(e)
    if check_only:
        return BatchResult([], failures, conflicts)
    applied: list[int] = []
    at, records = now(), _Records()
    for c, group in groups.items():
        done = records.add(actor, group, c, have, _save(actor, group, c, at), at)
        applied += done
        conflicts += _lost(group, done)
    records.insert(actor, bulk=True)
    return BatchResult(sorted(applied), failures, conflicts)


def _lost(valid: list[Entry], applied: list[int]) -> list[Conflict]:
    done = set(applied)
    out = []
    for e in valid:
        if e.id not in done:
            out.append(Conflict(e.id, e.name, *review.last_change(Entry.get_by_id(e.id))))
    return out


def _save(actor: Actor, entries: list[Entry], c: Classification, at) -> set[int]:
    """Update the rows, one statement per version seen (not per row); returns the saved ids.

    The WHERE on version makes a concurrent save lose the race visibly instead of
    overwriting it; RETURNING names exactly the rows this statement changed.
    """
    place = region_name(c.study_region) if c.study_region else ""
    by_version: dict[int, list[int]] = {}
    for e in entries:
        by_version.setdefault(e.version, []).append(e.id)
    saved: set[int] = set()
    for version, ids in by_version.items():
        for i in range(0, len(ids), 500):
            chunk = ids[i:i + 500]
            saved.update(r[0] for r in (
                Entry.update(
                    status=Status.PROCESSED.value, action=c.action.value, code=c.code,
                    study_region=c.study_region or "", study_place=place,
                    study_school=c.study_school.strip(), proof_person=c.proof_person.strip(),
                    proof_date=c.proof_date, notes=c.notes.strip(), graduation=c.graduation,
                    handled_by=actor.login,
                    handled_at=at, updated_at=at, version=version + 1,
                )
                .where(Entry.id.in_(chunk) & (Entry.version == version))
                .returning(Entry.id).tuples().execute()
            ))
    return saved


def _apply(actor: Actor, entries: list[Entry], c: Classification, have: dict[int, set[str]]) -> list[int]:
    at = now()
    records = _Records()
    applied = records.add(actor, entries, c, have, _save(actor, entries, c, at), at)
    records.insert(actor)
    return applied


class _Records:
    """History, evidence and audit rows of one or many saved groups, inserted together."""

    def __init__(self) -> None:
        self.history: list[dict] = []
        self.evidence: list[dict] = []
        self.audits: list[tuple[str, dict]] = []

    def add(self, actor: Actor, entries: list[Entry], c: Classification, have: dict[int, set[str]],
            saved: set[int], at) -> list[int]:
        applied: list[int] = []
        for e in entries:
            if e.id not in saved:
                continue
            applied.append(e.id)
            all_ev = sorted(set(c.evidence) | have.get(e.id, set()))
            self.history.append({
                "entry": e.id, "version": e.version + 1, "action": c.action.value, "code": c.code,
                "study_region": c.study_region or "", "study_school": c.study_school.strip(),
                "proof_person": c.proof_person.strip(), "proof_date": c.proof_date,
                "notes": c.notes.strip(), "graduation": c.graduation, "evidence": ",".join(all_ev),
                "by": actor.login, "at": at,
            })
            for kind in sorted(set(c.evidence) - have.get(e.id, set())):
                self.evidence.append({
                    "entry": e.id, "kind": kind, "received_on": c.proof_date,
                    "recorded_by": actor.login, "recorded_at": at,
                })
            self.audits.append((f"entry:{e.id}", {
                "from": f"{e.status}/{e.code}", "to": c.code, "action": c.action.value,
            }))
        # A row flagged 需复核 is re-submitted by its new classification, in this same transaction.
        review.reclassified(actor, [e for e in entries if e.id in saved], c.notes, at)
        return applied

    def insert(self, actor: Actor, bulk: bool = False) -> None:
        """``bulk`` (a sheet of thousands of rows): the driver's executemany instead of peewee's
        insert_many, whose SQL text is built value by value in Python."""
        if bulk:
            bulk_insert(History, self.history)
            bulk_insert(EvidenceItem, self.evidence)
            audit.record_many(actor.login, "classify", self.audits, bulk=True)
            return
        for i in range(0, len(self.history), 300):
            History.insert_many(self.history[i:i + 300]).execute()
        for i in range(0, len(self.evidence), 300):
            EvidenceItem.insert_many(self.evidence[i:i + 300]).execute()
        audit.record_many(actor.login, "classify", self.audits)
