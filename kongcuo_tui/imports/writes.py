"""Writing checked rows: one multi-row INSERT per chunk; updates with their audit entries.

Raw INSERTs skip peewee's defaults, so every column is given: the columns a file sets are
parameters, the rest are constant literals (binding 47 parameters a row costs more than
the database write itself). On SQLite a chunk goes in one statement where the parameter
limit allows: one driver call, run without the GIL, while the next chunk is checked. On
PostgreSQL, psycopg pipelines executemany, which beats one huge statement there.
"""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable
from datetime import date

from ..db.connection import db, is_sqlite
from ..db.models import Entry, now
from ..domain.codes import Status
from ..services import audit
from ..services.types import Actor
from .headers import BY_FIELD
from .rows import RowResult

COMPARED = tuple(f for f in BY_FIELD if f in Entry._meta.fields) + (
    "id_raw", "id_ok", "id_issue_code", "id_issue", "stage")
_DERIVED_LABELS = {"stage": "学段"}  # fields the import works out rather than reads
_VARIABLE = ("region", "batch", "created_at", "updated_at") + COMPARED


def existing(region: str, keys: list[str]) -> dict[str, dict]:
    """Rows of this county holding these IDs, as upstream 证件号码 or as 核实证件号码.

    The upstream number wins when a key is both (one row per upstream ID: a unique index).
    A row found by its verified ID then takes the file's number as its upstream value: the
    platform has corrected it.
    """
    cols = [Entry.id, Entry.verified_id] + [getattr(Entry, f) for f in COMPARED]
    q = Entry.select(*cols).where((Entry.region == region) & (
        Entry.id_number.in_(keys) | Entry.verified_id.in_(keys))).dicts()
    by_upstream, by_verified = {}, {}
    for d in q:
        verified = d.pop("verified_id")
        by_upstream[d["id_number"]] = d
        if verified:
            by_verified.setdefault(verified, d)
    return {k: by_upstream.get(k) or by_verified[k] for k in keys if k in by_upstream or k in by_verified}


def insert(region: str, batch_id: int, results: list[RowResult], chunk: int) -> None:
    """New rows for ``results``, ``chunk`` rows per statement at most."""
    if not results:
        return
    at = _bound(now())
    base = dict(zip(_VARIABLE, [region, batch_id, at, at] + [_default(Entry._meta.fields[f]) for f in COMPARED]))
    width = len(base)
    params: list = []
    birth = _binder(date)
    for r in results:
        row = {**base, **r.fields}  # keeps _VARIABLE's order
        if len(row) != width:
            raise ValueError(f"unexpected fields {sorted(row.keys() - base.keys())}")
        if row["birth_date"] is not None:
            row["birth_date"] = birth(row["birth_date"])
        params += row.values()
    cursor = db.cursor()
    if not is_sqlite():  # psycopg pipelines executemany; one huge statement is slower there
        cursor.executemany(_insert_sql(db.param, 1), [params[i:i + width] for i in range(0, len(params), width)])
        return
    per = _rows_per_statement(width, chunk)
    for start in range(0, len(results), per):
        n = min(per, len(results) - start)
        cursor.execute(_insert_sql(db.param, n), params[start * width:(start + n) * width])


def _binder(kind: type) -> Callable:
    """sqlite3's registered adapter for ``kind``, to call ahead of binding; else identity.

    The driver would call the same function while binding, one Python call per value on
    the writing thread; calling it earlier stores the same text.
    """
    adapt = sqlite3.adapters.get((kind, sqlite3.PrepareProtocol)) if is_sqlite() else None
    return adapt or (lambda value: value)


def _bound(value):
    return _binder(type(value))(value)


def _rows_per_statement(width: int, chunk: int) -> int:
    """SQLite's parameter limit is 32766 by default, 999 in builds before 3.32."""
    limit = db.connection().getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return max(1, min(chunk, limit // width))


def _default(field):
    return field.default() if callable(field.default) else field.default


def _literal(value) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value and db.param == "?" else "TRUE" if value else "0" if db.param == "?" else "FALSE"
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"


@functools.lru_cache(maxsize=16)
def _insert_sql(param: str, rows: int) -> str:
    """INSERT of ``rows`` rows: _VARIABLE as ``param`` placeholders, other columns constant."""
    fixed = {"status": Status.PENDING.value}
    constant = [f for f in Entry._meta.fields if f != "id" and f not in _VARIABLE]
    names = list(_VARIABLE) + constant
    cols = ", ".join(f'"{Entry._meta.fields[f].column_name}"' for f in names)
    values = [param] * len(_VARIABLE) + [
        _literal(fixed.get(f, _default(Entry._meta.fields[f]))) for f in constant]
    one = f'({", ".join(values)})'
    return f'INSERT INTO "{Entry._meta.table_name}" ({cols}) VALUES {", ".join([one] * rows)}'


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
