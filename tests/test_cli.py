"""The `kongcuo` command through its real entry point, on both engines where a DB is involved."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from kongcuo_tui.cli import main
from kongcuo_tui.db.connection import open_database
from kongcuo_tui.db.models import Account, Entry, EvidenceItem, Guardian, History

DEMO = ["demo", "--rows", "300", "--seed", "7", "--no-tui"]


def kongcuo(capsys, *argv):
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def one_line_error(rc, err):
    assert rc == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("kongcuo: ")
    assert "Traceback" not in err
    return lines[0]


def snapshot():
    return [
        (e.seq, e.name, e.birth_date, e.id_number, e.source, e.status, e.code, e.region, e.township)
        for e in Entry.select().order_by(Entry.seq)
    ]


def test_init_makes_the_login_an_admin_once(db_url, capsys):
    rc, out, _ = kongcuo(capsys, "--db", db_url, "--login", "boss", "init")
    assert rc == 0 and "已为登录名 boss 创建管理员账号" in out
    rc, out, _ = kongcuo(capsys, "--db", db_url, "--login", "other", "init")
    assert rc == 0 and "管理员" not in out
    assert [(a.login, a.role) for a in Account.select()] == [("boss", "admin")]


def test_database_comes_from_the_environment_but_the_login_does_not(db_url, capsys, monkeypatch):
    import pwd

    monkeypatch.setenv("KONGCUO_DB", db_url)
    for var in ("KONGCUO_USER", "USER", "LOGNAME"):
        monkeypatch.setenv(var, "envboss")
    rc, out, _ = kongcuo(capsys, "init")
    me = pwd.getpwuid(os.getuid()).pw_name
    assert rc == 0 and f"已为登录名 {me} 创建管理员账号" in out
    open_database(db_url)
    assert [(a.login, a.role) for a in Account.select()] == [(me, "admin")]


def test_demo_then_summary_report(db_url, capsys):
    kongcuo(capsys, "--db", db_url, "--login", "boss", "init")
    rc, _, err = kongcuo(capsys, "--db", db_url, "--login", "boss", *DEMO)
    assert rc == 0 and "已生成 300 条" in err
    rc, out, _ = kongcuo(capsys, "--db", db_url, "--login", "boss", "report", "summary")
    assert rc == 0
    lines = out.splitlines()
    header = lines[1].split()
    assert header[:2] == ["区划", "状态"] and "合计" in header
    total = next(line.split() for line in lines if line.startswith("总计"))
    # The 总计 row has no 状态 cell, so its 合计 sits one column to the left.
    assert int(total[header.index("合计") - 1]) == 300
    assert "唐河县" in out and "待本级处理" in out and "已处理" in out


def test_demo_data_covers_what_a_demo_must_show(db_url, capsys):
    from kongcuo_tui.domain.codes import CODES

    kongcuo(capsys, "--db", db_url, "--login", "boss", *DEMO)
    assert Entry.select().count() == 300
    assert {e.source for e in Entry.select(Entry.source)} == {"registry", "no_record", "poverty"}
    assert {e.code for e in Entry.select(Entry.code) if e.code} == set(CODES)
    assert {e.status for e in Entry.select(Entry.status)} == {"pending", "processed"}
    assert Entry.select().where(Entry.id_ok == False).count() > 0  # noqa: E712
    assert Guardian.select().count() == 600
    processed = Entry.select().where(Entry.status == "processed").count()
    # Every processed row has its history; some were 99 first and re-classified later.
    assert len({h.entry_id for h in History.select(History.entry)}) == processed
    assert History.select().count() > processed
    # Found and classified over the last four months (the months at the edges may be thin).
    assert len({(e.created_at.year, e.created_at.month) for e in Entry.select(Entry.created_at)}) >= 3
    assert len({(h.at.year, h.at.month) for h in History.select(History.at)}) >= 3
    # Every B-class row has its required documents on file, as the rules demand.
    b_rows = Entry.select(Entry.id).where(Entry.code.startswith("B"))
    assert {ev.entry_id for ev in EvidenceItem.select(EvidenceItem.entry)} >= {e.id for e in b_rows}


def test_demo_with_the_same_seed_gives_the_same_ledger(db_url, capsys, tmp_path):
    kongcuo(capsys, "--db", db_url, "--login", "boss", *DEMO)
    first = snapshot()
    other = f"sqlite:///{tmp_path / 'again.db'}"
    kongcuo(capsys, "--db", other, "--login", "boss", *DEMO)
    assert snapshot() == first
    third = f"sqlite:///{tmp_path / 'third.db'}"
    kongcuo(capsys, "--db", third, "--login", "boss", "demo", "--rows", "300", "--seed", "8", "--no-tui")
    assert snapshot() != first


def test_demo_does_not_add_to_an_existing_ledger_unless_asked(db_url, capsys):
    kongcuo(capsys, "--db", db_url, "--login", "boss", "demo", "--rows", "20", "--no-tui")
    rc, _, err = kongcuo(capsys, "--db", db_url, "--login", "boss", "demo", "--rows", "20", "--no-tui")
    assert rc == 0 and "已有 20 条" in err
    kongcuo(capsys, "--db", db_url, "--login", "boss", "demo", "--rows", "20", "--no-tui", "--append")
    open_database(db_url)
    assert sorted(e.seq for e in Entry.select(Entry.seq)) == list(range(1, 41))


def test_user_add_and_list(db_url, capsys):
    kongcuo(capsys, "--db", db_url, "--login", "boss", "init")
    rc, out, _ = kongcuo(capsys, "--db", db_url, "--login", "boss", "user", "add", "tanghe",
                         "--name", "张丽", "--role", "county", "--region", "411328")
    assert rc == 0 and "tanghe" in out and "河南省南阳市唐河县" in out
    rc, out, _ = kongcuo(capsys, "--db", db_url, "--login", "boss", "user", "list")
    assert rc == 0
    assert [line.split()[0] for line in out.splitlines()[2:]] == ["boss", "tanghe"]
    assert "张丽" in out


def test_user_add_refuses_non_admins_and_wrong_levels(db_url, capsys):
    kongcuo(capsys, "--db", db_url, "--login", "boss", "init")
    kongcuo(capsys, "--db", db_url, "--login", "boss", "user", "add", "tanghe", "--role", "county", "--region", "411328")
    rc, _, err = kongcuo(capsys, "--db", db_url, "--login", "tanghe", "user", "add", "x", "--role", "county", "--region", "411328")
    assert "管理员" in one_line_error(rc, err)
    rc, _, err = kongcuo(capsys, "--db", db_url, "--login", "boss", "user", "add", "x", "--role", "county", "--region", "411300")
    assert "411300" in one_line_error(rc, err)


@pytest.mark.parametrize("url", ["foo://x", "postgresql://postgres@127.0.0.1:1/nowhere"])
def test_bad_or_unreachable_database_is_one_line(capsys, url):
    rc, _, err = kongcuo(capsys, "--db", url, "report", "summary")
    line = one_line_error(rc, err)
    assert "数据库" in line


def test_unknown_login_is_told_how_to_get_an_account(db_url, capsys):
    kongcuo(capsys, "--db", db_url, "--login", "boss", "init")
    rc, _, err = kongcuo(capsys, "--db", db_url, "--login", "nobody", "report", "summary")
    line = one_line_error(rc, err)
    assert "nobody" in line and "kongcuo user add nobody" in line


def test_missing_import_file_is_one_line(db_url, capsys, tmp_path):
    kongcuo(capsys, "--db", db_url, "--login", "boss", "init")
    missing = tmp_path / "没有这个文件.xlsx"
    rc, _, err = kongcuo(capsys, "--db", db_url, "--login", "boss", "import", str(missing), "--region", "411328")
    assert "没有这个文件.xlsx" in one_line_error(rc, err)


def test_installed_entry_point_in_a_fresh_process(tmp_path):
    env = {**os.environ, "KONGCUO_DB": f"sqlite:///{tmp_path / 'p.db'}"}
    cmd = [sys.executable, "-m", "kongcuo_tui.cli"]
    r = subprocess.run([*cmd, "demo", "--rows", "50", "--no-tui"], env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    r = subprocess.run([*cmd, "report", "summary"], env=env, capture_output=True, text=True)
    assert r.returncode == 0 and "总计" in r.stdout and "唐河县" in r.stdout
    r = subprocess.run([*cmd, "--db", "foo://x", "init"], env=env, capture_output=True, text=True)
    assert r.returncode == 2 and r.stderr.startswith("kongcuo: ") and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_first_command_on_a_database_without_accounts_makes_the_login_admin(db_url, capsys):
    rc, out, _ = kongcuo(capsys, "--db", db_url, "--login", "first", "user", "list")
    assert rc == 0 and "first" in out and "管理员" in out
    kongcuo(capsys, "--db", db_url, "--login", "second", "user", "list")
    assert [(a.login, a.role) for a in Account.select()] == [("first", "admin")]


def test_help_and_usage_errors_are_in_chinese(capsys):
    import pytest

    from kongcuo_tui.cli import main

    with pytest.raises(SystemExit) as e:
        main(["--help"])
    assert e.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("用法：kongcuo") and "选项" in out and "显示本帮助并退出" in out
    for english in ("usage:", "options:", "positional arguments", "show this help"):
        assert english not in out
    with pytest.raises(SystemExit) as e:
        main(["export", "ledger"])
    assert e.value.code == 2
    assert "错误：缺少必需的参数：-o/--output" in capsys.readouterr().err
