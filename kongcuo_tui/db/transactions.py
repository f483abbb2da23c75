"""Write transactions that queue instead of failing, and the errors concurrent writers meet.

SQLite has one writer at a time. A deferred transaction (plain BEGIN) reads first and asks
for the write lock later; if another writer committed in between, SQLite answers "database
is locked" at once, without waiting the busy timeout, because waiting could not help that
snapshot. BEGIN IMMEDIATE takes the write lock first, so writers wait their turn for up to
the busy timeout. PostgreSQL writers lock rows instead; they wait for each other and, when
two lock the same rows in different orders, one of them is aborted as a deadlock.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from .connection import db, is_sqlite

T = TypeVar("T")

_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6
_DEADLOCK = "40P01"
_IMPORT_LOCKS = 0x6B63  # advisory lock namespace (classid) of the per-county import lock


def write_transaction():
    """The transaction of every service or import that writes (use as ``with … as tx``)."""
    return db.atomic("IMMEDIATE") if is_sqlite() else db.atomic()


def lock_county_imports(region: str) -> None:
    """Wait until no other import into ``region`` is running; held until this transaction ends.

    On SQLite the writer lock taken by write_transaction() already serialises imports.
    """
    if not is_sqlite():
        db.execute_sql("SELECT pg_advisory_xact_lock(%s, %s)", (_IMPORT_LOCKS, int(region)))


def _chain(e: BaseException):
    seen = set()
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        yield e
        yield from (a for a in getattr(e, "args", ()) if isinstance(a, BaseException))
        e = e.__cause__ or e.__context__


def is_lock_error(e: BaseException) -> bool:
    """SQLite's "database is locked": the busy timeout passed without getting the lock."""
    for x in _chain(e):
        code = getattr(x, "sqlite_errorcode", None)
        if code is not None and code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED):
            return True
        if "database is locked" in str(x) or "database table is locked" in str(x):
            return True
    return False


def is_deadlock(e: BaseException) -> bool:
    """PostgreSQL aborted this transaction to break a deadlock (SQLSTATE 40P01)."""
    return any(getattr(x, "sqlstate", None) == _DEADLOCK for x in _chain(e))


def once_more_on_deadlock(work: Callable[[], T]) -> T:
    """Run ``work`` (a whole transaction); run it again once if it was chosen as a deadlock victim.

    The victim's transaction is rolled back entirely, so running it again is safe; a second
    deadlock in a row is raised.
    """
    try:
        return work()
    except Exception as e:
        if not is_deadlock(e):
            raise
    return work()
