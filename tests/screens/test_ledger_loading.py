"""The ledger shows rows before it has counted them, and a newer keystroke stops an old count.

At a province's million rows the count of a tab (or of a short ID prefix's ~450,000 matches)
takes longer than its first page; these tests hold a count back through the service seam
and look at what the registrar sees meanwhile.
"""

from __future__ import annotations

import threading
import time

from kongcuo_tui.db.connection import db
from kongcuo_tui.services import ledger, persuasion
from kongcuo_tui.services.types import LedgerQuery
from kongcuo_tui.widgets.page_cache import PAGE_SIZE

PENDING = LedgerQuery(status="pending")
# Runs for many seconds unless stopped: stands in for the count of half a province.
ENDLESS = ("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 300000000) "
           "SELECT count(*) FROM c")


async def until(ui, condition, what: str, seconds: float = 20.0) -> None:
    """Let the app run until `condition()` holds (a worker thread answers in real time)."""
    end = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < end, f"never happened: {what} ({ui.static('#position')!r})"
        await ui.pilot.pause()


def hold_count(monkeypatch, held):
    """ledger.count waits for the returned Event when held(query); returns (asked, answer)."""
    real, asked, answer = ledger.count, threading.Event(), threading.Event()

    def count(actor, q):
        if held(q):
            asked.set()
            answer.wait(30)
        return real(actor, q)

    monkeypatch.setattr(ledger, "count", count)
    return asked, answer


def test_the_first_rows_are_shown_before_their_count(play, demo_ledger, registrar, monkeypatch):
    demo_ledger(400)
    total = ledger.count(registrar, PENDING)
    first = ledger.page(registrar, PENDING, 0, 1)[0]
    assert total > PAGE_SIZE
    asked, answer = hold_count(monkeypatch, lambda q: q == PENDING)

    async def script(ui):
        try:
            await until(ui, lambda: "第 1/" in ui.static("#position"), "the first rows on screen")
            assert asked.is_set()  # the count was asked for, and has not answered
            assert ui.static("#position") == "第 1/… 行"
            assert first.name in ui.lines()[3]
            assert "待本级处理（…）" in ui.static("#tabs")
        finally:
            answer.set()
        await ui.settle()
        assert ui.static("#position") == f"第 1/{total} 行"
        assert f"待本级处理（{total}）" in ui.static("#tabs")
        await ui.press("end")
        assert ui.static("#position") == f"第 {total}/{total} 行"

    play(script, settled=False)


def test_a_first_page_that_is_not_full_is_its_own_count(play, make_entry, monkeypatch):
    for name in ("王小明", "王丽", "李四"):
        make_entry(name=name)
    counted = []
    real = ledger.count
    monkeypatch.setattr(ledger, "count", lambda actor, q: counted.append(q.status) or real(actor, q))

    async def script(ui):
        assert ui.static("#position") == "第 1/3 行"
        assert "待本级处理（3）" in ui.static("#tabs")
        await ui.press("slash", "王")
        assert ui.static("#position") == "第 1/2 行"

    play(script)
    assert "pending" not in counted  # only the other tab was counted


def test_end_pressed_before_the_count_goes_to_the_last_row_when_it_comes(play, demo_ledger, registrar,
                                                                        monkeypatch):
    demo_ledger(400)
    total = ledger.count(registrar, PENDING)
    asked, answer = hold_count(monkeypatch, lambda q: q == PENDING)

    async def script(ui):
        try:
            await until(ui, lambda: "第 1/" in ui.static("#position"), "the first rows on screen")
            await ui.pilot.press("end")
            await ui.pilot.pause()
            assert ui.static("#position") == f"第 {PAGE_SIZE}/… 行"  # as far as the rows at hand
        finally:
            answer.set()
        await ui.settle()
        assert ui.static("#position") == f"第 {total}/{total} 行"
        assert ui.table.current_row is not None

    play(script, settled=False)


def test_the_overdue_set_is_read_after_the_first_rows_and_their_count(play, demo_ledger, monkeypatch):
    demo_ledger(400)
    real, rows_when_asked, answer = persuasion.overdue_ids, [], threading.Event()

    def overdue_ids(actor, today, **kw):
        table = app_box[0].screen.table
        rows_when_asked.append(not table.waiting and table.total > PAGE_SIZE and table.counted)
        answer.wait(30)
        return real(actor, today, **kw)

    monkeypatch.setattr(persuasion, "overdue_ids", overdue_ids)
    app_box = []

    async def script(ui):
        app_box.append(ui.app)
        try:
            await until(ui, lambda: rows_when_asked, "the overdue set asked for")
            assert rows_when_asked == [True]
            assert "第 1/" in ui.static("#position") and "逾期 … 人" in ui.static("#tabs")
        finally:
            answer.set()
        await ui.settle()
        assert "逾期 … 人" not in ui.static("#tabs")

    play(script, settled=False)


def test_a_search_shows_its_page_first_and_a_newer_keystroke_stops_the_old_count(play, demo_ledger, registrar,
                                                                                 monkeypatch):
    demo_ledger(400)
    total = ledger.count(registrar, LedgerQuery(status="pending", search="411"))
    assert total > PAGE_SIZE  # most demo IDs start with 411 (Henan): "41" and "411" fill a page
    real, started, stopped = ledger.count, threading.Event(), []

    def count(actor, q):
        if q.search == "41":  # the keystroke the next one supersedes: a count that would run long
            started.set()
            t = time.monotonic()
            try:
                db.execute_sql(ENDLESS).fetchall()
            finally:
                stopped.append(time.monotonic() - t)
        return real(actor, q)

    monkeypatch.setattr(ledger, "count", count)

    async def script(ui):
        await ui.press("slash")
        await ui.pilot.press("4", "1")
        await until(ui, started.is_set, "the count of “41” under way")
        await until(ui, lambda: ui.static("#position") == "第 1/… 行", "the page of “41” before its count")
        await ui.press("1")  # "411"; settles: waits for every worker, the old count's too
        assert len(stopped) == 1 and stopped[0] < 10  # stopped, not run to its end
        assert ui.static("#position") == f"第 1/{total} 行"
        assert f"待本级处理（{total}）" in ui.static("#tabs")
        assert "操作未完成" not in ui.messages()  # a stopped count is no failure

    play(script)
