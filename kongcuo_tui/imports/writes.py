"""Writing checked rows: new rows through the one bulk writer (db/bulk.py); updates with their audit entries."""

from __future__ import annotations

from ..db.bulk import bulk_insert
from ..db.models import Entry, now
from ..services import audit
from ..services.types import Actor
from .headers import BY_FIELD
from .rows import RowResult

COMPARED = tuple(f for f in BY_FIELD if f in Entry._meta.fields) + (
    "id_raw", "id_ok", "id_issue_code", "id_issue", "stage")
_DERIVED_LABELS = {"stage": "学段"}  # fields the import works out rather than reads


def existing(region: str, keys: list[str]) -> dict[str, dict]:
    """Rows of this county holding these IDs, as upstream 证件号码 or as 核实证件号码.

    The upstream number wins when a key is both (one row per upstream ID: a unique index).
    A row found by its verified ID then takes the file's number as its upstream value: the
    platform has corrected it.
    """
    cols = [Entry.id] + [getattr(Entry, f) for f in COMPARED]
    # Two lookups, each one range of its (region, …) index: SQLite plans the OR of both as
    # a walk through the whole county per chunk (15 s of a 100,000-row re-import).
    by_upstream = {d["id_number"]: d for d in Entry.select(*cols).where(
        (Entry.region == region) & Entry.id_number.in_(keys)).dicts()}
    by_verified = {}
    for d in Entry.select(Entry.verified_id, *cols).where(
            (Entry.region == region) & Entry.verified_id.in_(keys)).order_by(Entry.id).dicts():
        by_verified.setdefault(d.pop("verified_id"), d)
    return {k: by_upstream.get(k) or by_verified[k] for k in keys if k in by_upstream or k in by_verified}


def new_rows(region: str, batch_id: int) -> dict:
    """What every row an import adds shares: county, batch, and the import's time."""
    at = now()
    return {"region": region, "batch": batch_id, "created_at": at, "updated_at": at}


def insert(shared: dict, results: list[RowResult], chunk: int, write=None) -> None:
    """New rows for ``results`` with the ``shared`` values (new_rows), ``chunk`` rows per
    statement at most; through ``write`` (a db.bulk.bulk_writer's) when given, else in a
    bulk write of their own."""
    rows = (r.fields for r in results)
    if write is None:
        bulk_insert(Entry, rows, batch=chunk, same=shared)
    else:
        write(rows, shared)


def update(actor: Actor, batch_id: int, updates: list[tuple[int, RowResult, dict]]) -> None:
    """Apply changed upstream columns to known rows, one audit entry per row."""
    if not updates:
        return
    at = now()
    # In id order, the order saves lock rows in: no deadlock with a batch classification.
    updates = sorted(updates, key=lambda u: u[0])
    for entry_id, r, changes in updates:
        Entry.update(batch=batch_id, updated_at=at, **{k: new for k, (_, new) in changes.items()}).where(
            Entry.id == entry_id).execute()
    audit.record_many(actor.login, "import_update", [
        (str(entry_id), {"batch": batch_id, "row": r.row,
                         "changes": {_label(k): [old, new] for k, (old, new) in changes.items()}})
        for entry_id, r, changes in updates
    ])


def _label(field: str) -> str:
    return BY_FIELD[field].label if field in BY_FIELD else _DERIVED_LABELS.get(field, field)
