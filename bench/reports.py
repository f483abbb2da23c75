"""The monthly report's figures beside one `SELECT count(*)` grouped the same way, on SQLite and PostgreSQL.

    nice .venv/bin/python bench/reports.py [--sizes 100000] [--engines sqlite,postgres] [--keep DIR]
    nice .venv/bin/python bench/reports.py --db URL   # an existing ledger (upgraded: use a copy)

Per size and engine: a demo ledger (four months of history, persuasion cases), a province
account; then, best of three in this process,
  count    SELECT region, township, school, stage, count(*) FROM entry WHERE <scope> GROUP BY …
  report   services.figures.report() for last month (every figure: point in time from the
           history, follow-ups, the persuasion rules for 劝返逾期), and for the current month
  rows     figure_rows() of 疑似辍学 (the largest list)
  w/o 劝返逾期  report() of every figure but 劝返逾期 (the stored case deadlines' join)
  overview services.overview.overview() and its overdue count (what the overview screen reads)
with the Python heap's peak during one report (tracemalloc). Targets: report ≤ 5× count and
< 3 s at 100,000 rows; memory flat in the row count.

CPU seconds are this process's, plus on PostgreSQL the server process serving it when that
runs on this machine (read from /proc): on a shared machine wall time is mostly waiting for a
core, the CPU seconds are the work. A parallel plan's worker processes are not counted.
"""

from __future__ import annotations

import argparse
import os
import time
import tracemalloc
import uuid
from datetime import date
from pathlib import Path
import tempfile

PG = "postgresql://postgres@127.0.0.1:5432/postgres"
TODAY = date.today()


def _cpu_clock():
    """CPU seconds of this process, plus its PostgreSQL server process's when that is local."""
    from kongcuo_tui.db.connection import db, is_sqlite

    if is_sqlite():
        return time.process_time
    stat = f"/proc/{db.execute_sql('SELECT pg_backend_pid()').fetchone()[0]}/stat"
    if not os.path.exists(stat):
        return time.process_time
    tick = os.sysconf("SC_CLK_TCK")

    def clock() -> float:
        with open(stat) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return time.process_time() + (int(fields[11]) + int(fields[12])) / tick  # utime + stime
    return clock


def _best(fn, n: int = 3) -> tuple[float, float]:
    """The best wall seconds and the best CPU seconds (_cpu_clock: the work itself, whatever
    else the machine runs)."""
    clock = _cpu_clock()
    wall = cpu = float("inf")
    for _ in range(n):
        t, c = time.perf_counter(), clock()
        fn()
        wall, cpu = min(wall, time.perf_counter() - t), min(cpu, clock() - c)
    return wall, cpu


def _build(url: str, rows: int) -> None:
    from kongcuo_tui.db.connection import open_database
    from kongcuo_tui.domain.roles import Role
    from kongcuo_tui.services import accounts, demo
    from kongcuo_tui.services.setup import initialize

    open_database(url).connect(reuse_if_open=True)
    t = time.perf_counter()
    initialize("bench")  # on an older database: its upgrade, e.g. the case deadlines' backfill
    print(f"initialize/upgrade {url}: {time.perf_counter() - t:.1f} s", flush=True)
    if not accounts.count() > 1:
        accounts.add(accounts.resolve("bench"), "henan", "省教育厅", Role.PROVINCE, "410000")
    from kongcuo_tui.db.models import Entry

    if rows and Entry.select().count() < rows:
        demo.generate(rows=rows, login="bench", today=TODAY)


def _measure(url: str, rows: int) -> dict:
    from peewee import fn

    from kongcuo_tui.db.models import Entry
    from kongcuo_tui.domain.periods import default_month, month
    from kongcuo_tui.services import accounts, figures, overview
    from kongcuo_tui.services.scope import entry_scope

    _build(url, rows)
    rows = rows or Entry.select().count()
    actor = accounts.resolve("henan")
    group = (Entry.region, Entry.township, Entry.school, Entry.stage)
    count = _best(lambda: list(Entry.select(*group, fn.COUNT(Entry.id)).where(entry_scope(actor))
                               .group_by(*group).tuples()))
    cur = month(TODAY.year, TODAY.month)
    last = default_month(date(TODAY.year, TODAY.month, 1))
    past = _best(lambda: figures.report(actor, last))
    now = _best(lambda: figures.report(actor, cur))
    sql_only = tuple(f for f in figures.FIGURES if f.name != figures.OVERDUE)
    no_overdue = _best(lambda: figures.report(actor, last, figures=sql_only))
    listing = _best(lambda: figures.figure_rows(actor, cur, "疑似辍学"), 1)
    screen = _best(lambda: (overview.overview(actor, TODAY), overview.overdue(actor, TODAY)))
    tracemalloc.start()
    figures.report(actor, last)
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return {"size": rows, "count": count, "past": past, "now": now, "rows": listing, "peak": peak, "sql": no_overdue,
            "overview": screen}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="100000")
    ap.add_argument("--engines", default="sqlite,postgres")
    ap.add_argument("--keep", help="folder for the SQLite files (reused when present)")
    ap.add_argument("--db", help="measure this existing database instead of building demo ledgers")
    args = ap.parse_args()
    results = []
    if args.db:
        args.sizes, engine = "", "sqlite" if args.db.startswith("sqlite") else "postgres"
        r = _measure(args.db, 0)
        results.append((engine, r["size"], r))
    folder = Path(args.keep or tempfile.mkdtemp(prefix="kongcuo-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    for size in (int(x) for x in args.sizes.split(",") if x):
        for engine in args.engines.split(","):
            if engine == "sqlite":
                results.append((engine, size, _measure(f"sqlite:///{folder}/reports_{size}.db", size)))
                continue
            import psycopg

            admin = psycopg.connect(PG, autocommit=True)
            name = f"kongcuo_bench_{uuid.uuid4().hex[:8]}"
            admin.execute(f'CREATE DATABASE "{name}"')
            try:
                results.append((engine, size, _measure(f"{PG.rsplit('/', 1)[0]}/{name}", size)))
            finally:
                from kongcuo_tui.db.connection import db

                db.close()
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print("seconds: wall (CPU of this process and a local PostgreSQL server's); ratio = report / count, wall (CPU)")
    print(f"{'engine':<10}{'rows':>8}{'count':>14}{'last month':>14}{'ratio':>12}{'this month':>14}{'ratio':>12}"
          f"{'list':>14}{'peak MB':>9}{'w/o 劝返逾期':>16}{'ratio':>12}{'overview':>14}{'ratio':>12}")
    for engine, size, r in results:
        def two(x):
            return f"{x[0]:.2f} ({x[1]:.2f})"

        def ratio(x):
            return f"{x[0] / r['count'][0]:.1f} ({x[1] / max(r['count'][1], 1e-9):.1f})"

        print(f"{engine:<10}{size:>8}{two(r['count']):>14}{two(r['past']):>14}{ratio(r['past']):>12}"
              f"{two(r['now']):>14}{ratio(r['now']):>12}{two(r['rows']):>14}{r['peak']:>9.1f}"
              f"{two(r['sql']):>16}{ratio(r['sql']):>12}{two(r['overview']):>14}{ratio(r['overview']):>12}")


if __name__ == "__main__":
    main()
