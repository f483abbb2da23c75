"""The one bulk writer (import and demo): tens of thousands of rows, stored as the ORM would.

peewee's insert_many builds the SQL text value by value in Python, which costs more than
the database's own work. Here, per batch of rows:
- PostgreSQL: one COPY … FROM STDIN, every column given (the schema has no server-side
  defaults: peewee's defaults are Python values); INSERTs where row-level security applies;
- SQLite: multi-row INSERTs as wide as the parameter limit allows, the columns no row of
  the batch sets written once as literals (binding 50 parameters a row costs more than the
  write itself).
Values go to the driver as they are (str, int, bool, date, datetime, None): the drivers
store those exactly as peewee's fields would.
"""

from __future__ import annotations

import functools
import itertools
import sqlite3
from contextlib import contextmanager
from operator import itemgetter
from collections.abc import Iterable

from .connection import db, is_sqlite


def bulk_insert(model, rows: Iterable[dict], batch: int = 1000) -> int:
    """Insert `rows` (field name → value; missing fields get their defaults); returns the count."""
    # Auto-increment keys are left to the database.
    fields = [f for f in model._meta.sorted_fields if not (f.primary_key and f.field_type == "AUTO")]
    done = 0
    it = iter(rows)
    while chunk := list(itertools.islice(it, batch)):
        given = set().union(*chunk)
        unknown = given - {f.name for f in fields}
        if unknown:
            raise ValueError(f"{model.__name__} has no field {sorted(unknown)}")
        variable = [f for f in fields if f.name in given]
        constant = [(f, _default(f)) for f in fields if f.name not in given]
        write = _copy if not is_sqlite() else _insert
        write(model._meta.table_name, variable, constant, chunk)
        done += len(chunk)
    return done


def _default(field):
    return field.default() if callable(field.default) else field.default


def _column(field) -> str:
    return f'"{field.column_name}"'


def _copy(table: str, variable: list, constant: list, chunk: list[dict]) -> None:
    names = [f.name for f in variable]
    defaults = [_default(f) for f in variable]
    fixed = tuple(v for _, v in constant)
    columns = variable + [f for f, _ in constant]
    cols = ", ".join(_column(f) for f in columns)
    values = _values(names, defaults)
    rows = (values(row) + fixed for row in chunk)
    cursor = db.cursor()
    # COPY is refused where row-level security applies (the kongcuo_app role, services/pgroles.py);
    # there the rows go as INSERTs, which psycopg pipelines.
    if cursor.execute("SELECT row_security_active(%s)", (table,)).fetchone()[0]:
        cursor.executemany(f'INSERT INTO "{table}" ({cols}) VALUES ({", ".join(["%s"] * len(columns))})', list(rows))
        return
    with cursor.copy(f'COPY "{table}" ({cols}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(row)


def _insert(table: str, variable: list, constant: list, chunk: list[dict]) -> None:
    names = [f.name for f in variable]
    defaults = [_default(f) for f in variable]
    limit = db.connection().getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    per = max(1, min(len(chunk), limit // max(len(variable), 1)))
    head = (f'INSERT INTO "{table}" ({", ".join(_column(f) for f in variable + [f for f, _ in constant])}) VALUES ')
    one = "(" + ", ".join(["?"] * len(variable) + [_literal(v) for _, v in constant]) + ")"
    cursor = db.cursor()
    values = _values(names, defaults)
    for start in range(0, len(chunk), per):
        part = chunk[start:start + per]
        params = [v for row in part for v in values(row)]
        cursor.execute(_statement(head, one, len(part)), params)


def _values(names: list[str], defaults: list):
    """A row's values for `names` as a tuple, defaults for the names it lacks."""
    if len(names) > 1:
        pick = itemgetter(*names)
    else:  # itemgetter of one name gives the value, not a tuple
        pick = (lambda row: (row[names[0]],)) if names else (lambda row: ())

    def values(row: dict) -> tuple:
        try:
            return pick(row)  # the usual case, every row of a batch with the same fields: one C call
        except KeyError:
            return tuple(row.get(n, d) for n, d in zip(names, defaults))

    return values


@functools.lru_cache(maxsize=32)
def _statement(head: str, one: str, rows: int) -> str:
    return head + ", ".join([one] * rows)


def _literal(value) -> str:
    """A constant as SQLite text: the same value the driver would bind."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (int, float)):
        return repr(value)
    adapt = sqlite3.adapters.get((type(value), sqlite3.PrepareProtocol))
    text = adapt(value) if adapt else str(value)
    return "'" + str(text).replace("'", "''") + "'"


@contextmanager
def bulk_load(model, keep: tuple[str, ...] = ()):
    """Inside a write transaction: a load into `model`'s empty table builds its secondary
    indexes once, at the end, instead of row by row.

    Inserting a million rows into a table with a dozen indexes updates every index per row,
    most of them in random key order: once an index outgrows the page cache each row costs
    page reads and writes (on SQLite most of the demo's system time). Sorting the rows once
    per index afterwards is several times quicker. Only when the table was empty (its
    indexes then cost nothing to rebuild) and only the non-unique ones: a unique index keeps
    refusing duplicates during the load. `keep` names indexes the load's own queries need.
    The schema stays the migrations': each index is recreated from its own stored definition,
    and a failed load rolls the drops back with the rest of the transaction.
    """
    assert db.in_transaction(), "bulk_load needs the caller's transaction to undo its drops"
    table = model._meta.table_name
    indexes = [] if model.select().exists() or not _owns(table) else [
        (name, sql) for name, sql in _index_definitions(table) if name not in keep]
    for name, _ in indexes:
        db.execute_sql(f'DROP INDEX "{name}"')
    yield
    for _, sql in indexes:
        db.execute_sql(sql)


def _index_definitions(table: str) -> list[tuple[str, str]]:
    """(name, CREATE INDEX statement) of the table's non-unique secondary indexes."""
    if is_sqlite():
        q = ("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL "
             "AND sql NOT LIKE 'CREATE UNIQUE%'")
    else:
        q = ("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = %s "
             "AND indexdef NOT LIKE 'CREATE UNIQUE%%'")
    return list(db.execute_sql(q, (table,)).fetchall())


def _owns(table: str) -> bool:
    """Whether this connection may drop the table's indexes (PostgreSQL: the table's owner)."""
    if is_sqlite():
        return True
    q = "SELECT pg_has_role(relowner, 'USAGE') FROM pg_class WHERE oid = %s::regclass"
    return bool(db.execute_sql(q, (table,)).fetchone()[0])


# Rows written at once beyond which the planner's statistics are refreshed: PostgreSQL's
# autovacuum analyzes a table some time after a bulk load, and until then a report planned on
# the old counts (an empty ledger) joins 100,000 rows by nested loops — seconds become minutes.
ANALYZE_AFTER = 1000


def refresh_statistics(written: int) -> None:
    """ANALYZE the ledger's tables on PostgreSQL after ``written`` rows went in at once."""
    if written >= ANALYZE_AFTER:
        for table in ("entry", "history", "follow_up", "persuasion", "case_deadline"):
            _analyze(table)


def analyze(model) -> None:
    """Refresh the planner's statistics for `model`'s table after a bulk write.

    PostgreSQL plans from row counts sampled earlier: right after a county's first import it
    still thinks the county has a few dozen rows, and looks IDs up by reading the whole
    county instead of the (region, id_number) index. SQLite keeps no statistics unless asked.
    """
    _analyze(model._meta.table_name)


def _analyze(table: str) -> None:
    if not is_sqlite():
        db.execute_sql(f'ANALYZE "{table}"')


def vacuum(model) -> None:
    """After a large bulk write has been committed (PostgreSQL): VACUUM (ANALYZE) the table.

    Until VACUUM sets the visibility map, an index-only count still reads every heap page:
    counting a province's 550,000 pending rows took 0.7–0.9 s on a fresh million-row table.
    Runs only outside a transaction (VACUUM cannot run inside one); SQLite needs nothing.
    """
    if not is_sqlite() and not db.in_transaction():
        db.execute_sql(f'VACUUM (ANALYZE) "{model._meta.table_name}"')
