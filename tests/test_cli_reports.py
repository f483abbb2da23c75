"""`kongcuo report monthly|quarterly|rollup|summary` through the real entry point (both engines),
and the workbooks printed through LibreOffice (SQLite)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kongcuo_tui.cli import main
from kongcuo_tui.db.connection import open_database
from kongcuo_tui.domain.periods import default_month
from kongcuo_tui.services import accounts, figures

DEMO = ["demo", "--rows", "400", "--seed", "5", "--no-tui"]


def kongcuo(capsys, *argv):
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


@pytest.fixture
def demo_db(db_url, capsys):
    assert kongcuo(capsys, "--db", db_url, "--login", "boss", "init")[0] == 0
    assert kongcuo(capsys, "--db", db_url, "--login", "boss", *DEMO)[0] == 0
    kongcuo(capsys, "--db", db_url, "--login", "boss", "user", "add", "tanghe", "--role", "county", "--region", "411328")
    kongcuo(capsys, "--db", db_url, "--login", "boss", "user", "add", "nanyang", "--role", "city", "--region", "411300")
    return db_url


def _last_month() -> str:
    t = date.today()
    return f"{t.year - (t.month == 1)}-{(t.month - 2) % 12 + 1:02d}"


def test_monthly_on_the_terminal_gives_the_service_figures_and_the_default_month(demo_db, capsys):
    rc, out, _ = kongcuo(capsys, "--db", demo_db, "--login", "tanghe", "report", "monthly")
    assert rc == 0
    p = default_month(date.today())
    assert out.splitlines()[0].startswith(f"河南省南阳市唐河县 {p.label}控辍保学月报表")
    open_database(demo_db)
    r = figures.report(accounts.resolve("tanghe"), p)
    total = next(line.split() for line in out.splitlines() if line.startswith("合计"))
    assert total[2:5] == [str(r.total.n(f)) for f in ("疑似辍学", "辍学", "返校")]
    assert "滨河街道" in out and "- 滨河中心小学" in out and "桐柏县" not in out


def test_rows_lists_exactly_the_rows_behind_a_figure(demo_db, capsys):
    month = _last_month()
    rc, out, _ = kongcuo(capsys, "--db", demo_db, "--login", "tanghe", "report", "monthly", "--month", month, "--json")
    report = json.loads(out)
    town = next(a for a in report["rows"] if a["level"] == "township" and a["counts"]["疑似辍学"]["小学"])
    for name, area, stage in (("疑似辍学", town["key"], "小学"), ("返校", None, None), ("新发现", None, None)):
        argv = ["--db", demo_db, "--login", "tanghe", "report", "monthly", "--month", month, "--rows", name, "--json"]
        argv += ["--area", area] if area else []
        argv += ["--stage", stage] if stage else []
        rc, out, _ = kongcuo(capsys, *argv)
        rows = json.loads(out)
        want = (town if area else report["rows"][0])["counts"][name][stage or "合计"]
        assert rc == 0 and len(rows) == want and len({r["id"] for r in rows}) == want
    rc, out, _ = kongcuo(capsys, "--db", demo_db, "--login", "tanghe", "report", "monthly", "--month", month,
                         "--rows", "返校")
    assert rc == 0 and "“返校”：共" in out.splitlines()[0]


def test_bad_periods_and_figure_names_are_one_chinese_line(demo_db, capsys):
    for argv, words in ((["monthly", "--month", "2026-13"], ["2026-13", "2026-11"]),
                        (["monthly", "--month", "2099-01"], ["尚未开始"]),
                        (["quarterly", "--quarter", "2026Q5"], ["2026Q5", "2026Q4"]),
                        (["monthly", "--rows", "人数"], ["人数", "返校"]),
                        (["monthly", "--region", "411330"], ["桐柏县", "管辖范围"])):
        rc, _, err = kongcuo(capsys, "--db", demo_db, "--login", "tanghe", "report", *argv)
        assert rc == 2 and len(err.strip().splitlines()) == 1, err
        assert all(w in err for w in words), err


def test_summary_keeps_its_table_and_gains_json(demo_db, capsys):
    rc, out, _ = kongcuo(capsys, "--db", demo_db, "--login", "boss", "report", "summary", "--json")
    rows = json.loads(out)
    assert rc == 0 and rows[-1]["区划"] == "总计" and rows[-1]["合计"] == 400
    rc, out, _ = kongcuo(capsys, "--db", demo_db, "--login", "boss", "report", "summary")
    assert out.splitlines()[1].split()[:2] == ["区划", "状态"]


def test_rollup_for_a_city_is_one_row_per_county(demo_db, capsys):
    rc, out, _ = kongcuo(capsys, "--db", demo_db, "--login", "nanyang", "report", "rollup", "--json")
    rows = json.loads(out)
    assert rc == 0 and [r["name"] for r in rows] == ["唐河县", "桐柏县", "合计"]
    assert rows[-1]["total"] == rows[0]["total"] + rows[1]["total"]
    rc, out, _ = kongcuo(capsys, "--db", demo_db, "--login", "nanyang", "report", "rollup")
    assert "进度%" in out and "唐河县" in out and "济源" not in out


def _sheet_text(path: Path) -> str:
    wb = load_workbook(path)
    return "\n".join(str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None)


@pytest.fixture
def sqlite_demo(sqlite_db_url, capsys):
    kongcuo(capsys, "--db", sqlite_db_url, "--login", "boss", "init")
    kongcuo(capsys, "--db", sqlite_db_url, "--login", "boss", *DEMO)
    kongcuo(capsys, "--db", sqlite_db_url, "--login", "boss", "user", "add", "tanghe", "--role", "county",
            "--region", "411328")
    return sqlite_db_url


def test_monthly_workbook_prints_on_a4_landscape_with_the_seed_head(sqlite_demo, capsys, tmp_path):
    from print_check import printed

    out = tmp_path / "月报表.xlsx"
    month = _last_month()
    rc, _, err = kongcuo(capsys, "--db", sqlite_demo, "--login", "tanghe", "report", "monthly", "--month", month,
                         "-o", str(out))
    assert rc == 0 and "已导出" in err
    text = _sheet_text(out)
    for words in ("控辍保学月报表", "单位名称（盖章）：河南省南阳市唐河县", "填报日期", "填报人签字", "滨河街道", "小学", "初中"):
        assert words in text
    wb = load_workbook(out)
    ws = wb["月报表"]
    total = next(row for row in ws.iter_rows(values_only=True) if row[0] == "合计")
    open_database(sqlite_demo)
    y, m = map(int, month.split("-"))
    from kongcuo_tui.domain.periods import month as month_of

    r = figures.report(accounts.resolve("tanghe"), month_of(y, m))
    assert total[1:4] == (r.total.n("疑似辍学", "小学"), r.total.n("疑似辍学", "初中"), r.total.n("疑似辍学"))
    assert wb.sheetnames == ["月报表", "本期处理分代码", "重点监测群体"]
    pages = printed(out, landscape=True)
    assert "填报人签字" in pages[0].text


def test_quarterly_and_rollup_workbooks_print(sqlite_demo, capsys, tmp_path):
    from print_check import printed

    q, r = tmp_path / "q.xlsx", tmp_path / "r.xlsx"
    assert kongcuo(capsys, "--db", sqlite_demo, "--login", "tanghe", "report", "quarterly", "-o", str(q))[0] == 0
    assert kongcuo(capsys, "--db", sqlite_demo, "--login", "boss", "report", "rollup", "-o", str(r))[0] == 0
    assert "排查整改工作情况统计表" in _sheet_text(q) and "进度汇总表" in _sheet_text(r)
    printed(q, landscape=True)
    assert "南阳市" in printed(r, landscape=True)[0].text
