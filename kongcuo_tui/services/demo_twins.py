"""Demo 疑似重复: a few children entered twice, the second time with a typo in the ID.

A pass of its own with its own random stream, after the ledger rows are in: the rows of a
seed stay as they were. Only ledgers of at least TWINS_FROM rows get twins, so the small
ledgers tests draw stay as they were too.
"""

from __future__ import annotations

import random

from peewee import fn

from ..db.bulk import bulk_insert
from ..db.connection import db
from ..db.models import Entry
from ..domain.codes import Status
from .idfields import id_columns

TWINS_FROM = 1000
PER_ROWS = 400  # one twin per this many rows
_COPIED = ("region", "township", "source", "name", "birth_date", "hukou", "address", "enrolled", "sex",
           "ethnicity", "stage", "residence", "dropout_reason")


def _typo(rng: random.Random, ident: str, kind: int) -> str:
    if kind == 0:  # one digit of the sequence number mistyped
        i = rng.randrange(14, 17)
        return ident[:i] + str((int(ident[i]) + 1) % 10) + ident[i + 1:]
    i = next((j for j in (14, 15, 12, 10) if ident[j] != ident[j + 1]), 8)  # two digits swapped
    return ident[:i] + ident[i + 1] + ident[i] + ident[i + 2:]


def add_twins(seed: int, batch_id: int, rows: int, taken: set[tuple[str, str]]) -> int:
    """Insert the twins of some of this batch's pending rows with valid IDs; returns how many.

    `taken`: every (region, id_number) of the ledger, kept up to date.
    """
    if rows < TWINS_FROM:
        return 0
    rng = random.Random(seed * 7919 + 17)
    fields = [getattr(Entry, f) for f in _COPIED]
    # The draw depends only on how many rows there are: pick ids, then read just those rows.
    pool = [r[0] for r in db.execute(Entry.select(Entry.id)
            .where((Entry.batch == batch_id) & (Entry.status == Status.PENDING.value) & Entry.id_ok)
            .order_by(Entry.id)).fetchall()]  # from the driver: half a million ids
    picked = rng.sample(pool, min(len(pool), rows // PER_ROWS))
    del pool
    by_id = {d.pop("id"): d for d in Entry.select(Entry.id, Entry.id_number, *fields)
             .where(Entry.id.in_(picked)).dicts()}
    last = (Entry.select(fn.MAX(Entry.seq)).scalar() or 0)
    twins = []
    for n, row in enumerate(by_id[i] for i in picked):
        typo = _typo(rng, row["id_number"], n % 2)
        if (row["region"], typo) in taken:
            continue
        taken.add((row["region"], typo))
        twin = {f: row[f] for f in _COPIED}
        twin.update(batch=batch_id, seq=last + len(twins) + 1, **id_columns(typo, row["birth_date"]))
        twins.append(twin)
    bulk_insert(Entry, twins)
    return len(twins)
