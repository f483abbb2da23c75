"""Start-up cost of the non-UI commands, as whole processes, against `python -c pass`.

    .venv/bin/python bench/startup.py [--runs 9] [--rows 2000] [--kongcuo PATH]

(--kongcuo: another launcher, e.g. one that runs an older checkout, to compare.)

A scratch SQLite ledger (`kongcuo demo`) and an upstream file exported from it are made in a
temporary directory first; each command then runs `--runs` times through the installed
`kongcuo` script; the median wall time and the median CPU time (user + system, which a busy
machine disturbs far less) are printed, each also as the cost above a bare interpreter.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def _child_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def median_seconds(argv: list[str], env: dict, runs: int) -> tuple[float, float]:
    """Median (wall, CPU) seconds of ``runs`` runs of ``argv``."""
    wall, cpu = [], []
    for _ in range(runs):
        c, t = _child_cpu(), time.perf_counter()
        rc = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
        wall.append(time.perf_counter() - t)
        cpu.append(_child_cpu() - c)
        if rc not in (0, 1):  # an import with rejected rows exits 1
            raise SystemExit(f"{' '.join(argv)} failed with exit status {rc}")
    return statistics.median(wall), statistics.median(cpu)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("--rows", type=int, default=2000, help="rows in the scratch ledger and the imported file")
    ap.add_argument("--kongcuo", default=str(BIN / "kongcuo"), help="the launcher to time")
    args = ap.parse_args()
    kongcuo = args.kongcuo
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "KONGCUO_HOME": tmp, "KONGCUO_USER": "bench"}
        env.pop("KONGCUO_DB", None)
        upstream = str(Path(tmp) / "upstream.xlsx")
        for setup in (["init"], ["demo", "--rows", str(args.rows), "--no-tui"], ["export", "ledger", "-o", upstream]):
            subprocess.run([kongcuo, *setup], env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        cases = [
            ("python -c pass", [sys.executable, "-c", "pass"]),
            ("kongcuo --help", [kongcuo, "--help"]),
            ("kongcuo report summary", [kongcuo, "report", "summary"]),
            (f"kongcuo import FILE --dry-run ({args.rows} rows)", [kongcuo, "import", upstream, "--dry-run", "--region", "411328"]),
        ]
        results = [(label, median_seconds(argv, env, args.runs)) for label, argv in cases]
    base_wall, base_cpu = results[0][1]
    print(f"median of {args.runs} runs, ms                  wall  (above pass)    cpu  (above pass)")
    for label, (wall, cpu) in results:
        print(f"{label:<42}{wall * 1000:6.0f}  ({(wall - base_wall) * 1000:6.0f})  {cpu * 1000:6.0f}  ({(cpu - base_cpu) * 1000:6.0f})")


if __name__ == "__main__":
    main()
