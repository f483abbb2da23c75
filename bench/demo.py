"""Time `kongcuo demo --rows N --no-tui` on SQLite and PostgreSQL and print the figures.

    .venv/bin/python bench/demo.py [--rows 100000] [--pg postgresql://postgres@127.0.0.1:5432/postgres]

Each run is a fresh database (a temporary SQLite file; a scratch PostgreSQL database that
is dropped afterwards), through the real command in a subprocess, with its CPU seconds
(user + system: on a shared machine the wall time alone says little) and peak memory.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
import uuid


CHILD = (
    "import resource, sys\n"
    "from kongcuo_tui.cli import main\n"
    "rc = main(['demo', '--rows', sys.argv[1], '--no-tui'])\n"
    "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    "sys.exit(rc)\n"
)


def run(url: str, rows: int) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (MB) of one demo run in its own process."""
    env = {**os.environ, "KONGCUO_DB": url}  # the login is the Unix account running the bench
    t, before = time.perf_counter(), _children_cpu()
    out = subprocess.run([sys.executable, "-c", CHILD, str(rows)], env=env, check=True,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout
    return time.perf_counter() - t, _children_cpu() - before, int(out.split()[-1]) / 1024


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = ap.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        results.append(("SQLite", *run(f"sqlite:///{tmp}/demo.db", args.rows)))
    try:
        import psycopg

        admin = psycopg.connect(args.pg, autocommit=True)
        name = f"kongcuo_bench_{uuid.uuid4().hex[:8]}"
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            results.append(("PostgreSQL", *run(f"{args.pg.rsplit('/', 1)[0]}/{name}", args.rows)))
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    except Exception as e:  # no server: report SQLite only
        print(f"PostgreSQL skipped: {e}", file=sys.stderr)
    print(f"kongcuo demo --rows {args.rows} --no-tui (load average {os.getloadavg()[0]:.1f})")
    print(f"{'engine':<12}{'seconds':>10}{'CPU s':>10}{'peak MB':>10}")
    for engine, seconds, cpu, peak in results:
        print(f"{engine:<12}{seconds:>10.1f}{cpu:>10.1f}{peak:>10.0f}")


if __name__ == "__main__":
    main()
