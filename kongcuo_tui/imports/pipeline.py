"""Check the sheet's rows in a helper thread while the calling thread writes earlier ones.

The database connection never leaves the calling thread: SQLite connections refuse other
threads, and the import's single transaction must hold every write. Only the checks move,
and they touch no database. On SQLite a chunk is written by one multi-row INSERT, a
single driver call that runs without the GIL, so the next chunk is checked meanwhile.
"""

from __future__ import annotations

import gc
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from .rows import RowResult

_AHEAD = 2  # chunks checked ahead of the writer: bounds memory
_POLL = 0.1  # seconds between looks at the stop flag while the queue is full
_DONE = object()
_gc_lock = threading.Lock()
_gc = {"pauses": 0, "was_enabled": True}


def checked_chunks(rows: Iterable[list], check: Callable[[list, int], RowResult | None], first_row: int,
                   chunk: int, threaded: bool = True) -> Iterator[tuple[int, list[RowResult]]]:
    """(sheet rows consumed so far, checked non-blank rows) per chunk, in sheet order.

    ``check(cells, excel_row)`` gives None for a blank row; with ``threaded`` it runs in
    the helper thread, so it must not touch the database. ``first_row`` is the Excel row
    number of the first row. An error while reading or checking is raised here; closing
    the generator (use ``contextlib.closing``) stops and joins the helper thread.
    """
    if not threaded:
        yield from _chunks(rows, check, first_row, chunk)
        return
    out: queue.Queue = queue.Queue(maxsize=_AHEAD)
    stop = threading.Event()

    def put(item) -> bool:
        while not stop.is_set():
            try:
                out.put(item, timeout=_POLL)
                return True
            except queue.Full:
                continue
        return False

    def work() -> None:
        try:
            for item in _chunks(rows, check, first_row, chunk):
                if not put(item):
                    return
            put(_DONE)
        except BaseException as e:  # handed to the writer, which rolls back
            put(e)

    helper = threading.Thread(target=work, name="import-check", daemon=True)
    helper.start()
    try:
        while (item := out.get()) is not _DONE:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        helper.join()


def _chunks(rows: Iterable[list], check: Callable[[list, int], RowResult | None], first_row: int,
            chunk: int) -> Iterator[tuple[int, list[RowResult]]]:
    results, n = [], 0
    for n, cells in enumerate(rows, 1):
        r = check(cells, first_row + n - 1)
        if r is None:  # blank
            continue
        results.append(r)
        if len(results) >= chunk:
            yield n, results
            results = []
    yield n, results


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection while a file is imported.

    An import allocates a few million objects that are not garbage (rows, checks, the
    duplicate index); the collector would walk them again and again, a tenth of the
    import's time. Reference counting still frees everything as usual. Nested and
    concurrent imports are counted so that the last one to finish turns it back on.
    """
    with _gc_lock:
        if _gc["pauses"] == 0:
            _gc["was_enabled"] = gc.isenabled()
            gc.disable()
        _gc["pauses"] += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc["pauses"] -= 1
            if _gc["pauses"] == 0 and _gc["was_enabled"]:
                gc.enable()
