"""Many registrars saving the same rows at once: nothing lost, nothing claimed that did not land.

    .venv/bin/python bench/concurrency.py [--engine sqlite|postgres|both] [--procs 20]
        [--seconds 60 | --calls 50] [--login distinct|same|both] [--rows 40]
        [--pg postgresql://postgres@127.0.0.1:5432/postgres]

Each run is a fresh database (a temporary SQLite file; a scratch PostgreSQL database dropped
afterwards) with `--rows` ledger rows of one county. N processes (spawned, each with its own
connection) classify random batches of 1–5 of those rows through services.classify, exactly
as the form does: read the versions, then save. Every save carries a unique token in 备注, so
afterwards the history can be checked against what each call was told:

- lost: a row-write reported saved that is not in history exactly once at the version the
  caller expected, or whose version another write claims too;
- phantom: a history row no call was told it saved;
- per row: history versions strictly increase (2, 3, 4 …, no repeat, no gap) and the row
  ends in its last saved state (version and 备注 of its last history row).

The tests run the same `run()` with a fixed number of calls per process.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import queue
import random
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

COUNTY = "411328"
TODAY = date(2026, 11, 29)
ADMIN = "bench_admin"


@dataclass
class Result:
    engine: str
    login_mode: str
    procs: int
    seconds: float = 0.0
    calls: int = 0
    saved: int = 0  # row-writes reported saved
    conflict_calls: int = 0
    conflict_rows: int = 0
    lock_errors: int = 0
    deadlocks: int = 0
    errors: int = 0  # anything else: a crash
    error_samples: list[str] = field(default_factory=list)
    lost: int = 0
    phantom: int = 0
    duplicate_versions: int = 0
    backwards: int = 0
    wrong_final: int = 0

    @property
    def clean(self) -> bool:
        return not (self.lost or self.phantom or self.duplicate_versions or self.backwards or self.wrong_final)

    @property
    def lock_error_share(self) -> float:
        return self.lock_errors / self.calls if self.calls else 0.0


def prepare(rows: int, procs: int, same_login: bool) -> tuple[list[str], list[int]]:
    """Accounts and ledger rows on the bound, empty database; returns (login per process, row ids)."""
    from stdnum.cn import ric

    from kongcuo_tui.db.bulk import bulk_insert
    from kongcuo_tui.db.models import Entry
    from kongcuo_tui.services import accounts

    admin = accounts.add(None, ADMIN, "管理员", "admin", "410000")
    names = ["tanghe"] if same_login else [f"reg{i:02d}" for i in range(procs)]
    for name in names:
        accounts.add(admin, name, name, "county", COUNTY)
    entries = []
    for n in range(1, rows + 1):
        body = f"{COUNTY}2013050{1 + n // 1000}{n % 1000:03d}"
        entries.append({
            "region": COUNTY, "seq": n, "name": f"学生{n}", "birth_date": date(2013, 5, 1 + n // 1000),
            "id_number": body + ric.calc_check_digit(body + "0"), "hukou": "河南省南阳市唐河县",
            "address": "河南省南阳市唐河县源潭镇", "enrolled": "否", "source": "registry",
        })
    bulk_insert(Entry, entries)
    ids = [r[0] for r in Entry.select(Entry.id).where(Entry.region == COUNTY).order_by(Entry.id).tuples()]
    logins = [names[0] if same_login else names[i] for i in range(procs)]
    return logins, ids


def _classifications():
    from kongcuo_tui.domain.codes import Action
    from kongcuo_tui.domain.rules import Classification

    return [
        Classification(action=Action.UNCONFIRMED, code="99", proof_person="张丽",
                       proof_date=date(2026, 11, 10), notes=""),
        Classification(action=Action.ENROLLED, code="B2", proof_person="源潭镇中心小学 王老师",
                       proof_date=date(2026, 11, 20), notes="", study_region=COUNTY,
                       study_school="源潭镇中心小学", evidence=frozenset({"registry_card"})),
    ]


def _kind(e: BaseException) -> str:
    """By message, so the bench measures old and new code alike."""
    text = f"{type(e).__name__} {e}".lower()
    if "deadlock" in text:  # before "locked": its detail says "blocked by process"
        return "deadlock"
    if "locked" in text or "busy" in text or "正忙" in text:
        return "lock"
    return "error"


def worker(url: str, login: str, ids: list[int], seed: int, seconds: float | None, calls: int | None,
           ready, start, out) -> None:
    """One registrar: read versions, save, record what the service said was saved."""
    try:
        out.put(_work(url, login, ids, seed, seconds, calls, ready, start))
    except BaseException as e:  # a crash outside the calls: reported, not hung on
        out.put(({"error": 1}, [], [f"worker crashed: {type(e).__name__}: {e}"]))
        raise


def _work(url, login, ids, seed, seconds, calls, ready, start):
    from dataclasses import replace

    from kongcuo_tui.db.connection import open_database
    from kongcuo_tui.db.models import Entry
    from kongcuo_tui.services import accounts, classify

    database = open_database(url)
    database.connect()
    actor = accounts.resolve(login)
    kinds = _classifications()
    rng = random.Random(seed)
    stats = Counter()
    saved: list[tuple[int, int, str]] = []  # (entry id, version written, token)
    samples: list[str] = []
    ready.put(os.getpid())
    start.wait()
    deadline = time.monotonic() + seconds if seconds else None
    n = 0
    while (calls is None or n < calls) and (deadline is None or time.monotonic() < deadline):
        n += 1
        chosen = rng.sample(ids, min(len(ids), rng.choice((1, 1, 1, 2, 3, 5))))
        versions = dict(Entry.select(Entry.id, Entry.version).where(Entry.id.in_(chosen)).tuples())
        token = f"{login}/{os.getpid()}/{n}"
        c = replace(rng.choice(kinds), notes=token)
        stats["calls"] += 1
        try:
            r = classify.classify(actor, versions, c, partial=rng.random() < 0.3, today=TODAY)
        except Exception as e:  # noqa: BLE001 - counted and sampled, the run goes on
            kind = _kind(e)
            stats[kind] += 1
            if kind == "error" and len(samples) < 5:
                samples.append(f"{type(e).__name__}: {e}")
            if not database.in_transaction():
                continue
            database.rollback()
            continue
        if r.conflicts:
            stats["conflict_calls"] += 1
            stats["conflict_rows"] += len(r.conflicts)
        for eid in r.applied:
            saved.append((eid, versions[eid] + 1, token))
    database.close()
    return dict(stats), saved, samples


def verify(result: Result, saved: list[tuple[int, int, str]]) -> None:
    """Compare what every call was told with the history and the rows (bound database)."""
    from kongcuo_tui.db.models import Entry, History

    told = Counter((eid, token) for eid, _, token in saved)
    expected_version = {(eid, token): v for eid, v, token in saved}
    hist = list(History.select(History.entry, History.version, History.notes).order_by(History.id).tuples())
    written = Counter((eid, notes) for eid, _, notes in hist)
    version_of = {(eid, notes): v for eid, v, notes in hist}
    claims = Counter((eid, v) for eid, v, _ in hist)  # two writes claiming one version: one was overwritten
    result.lost = sum(1 for k, n in told.items() if n != 1 or written[k] != 1 or version_of.get(k) != expected_version[k]
                      or claims[(k[0], expected_version[k])] != 1)
    result.phantom = sum(n for k, n in written.items() if k not in told)
    per_row: dict[int, list[tuple[int, str]]] = {}
    for eid, v, notes in hist:
        per_row.setdefault(eid, []).append((v, notes))
    for eid, versions, notes in Entry.select(Entry.id, Entry.version, Entry.notes).tuples():
        chain = per_row.get(eid, [])
        vs = [v for v, _ in chain]
        result.duplicate_versions += len(vs) - len(set(vs))
        result.backwards += sum(1 for a, b in zip(vs, vs[1:]) if b <= a)
        last = chain[-1] if chain else (1, "")
        if (versions, notes) != last or vs != list(range(2, len(vs) + 2)):
            result.wrong_final += 1


def run(url: str, procs: int = 20, seconds: float | None = 60, calls: int | None = None,
        same_login: bool = False, rows: int = 40, seed: int = 9) -> Result:
    """Prepare the bound database at ``url`` (tables empty), run the processes, verify."""
    from kongcuo_tui.db.connection import db, is_sqlite, open_database

    database = open_database(url)
    database.connect(reuse_if_open=True)
    logins, ids = prepare(rows, procs, same_login)
    result = Result("SQLite" if is_sqlite() else "PostgreSQL", "same" if same_login else "distinct", procs)
    ctx = mp.get_context("spawn")
    ready, out, start = ctx.Queue(), ctx.Queue(), ctx.Event()
    children = [ctx.Process(target=worker, args=(url, logins[i], ids, seed * 1000 + i, seconds, calls,
                                                 ready, start, out)) for i in range(procs)]
    for p in children:
        p.start()
    for _ in children:
        ready.get(timeout=300)
    t = time.perf_counter()
    start.set()
    reports = []
    while len(reports) < len(children):
        try:
            reports.append(out.get(timeout=5))
        except queue.Empty:
            if not any(p.is_alive() for p in children) and out.empty():
                break  # killed without a word: counted below
    result.seconds = time.perf_counter() - t
    for p in children:
        p.join()
    crashed = len(children) - len(reports)
    saved: list[tuple[int, int, str]] = []
    for stats, s, samples in reports:
        for k in ("calls", "conflict_calls", "conflict_rows"):
            setattr(result, k, getattr(result, k) + stats.get(k, 0))
        result.lock_errors += stats.get("lock", 0)
        result.deadlocks += stats.get("deadlock", 0)
        result.errors += stats.get("error", 0)
        result.error_samples += samples
        saved += s
    result.errors += crashed
    result.saved = len(saved)
    db.connect(reuse_if_open=True)
    verify(result, saved)
    return result


HEADER = ("| engine | logins | procs × s | calls | saved rows | conflict rows | lock errors (share) "
          "| deadlocks | other errors | calls/s | lost | phantom | dup. versions | backwards | wrong final |")


def row(r: Result) -> str:
    rate = r.calls / r.seconds if r.seconds else 0
    return (f"| {r.engine} | {r.login_mode} | {r.procs} × {r.seconds:.0f} | {r.calls} | {r.saved} "
            f"| {r.conflict_rows} | {r.lock_errors} ({r.lock_error_share:.1%}) | {r.deadlocks} | {r.errors} "
            f"| {rate:.0f} | {r.lost} | {r.phantom} | {r.duplicate_versions} | {r.backwards} | {r.wrong_final} |")


def _fresh(engine: str, pg: str):
    """(url, cleanup) of a new initialised database."""
    if engine == "sqlite":
        folder = tempfile.mkdtemp(prefix="kongcuo-conc-")
        url = f"sqlite:///{folder}/k.db"
        drop = lambda: None  # noqa: E731
    else:
        import psycopg

        admin = psycopg.connect(pg, autocommit=True)
        name = f"kongcuo_conc_{uuid.uuid4().hex[:8]}"
        admin.execute(f'CREATE DATABASE "{name}"')
        url = f"{pg.rsplit('/', 1)[0]}/{name}"

        def drop():
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.close()
    from kongcuo_tui.db.connection import open_database
    from kongcuo_tui.db.migrations import upgrade
    from kongcuo_tui.services.setup import _load_regions

    database = open_database(url)
    database.connect()
    upgrade()
    _load_regions()
    database.close()
    return url, drop


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--engine", choices=("sqlite", "postgres", "both"), default="both")
    ap.add_argument("--procs", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--calls", type=int, default=None, help="calls per process instead of --seconds")
    ap.add_argument("--login", choices=("distinct", "same", "both"), default="both")
    ap.add_argument("--rows", type=int, default=40)
    ap.add_argument("--pg", default=os.environ.get("KONGCUO_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres"))
    a = ap.parse_args()
    engines = ("sqlite", "postgres") if a.engine == "both" else (a.engine,)
    modes = (False, True) if a.login == "both" else (a.login == "same",)
    print(HEADER)
    print("|" + "---|" * (HEADER.count("|") - 1))
    dirty = False
    for engine in engines:
        for same in modes:
            url, drop = _fresh(engine, a.pg)
            try:
                r = run(url, a.procs, None if a.calls else a.seconds, a.calls, same, a.rows)
            finally:
                from kongcuo_tui.db.connection import db

                if not db.is_closed():
                    db.close()
                drop()
            print(row(r), flush=True)
            for s in r.error_samples[:3]:
                print(f"    e.g. {s}", file=sys.stderr)
            dirty |= not r.clean or r.errors > 0
    sys.exit(1 if dirty else 0)


if __name__ == "__main__":
    main()
