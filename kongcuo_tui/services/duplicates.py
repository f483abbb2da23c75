"""疑似重复: rows in the account's scope that are probably one child, and the registrar's answers.

The search never compares all pairs (domain/duplicates.py has the rules):
  1. two different IDs can only be one child when one fails the check, so only names that
     have a failing row are read (an indexed lookup by name for each), streamed in name
     order, one block of a name at a time; inside a block the failing rows are indexed by
     typo keys and birth date;
  2. the same ID in two counties' ledgers by GROUP BY id_number (city and province scope).
Nothing is merged automatically: `link` classifies the other row B1 (户籍重复) through the
normal classification path, `mark_different` records that the two are different children;
either answer keeps the pair from being offered again.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from peewee import IntegrityError, fn

from ..db.connection import db
from ..db.models import DuplicateDecision, Entry
from ..db.transactions import write_transaction
from ..domain.codes import Action
from ..domain.duplicates import Candidate, Reason, normalize_name, pairs_in_block
from ..domain.rules import Classification
from . import accounts, audit, classify
from .errors import NotFound, PermissionDenied, ServiceError
from .row_refs import RowRef, refs
from .scope import entry_scope
from .types import Actor, BatchResult

LINKED, DIFFERENT = "linked", "different"
B1 = "B1"
VIEW_ONLY = ("市级、省级账号只能查看疑似重复；确认“同一人”或“不是同一人”须由记录所属县的学籍管理员操作")
_FIELDS = (Entry.id, Entry.region, Entry.name, Entry.birth_date, Entry.id_number, Entry.id_ok)
_REASON_ORDER = {r: i for i, r in enumerate(Reason)}


DupRow = RowRef  # the two rows of a pair


@dataclass(frozen=True)
class DuplicatePair:
    """Two rows that are probably one child; ``a`` has the lower record number."""

    reason: Reason
    a: DupRow
    b: DupRow

    @property
    def reason_label(self) -> str:
        return self.reason.label

    @property
    def cross_county(self) -> bool:
        return self.a.region != self.b.region

    def to_json(self) -> dict:
        def row(r: DupRow) -> dict:
            return {"id": r.id, "region": r.region, "region_name": r.region_name, "seq": r.seq, "name": r.name,
                    "birth_date": r.birth_date.isoformat() if r.birth_date else None, "id_number": r.id_number,
                    "id_ok": r.id_ok, "status": r.status, "code": r.code}
        return {"reason": self.reason.value, "reason_label": self.reason_label, "a": row(self.a), "b": row(self.b)}


def _raw_rows(query, size: int = 5000) -> Iterator[tuple]:
    """The query's rows as the driver gives them, streamed: peewee's per-value conversion cost
    more than the whole search. Birth dates stay the driver's (text on SQLite, dates on
    PostgreSQL): the rules only compare them for equality."""
    cursor = db.execute_sql(*query.sql())
    while batch := cursor.fetchmany(size):
        yield from batch


def _candidate(t: tuple) -> Candidate:
    return Candidate(t[0], t[1], t[2], t[3], t[4], bool(t[5]))


def _name_blocks(scope) -> Iterator[list[Candidate]]:
    """The rows of each name with a failing ID in scope (only those can pair), a block at a time.

    Streamed in name order, so the rows of one name arrive together. A spelling that
    normalises to another name ("王 丽") is set aside and joined at the end with the rows
    of the name it normalises to.
    """
    failing = Entry.select(Entry.name).where(scope & (Entry.id_ok == False))  # noqa: E712 (SQL)
    query = Entry.select(*_FIELDS).where(scope & Entry.name.in_(failing)).order_by(Entry.name, Entry.id)
    aside: dict[str, list[Candidate]] = defaultdict(list)
    block: list[tuple] = []
    name, odd = None, False
    for t in _raw_rows(query):
        if t[2] != name:
            if len(block) > 1:
                yield [_candidate(b) for b in block]
            block, name = [], t[2]
            key = normalize_name(name)
            odd = key != name
        if odd:
            aside[key].append(_candidate(t))
        else:
            block.append(t)
    if len(block) > 1:
        yield [_candidate(b) for b in block]
    for key, rows in aside.items():
        rows += [_candidate(t) for t in _raw_rows(Entry.select(*_FIELDS).where(scope & (Entry.name == key)))]
        if len(rows) > 1:
            yield rows


def _same_id_pairs(scope) -> Iterator[tuple[Candidate, Candidate, Reason]]:
    """One ID in several counties' ledgers (a county holds each ID once)."""
    shared = Entry.select(Entry.id_number).where(scope).group_by(Entry.id_number).having(fn.COUNT(Entry.id) > 1)
    rows = Entry.select(*_FIELDS).where(scope & Entry.id_number.in_(shared)).order_by(Entry.id_number, Entry.id)
    groups: dict[str, list[Candidate]] = defaultdict(list)
    for t in _raw_rows(rows):
        groups[t[4]].append(_candidate(t))
    for members in groups.values():
        for i in range(len(members)):
            for j in range(i + 1, len(members)):
                yield members[i], members[j], Reason.SAME_ID_ACROSS_COUNTIES


def _decided(scope) -> set[tuple[int, int]]:
    q = (DuplicateDecision.select(DuplicateDecision.entry_a, DuplicateDecision.entry_b)
         .join(Entry, on=DuplicateDecision.entry_a == Entry.id).where(scope).tuples())
    return set(q)


def _rows(scope, ids: list[int]) -> dict[int, DupRow]:
    out: dict[int, DupRow] = {}
    for i in range(0, len(ids), 500):
        out.update((r.id, r) for r in refs(scope & Entry.id.in_(ids[i:i + 500])))
    return out


def find(actor: Actor) -> list[DuplicatePair]:
    """Every probable pair in the account's scope not yet answered, by reason, county and name."""
    scope = entry_scope(actor)
    found: dict[tuple[int, int], Reason] = {}
    for block in _name_blocks(scope):
        for a, b, reason in pairs_in_block(block):
            found[(a.id, b.id)] = reason
    for a, b, reason in _same_id_pairs(scope):
        found[(a.id, b.id)] = reason
    for key in _decided(scope) & found.keys():
        del found[key]
    rows = _rows(scope, sorted({i for pair in found for i in pair}))
    pairs = [DuplicatePair(reason, rows[a], rows[b]) for (a, b), reason in found.items() if a in rows and b in rows]
    pairs.sort(key=lambda p: (_REASON_ORDER[p.reason], p.a.region, p.a.name, p.a.id, p.b.id))
    return pairs


def _require_actor(actor: Actor) -> Actor:
    actor = accounts.current(actor)
    if not actor.can_classify:
        raise PermissionDenied(VIEW_ONLY)
    return actor


def _two_rows(actor: Actor, first: int, second: int) -> dict[int, DupRow]:
    if first == second:
        raise ServiceError(f"两个记录号相同（#{first}）；请给出两条不同的记录")
    rows = _rows(entry_scope(actor), [first, second])
    for eid in (first, second):
        if eid not in rows:
            raise NotFound(f"找不到台账记录 #{eid}，或不在您的管辖范围内（两行分属不同县时，须由各自所属县处理）")
    return rows


def _decision(a: int, b: int):
    lo, hi = min(a, b), max(a, b)
    return DuplicateDecision.get_or_none((DuplicateDecision.entry_a == lo) & (DuplicateDecision.entry_b == hi))


def _refuse_if_answered(a: int, b: int) -> None:
    d = _decision(a, b)
    if d is not None:
        what = "确认为同一人并已处理" if d.decision == LINKED else "标记为不是同一人"
        raise ServiceError(f"记录 #{min(a, b)} 与 #{max(a, b)} 已由 {d.by} 于 {d.at:%Y-%m-%d %H:%M} {what}，无需再处理")


def _decide(a: int, b: int, decision: str, login: str) -> None:
    # Two registrars answering the same pair at once (PostgreSQL lets both read "no answer"):
    # the unique index refuses the second, whose whole transaction then rolls back.
    try:
        with db.atomic():
            DuplicateDecision.create(entry_a=min(a, b), entry_b=max(a, b), decision=decision, by=login)
    except IntegrityError:
        raise ServiceError(f"记录 #{min(a, b)} 与 #{max(a, b)} 刚刚已由他人处理，本次未做任何改动；"
                           "请按 Ctrl+R 重新查找") from None


def link_notes(keep: DupRow, extra: str = "") -> str:
    """处理说明 of the row classified B1: which row is the child's, so the link can be followed."""
    text = (f"户籍重复：与台账记录 #{keep.id}（{keep.region_name} 序号 {keep.seq}，{keep.name}，"
            f"证件号码 {keep.id_number}）为同一人，以该行为准")
    return f"{text}；{extra.strip()}" if extra.strip() else text


@audit.audits_denials("duplicate_link")
def link(actor: Actor, keep_id: int, other_id: int, *, proof_person: str, proof_date: date | None,
         evidence: frozenset[str] = frozenset(), notes: str = "", version: int | None = None,
         today: date | None = None) -> BatchResult:
    """One child: ``other_id`` is classified B1 with a reference to ``keep_id``, in one transaction.

    The classification goes through services/classify (rules, history, audit, version
    check); ``version`` is the other row's version the registrar saw (None: as it is now).
    Nothing is applied when the classification fails; the result says why.
    """
    actor = _require_actor(actor)
    with write_transaction() as tx:
        rows = _two_rows(actor, keep_id, other_id)
        _refuse_if_answered(keep_id, other_id)
        keep, other = rows[keep_id], rows[other_id]
        c = Classification(Action.DROPOUT, B1, proof_person, proof_date, link_notes(keep, notes),
                           evidence=frozenset(evidence))
        result = classify.classify(actor, {other_id: other.version if version is None else version}, c, today=today)
        if not result.ok:
            tx.rollback()
            return result
        _decide(keep_id, other_id, LINKED, actor.login)
        audit.record(actor.login, "duplicate_link", f"entry:{other_id}", keep=keep_id, other=other_id,
                     code=B1)
        return result


@audit.audits_denials("duplicate_different")
def mark_different(actor: Actor, first: int, second: int) -> None:
    """Two different children: the pair is recorded and not offered again."""
    actor = _require_actor(actor)
    with write_transaction():
        _two_rows(actor, first, second)
        _refuse_if_answered(first, second)
        _decide(first, second, DIFFERENT, actor.login)
        audit.record(actor.login, "duplicate_different", f"entry:{min(first, second)}",
                     a=min(first, second), b=max(first, second))
