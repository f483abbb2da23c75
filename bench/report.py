"""`report summary` beside a bare grouped count(*) of the same rows, in one process.

    .venv/bin/python bench/report.py --db sqlite:///bench-data/prov1m.db --login root

Target: the report ≤ 5× the bare `SELECT region, status, code, count(*) … GROUP BY` over the
account's scope (median of --runs runs each).
"""

from __future__ import annotations

import argparse
import statistics
import time


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--db", required=True)
    p.add_argument("--login", required=True)
    p.add_argument("--runs", type=int, default=3)
    a = p.parse_args()
    from kongcuo_tui.db.connection import db, open_database
    from kongcuo_tui.db.models import Entry
    from kongcuo_tui.services import accounts, reports
    from kongcuo_tui.services.scope import entry_scope

    open_database(a.db).connect()
    actor = accounts.resolve(a.login)
    sql, params = (Entry.select(Entry.region, Entry.status, Entry.code, Entry.id)
                   .where(entry_scope(actor)).sql())
    sql = sql.replace('"t1"."id"', "count(*)", 1) + ' GROUP BY "t1"."region", "t1"."status", "t1"."code"'

    def median(fn) -> float:
        times = []
        for _ in range(a.runs):
            t = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t)
        return statistics.median(times)

    bare = median(lambda: db.execute_sql(sql, params).fetchall())
    ours = median(lambda: reports.summary(actor))
    print(f"{a.db} ({actor.region_name}): bare grouped count {bare:.3f} s, report summary {ours:.3f} s, "
          f"{ours / bare:.2f}× (≤ 5×)")


if __name__ == "__main__":
    main()
