"""Database connections for worker threads.

peewee keeps connection state per thread, so a UI worker thread has no connection of its
own until it opens one; `session()` opens it for the duration of one unit of work.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Iterator

from ..db.connection import db, interrupt, stop_when


@contextmanager
def session() -> Iterator[None]:
    """Connect this thread if it is not connected; close again only what we opened."""
    opened = db.connect(reuse_if_open=True)
    try:
        yield
    finally:
        if opened and not db.is_closed():
            db.close()


class Cancelled(Exception):
    """The work was stopped by `Cancel.cancel()`: its answer is no longer wanted."""


class Cancel:
    """Lets one thread stop the statements another thread runs under `running()`.

    For a count a newer keystroke has made useless: Textual's exclusive workers only flag a
    thread worker as cancelled, and the count would go on using a core (and the server) to
    the end. Once cancelled, a `running()` block raises Cancelled however its statement
    ended — stopped midway, or finished just before the cancel came.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._connection = None
        self.cancelled = False

    @contextmanager
    def running(self) -> Iterator[None]:
        """Run the block's statements (on this thread's open connection) so they can be stopped."""
        connection = db.connection()
        with self._lock:
            if self.cancelled:
                raise Cancelled
            self._connection = connection
        stop_when(connection, lambda: self.cancelled)
        try:
            yield
        except Exception:
            if self.cancelled:  # the engine's own error for a stopped statement
                raise Cancelled from None
            raise
        finally:
            stop_when(connection, None)
            with self._lock:
                self._connection = None
        if self.cancelled:
            raise Cancelled

    def cancel(self) -> None:
        """From any thread: stop the block now running, or the one about to run."""
        with self._lock:
            self.cancelled = True
            if self._connection is not None:
                interrupt(self._connection, lambda: self._connection is not None)
