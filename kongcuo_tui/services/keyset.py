"""The ledger's row orders and keyset paging in them, each page one index range.

Rows are listed by (county, 序号, id) at every scope — for a county account that is its
序号 order — so a city's or a province's page reads the (status, region, seq, id) or
(region, seq, id) index in order instead of sorting the whole scope. A prefix search lists
its matches by the searched key (name or ID, bytewise, then id), the order of the index
that finds them. See db/migrations.py (_page_orders_at_every_scope).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from peewee import NodeList, Tuple

from ..db.connection import is_sqlite
from ..db.models import Entry

REGION_ORDER = (Entry.region, Entry.seq, Entry.id)


def bytewise(field):
    """`field` compared and sorted by code point: SQLite's own order, PostgreSQL's "C" collation."""
    return field if is_sqlite() else field.collate('"C"')


def prefix(field, text: str):
    """Values of `field` starting with `text`, as one bytewise range an index can serve."""
    key = bytewise(field)
    last = ord(text[-1])
    if last >= 0x10FFFF or 0xD7FF <= last < 0xE000:  # no next code point to end the range at
        return (key >= text) & field.startswith(text)
    return (key >= text) & (key < text[:-1] + chr(last + 1))


def order_for(search_field=None) -> tuple:
    """The row order: (region, 序号, id), or (the searched field, id) for a prefix search."""
    return REGION_ORDER if search_field is None else (bytewise(search_field), Entry.id)


def _plain(field):
    return field.nodes[0] if isinstance(field, NodeList) else field  # a collated field's column


def values_of(order: tuple, row) -> tuple:
    """The order's values in `row` (an object with the fields as attributes)."""
    return tuple(getattr(row, _plain(f).name) for f in order)


def rows_after(order: tuple, values: tuple) -> list:
    """Conditions, to be read in turn, for the rows after `values` in `order`.

    In (region, 序号, id): the rest of that county, then the counties after it — each an
    index range that starts where the last page ended (a single row-value comparison on
    the three columns is walked from the scope's first row on SQLite).
    """
    if order[0] is Entry.region:
        return [(Entry.region == values[0]) & (Tuple(*order[1:]) > Tuple(*values[1:])), Entry.region > values[0]]
    return [Tuple(*order) > Tuple(*values)]


def pages(fetch: Callable[[object, int], list], order: tuple, key: Callable, page: int,
          after: tuple | None = None) -> Iterator[list]:
    """Pages of rows in `order` after `after` (None: from the first row).

    ``fetch(cond, limit)`` reads up to `limit` rows in `order` that also match `cond` (None:
    no extra condition); ``key(row)`` gives a row's order values.
    """
    conds = [None] if after is None else rows_after(order, after)
    while conds:
        rows = fetch(conds[0], page)
        if rows:
            yield rows
        conds = rows_after(order, key(rows[-1])) if len(rows) == page else conds[1:]


def first_rows(fetch: Callable[[object, int], list], order: tuple, limit: int, after: tuple | None) -> list:
    """The `limit` rows after `after` in `order` (fewer at the end)."""
    out: list = []
    conds = [None] if after is None else rows_after(order, after)
    for cond in conds:
        out += fetch(cond, limit - len(out))
        if len(out) == limit:
            break
    return out
