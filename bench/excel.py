"""Excel import/export speed and memory beside bare-library baselines.

    .venv/bin/python bench/excel.py [--sizes 10000,100000] [--keep DIR] [--steps calamine,import]

Generates valid upstream ledgers, then measures each step in its own subprocess
(seconds of wall time, peak RSS from ru_maxrss) and prints one table:
  calamine   bare python-calamine read of the file (every row to Python)
  import     kongcuo import_file into a fresh SQLite database (validation + DB writes)
  xlsxwriter bare xlsxwriter constant_memory write of the same 21 columns × rows
  export     kongcuo export_ledger of those rows (DB paging + safe cell writing)
Targets: import ≤ 3× calamine, export ≤ 1.3× xlsxwriter, peak memory ≤ 300 MB.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

HEADERS = ("序号", "姓名", "出生日期", "证件号码", "户籍地", "家庭住址", "是否在读",
           "全国学籍号", "省内学校名称", "省内学籍号", "省内学生状态")


STEPS = ("calamine", "import", "xlsxwriter", "export")  # export needs import's database


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


def _open_db(db_path: Path, fresh: bool):
    from kongcuo_tui.db.connection import open_database
    from kongcuo_tui.services import accounts
    from kongcuo_tui.services.setup import initialize

    if fresh and db_path.exists():
        db_path.unlink()
    database = open_database(f"sqlite:///{db_path}")
    database.connect(reuse_if_open=True)
    if fresh:
        initialize("bench")  # the first account: an administrator
        accounts.add(accounts.resolve("bench"), "tanghe", "张丽", "county", "411328")
    return accounts.resolve("tanghe")


def measure(kind: str, xlsx: Path, db_path: Path, out: Path) -> dict:
    """Runs in the child process; returns seconds and a row count."""
    if kind == "calamine":
        from python_calamine import CalamineWorkbook

        t = time.perf_counter()
        sheet = CalamineWorkbook.from_path(str(xlsx)).get_sheet_by_index(0)
        n = sum(1 for _ in sheet.iter_rows()) - 1
        return {"seconds": time.perf_counter() - t, "rows": n}
    if kind == "import":
        from kongcuo_tui.imports.upstream import import_file

        actor = _open_db(db_path, fresh=True)
        t = time.perf_counter()
        rep = import_file(actor, xlsx)
        assert not rep.rejected and not rep.warnings, (rep.rejected + rep.warnings)[:3]
        return {"seconds": time.perf_counter() - t, "rows": rep.inserted}
    if kind == "xlsxwriter":
        return _bare_write(db_path, out)
    if kind == "export":
        from kongcuo_tui.exports.ledger import export_ledger

        actor = _open_db(db_path, fresh=False)
        t = time.perf_counter()
        n = export_ledger(actor, out).rows
        return {"seconds": time.perf_counter() - t, "rows": n}
    raise SystemExit(f"unknown measurement {kind}")


def _bare_write(db_path: Path, out: Path) -> dict:
    """The same 21 cells per row, already in memory, written the plainest way."""
    from kongcuo_tui.exports.ledger import _FIELDS
    from kongcuo_tui.db.models import Entry

    _open_db(db_path, fresh=False)
    rows = list(Entry.select(*_FIELDS).order_by(Entry.seq, Entry.id).tuples())
    import xlsxwriter

    t = time.perf_counter()
    wb = xlsxwriter.Workbook(str(out), {"constant_memory": True})
    ws = wb.add_worksheet()
    fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    for r, row in enumerate(rows, 1):
        for c, v in enumerate(row[:-1]):
            if isinstance(v, date):
                ws.write_datetime(r, c, v, fmt)
            elif isinstance(v, int):
                ws.write_number(r, c, v)
            elif v is not None:
                ws.write_string(r, c, v)
    wb.close()
    return {"seconds": time.perf_counter() - t, "rows": len(rows)}


def _child(kind: str, xlsx: Path, db_path: Path, out: Path) -> dict:
    cmd = [sys.executable, __file__, "--child", kind, str(xlsx), str(db_path), str(out)]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--sizes", default="10000,100000")
    p.add_argument("--keep", help="directory for the generated files, reused when present (default: a temp dir)")
    p.add_argument("--steps", default=",".join(STEPS), help="which steps to run (default: all)")
    p.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.child:
        kind, xlsx, db_path, out = a.child
        r = measure(kind, Path(xlsx), Path(db_path), Path(out))
        r["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(json.dumps(r))
        return
    work = Path(a.keep or tempfile.mkdtemp(prefix="kongcuo-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"{'rows':>7} {'step':<11} {'seconds':>8} {'peak MB':>8}  ratio / target")
    for size in (int(s) for s in a.sizes.split(",")):
        xlsx, db_path, out = work / f"upstream-{size}.xlsx", work / f"bench-{size}.db", work / f"out-{size}.xlsx"
        if not xlsx.exists():
            generate(xlsx, size)
        steps = [k for k in STEPS if k in a.steps.split(",")]
        res = {k: _child(k, xlsx, db_path, out) for k in steps}
        ratios = {"import": ("calamine", 3.0), "export": ("xlsxwriter", 1.3)}
        for k, r in res.items():
            note = ""
            if k in ratios and ratios[k][0] in res:
                base, target = ratios[k]
                ratio = r["seconds"] / res[base]["seconds"]
                note = f"{ratio:.2f}× {base} (target ≤ {target}×) {'OK' if ratio <= target else 'OVER'}"
            mem = "" if r["peak_mb"] <= 300 else " MEMORY OVER 300 MB"
            print(f"{size:>7} {k:<11} {r['seconds']:>8.2f} {r['peak_mb']:>8.0f}  {note}{mem}", flush=True)


if __name__ == "__main__":
    main()
