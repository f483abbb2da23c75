"""A statement another thread no longer wants is stopped, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import time

import pytest

from kongcuo_tui.db.connection import db, is_sqlite
from kongcuo_tui.services.session import Cancel, Cancelled, session


def _endless() -> str:
    """A statement that runs for about a minute unless stopped (bounded, so a broken cancel
    fails the test instead of hanging it)."""
    if is_sqlite():
        return ("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000000000) "
                "SELECT count(*) FROM c")
    return "SELECT pg_sleep(60)"


def _run_in_thread(cancel: Cancel, sql: str):
    outcome: dict = {}

    def work():
        with session():
            started = time.monotonic()
            try:
                with cancel.running():
                    outcome["running"] = True
                    db.execute_sql(sql).fetchall()
                outcome["result"] = "finished"
            except Cancelled:
                outcome["result"] = "cancelled"
            outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=work)
    thread.start()
    return thread, outcome


def test_cancel_stops_a_running_statement(db_url):
    cancel = Cancel()
    thread, outcome = _run_in_thread(cancel, _endless())
    while "running" not in outcome:
        time.sleep(0.01)
    cancel.cancel()
    thread.join(30)
    assert outcome["result"] == "cancelled"
    assert outcome["seconds"] < 10


def test_a_cancelled_token_refuses_to_start_and_a_finished_block_is_not_disturbed(db_url):
    done = Cancel()
    thread, outcome = _run_in_thread(done, "SELECT 1")
    thread.join(30)
    assert outcome["result"] == "finished"
    done.cancel()  # after the fact: nothing is running, nothing breaks

    early = Cancel()
    early.cancel()
    with session(), pytest.raises(Cancelled):
        with early.running():
            pass
