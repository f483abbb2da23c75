"""Excel import/export speed and memory beside bare-library baselines.

    .venv/bin/python bench/excel.py [--sizes 10000,100000] [--keep DIR] [--steps calamine,import]
                                    [--engines sqlite,postgres] [--pg postgresql://postgres@127.0.0.1:5432/postgres]
    BENCH_CODE=/tmp/old .venv/bin/python bench/excel.py …   # the import commands on /tmp/old/kongcuo_tui

Generates valid upstream ledgers, then measures each step in its own subprocess — whole
processes, interpreter start-up included (wall seconds, peak RSS from ru_maxrss) — and
prints one table per engine:
  calamine   bare python-calamine read of the file (every row to Python)
  import     `kongcuo import FILE --json` into a fresh database: the real command, start-up,
             validation and DB writes (in-proc s is then the whole process too)
  reimport   the same command again, into the county that now holds its rows
  xlsxwriter bare driver query + xlsxwriter constant_memory write of the same 21 columns × rows
  export     kongcuo export_ledger of those rows (DB paging + safe cell writing)
Targets: import ≤ 3× calamine (SQLite), ≤ 4× (PostgreSQL); reimport ≤ 2× import;
export ≤ 1.3× xlsxwriter; import peak ≤ calamine's + 100 MB.
PostgreSQL databases are named prov_bench_<rows> (--pg-prefix) and kept for the next run's export steps.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

HEADERS = ("序号", "姓名", "出生日期", "证件号码", "户籍地", "家庭住址", "是否在读",
           "全国学籍号", "省内学校名称", "省内学籍号", "省内学生状态")


STEPS = ("calamine", "import", "reimport", "xlsxwriter", "export")  # later steps need import's database


# The compulsory-age window at the cutoff: a child 6 to 15 (周岁) on that day.
AGE_YOUNGEST, AGE_OLDEST = 6, 15
SEQUENCE_CODES = 1000  # an ID's 3-digit sequence code: IDs per region and birth date


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def birth_window(cutoff: date) -> tuple[date, int]:
    """The earliest birth date of compulsory age at ``cutoff`` and how many days the window has."""
    first = _years_before(cutoff, AGE_OLDEST + 1) + timedelta(days=1)
    last = _years_before(cutoff, AGE_YOUNGEST)
    return first, (last - first).days + 1


def birth_and_id(n: int, cutoff: date) -> tuple[date, str]:
    """Row ``n``'s birth date (inside the window, spread evenly) and its unique, valid ID."""
    from stdnum.cn import ric

    first, days = birth_window(cutoff)
    sequence, day = divmod(n, days)  # a bijection while sequence < SEQUENCE_CODES
    if sequence >= SEQUENCE_CODES:
        raise ValueError(f"at most {days * SEQUENCE_CODES} unique IDs in one county's compulsory-age window")
    birth = first + timedelta(days=day)
    body = f"411328{birth:%Y%m%d}{sequence:03d}"
    return birth, body + ric.calc_check_digit(body + "0")


def ledger_row(n: int, cutoff: date) -> list:
    birth, ident = birth_and_id(n, cutoff)
    reg = n % 3 != 0
    return [n, "王李张刘陈杨赵黄周吴"[n % 10] + "子梓浩宇轩涵欣怡雨泽"[n // 10 % 10] + "博文佳俊杰"[n // 100 % 5],
            birth, ident, "河南省南阳市唐河县", f"河南省南阳市唐河县源潭镇{n % 20}组{n}号",
            "否" if n % 4 else "是", f"G{ident}" if reg else "", "唐河县源潭镇中心小学" if reg else "",
            f"41132800{n:07d}" if reg else "", "疑似辍学" if reg else ""]


def generate(path: Path, rows: int, today: date | None = None) -> None:
    """An upstream ledger of ``rows`` valid rows as the import sees them ``today``."""
    import xlsxwriter

    from kongcuo_tui.config import Settings

    cutoff = Settings().cutoff(today or date.today())
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet()
    fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_row(0, 0, HEADERS)
    for r in range(1, rows + 1):
        row = ledger_row(r, cutoff)
        for c, v in enumerate(row):
            if isinstance(v, date):
                ws.write_datetime(r, c, datetime(v.year, v.month, v.day), fmt)
            elif isinstance(v, int):
                ws.write_number(r, c, v)
            else:
                ws.write_string(r, c, v)
    wb.close()


def _open_db(url: str, fresh: bool):
    from kongcuo_tui.db.connection import open_database, sqlite_path
    from kongcuo_tui.services import accounts
    from kongcuo_tui.services.setup import initialize

    path = sqlite_path(url)
    if fresh and path is not None:
        path.unlink(missing_ok=True)
    elif fresh:
        import psycopg

        server, name = url.rsplit("/", 1)
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
    database = open_database(url)
    database.connect(reuse_if_open=True)
    if fresh:
        initialize("bench")  # the first account: an administrator
        accounts.add(accounts.resolve("bench"), "tanghe", "张丽", "county", "411328")
    return accounts.resolve(os.environ.get("BENCH_LOGIN", "tanghe"))


def measure(kind: str, xlsx: Path, url: str, out: Path) -> dict:
    """Runs in the child process; returns seconds and a row count."""
    if kind == "calamine":
        from python_calamine import CalamineWorkbook

        t = time.perf_counter()
        sheet = CalamineWorkbook.from_path(str(xlsx)).get_sheet_by_index(0)
        n = sum(1 for _ in sheet.iter_rows()) - 1
        return {"seconds": time.perf_counter() - t, "rows": n}
    if kind == "fresh":  # set-up, not timed: an empty database with the county's account
        _open_db(url, fresh=True)
        return {"seconds": 0, "rows": 0}
    if kind == "xlsxwriter":
        return _bare_write(url, out)
    if kind == "export":
        from kongcuo_tui.exports.ledger import export_ledger

        actor = _open_db(url, fresh=False)
        t = time.perf_counter()
        n = export_ledger(actor, out).rows
        return {"seconds": time.perf_counter() - t, "rows": n}
    raise SystemExit(f"unknown measurement {kind}")


def _bare_write(url: str, out: Path) -> dict:
    """The same 21 cells per row, straight from the driver's cursor, written the plainest way."""
    from kongcuo_tui.db.connection import db, is_sqlite
    from kongcuo_tui.db.models import Entry
    from kongcuo_tui.exports.ledger import _FIELDS

    _open_db(url, fresh=False)
    t = time.perf_counter()
    with db.atomic():  # PostgreSQL: a named cursor lives in a transaction
        n = _write_rows(db, is_sqlite(), out, *Entry.select(*_FIELDS[:-3]).order_by(
            Entry.region, Entry.seq, Entry.id).sql())
    return {"seconds": time.perf_counter() - t, "rows": n}


def _write_rows(db, sqlite: bool, out: Path, sql: str, params) -> int:
    import xlsxwriter

    if sqlite:
        cursor = db.connection().execute(sql, params)
    else:  # a server-side cursor, or the driver holds every row at once
        cursor = db.connection().cursor(name="bare")
        cursor.itersize = 2000
        cursor.execute(sql, params)
    wb = xlsxwriter.Workbook(str(out), {"constant_memory": True})
    ws = wb.add_worksheet()
    fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    n = 0
    for n, row in enumerate(cursor, 1):
        for c, v in enumerate(row):
            if isinstance(v, date):
                ws.write_datetime(n, c, v, fmt)
            elif isinstance(v, int):
                ws.write_number(n, c, v)
            elif v is not None:
                ws.write_string(n, c, v)
    wb.close()
    return n


# The `kongcuo` console script is exactly this, plus the peak memory on stderr.
_COMMAND = ("import resource, sys\n"
            "from kongcuo_tui.cli import main\n"
            "rc = main(sys.argv[1:])\n"
            "print('MAXRSS', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
            "sys.exit(rc)\n")


# BENCH_CODE=DIR runs the commands on another checkout's kongcuo_tui (an A/B of old and new code
# in the same minutes): DIR goes first on the path, ahead of the editable install's finder.
_OTHER_CODE = ("import sys\n"
               "sys.meta_path[:] = [f for f in sys.meta_path if 'editable' not in repr(f)]\n"
               "sys.path.insert(0, {!r})\n")


def _child(kind: str, xlsx: Path, url: str, out: Path) -> dict:
    if kind in ("import", "reimport"):
        code = os.environ.get("BENCH_CODE")
        cmd = ["nice", sys.executable, "-c", (_OTHER_CODE.format(code) if code else "") + _COMMAND, "--db", url, "--login", os.environ.get("BENCH_LOGIN", "tanghe"),
               "import", str(xlsx), "--json"]
    else:
        cmd = ["nice", sys.executable, __file__, "--child", kind, str(xlsx), url, str(out)]
    t, cpu = time.perf_counter(), _children_cpu()
    done = subprocess.run(cmd, capture_output=True, text=True)
    wall, cpu = time.perf_counter() - t, _children_cpu() - cpu
    if done.returncode:
        raise SystemExit(done.stderr)
    if kind in ("import", "reimport"):
        rep = json.loads(done.stdout)
        assert not rep["rejected"] and not rep["warnings"], (rep["rejected"] + rep["warnings"])[:3]
        peak = int(done.stderr.split("MAXRSS")[-1]) / 1024
        r = {"seconds": wall, "rows": rep["inserted"] + rep["unchanged"], "peak_mb": peak}
    else:
        r = json.loads(done.stdout.strip().splitlines()[-1])
    return {**r, "process": wall, "cpu": cpu}


def _children_cpu() -> float:
    """User + system seconds of finished children: far less disturbed by a busy machine than wall time
    (a PostgreSQL server's own work is not in it)."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


RATIOS = {"import": ("calamine", {"sqlite": 3.0, "postgres": 4.0}), "reimport": ("import", {"sqlite": 2.0, "postgres": 2.0}),
          "export": ("xlsxwriter", {"sqlite": 1.3, "postgres": 1.3})}


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--sizes", default="10000,100000")
    p.add_argument("--keep", help="directory for the generated files, reused when present (default: a temp dir)")
    p.add_argument("--steps", default=",".join(STEPS), help="which steps to run (default: all)")
    p.add_argument("--engines", default="sqlite")
    p.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/postgres")
    p.add_argument("--pg-prefix", default="prov_bench", help="PostgreSQL databases are named PREFIX_<rows>")
    p.add_argument("--db", help="an existing database: only the xlsxwriter and export steps, as --login")
    p.add_argument("--login", default="tanghe", help="with --db: the account that exports (e.g. a province's)")
    p.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.child:
        kind, xlsx, url, out = a.child
        r = measure(kind, Path(xlsx), url, Path(out))
        r["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(r))
        return
    os.environ["BENCH_LOGIN"] = a.login  # for the children
    work = Path(a.keep or tempfile.mkdtemp(prefix="kongcuo-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    if a.db:
        out = work / "out-existing.xlsx"
        res = {k: _child(k, out, a.db, out) for k in ("xlsxwriter", "export")}
        for k, r in res.items():
            print(f"{a.db}: {k:<11} {r['rows']:>8} rows {r['process']:8.2f} s (cpu {r['cpu']:.2f} s) {r['peak_mb']:6.0f} MB")
        x, e = res["xlsxwriter"], res["export"]
        print(f"export / bare: {e['process'] / x['process']:.2f}× wall, {e['cpu'] / x['cpu']:.2f}× cpu (≤ 1.3×)")
        return
    print(f"{'engine':<9}{'rows':>8} {'step':<11} {'process s':>9} {'cpu s':>7} {'in-proc s':>9} {'peak MB':>8}"
          "  ratio (whole processes, wall; cpu) / target")
    for size in (int(s) for s in a.sizes.split(",")):
        xlsx, out = work / f"upstream-{size}.xlsx", work / f"out-{size}.xlsx"
        if not xlsx.exists():
            generate(xlsx, size)
        for engine in a.engines.split(","):
            url = f"sqlite:///{work / f'bench-{size}.db'}" if engine == "sqlite" else \
                f"{a.pg.rsplit('/', 1)[0]}/{a.pg_prefix}_{size}"
            if "import" in a.steps.split(","):
                _child("fresh", xlsx, url, out)
            res = {}
            for k in (k for k in STEPS if k in a.steps.split(",")):
                r = res[k] = _child(k, xlsx, url, out)
                note = ""
                if k in RATIOS and RATIOS[k][0] in res:
                    base, targets = RATIOS[k]
                    wall, cpu = r["process"] / res[base]["process"], r["cpu"] / res[base]["cpu"]
                    # SQLite works inside the process, so its CPU time is the steadier figure on a
                    # busy machine; a PostgreSQL server's work shows only in the wall time.
                    judged = cpu if engine == "sqlite" else wall
                    note = (f"{wall:.2f}× {base}; cpu {cpu:.2f}× (≤ {targets[engine]}×, judged on "
                            f"{'cpu' if engine == 'sqlite' else 'wall'}) {'OK' if judged <= targets[engine] else 'OVER'}")
                if k == "import" and "calamine" in res:
                    extra = r["peak_mb"] - res["calamine"]["peak_mb"]
                    note += f"; +{extra:.0f} MB over the bare read (≤ 100) {'OK' if extra <= 100 else 'OVER'}"
                print(f"{engine:<9}{size:>8} {k:<11} {r['process']:>9.2f} {r['cpu']:>7.2f} {r['seconds']:>9.2f} "
                      f"{r['peak_mb']:>8.0f}  {note}",
                      flush=True)


if __name__ == "__main__":
    main()
