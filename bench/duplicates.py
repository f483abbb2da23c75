"""疑似重复 search speed on both engines.

    .venv/bin/python bench/duplicates.py [--sizes 10000,100000] [--engines sqlite,postgres]

Builds a ledger of N rows over three counties (names drawn like the demo's, so many children
share a name; valid, unique IDs), plants 1% twins with a one-digit typo, a transposition, or
the same name and birth date with a wrong ID, and 0.1% of IDs again in another county. Then
times services.duplicates.find for a province account (every county, so the cross-county
check runs too) and prints seconds and what it found. PostgreSQL: a scratch database on
$KONGCUO_TEST_PG (default the local server), dropped afterwards.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PG_ADMIN = os.environ.get("KONGCUO_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
COUNTIES = ("411328", "411330", "411321")


def _valid(body: str) -> str:
    from stdnum.cn import ric

    return body + ric.calc_check_digit(body + "0")


def rows(n: int, seed: int = 1):
    """(region, name, birth, id_number, id_ok) of n background rows plus the planted twins."""
    from kongcuo_tui.services.demo import GIVEN, SURNAMES

    rng = random.Random(seed)
    first = date(2010, 9, 1)
    out, taken = [], set()
    while len(out) < n:
        region = rng.choice(COUNTIES)
        birth = first + timedelta(days=rng.randrange(3650))
        ident = _valid(f"{region}{birth:%Y%m%d}{rng.randrange(1000):03d}")
        if ident in taken:
            continue
        taken.add(ident)
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2, 2))))
        out.append((region, name, birth, ident, True))
    planted = []
    for k, (region, name, birth, ident, _) in enumerate(rng.sample(out, n // 100)):
        kind = k % 3
        if kind == 0:
            i = rng.randrange(6, 17)
            twin = ident[:i] + str((int(ident[i]) + 1) % 10) + ident[i + 1:]
        elif kind == 1:
            i = next((j for j in range(14, 16) if ident[j] != ident[j + 1]), 10)
            twin = ident[:i] + ident[i + 1] + ident[i] + ident[i + 2:]
        else:
            twin = ident[:14] + "999" + ("0" if ident[17] != "0" else "1")
        if twin not in taken:
            taken.add(twin)
            planted.append((region, name, birth, twin, False))
    for region, name, birth, ident, ok in rng.sample(out, n // 1000):
        other = next(c for c in COUNTIES if c != region)
        planted.append((other, name, birth, ident, ok))
    return out + planted


def build(url: str, n: int) -> None:
    from kongcuo_tui.db.bulk import bulk_insert
    from kongcuo_tui.db.connection import open_database
    from kongcuo_tui.db.models import Entry
    from kongcuo_tui.db.transactions import write_transaction
    from kongcuo_tui.services import accounts
    from kongcuo_tui.services.setup import initialize

    database = open_database(url)
    database.connect(reuse_if_open=True)
    initialize("bench")
    accounts.add(accounts.resolve("bench"), "henan", "省教育厅", "province", "410000")
    with write_transaction():
        bulk_insert(Entry, ({"region": r, "seq": i, "name": name, "birth_date": b, "id_number": ident, "id_ok": ok}
                            for i, (r, name, b, ident, ok) in enumerate(rows(n), 1)))
    if not url.startswith("sqlite"):
        database.execute_sql("ANALYZE")


def measure(url: str) -> tuple[float, dict]:
    from collections import Counter

    from kongcuo_tui.services import accounts, duplicates

    t = time.perf_counter()
    pairs = duplicates.find(accounts.resolve("henan"))
    return time.perf_counter() - t, Counter(p.reason_label for p in pairs)


def _pg(n: int):
    import psycopg

    admin = psycopg.connect(PG_ADMIN, autocommit=True)
    name = f"kongcuo_bench_{uuid.uuid4().hex[:8]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    return admin, name, f"{PG_ADMIN.rsplit('/', 1)[0]}/{name}"


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--sizes", default="10000,100000")
    p.add_argument("--engines", default="sqlite,postgres")
    args = p.parse_args()
    from kongcuo_tui.db.connection import db

    print(f"{'engine':9} {'rows':>9} {'seconds':>8}  found")
    for engine in args.engines.split(","):
        for n in map(int, args.sizes.split(",")):
            with tempfile.TemporaryDirectory() as tmp:
                admin = None
                if engine == "sqlite":
                    url = f"sqlite:///{Path(tmp) / 'bench.db'}"
                else:
                    admin, name, url = _pg(n)
                try:
                    build(url, n)
                    seconds, found = measure(url)
                finally:
                    db.close()
                    if admin is not None:
                        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                        admin.close()
            print(f"{engine:9} {n:>9} {seconds:>8.2f}  " + "，".join(f"{k} {v}" for k, v in sorted(found.items())))


if __name__ == "__main__":
    main()
