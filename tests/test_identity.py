"""Who acts is the Unix account the process runs as, never a name from the environment.

Each test creates real Unix accounts and runs the real `kongcuo` as them (runuser), on
SQLite and on PostgreSQL.
"""

from __future__ import annotations

import io

import openpyxl
import pytest

from kongcuo_tui.cli import main
from kongcuo_tui.db.connection import open_database
from kongcuo_tui.db.models import AuditLog
from osusers import create_user, delete_user, need_root, run_as, shared_database


@pytest.fixture
def unix_users():
    need_root()
    made: list[str] = []

    def make() -> str:
        made.append(create_user())
        return made[-1]

    yield make
    for name in made:
        delete_user(name)


@pytest.fixture
def county_server(db_url, make_entry, unix_users, capsys):
    """root is the administrator; one Unix account registers 唐河县; rows in two counties."""
    with shared_database(db_url) as url:
        yield _county_server(url, make_entry, unix_users, capsys)


def _county_server(db_url, make_entry, unix_users, capsys):
    assert main(["--db", db_url, "init"]) == 0
    reg = unix_users()
    assert main(["--db", db_url, "user", "add", reg, "--role", "county", "--region", "411328"]) == 0
    capsys.readouterr()
    make_entry(name="唐河甲")
    make_entry(name="桐柏乙", region="411330")
    return db_url, reg


def _names(xlsx: bytes) -> list[str]:
    ws = openpyxl.load_workbook(io.BytesIO(xlsx)).active
    return [r[1].value for r in ws.iter_rows(min_row=2)]


def _audit(verb: str) -> list[tuple[str, str]]:
    return [(a.login, a.target) for a in AuditLog.select().where(AuditLog.verb == verb).order_by(AuditLog.id)]


def test_environment_variables_do_not_change_who_exports(county_server):
    url, reg = county_server
    rc, out, err = run_as(reg, "--db", url, "export", "ledger", "-o", "-",
                          env={"KONGCUO_USER": "root", "USER": "root", "LOGNAME": "root"})
    assert rc == 0, err
    assert _names(out) == ["唐河甲"]
    open_database(url)
    assert _audit("export") == [(reg, "ledger")]


def test_a_registrar_cannot_log_in_as_someone_else_and_the_attempt_is_audited(county_server):
    url, reg = county_server
    rc, out, err = run_as(reg, "--db", url, "--login", "root", "export", "ledger", "-o", "-")
    assert rc == 2 and out == b""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "管理员" in lines[0] and "--login" in lines[0], err
    open_database(url)
    assert _audit("export") == []
    assert _audit("denied") == [(reg, "login:root")]


def test_an_administrator_may_act_as_another_login_and_the_audit_says_so(county_server, unix_users, capsys):
    url, reg = county_server
    boss = unix_users()
    assert main(["--db", url, "user", "add", boss, "--role", "admin", "--region", "410000"]) == 0
    capsys.readouterr()
    rc, out, err = run_as(boss, "--db", url, "--login", reg, "export", "ledger", "-o", "-")
    assert rc == 0, err
    assert _names(out) == ["唐河甲"]  # the scope of the account acted as
    open_database(url)
    assert main(["--db", url, "--login", reg, "report", "summary"]) == 0  # root may, too
    assert main(["--db", url, "--login", reg, "export", "summary", "-o", "/dev/null"]) == 0
    assert _audit("export") == [(f"{boss} as {reg}", "ledger"), (f"root as {reg}", "summary")]


def test_a_unix_account_without_a_ledger_account_cannot_pose_either(county_server, unix_users):
    url, _ = county_server
    stranger = unix_users()
    rc, out, err = run_as(stranger, "--db", url, "--login", "root", "report", "summary")
    assert rc == 2 and "唐河" not in out.decode() and "--login" in err
    rc, out, err = run_as(stranger, "--db", url, "report", "summary")
    assert rc == 2 and f"kongcuo user add {stranger}" in err
    open_database(url)
    assert _audit("denied") == [(stranger, "login:root")]
