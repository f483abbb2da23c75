"""Record a row's verified ID (核实证件号码): scoped, county/admin only, version-checked, audited.

The upstream 证件号码 (id_number, id_raw) is never touched. Each save adds an
IdVerificationRecord (upstream and verified number side by side) and an audit entry, and
moves the row's version on, so a form opened before someone else's save is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ..db.models import Entry, IdVerificationRecord, now
from ..db.transactions import write_transaction
from ..domain.rules import RuleError
from ..domain.verified_ids import F_VERIFIED, IdVerification, VerifiedCheck, check_verification
from . import accounts, audit
from .classify import read_in_scope, require_classifier
from .errors import SAVE_BUSY, PermissionDenied, write_or_busy
from .types import Actor, BatchResult, Conflict, RowFailure


@dataclass(frozen=True)
class Verify:
    """One row's verified ID as the user saw the row (its version)."""

    entry_id: int
    version: int
    verification: IdVerification


def check(v: IdVerification, birth_date: date | None, today: date | None = None) -> VerifiedCheck:
    """What a form shows while the number is typed (no database: the rules only)."""
    return check_verification(v, birth_date, today or date.today())


@audit.audits_denials("verify_id")
def record(actor: Actor, entry_id: int, version: int, v: IdVerification, today: date | None = None) -> BatchResult:
    """Save one row's verified ID; nothing is saved when it fails or conflicts."""
    actor = accounts.current(actor)
    require_classifier(actor)
    return write_or_busy(lambda: _in_transaction(actor, [Verify(entry_id, version, v)], today), SAVE_BUSY)


def _in_transaction(actor: Actor, items: list[Verify], today: date | None) -> BatchResult:
    with write_transaction() as tx:
        result = record_many(actor, items, today)
        if not result.ok:
            tx.rollback()
            return BatchResult([], result.failures, result.conflicts)
        return result


def record_many(actor: Actor, items: list[Verify], today: date | None = None, check_only: bool = False) -> BatchResult:
    """Check and save many rows inside the caller's write transaction (e.g. a results import).

    Rows that fail or conflict are reported and not saved; the caller decides whether the
    others stand (it rolls back for all-or-nothing). ``check_only`` saves nothing.
    """
    require_classifier(actor)
    if not items:
        return BatchResult([], [], [])
    today = today or date.today()
    entries = read_in_scope(actor, sorted({i.entry_id for i in items}), lock=not check_only)
    missing = [i.entry_id for i in items if i.entry_id not in entries]
    if missing:
        raise PermissionDenied(f"有 {len(missing)} 条记录不存在或不在您的管辖范围内")
    failures, conflicts, valid = [], [], []
    taken = _numbers_taken(entries, items)
    for item in items:
        e = entries[item.entry_id]
        if e.version != item.version:
            conflicts.append(_conflict(e))
            continue
        checked = check_verification(item.verification, e.birth_date, today)
        errors = list(checked.errors)
        other = taken.get((e.region, checked.normalized))
        if not errors and other is not None and other[0] != e.id:
            errors.append(RuleError(F_VERIFIED, (
                f"号码 {checked.normalized} 已是本县台账另一行（序号 {other[1]}，{other[2]}）的证件号码或核实证件号码；"
                "疑似同一儿童重复登记，请先核对两行，不要把同一号码登记在两行上")))
        if errors:
            failures.append(RowFailure(e.id, e.name, errors))
        else:
            valid.append((e, checked.normalized, item.verification))
    if check_only:
        return BatchResult([], failures, conflicts)
    applied = _save(actor, valid)
    lost = [_conflict(Entry.get_by_id(e.id)) for e, _, _ in valid if e.id not in applied]
    return BatchResult(sorted(applied), failures, conflicts + lost)


def _numbers_taken(entries: dict[int, Entry], items: list[Verify]) -> dict[tuple[str, str], tuple[int, int, str]]:
    """(county, number) → (row id, 序号, 姓名) of rows already holding one of the numbers asked for."""
    from ..domain.ids import normalize_id_text

    numbers = sorted({normalize_id_text(i.verification.verified_id) for i in items} - {""})
    regions = sorted({e.region for e in entries.values()})
    out: dict[tuple[str, str], tuple[int, int, str]] = {}
    for i in range(0, len(numbers), 500):
        chunk = numbers[i:i + 500]
        q = (Entry.select(Entry.region, Entry.id_number, Entry.verified_id, Entry.id, Entry.seq, Entry.name)
             .where(Entry.region.in_(regions) & (Entry.id_number.in_(chunk) | Entry.verified_id.in_(chunk)))
             .tuples())
        for region, number, verified, eid, seq, name in q:
            for n in (number, verified):
                if n in chunk:
                    out.setdefault((region, n), (eid, seq, name))
    return out


def _conflict(e: Entry) -> Conflict:
    later_verified = e.verified_at and (e.handled_at is None or e.verified_at > e.handled_at)
    return Conflict(e.id, e.name, e.verified_by if later_verified else e.handled_by, e.updated_at)


def _save(actor: Actor, valid: list[tuple[Entry, str, IdVerification]]) -> set[int]:
    at = now()
    saved: set[int] = set()
    records, audits = [], []
    for e, number, v in sorted(valid, key=lambda x: x[0].id):  # id order, as every save locks rows
        done = (Entry.update(
            verified_id=number, verified_proof_person=v.proof_person.strip(), verified_proof_date=v.proof_date,
            verified_by=actor.login, verified_at=at, updated_at=at, version=Entry.version + 1,
        ).where((Entry.id == e.id) & (Entry.version == e.version)).returning(Entry.id).tuples().execute())
        if not list(done):
            continue
        saved.add(e.id)
        upstream = e.id_raw or e.id_number
        records.append({"entry": e.id, "version": e.version + 1, "upstream_id": upstream, "verified_id": number,
                        "proof_person": v.proof_person.strip(), "proof_date": v.proof_date,
                        "by": actor.login, "at": at})
        audits.append((f"entry:{e.id}", {"upstream": upstream, "from": e.verified_id, "to": number,
                                         "proof_person": v.proof_person.strip(), "proof_date": v.proof_date}))
    for i in range(0, len(records), 300):
        IdVerificationRecord.insert_many(records[i:i + 300]).execute()
    audit.record_many(actor.login, "verify_id", audits)
    return saved


@dataclass(frozen=True)
class VerifySetup:
    """What the verified-ID form starts with (read off the UI thread)."""

    entry_id: int
    version: int
    name: str
    upstream_id: str  # as the platform sent it
    upstream_problem: str  # "" when the upstream ID passes its check
    birth_date: date | None
    verified_id: str
    proof_person: str
    person_choices: tuple[str, ...]
    proof_date: date
    draft_key: str = ""
    draft: dict[str, object] | None = None  # what was typed and not saved last time, if anything
    draft_at: datetime | None = None


def prepare(actor: Actor, entry_id: int, today: date) -> VerifySetup:
    """The row's IDs and the form's defaults: 证明人 as in the classification form (the
    registrar, or the row's own last 证明人 for this), recent ones offered; refuses read-only accounts."""
    from . import drafts
    from .form_setup import recent_proof_people

    actor = accounts.current(actor)
    require_classifier(actor)
    e = read_in_scope(actor, [entry_id], lock=False).get(entry_id)
    if e is None:
        raise PermissionDenied("该记录不存在或不在您的管辖范围内")
    return VerifySetup(
        entry_id=e.id, version=e.version, name=e.name, upstream_id=e.id_raw or e.id_number,
        upstream_problem="" if e.id_ok else e.id_issue, birth_date=e.birth_date, verified_id=e.verified_id,
        proof_person=e.verified_proof_person or actor.display_name,
        person_choices=tuple([actor.display_name] + recent_proof_people(actor)),
        proof_date=e.verified_proof_date or today, draft_key=(key := drafts.key_for("verify_id", [e.id])),
        **dict(zip(("draft", "draft_at"), drafts.load(actor, key) or (None, None))),
    )
