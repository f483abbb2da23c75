"""`export summary` (附件1) beside the bare xlsxwriter write of the same rows and columns.

    .venv/bin/python bench/summary.py [--sizes 10000,100000] [--keep DIR] [--steps bare,summary]

Builds a demo ledger per size (SQLite, several counties, with guardians; reused from --keep),
then measures each step in its own subprocess, as a whole process (wall seconds, peak RSS
from ru_maxrss) for a province account:
  bare     the summary's 13 columns for every row from one SQL query on the bare sqlite3
           driver (guardians by GROUP_CONCAT), streamed into a plain xlsxwriter
           constant_memory loop (no formats, borders, row heights or page setup)
  summary  kongcuo export_summary (paged reads, guardians and schools per page, formats,
           row heights from the text, print setup)
Targets: summary ≤ 2× bare, peak memory flat in the row count.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

STEPS = ("bare", "summary")
TODAY = date(2026, 11, 29)
LOGIN = "henan"


def _open_db(db_path: Path):
    from kongcuo_tui.db.connection import open_database

    database = open_database(f"sqlite:///{db_path}")
    database.connect(reuse_if_open=True)
    return database


def build(db_path: Path, rows: int) -> None:
    """A fresh demo ledger of ``rows`` rows and a province account to export it."""
    from kongcuo_tui.domain.roles import Role
    from kongcuo_tui.services import accounts, demo
    from kongcuo_tui.services.setup import initialize

    _open_db(db_path)
    initialize("bench")  # the first account: an administrator
    accounts.add(accounts.resolve("bench"), LOGIN, "省教育厅", Role.PROVINCE, "410000")
    demo.generate(rows=rows, login="bench", today=TODAY)


def measure(kind: str, db_path: Path, out: Path) -> dict:
    """Runs in the child process; returns seconds and a row count (imports not timed)."""
    import xlsxwriter  # noqa: F401

    t = time.perf_counter()
    if kind == "summary":
        from kongcuo_tui.exports.summary import export_summary
        from kongcuo_tui.services import accounts

        _open_db(db_path)
        t = time.perf_counter()
        n = export_summary(accounts.resolve(LOGIN), out, today=TODAY).rows
    elif kind == "bare":
        n = _bare_write(db_path, out)
    else:
        raise SystemExit(f"unknown measurement {kind}")
    return {"seconds": time.perf_counter() - t, "rows": n}


BARE_SQL = """
SELECT e.name, e.sex, e.ethnicity, COALESCE(s.name, e.prov_school), e.grade_class, e.id_number,
       COALESCE(NULLIF(e.residence, ''), e.address), e.hukou, e.disability,
       (SELECT GROUP_CONCAT(name || ' ' || id_number, char(10)) FROM guardian WHERE entry_id = e.id),
       (SELECT GROUP_CONCAT(NULLIF(phone, ''), char(10)) FROM guardian WHERE entry_id = e.id),
       e.dropout_reason
FROM entry e
LEFT JOIN school s ON s.id = e.school_id
WHERE e.region >= '41' AND e.region < '42'
  AND (e.status = 'pending' OR e.code IN ({codes}))
ORDER BY e.region, e.seq, e.id
"""


def _bare_write(db_path: Path, out: Path) -> int:
    """The same 13 cells per row from one query on the bare driver, written the plainest way."""
    import sqlite3

    import xlsxwriter

    from kongcuo_tui.domain.codes import CodeClass, codes_in

    codes = ", ".join(f"'{c}'" for c in codes_in(CodeClass.PERSUADE, CodeClass.UNCONFIRMED))
    wb = xlsxwriter.Workbook(str(out), {"constant_memory": True})
    ws = wb.add_worksheet()
    n = 0
    for n, row in enumerate(sqlite3.connect(db_path).execute(BARE_SQL.format(codes=codes)), 1):
        ws.write_number(n, 0, n)
        for c, v in enumerate(row, 1):
            if v:
                ws.write_string(n, c, v)
    wb.close()
    return n


def _child(kind: str, db_path: Path, out: Path) -> dict:
    cmd = [sys.executable, __file__, "--child", kind, str(db_path), str(out)]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--sizes", default="10000,100000")
    p.add_argument("--keep", help="directory for the demo databases, reused when present (default: a temp dir)")
    p.add_argument("--steps", default=",".join(STEPS), help="which steps to run (default: all)")
    p.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.child:
        kind, db_path, out = a.child
        if kind == "build":
            build(Path(db_path), int(out))
            print("{}")
            return
        r = measure(kind, Path(db_path), Path(out))
        r["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(r))
        return
    work = Path(a.keep or tempfile.mkdtemp(prefix="kongcuo-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"{'rows':>8} {'step':<8} {'out rows':>8} {'seconds':>8} {'peak MB':>8}  ratio / target")
    for size in (int(s) for s in a.sizes.split(",")):
        db_path, out = work / f"summary-{size}.db", work / f"summary-{size}.xlsx"
        if not db_path.exists():
            _child("build", db_path, Path(str(size)))
        res = {k: _child(k, db_path, out) for k in STEPS if k in a.steps.split(",")}
        for k, r in res.items():
            note = ""
            if k == "summary" and "bare" in res:
                ratio = r["seconds"] / res["bare"]["seconds"]
                note = f"{ratio:.2f}× bare (target ≤ 2.0×) {'OK' if ratio <= 2.0 else 'OVER'}"
            print(f"{size:>8} {k:<8} {r['rows']:>8} {r['seconds']:>8.2f} {r['peak_mb']:>8.0f}  {note}", flush=True)


if __name__ == "__main__":
    main()
