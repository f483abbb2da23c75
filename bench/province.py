"""A province account on a big ledger: the screen's queries and the real app, beside the bare query.

    .venv/bin/python bench/province.py --db sqlite:///bench-data/prov1m.db --login root [--no-tui]

Part 1, in this process: each query the ledger screen sends for a province account (count,
first page, keyset page, End, tab counts, the 99 filter, search per keystroke for a name and
an ID prefix), timed through the services and, in the same run, as the bare statement the
service sent (the same SQL through the driver, no scope check, no dataclasses).

Part 2, the real app under a 120×40 pty (normal mode): seconds to the first row, seconds from
a search keystroke to the updated screen, and the app's RSS before and after 200 page-downs.
The ledger shows a full first page before its count ("第 1/… 行"): then "rows" is the frame
that says so (the rows themselves are drawn a frame earlier) and "count" the one with the
number; a page that is not full comes with its count ("rows with count", as every page did
before); "last byte" is the tab counts'. A keystroke waits for 1 s of quiet first.
Targets at 1,000,000 rows: first row ≤ 1.0 s, search ≤ 0.3 s, RSS ±20 MB.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

KONGCUO = str(Path(sys.executable).parent / "kongcuo")
FIRST_ROW = "第 1/".encode()
UNCOUNTED = "… 行".encode()  # the position while the rows shown are counted (only changed cells are sent)
COUNTED = re.compile("[0-9] 行".encode())  # … and once they are
SEARCHES = ("王", "王子", "4113", "41132820", "4113282014")


def _timed(fn, runs: int = 3) -> tuple[float, object]:
    times, out = [], None
    for _ in range(runs):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


class _Sent(logging.Handler):
    """The statements a service call sends, to run them again bare."""

    def __init__(self):
        super().__init__()
        self.sql: list[tuple[str, list]] = []

    def emit(self, record):
        sql, params = record.msg
        if 'FROM "entry"' in sql:
            self.sql.append((sql, list(params)))


def services(url: str, login: str) -> None:
    from kongcuo_tui.db.connection import db, open_database
    from kongcuo_tui.domain.codes import CodeClass
    from kongcuo_tui.services import accounts, ledger
    from kongcuo_tui.services.types import LedgerQuery

    open_database(url).connect()
    actor = accounts.resolve(login)
    log = logging.getLogger("peewee")
    log.setLevel(logging.DEBUG)

    def both(label, fn):
        sent = _Sent()
        log.addHandler(sent)
        try:
            seconds, out = _timed(fn)
        finally:
            log.removeHandler(sent)
        statements = sent.sql[-(len(sent.sql) // 3):] if sent.sql else []
        bare, _ = _timed(lambda: [db.execute_sql(s, p).fetchall() for s, p in statements])
        shown = out if isinstance(out, (int, dict)) else f"{len(out)} rows"
        ratio = f"{seconds / bare:5.1f}×" if bare > 0 else "   - "
        print(f"| {label} | {seconds:.3f} | {bare:.3f} | {ratio} | {shown} |", flush=True)
        return out

    print(f"{actor.region_name}（{actor.role.value}），{url}")
    print("| query | service s | bare SQL s | ratio | result |\n|---|---:|---:|---:|---|")
    for status in ("pending", "processed"):
        q = LedgerQuery(status=status)
        n = both(f"count {status}", lambda: ledger.count(actor, q))
        first = both(f"first page {status}", lambda: ledger.page(actor, q, 0, 100, n))
        both(f"next page (keyset) {status}", lambda: ledger.page_after(actor, q, first[-1], 100))
        both(f"End {status}", lambda: ledger.page(actor, q, n - 100, 100, n))
    both("tab counts", lambda: ledger.tab_counts(actor, LedgerQuery()))
    q99 = LedgerQuery(status="processed", code_class=CodeClass.UNCONFIRMED)
    n = both("count 99", lambda: ledger.count(actor, q99))
    both("first page 99", lambda: ledger.page(actor, q99, 0, 100, n))
    for text in SEARCHES:
        q = LedgerQuery(status="pending", search=text)
        both(f"search “{text}”: count + page", lambda: (lambda c: ledger.page(actor, q, 0, 100, c))(ledger.count(actor, q)))
        both(f"search “{text}”: tab counts", lambda: ledger.tab_counts(actor, q))
    db.close()


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def tui(url: str, login: str, page_downs: int) -> None:
    from ptydriver import PtyApp

    env = {k: v for k, v in os.environ.items() if k not in ("SSH_CONNECTION", "COLORTERM", "NO_COLOR")}
    env.update(TERM="xterm-256color", LANG="C.UTF-8", KONGCUO_LOW_BANDWIDTH="0")
    app = PtyApp([KONGCUO, "--db", url, "--login", login, "tui"], env, cols=120, rows=40)
    try:
        first = app.wait_for(FIRST_ROW)
        app.wait_quiet(1.0)
        counted = app.last_byte_at - app.started
        print(f"| first row | {first:.2f} s (last byte, counts and overdue set: {counted:.2f} s) |")
        before = _rss_mb(app.pid)
        for _ in range(page_downs):
            app.send("\x1b[6~")
            time.sleep(0.05)
        app.wait_quiet(1.0, timeout=120)
        after = _rss_mb(app.pid)
        print(f"| RSS before / after {page_downs} page-downs | {before:.0f} → {after:.0f} MB ({after - before:+.0f}) |")
        app.step("\x1b[H")  # Home
        app.step("/")
        typed = ""
        for ch in "王子":
            typed += ch
            print(f"| search keystroke “{typed}” | {_keystroke(app, ch)} |")
        app.step("\x1b")
        app.step("/")
        typed = ""
        for ch in "4113282014":
            typed += ch
            took = _keystroke(app, ch)
            if len(typed) in (1, 2, 3, 4, 6, 8, 10):
                print(f"| search keystroke “{typed}” | {took} |")
    finally:
        app.close()


def _keystroke(app, key: str, quiet: float = 1.0) -> str:
    """Seconds from `key` to the new rows on screen, and to their count."""
    app.wait_quiet(quiet)
    before, sent = app.offset, time.monotonic()
    app.send(key)
    while app.offset == before and time.monotonic() < sent + 5:
        time.sleep(0.005)
    app.wait_quiet(quiet)
    last = app.last_byte_at - sent
    rows = app.arrived_at(UNCOUNTED, before)
    counted = app.arrived_at(COUNTED, rows[1] if rows else before)
    count = f"{counted[0] - sent:.2f} s" if counted else "not seen"
    if rows is not None:
        return f"rows {rows[0] - sent:.2f} s, count {count} (last byte {last:.2f} s)"
    if counted is not None:  # rows and their count in one go (a page that is not full, or the old code)
        return f"rows with count {count} (last byte {last:.2f} s)"
    return f"last byte {last:.2f} s"  # the position line did not change


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", required=True)
    p.add_argument("--login", required=True, help="a province account (e.g. the administrator demo created)")
    p.add_argument("--no-tui", action="store_true")
    p.add_argument("--tui-only", action="store_true", help="only part 2, the real app")
    p.add_argument("--page-downs", type=int, default=200)
    a = p.parse_args()
    if not a.tui_only:
        services(a.db, a.login)
    if not a.no_tui:
        print("\n| real app (120×40 pty) | |\n|---|---|")
        tui(a.db, a.login, a.page_downs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
