"""Start-up cost of the non-UI commands, as whole processes, against `python -c pass`.

    .venv/bin/python bench/startup.py [--runs 9] [--rows 2000] [--kongcuo PATH] [--code DIR]

(--kongcuo: another launcher; --code DIR: run DIR/kongcuo_tui, e.g. an older checkout's, on
PYTHONPATH through this venv's interpreter, for an old/new A/B in the same minutes.)

Two scratch SQLite ledgers are made in temporary directories first: an EMPTY one (`kongcuo
init` only: what its commands cost is start-up, nothing else) and a demo one (`kongcuo demo`)
with an upstream file exported from it. Each command then runs `--runs` times; the median wall
time and the median CPU time (user + system, which a busy machine disturbs far less) are
printed, each also as the cost above a bare interpreter and as a multiple of it.

The package's byte code is compiled first (as pip does for an installed wheel): an editable
checkout under PYTHONDONTWRITEBYTECODE would otherwise compile every module on every run.
"""

from __future__ import annotations

import argparse
import importlib.util
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
    ap.add_argument("--code", help="a directory holding the kongcuo_tui package to time instead")
    args = ap.parse_args()
    kongcuo = [args.kongcuo]
    extra = {}
    if args.code:
        # -P: the current directory (a checkout's own kongcuo_tui) must not come before DIR.
        kongcuo = [sys.executable, "-P", "-c", "import sys; from kongcuo_tui.cli import main; sys.exit(main())"]
        extra = {"PYTHONPATH": str(Path(args.code).resolve())}
    package = Path(args.code, "kongcuo_tui") if args.code else Path(importlib.util.find_spec("kongcuo_tui").origin).parent
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], check=True)
    with tempfile.TemporaryDirectory() as empty_home, tempfile.TemporaryDirectory() as demo_home:
        empty, demo = ({**os.environ, **extra, "KONGCUO_HOME": home, "KONGCUO_USER": "bench"} for home in (empty_home, demo_home))
        for env in (empty, demo):
            env.pop("KONGCUO_DB", None)
        upstream = str(Path(demo_home) / "upstream.xlsx")
        for env, setup in ((empty, ["init"]), (demo, ["init"]), (demo, ["demo", "--rows", str(args.rows), "--no-tui"]),
                           (demo, ["export", "ledger", "-o", upstream])):
            subprocess.run([*kongcuo, *setup], env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        cases = [
            ("python -c pass", [sys.executable, "-c", "pass"], empty),
            ("kongcuo --help", [*kongcuo, "--help"], empty),
            ("empty ledger: report summary", [*kongcuo, "report", "summary"], empty),
            ("empty ledger: user list", [*kongcuo, "user", "list"], empty),
            ("empty ledger: due", [*kongcuo, "due"], empty),
            (f"empty ledger: import --dry-run ({args.rows} rows)",
             [*kongcuo, "import", upstream, "--dry-run", "--region", "411328"], empty),
            (f"demo ledger ({args.rows} rows): report summary", [*kongcuo, "report", "summary"], demo),
        ]
        results = [(label, median_seconds(argv, env, args.runs)) for label, argv, env in cases]
    base_wall, base_cpu = results[0][1]
    print(f"median of {args.runs} runs, ms                        wall (above pass)      cpu (above pass)")
    for label, (wall, cpu) in results:
        print(f"{label:<44}{wall * 1000:6.0f} ({(wall - base_wall) * 1000:5.0f}) {wall / base_wall:5.1f}x"
              f"  {cpu * 1000:6.0f} ({(cpu - base_cpu) * 1000:5.0f}) {cpu / base_cpu:5.1f}x")


if __name__ == "__main__":
    main()
