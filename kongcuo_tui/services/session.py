"""Database connections for worker threads.

peewee keeps connection state per thread, so a UI worker thread has no connection of its
own until it opens one; `session()` opens it for the duration of one unit of work.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from ..db.connection import db


@contextmanager
def session() -> Iterator[None]:
    """Connect this thread if it is not connected; close again only what we opened."""
    opened = db.connect(reuse_if_open=True)
    try:
        yield
    finally:
        if opened and not db.is_closed():
            db.close()
