"""`export forms` (登记表 / 劝返通知书 / 控辍保学的函) for a batch of students: seconds and peak memory.

    .venv/bin/python bench/forms.py [--students 50,500] [--keep DIR]

Builds a demo ledger (SQLite, with persuasion cases) once, then for each batch size and each
document runs export_forms for a province account over that many rows (those with the most
persuasion records first) in its own subprocess: wall seconds of the export (imports not
timed), sheets written, pages laid out, peak RSS.
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

TODAY = date(2026, 11, 29)
LOGIN = "henan"
KINDS = ("register", "notice", "letter")


def _open_db(db_path: Path) -> None:
    from kongcuo_tui.db.connection import open_database

    open_database(f"sqlite:///{db_path}").connect(reuse_if_open=True)


def build(db_path: Path) -> None:
    from kongcuo_tui.domain.roles import Role
    from kongcuo_tui.services import accounts, demo
    from kongcuo_tui.services.setup import initialize

    _open_db(db_path)
    initialize("bench")
    accounts.add(accounts.resolve("bench"), LOGIN, "省教育厅", Role.PROVINCE, "410000")
    demo.generate(rows=5000, login="bench", today=TODAY)


def measure(kind: str, db_path: Path, n: int, out: Path) -> dict:
    from peewee import fn

    from kongcuo_tui.db.models import Entry, Persuasion
    from kongcuo_tui.exports.forms import export_forms
    from kongcuo_tui.services import accounts

    _open_db(db_path)
    ids = [r[0] for r in Persuasion.select(Persuasion.entry, fn.COUNT(Persuasion.id).alias("n"))
           .group_by(Persuasion.entry).order_by(fn.COUNT(Persuasion.id).desc(), Persuasion.entry).limit(n).tuples()]
    ids += [r[0] for r in Entry.select(Entry.id).where(Entry.id.not_in(ids)).limit(n - len(ids)).tuples()]
    t = time.perf_counter()
    r = export_forms(accounts.resolve(LOGIN), kind, ids, out, today=TODAY)
    return {"seconds": time.perf_counter() - t, "sheets": r.students, "pages": sum(r.pages)}


def _child(*args: str) -> dict:
    done = subprocess.run([sys.executable, __file__, "--child", *args], capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--students", default="50,500")
    p.add_argument("--keep", help="directory for the demo database, reused when present (default: a temp dir)")
    p.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.child:
        if a.child[0] == "build":
            build(Path(a.child[1]))
            print("{}")
            return
        kind, db_path, n, out = a.child
        r = measure(kind, Path(db_path), int(n), Path(out))
        r["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(r))
        return
    work = Path(a.keep or tempfile.mkdtemp(prefix="kongcuo-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    db_path = work / "forms.db"
    if not db_path.exists():
        _child("build", str(db_path))
    print(f"{'students':>8} {'document':<9} {'sheets':>6} {'pages':>6} {'seconds':>8} {'ms/sheet':>8} {'peak MB':>8}")
    for n in (int(s) for s in a.students.split(",")):
        for kind in KINDS:
            r = _child(kind, str(db_path), str(n), str(work / f"{kind}-{n}.xlsx"))
            print(f"{n:>8} {kind:<9} {r['sheets']:>6} {r['pages']:>6} {r['seconds']:>8.2f} "
                  f"{1000 * r['seconds'] / r['sheets']:>8.1f} {r['peak_mb']:>8.0f}")


if __name__ == "__main__":
    main()
