"""Counts for reports: by region × status × code class."""

from __future__ import annotations

from peewee import fn

from ..db.models import Entry, Region
from ..domain.codes import CLASS_COLUMNS as _CLASS_COLUMNS
from ..domain.codes import STATUS_LABELS, Status, class_of
from .scope import entry_scope
from .types import Actor

CLASS_COLUMNS = tuple(_CLASS_COLUMNS.values())


def _klass(code: str) -> str | None:
    klass = class_of(code)
    return _CLASS_COLUMNS[klass] if klass else None


def summary(actor: Actor) -> list[dict]:
    """One row per (county, status): 合计 and counts per code class, plus a total row."""
    q = (
        Entry.select(Entry.region, Entry.status, Entry.code, fn.COUNT(Entry.id))
        .where(entry_scope(actor))
        .group_by(Entry.region, Entry.status, Entry.code)
        .tuples()
    )
    table: dict[tuple[str, str], dict] = {}
    for region, status, code, n in q:
        row = table.setdefault((region, status), {c: 0 for c in CLASS_COLUMNS} | {"合计": 0, "坏证件号": 0})
        row["合计"] += n
        k = _klass(code)
        if k:
            row[k] += n
    bad = (
        Entry.select(Entry.region, Entry.status, fn.COUNT(Entry.id))
        .where(entry_scope(actor) & (Entry.id_ok == False))  # noqa: E712
        .group_by(Entry.region, Entry.status).tuples()
    )
    for region, status, n in bad:
        table[(region, status)]["坏证件号"] = n
    names = dict(Region.select(Region.code, Region.full_name).where(Region.code.in_({r for r, _ in table})).tuples()) if table else {}
    out = []
    order = {s.value: i for i, s in enumerate(Status)}
    for (region, status), counts in sorted(table.items(), key=lambda kv: (kv[0][0], order.get(kv[0][1], 9))):
        out.append({"区划": f"{region} {names.get(region, '')}", "状态": STATUS_LABELS.get(Status(status), status), **counts})
    if out:
        total = {"区划": "总计", "状态": ""}
        for key in ("合计", *CLASS_COLUMNS, "坏证件号"):
            total[key] = sum(r[key] for r in out)
        out.append(total)
    return out
