"""One database proxy for the whole program, bound from a URL.

SQLite is the zero-setup default (WAL, foreign keys, busy timeout); PostgreSQL serves a
shared county server. Both are chosen by URL through playhouse.db_url.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path
from typing import Callable

from peewee import DatabaseProxy, SqliteDatabase
from playhouse.db_url import connect as url_connect

from ..config import database_url

db = DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 10_000,
    "synchronous": "normal",
    "cache_size": -32_000,
}


CONNECT_TIMEOUT = 10  # seconds; a URL's own ?connect_timeout= wins


class DatabaseURLError(ValueError):
    """The URL is not one we can open; the message is for the user."""


def sqlite_path(url: str) -> Path | None:
    """The file a sqlite:/// URL names (None for other engines and in-memory databases)."""
    if url.split(":", 1)[0].lower() != "sqlite" or "///" not in url:
        return None
    path = url.split("///", 1)[1].split("?", 1)[0]
    return Path(path).expanduser() if path and path != ":memory:" else None


def open_database(url: str | None = None, *, must_exist: bool = False):
    """Open the database at `url` (or $KONGCUO_DB, or the per-user default) and bind it.

    With ``must_exist`` a SQLite file that is not there is refused instead of created, so a
    typo in the path does not open a new empty ledger.
    """
    url = database_url(url)
    scheme = url.split(":", 1)[0].lower()
    if scheme == "sqlite":
        path = sqlite_path(url)
        if path is not None and must_exist and not path.is_file():
            raise DatabaseURLError(
                f"数据库文件 {path.absolute()} 不存在：新建数据库请先运行 kongcuo init，"
                "已有数据库请检查 --db 或 KONGCUO_DB 中的路径"
            )
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        database = url_connect(url, pragmas=SQLITE_PRAGMAS)
    elif scheme in ("postgres", "postgresql", "postgresext", "postgresqlext"):
        # A server that accepts and never answers would otherwise hang the app for good.
        timeout = {} if "connect_timeout=" in url else {"connect_timeout": CONNECT_TIMEOUT}
        database = url_connect(url, **timeout)
    else:
        raise DatabaseURLError(
            f"无法识别的数据库地址（database URL）“{url}”：请使用 sqlite:///路径/kongcuo.db "
            "或 postgresql://用户@主机:5432/库名"
        )
    db.initialize(database)
    return database


def is_sqlite() -> bool:
    return isinstance(db.obj, SqliteDatabase)


# SQLite virtual-machine steps between two looks at "stopped?": about a millisecond of a
# count's work. Each look takes the GIL, so looking much more often slows the count and
# the UI thread both.
PROGRESS_STEPS = 100_000
CANCEL_RETRY = 0.05  # seconds between cancel requests while a PostgreSQL statement goes on


def stop_when(connection, stopped: Callable[[], bool] | None) -> None:
    """SQLite: from now on the connection's statements end ("interrupted") as soon as
    `stopped()` is true, also one that has not started yet; None removes the check.
    Call it on the thread that owns the connection. Other engines: nothing (see interrupt)."""
    if isinstance(connection, sqlite3.Connection):
        connection.set_progress_handler(stopped, PROGRESS_STEPS)


def interrupt(connection, running: Callable[[], bool]) -> None:
    """PostgreSQL: stop the statement on `connection` (another thread's) while `running()`.

    psycopg's cancel opens a connection to the server, so it is sent from a thread of its
    own, never blocking the caller (the UI thread, on a keystroke); it is sent again until
    the statement has ended, because a cancel that arrives just before the statement
    starts is ignored by the server. SQLite: nothing (stop_when does it).
    """
    if not isinstance(connection, sqlite3.Connection):
        threading.Thread(target=_cancel, args=(connection, running), daemon=True, name="kongcuo-cancel").start()


def _cancel(connection, running: Callable[[], bool]) -> None:
    while running():
        try:
            connection.cancel_safe(timeout=5)
        except Exception:  # noqa: BLE001 — the connection closed meanwhile: nothing to stop
            return
        time.sleep(CANCEL_RETRY)
