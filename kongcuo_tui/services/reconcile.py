"""The ledger side of 三统一: rows by ID, rows carrying a watched group, and tagging rows.

Scoped like every read; `tag` is a write (county registrar), one transaction, audited, and
refuses to overwrite a row changed since it was read (its version).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..db.connection import is_sqlite
from ..db.models import Entry, now
from ..db.transactions import write_transaction
from ..domain.reconcile import POVERTY_GROUP, POVERTY_KEYS, has_group, with_group
from ..domain.regions import region_name
from . import accounts, audit
from .classify import require_classifier
from .scope import entry_scope
from .types import Actor

_FIELDS = (Entry.id, Entry.region, Entry.seq, Entry.name, Entry.birth_date, Entry.id_number, Entry.status,
           Entry.code, Entry.watch_groups, Entry.version)


@dataclass(frozen=True)
class LedgerMatch:
    id: int
    region: str
    region_name: str
    seq: int
    name: str
    birth_date: date | None
    id_number: str
    status: str
    code: str
    watch_groups: str
    version: int


@dataclass(frozen=True)
class TagResult:
    tagged: list[int]
    already: int
    changed_meanwhile: list[int]


def _match(t: tuple) -> LedgerMatch:
    return LedgerMatch(t[0], t[1], region_name(t[1]), *t[2:])


def by_ids(actor: Actor, id_numbers: list[str]) -> dict[str, list[LedgerMatch]]:
    """The actor's ledger rows with these IDs (a city or province may hold one ID in two counties)."""
    scope = entry_scope(actor)
    out: dict[str, list[LedgerMatch]] = {}
    unique = sorted(set(id_numbers))
    for i in range(0, len(unique), 500):
        q = Entry.select(*_FIELDS).where(scope & Entry.id_number.in_(unique[i:i + 500])).order_by(Entry.id)
        for t in q.tuples():
            out.setdefault(t[5], []).append(_match(t))
    return out


def watched(actor: Actor, group: str) -> list[LedgerMatch]:
    """The actor's rows tagged with ``group`` (for 建档立卡 its synonyms too), in ledger order."""
    keys = POVERTY_KEYS if group == POVERTY_GROUP else {group}
    like = None
    for key in sorted(keys):
        cond = Entry.watch_groups.contains(key)
        like = cond if like is None else like | cond
    q = Entry.select(*_FIELDS).where(entry_scope(actor) & like).order_by(Entry.region, Entry.seq, Entry.id)
    return [m for m in map(_match, q.tuples().iterator()) if has_group(m.watch_groups, group)]


@audit.audits_denials("reconcile_tag")
def tag(actor: Actor, rows: list[LedgerMatch], group: str, source: str) -> TagResult:
    """Add ``group`` to these rows' watched groups, all in one transaction, each change audited.

    ``source`` (the list's file name) goes into the audit. A row changed since it was read
    is left alone and listed in ``changed_meanwhile``.
    """
    actor = accounts.current(actor)
    require_classifier(actor)
    seen = {r.id: r for r in rows}
    tagged, lost, already, audits = [], [], 0, []
    with write_transaction():
        scope = entry_scope(actor)
        ids = sorted(seen)
        for i in range(0, len(ids), 500):
            q = Entry.select(Entry.id, Entry.watch_groups, Entry.version).where(scope & Entry.id.in_(ids[i:i + 500]))
            if not is_sqlite():
                q = q.for_update(of=Entry)
            for eid, groups, version in q.order_by(Entry.id).tuples():
                if version != seen[eid].version:
                    lost.append(eid)
                    continue
                if has_group(groups, group):
                    already += 1
                    continue
                new = with_group(groups, group)
                done = (Entry.update(watch_groups=new, version=version + 1, updated_at=now())
                        .where((Entry.id == eid) & (Entry.version == version)).returning(Entry.id).tuples().execute())
                if list(done):
                    tagged.append(eid)
                    audits.append((f"entry:{eid}", {"watch_groups": [groups, new], "list": source}))
                else:
                    lost.append(eid)
        audit.record_many(actor.login, "reconcile_tag", audits)
    return TagResult(tagged, already, lost)
