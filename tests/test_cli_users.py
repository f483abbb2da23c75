"""`kongcuo user …` through the real entry point: listing needs an account; administrators
disable, enable and change accounts (both engines)."""

from __future__ import annotations

from kongcuo_tui.cli import main
from kongcuo_tui.db.models import AuditLog


def kongcuo(capsys, *argv):
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def _one_line(rc, err) -> str:
    assert rc == 2 and len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    return err.strip()


def _setup(capsys, url):
    kongcuo(capsys, "--db", url, "--login", "boss", "init")
    kongcuo(capsys, "--db", url, "--login", "boss", "user", "add", "tanghe", "--role", "county", "--region", "411328")


def test_listing_accounts_needs_an_account(db_url, capsys):
    _setup(capsys, db_url)
    rc, out, err = kongcuo(capsys, "--db", db_url, "--login", "stranger", "user", "list")
    assert "stranger" in _one_line(rc, err) and "tanghe" not in out + err


def test_disable_shows_in_the_list_and_locks_the_account_out_until_enabled(db_url, capsys):
    _setup(capsys, db_url)
    rc, out, _ = kongcuo(capsys, "--db", db_url, "--login", "boss", "user", "disable", "tanghe")
    assert rc == 0 and "已停用" in out
    rc, out, _ = kongcuo(capsys, "--db", db_url, "--login", "boss", "user", "list")
    assert rc == 0
    status = {line.split()[0]: line.split()[-1] for line in out.splitlines()[2:]}
    assert status == {"boss": "启用", "tanghe": "已停用"}
    rc, _, err = kongcuo(capsys, "--db", db_url, "--login", "tanghe", "report", "summary")
    line = _one_line(rc, err)
    assert "已停用" in line and "user add" not in line
    rc, out, _ = kongcuo(capsys, "--db", db_url, "--login", "boss", "user", "enable", "tanghe")
    assert rc == 0 and "已启用" in out
    assert kongcuo(capsys, "--db", db_url, "--login", "tanghe", "report", "summary")[0] == 0


def test_set_role_changes_what_the_account_sees_and_only_admins_may(db_url, capsys):
    _setup(capsys, db_url)
    rc, _, err = kongcuo(capsys, "--db", db_url, "--login", "tanghe", "user", "set-role", "tanghe", "admin",
                         "--region", "410000")
    assert "管理员" in _one_line(rc, err)
    rc, out, _ = kongcuo(capsys, "--db", db_url, "--login", "boss", "user", "set-role", "tanghe", "city",
                         "--region", "411300")
    assert rc == 0 and "河南省南阳市" in out
    rc, out, _ = kongcuo(capsys, "--db", db_url, "--login", "tanghe", "user", "list")
    assert rc == 0 and "市级" in out
    verbs = [(a.verb, a.target) for a in AuditLog.select().where(AuditLog.target == "account:tanghe").order_by(AuditLog.id)]
    assert verbs[-2:] == [("denied", "account:tanghe"), ("account", "account:tanghe")]
