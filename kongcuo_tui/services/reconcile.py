"""The ledger side of 三统一: rows by ID, rows carrying a watched group, and tagging rows.

Scoped like every read; `tag` is a write (county registrar), one transaction, audited, and
refuses to overwrite a row changed since it was read (its version).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..db.connection import is_sqlite
from ..db.models import Entry, now
from ..db.transactions import write_transaction
from ..domain.reconcile import POVERTY_GROUP, POVERTY_KEYS, has_group, with_group
from . import accounts, audit
from .classify import require_classifier
from .row_refs import RowRef, refs
from .scope import entry_scope
from .types import Actor

LedgerMatch = RowRef  # a ledger row found for a list row


@dataclass(frozen=True)
class TagResult:
    tagged: list[int]
    already: int
    changed_meanwhile: list[int]


def by_ids(actor: Actor, id_numbers: list[str]) -> dict[str, list[LedgerMatch]]:
    """The actor's ledger rows with these IDs (a city or province may hold one ID in two counties)."""
    scope = entry_scope(actor)
    out: dict[str, list[LedgerMatch]] = {}
    unique = sorted(set(id_numbers))
    for i in range(0, len(unique), 500):
        for r in refs(scope & Entry.id_number.in_(unique[i:i + 500])):
            out.setdefault(r.id_number, []).append(r)
    return out


def watched(actor: Actor, group: str) -> list[LedgerMatch]:
    """The actor's rows tagged with ``group`` (for 建档立卡 its synonyms too), in ledger order."""
    keys = POVERTY_KEYS if group == POVERTY_GROUP else {group}
    like = None
    for key in sorted(keys):
        cond = Entry.watch_groups.contains(key)
        like = cond if like is None else like | cond
    rows = refs(entry_scope(actor) & like, order=(Entry.region, Entry.seq, Entry.id))
    return [m for m in rows if has_group(m.watch_groups, group)]


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
