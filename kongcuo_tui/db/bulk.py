"""The one bulk writer (import and demo): tens of thousands of rows, stored as the ORM would.

peewee's insert_many builds the SQL text value by value in Python, which costs more than
the database's own work. Here, per batch of rows:
- PostgreSQL: one COPY … FROM STDIN, every column given (the schema has no server-side
  defaults: peewee's defaults are Python values); INSERTs where row-level security applies;
- SQLite: multi-row INSERTs as wide as the parameter limit allows, the columns no row of
  the batch sets written once as literals (binding 50 parameters a row costs more than the
  write itself).
Values go to the driver as they are (str, int, bool, date, datetime, None): the drivers
store those exactly as peewee's fields would. On SQLite the date columns go as the ISO text
the driver's own adapters would bind, each distinct value converted once (_DateText).
"""

from __future__ import annotations

import functools
import itertools
import sqlite3
from contextlib import contextmanager
from operator import itemgetter
from collections.abc import Iterable

from peewee import DateField, DateTimeField

from .connection import db, is_sqlite


def bulk_insert(model, rows: Iterable[dict], batch: int = 1000, same: dict | None = None) -> int:
    """Insert `rows` (field name → value; missing fields get their defaults); returns the count.

    `same` holds values every row shares (a batch id, a timestamp): written once per
    statement rather than bound row by row; the rows must not set those fields themselves.
    `rows` may be a generator, but one that leaves the connection alone: on PostgreSQL it is
    read while a COPY is open.
    """
    with bulk_writer(model, batch) as write:
        return write(rows, same)


@contextmanager
def bulk_writer(model, batch: int = 1000):
    """``write(rows, same=None) -> count`` (as bulk_insert), to call as often as rows come,
    for one bulk load.

    On PostgreSQL every call feeds the same COPY (a new one only when a batch sets a field
    the open one left to its default, or `same` changes), so the server stores rows while the caller prepares
    the next ones instead of waiting for each batch; nothing else may use the connection
    until the block ends. On SQLite each batch is written when it is given.
    """
    writer = _Writer(model, batch)
    try:
        yield writer.write
    except BaseException as e:
        writer.end(e)
        raise
    writer.end(None)


class _Writer:
    def __init__(self, model, batch: int):
        self.table, self.batch = model._meta.table_name, batch
        # Auto-increment keys are left to the database.
        self.fields = [f for f in model._meta.sorted_fields if not (f.primary_key and f.field_type == "AUTO")]
        self.names = {f.name for f in self.fields}
        self.sqlite = is_sqlite()
        self.copy = None  # PostgreSQL: the open COPY (context, fields named, same, row → values, fixed, copy)
        self.rls: bool | None = None

    def write(self, rows: Iterable[dict], same: dict | None = None) -> int:
        same = same or {}
        done = 0
        it = iter(rows)
        while chunk := list(itertools.islice(it, self.batch)):
            given = set().union(*chunk)
            unknown = (given | same.keys()) - self.names
            if unknown or given & same.keys():
                raise ValueError(f"{self.table}: no field {sorted(unknown)}, or set both per row and for all "
                                 f"{sorted(given & same.keys())}")
            variable = [f for f in self.fields if f.name in given]
            constant = [(f, same[f.name] if f.name in same else _default(f)) for f in self.fields
                        if f.name not in given]
            if self.sqlite:
                _insert(self.table, variable, constant, chunk)
            else:
                self._copy(given, same, variable, constant, chunk)
            done += len(chunk)
        return done

    def _copy(self, given: set, same: dict, variable: list, constant: list, chunk: list[dict]) -> None:
        cursor = db.cursor()
        if self.rls is None:
            self.rls = cursor.execute("SELECT row_security_active(%s)", (self.table,)).fetchone()[0]
        columns = variable + [f for f, _ in constant]
        cols = ", ".join(_column(f) for f in columns)
        # COPY is refused where row-level security applies (the kongcuo_app role, services/pgroles.py);
        # there the rows go as INSERTs, which psycopg pipelines.
        if self.rls:
            values, fixed = self._row_values(variable, constant)
            cursor.executemany(f'INSERT INTO "{self.table}" ({cols}) VALUES ({", ".join(["%s"] * len(columns))})',
                               [values(row) + fixed for row in chunk])
            return
        # The open COPY takes this batch when it names every field the batch sets (the rest get
        # the defaults it was opened with) and the shared values are the same.
        if self.copy is None or not given <= self.copy[1] or same != self.copy[2]:
            self.end(None)
            context = cursor.copy(f'COPY "{self.table}" ({cols}) FROM STDIN')
            self.copy = (context, {f.name for f in variable}, same, *self._row_values(variable, constant),
                         context.__enter__())
        _, _, _, values, fixed, copy = self.copy
        for row in chunk:
            copy.write_row(values(row) + fixed)

    @staticmethod
    def _row_values(variable: list, constant: list):
        return _values([f.name for f in variable], [_default(f) for f in variable]), tuple(v for _, v in constant)

    def end(self, error: BaseException | None) -> None:
        """Finish the open COPY (with `error`, abort it)."""
        if self.copy is not None:
            context, self.copy = self.copy[0], None
            if error is None:
                context.__exit__(None, None, None)
            else:
                context.__exit__(type(error), error, error.__traceback__)


def _default(field):
    return field.default() if callable(field.default) else field.default


def _column(field) -> str:
    return f'"{field.column_name}"'


def _insert(table: str, variable: list, constant: list, chunk: list[dict]) -> None:
    names = [f.name for f in variable]
    defaults = [_default(f) for f in variable]
    limit = db.connection().getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    per = max(1, min(len(chunk), limit // max(len(variable), 1)))
    head = (f'INSERT INTO "{table}" ({", ".join(_column(f) for f in variable + [f for f, _ in constant])}) VALUES ')
    one = "(" + ", ".join(["?"] * len(variable) + [_literal(v) for _, v in constant]) + ")"
    cursor = db.cursor()
    values = _values(names, defaults)
    width = len(variable)
    dated = [i for i, f in enumerate(variable) if isinstance(f, (DateField, DateTimeField))]
    for start in range(0, len(chunk), per):
        part = chunk[start:start + per]
        params = list(itertools.chain.from_iterable(map(values, part)))  # flattened in C
        for i in dated:  # column i of every row
            params[i::width] = map(_DATE_TEXT.__getitem__, params[i::width])
        cursor.execute(_statement(head, one, len(part)), params)


class _DateText(dict):
    """A date or datetime as the text sqlite3's adapter binds (SQLite has no date type), each
    distinct value converted once: the driver's per-value adapter call was ~0.9 µs, a tenth of
    a whole child row's insert. Bounded: cleared past LIMIT values."""

    LIMIT = 20_000

    def __missing__(self, value):
        if len(self) >= self.LIMIT:
            self.clear()
        adapt = sqlite3.adapters.get((type(value), sqlite3.PrepareProtocol))
        text = self[value] = adapt(value) if adapt else value
        return text


_DATE_TEXT = _DateText()


def _values(names: list[str], defaults: list):
    """A row's values for `names` as a tuple, defaults for the names it lacks."""
    if len(names) > 1:
        pick = itemgetter(*names)
    else:  # itemgetter of one name gives the value, not a tuple
        pick = (lambda row: (row[names[0]],)) if names else (lambda row: ())

    base = dict(zip(names, defaults))

    def values(row: dict) -> tuple:
        try:
            return pick(row)  # the usual case, every row of a batch with the same fields: one C call
        except KeyError:  # a row without some of them (the demo's unclassified rows): still in C
            return pick({**base, **row})

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


# PostgreSQL keeps its indexes during a load of fewer rows than this: the server maintains them
# while the COPY streams, alongside the checks of the next rows, where a rebuild of all twelve
# waits at the end (whole imports, same minutes, load 3–4: 10,000 rows 18 % quicker kept;
# 20,000–30,000 within the noise; 100,000 no quicker).
PG_REBUILD_FROM = 20_000


@contextmanager
def bulk_load(model, keep: tuple[str, ...] = (), rows: int | None = None):
    """Inside a write transaction: a load into `model`'s empty table builds its secondary
    indexes once, at the end, instead of row by row.

    Inserting a million rows into a table with a dozen indexes updates every index per row,
    most of them in random key order: once an index outgrows the page cache each row costs
    page reads and writes (on SQLite most of the demo's system time). Sorting the rows once
    per index afterwards is several times quicker. Only when the table was empty (its
    indexes then cost nothing to rebuild) and only the non-unique ones: a unique index keeps
    refusing duplicates during the load. `keep` names indexes the load's own queries need.
    `rows` is how many rows the load expects, when known: on PostgreSQL below PG_REBUILD_FROM
    every index stays.
    The schema stays the migrations': each index is recreated from its own stored definition,
    and a failed load rolls the drops back with the rest of the transaction.
    """
    assert db.in_transaction(), "bulk_load needs the caller's transaction to undo its drops"
    table = model._meta.table_name
    small = not is_sqlite() and rows is not None and rows < PG_REBUILD_FROM
    indexes = [] if small or model.select().exists() or not _owns(table) else [
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
