"""`import results` of a filled worksheet: 10,000 filled rows, on SQLite and PostgreSQL.

    .venv/bin/python bench/results.py [--rows 10000] [--engines sqlite,postgres] [--pg URL]

Builds a county ledger of ``rows`` pending rows (bulk insert, valid IDs, 40 schools), exports
the worksheet, fills every row with openpyxl (a mix of 99, A2, B1 with its two proofs and B2
at a county school: all valid), then times the import of the filled sheet and a second
import of the same sheet (everything unchanged). PostgreSQL gets a database of its own
(created and dropped; $KONGCUO_BENCH_PG, default the local server). Prints wall seconds
and this process's CPU seconds (the database server's own work is in the wall figure only).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import uuid
from datetime import date, datetime
from pathlib import Path

from stdnum.cn import ric

TODAY = date(2026, 11, 29)
FILLS = (
    {"核查结果": "99 未确认完成", "证明人": "李老师", "处理说明": "正在联系监护人核实就读情况"},
    {"核查结果": "A2 厌学辍学", "证明人": "班主任王老师", "处理说明": "厌学在家，已入户劝返两次"},
    {"核查结果": "B1 户籍原因", "证明人": "城郊派出所", "证明材料": "辖区派出所证明、村（居）委会证明",
     "处理说明": "户籍重复，已注销"},
    {"核查结果": "B2 在校有学籍", "就读省县": "河南省南阳市唐河县", "就读学校": "学校7", "证明材料": "学校盖章学籍卡",
     "证明人": "学校7 教务处", "处理说明": "已在本县学校就读"},
)


def _build(rows: int) -> None:
    from kongcuo_tui.db.models import Entry, School
    from kongcuo_tui.services import accounts
    from kongcuo_tui.services.setup import initialize

    initialize("bench")
    accounts.add(accounts.resolve("bench"), "tanghe", "张丽", "county", "411328")
    schools = [School.create(name=f"学校{n}", county="411328").id for n in range(40)]
    batch = []
    for n in range(rows):
        birth = date(2010 + n % 6, 1 + n % 12, 1 + n % 28)
        # Distinct IDs: the sequence digits repeat every 1000 rows, so the region code varies too.
        body = f"{_region(n)}{birth:%Y%m%d}{n % 1000:03d}"
        batch.append({"region": "411328", "seq": n + 1, "name": f"学生{n}", "birth_date": birth,
                      "id_number": body + ric.calc_check_digit(body + "0"), "school": schools[n % 40],
                      "source": "registry", "enrolled": "否"})
        if len(batch) == 500:
            Entry.insert_many(batch).execute()
            batch = []
    if batch:
        Entry.insert_many(batch).execute()


_REGIONS = ("411328", "411302", "411303", "411321", "411322", "411323", "411324", "411325", "411326",
            "411327", "411329", "411330", "411381")


def _region(n: int) -> str:
    return _REGIONS[(n // 1000) % len(_REGIONS)]


def _fill(path: Path) -> int:
    import openpyxl

    wb = openpyxl.load_workbook(path)
    n = 0
    for ws in wb.worksheets[1:]:
        col = {c.value: c.column for c in ws[2]}
        for row in ws.iter_rows(min_row=3):
            fill = FILLS[n % len(FILLS)]
            for header, v in {**fill, "证明日期": datetime(2026, 11, 20)}.items():
                ws.cell(row[0].row, col[header], v)
            n += 1
    wb.save(path)
    return n


def run(url: str, rows: int, folder: Path) -> dict:
    from kongcuo_tui.db.connection import open_database
    from kongcuo_tui.exports.worksheet import export_worksheet
    from kongcuo_tui.imports.results import import_results
    from kongcuo_tui.services import accounts

    database = open_database(url)
    database.connect(reuse_if_open=True)
    _build(rows)
    actor = accounts.resolve("tanghe")
    sheet = folder / "ws.xlsx"
    exported, _ = _timed(lambda: export_worksheet(actor, sheet, today=TODAY))
    filled = _fill(sheet)
    imported, first = _timed(lambda: import_results(actor, sheet, today=TODAY))
    again, second = _timed(lambda: import_results(actor, sheet, today=TODAY))
    assert first.classified == filled and not first.rejected and not first.conflicts, first.summary()
    assert second.unchanged == filled and second.classified == 0, second.summary()
    database.close()
    return {"filled": filled, "export": exported, "import": imported, "again": again}


def _timed(work) -> tuple[str, object]:
    """"wall s (this process's CPU s)": on a shared machine the CPU figure moves less."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return f"{time.perf_counter() - wall:.1f} s ({time.process_time() - cpu:.1f} s CPU)", result


def _pg_database(admin_url: str):
    import psycopg

    conn = psycopg.connect(admin_url, autocommit=True)
    name = f"kongcuo_bench_{uuid.uuid4().hex[:8]}"
    conn.execute(f'CREATE DATABASE "{name}"')
    return conn, name, admin_url.rsplit("/", 1)[0] + "/" + name


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--rows", type=int, default=10_000)
    p.add_argument("--engines", default="sqlite,postgres")
    p.add_argument("--pg", default=os.environ.get("KONGCUO_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres"))
    args = p.parse_args()
    for engine in args.engines.split(","):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            if engine == "sqlite":
                r = run(f"sqlite:///{folder / 'bench.db'}", args.rows, folder)
            else:
                conn, name, url = _pg_database(args.pg)
                try:
                    r = run(url, args.rows, folder)
                finally:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                    conn.close()
        print(f"{engine:9} {r['filled']} filled rows: export worksheet {r['export']}, "
              f"import results {r['import']}, same sheet again (all unchanged) {r['again']}")


if __name__ == "__main__":
    main()
