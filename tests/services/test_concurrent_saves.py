"""Saves racing each other: each save knows exactly which rows it changed, and waits its turn."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime

import pytest

from bench.concurrency import run as bench_run
from kongcuo_tui.db.connection import db
from kongcuo_tui.db.models import Entry, History
from kongcuo_tui.domain.codes import Action
from kongcuo_tui.domain.rules import Classification
from kongcuo_tui.services import classify
from kongcuo_tui.services.errors import DatabaseBusy, ServiceError

TODAY = date(2026, 11, 29)
B2 = Classification(
    action=Action.ENROLLED, code="B2", proof_person="源潭镇中心小学 王老师", proof_date=date(2026, 11, 20),
    notes="已在源潭镇中心小学就读并注册学籍", study_region="411328", study_school="源潭镇中心小学",
    evidence=frozenset({"registry_card"}),
)
SECOND = datetime(2026, 11, 29, 10, 30, 5)


def _same_login_saves_first(monkeypatch, registrar, victim: int) -> None:
    """The same registrar's other window saves `victim` in the same second, after our rows were read."""
    monkeypatch.setattr(classify, "now", lambda: SECOND)
    real = classify._existing_evidence

    def meanwhile(ids):
        Entry.update(version=Entry.version + 1, handled_by=registrar.login, handled_at=SECOND,
                     notes="另一个窗口保存").where(Entry.id == victim).execute()
        return real(ids)

    monkeypatch.setattr(classify, "_existing_evidence", meanwhile)


def test_a_row_the_same_login_saved_in_the_same_second_is_a_conflict_not_a_save(registrar, make_entry, monkeypatch):
    a, b = make_entry(), make_entry()
    _same_login_saves_first(monkeypatch, registrar, b)
    r = classify.classify(registrar, {a: 1, b: 1}, B2, today=TODAY)
    assert r.applied == [] and [c.entry_id for c in r.conflicts] == [b]
    assert History.select().count() == 0 and Entry.get_by_id(a).status == "pending"


def test_a_partial_save_writes_history_only_for_the_rows_it_changed(registrar, make_entry, monkeypatch):
    a, b = make_entry(), make_entry()
    _same_login_saves_first(monkeypatch, registrar, b)
    r = classify.classify(registrar, {a: 1, b: 1}, B2, partial=True, today=TODAY)
    assert r.applied == [a] and [c.entry_id for c in r.conflicts] == [b]
    assert [(h.entry_id, h.version) for h in History.select()] == [(a, 2)]
    assert Entry.get_by_id(b).notes == "另一个窗口保存"


@pytest.mark.parametrize("same_login", [False, True], ids=["distinct-logins", "same-login"])
def test_processes_saving_the_same_rows_lose_nothing_and_claim_nothing(db_url, same_login):
    r = bench_run(db_url, procs=4, seconds=None, calls=50, same_login=same_login, rows=4)
    assert r.calls == 200 and r.saved > 0 and r.errors == 0, r.error_samples
    assert (r.lost, r.phantom, r.duplicate_versions, r.backwards, r.wrong_final) == (0, 0, 0, 0, 0)
    assert r.lock_errors == 0 and r.deadlocks == 0


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # SQLite's single writer lock
def test_a_save_that_cannot_get_the_write_lock_says_so_and_changes_nothing(registrar, make_entry, db_url):
    eid = make_entry()
    other = sqlite3.connect(db_url.split("///", 1)[1], isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another registrar's long write
    db.execute_sql("PRAGMA busy_timeout = 50")
    try:
        with pytest.raises(DatabaseBusy) as e:
            classify.classify(registrar, {eid: 1}, B2, today=TODAY)
    finally:
        other.rollback()
        other.close()
        db.execute_sql("PRAGMA busy_timeout = 10000")
    assert isinstance(e.value, ServiceError) and "未保存" in str(e.value) and "Ctrl+S" in str(e.value)
    assert Entry.get_by_id(eid).version == 1 and History.select().count() == 0


@pytest.mark.parametrize("db_url", ["postgres"], indirect=True)  # PostgreSQL's deadlock detector
def test_a_save_chosen_as_a_deadlock_victim_is_run_again_once(registrar, make_entry, db_url):
    import threading
    import time

    import psycopg

    low, high = make_entry(), make_entry()
    other = psycopg.connect(db_url)  # a writer that takes the rows in the opposite order
    other.execute("SET deadlock_timeout = '20s'")  # so our save is the one PostgreSQL aborts
    other.execute("SELECT id FROM entry WHERE id = %s FOR UPDATE", (high,))
    watch = psycopg.connect(db_url, autocommit=True)
    ours = db.execute_sql("SELECT pg_backend_pid()").fetchone()[0]
    # PostgreSQL looks for a cycle once, this long after our save starts waiting: time enough
    # for the other writer to close it on a busy machine.
    db.execute_sql("SET deadlock_timeout = '3s'")
    failures = []

    def the_other_writer():
        try:
            for _ in range(500):  # until our save waits for `high`
                if watch.execute("SELECT wait_event_type FROM pg_stat_activity WHERE pid = %s",
                                 (ours,)).fetchone()[0] == "Lock":
                    break
                time.sleep(0.01)
            other.execute("SELECT id FROM entry WHERE id = %s FOR UPDATE", (low,))  # the cycle closes
            other.commit()
        except Exception as e:  # noqa: BLE001 - reported by the test
            failures.append(e)

    t = threading.Thread(target=the_other_writer)
    t.start()
    try:
        r = classify.classify(registrar, {low: 1, high: 1}, B2, today=TODAY)
    finally:
        t.join()
        other.close()
        watch.close()
        db.execute_sql("RESET deadlock_timeout")
    assert failures == []
    assert sorted(r.applied) == [low, high] and History.select().count() == 2, r
