"""The ledger's overdue set (只看逾期 and the count in the tab line) at scale.

Builds a demo ledger (or uses --db), then times what one ledger reload costs for it:
`persuasion.overdue_ids` for the account's scope (read once per reload, in a worker), the
same for one child (what a saved step costs), and the first page and count of the ledger
filtered by that set. Prints cases per stage too,
so the demo's spread over the stages is visible.

Usage: .venv/bin/python bench/overdue.py [--rows 100000] [--db sqlite:////tmp/x.db]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter

LOGIN = "bench"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=int, default=100_000)
    p.add_argument("--db", help="已有的演示库地址（默认新建临时 SQLite 库并生成演示台账）")
    args = p.parse_args()
    url = args.db
    if url is None:
        url = f"sqlite:///{tempfile.mkdtemp(prefix='kongcuo-overdue-')}/bench.db"
        kongcuo = os.path.join(os.path.dirname(sys.executable), "kongcuo")
        subprocess.run([kongcuo, "--login", LOGIN, "demo", "--rows", str(args.rows), "--no-tui"],
                       env={**os.environ, "KONGCUO_DB": url}, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)

    from kongcuo_tui.db.connection import open_database
    from kongcuo_tui.db.models import Entry
    from kongcuo_tui.services import accounts, ledger, persuasion
    from kongcuo_tui.services.types import LedgerQuery

    open_database(url)
    actor = accounts.resolve(LOGIN)
    t = time.perf_counter()
    ids = persuasion.overdue_ids(actor)
    read = time.perf_counter() - t
    t = time.perf_counter()
    persuasion.overdue_ids(actor, among=frozenset(sorted(ids)[:1]))  # after a step saved for one child
    one = time.perf_counter() - t
    q = LedgerQuery(status=None, overdue_ids=ids)
    t = time.perf_counter()
    total = ledger.count(actor, q)
    rows = ledger.page(actor, q, 0, 100, total)
    page = time.perf_counter() - t
    stages = Counter((r.stage.value, "逾期" if r.overdue else "按期") for r in persuasion.due_list(actor))
    print(f"{Entry.select().count()} 行：逾期 {len(ids)} 人，读取逾期集合 {read:.2f} 秒，只重算一人 {one * 1000:.0f} 毫秒；"
          f"按逾期筛选的计数和首页 {total} 行/{len(rows)} 行 {page * 1000:.0f} 毫秒")
    print("各阶段案件：" + "，".join(f"{s}{o} {n}" for (s, o), n in sorted(stages.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
