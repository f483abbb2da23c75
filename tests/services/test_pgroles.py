"""PostgreSQL defence in depth (`kongcuo init --postgres-roles`): with two county roles and
rows in both counties, a direct database session reads and changes only its county, the
audit and history cannot be rewritten, and the audit's login comes from the session.

PostgreSQL only: SQLite has no roles. Each test gets its own database and its own roles
(roles are cluster-wide, so their names are unique per run and dropped afterwards).
"""

from __future__ import annotations

from contextlib import contextmanager

import shutil
import tempfile
import uuid
from datetime import date
from pathlib import Path

import peewee
import psycopg
import pytest

from kongcuo_tui.cli import main
from kongcuo_tui.db.connection import db, open_database
from kongcuo_tui.db.models import Account, AuditLog, Entry, Guardian, History, ImportBatch
from kongcuo_tui.domain.codes import Action
from kongcuo_tui.domain.rules import Classification
from kongcuo_tui.services import accounts, classify
from imports.upstream_xlsx import valid_row, write_xlsx
from osusers import PREFIX, create_user, delete_user, need_root, run_as

UNCONFIRMED = Classification(
    action=Action.UNCONFIRMED, code="99", proof_person="张丽", proof_date=date(2026, 11, 10),
    notes="正在联系监护人核实就读情况",
)


@pytest.fixture
def rls(pg_url, capsys):
    """A database set up with --postgres-roles; two county accounts with their own roles,
    one row in each county with a guardian and a history row."""
    base, name = pg_url.rsplit("/", 1)[0], f"kongcuo_rls_{uuid.uuid4().hex[:10]}"
    url = f"{base}/{name}"
    server = psycopg.connect(pg_url, autocommit=True)
    server.execute(f'CREATE DATABASE "{name}"')
    info = {"base": base, "name": name, "url": url, "roles": []}
    try:
        assert main(["--db", url, "init", "--postgres-roles"]) == 0
        for key, region in (("a", "411328"), ("b", "411330")):
            info[key] = f"{PREFIX}{uuid.uuid4().hex[:8]}"
            info["roles"].append(info[key])
            assert main(["--db", url, "user", "add", info[key], "--role", "county", "--region", region,
                         "--postgres-role"]) == 0
        capsys.readouterr()
        open_database(url).connect(reuse_if_open=True)
        for key, region, who in (("a", "411328", "唐河甲"), ("b", "411330", "桐柏乙")):
            e = Entry.create(region=region, name=who, id_number=f"{region}201305010011")
            Guardian.create(entry=e, name=f"{who}之母")
            History.create(entry=e, version=1, action="", code="", proof_person="", by=info[key])
            info[f"{key}_entry"] = e.id
        yield info
    finally:
        if not db.is_closed():
            db.close()
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        for role in info["roles"]:
            server.execute(f'DROP ROLE IF EXISTS "{role}"')
        server.close()


def _session(info, role):
    return psycopg.connect(f"{info['base']}/{info['name']}".replace("postgres@", f"{role}@", 1), autocommit=True)


def _rows(conn, sql, *params):
    return conn.execute(sql, params).fetchall()


def test_a_county_role_reads_only_its_county_even_in_a_direct_session(rls):
    a, b = rls["a"], rls["b"]
    with _session(rls, a) as conn:
        assert _rows(conn, "SELECT name FROM entry ORDER BY name") == [("唐河甲",)]
        assert _rows(conn, "SELECT count(*) FROM guardian") == [(1,)]
        assert _rows(conn, "SELECT count(*) FROM history") == [(1,)]
    with _session(rls, b) as conn:
        assert _rows(conn, "SELECT name FROM entry ORDER BY name") == [("桐柏乙",)]
        assert _rows(conn, "SELECT g.name FROM guardian g") == [("桐柏乙之母",)]


def test_a_county_role_changes_only_its_county(rls):
    a = rls["a"]
    with _session(rls, a) as conn:
        assert conn.execute("UPDATE entry SET notes = 'x'").rowcount == 1
        assert conn.execute("UPDATE guardian SET phone = '1'").rowcount == 1
        assert conn.execute("DELETE FROM guardian WHERE entry_id = %s", (rls["b_entry"],)).rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # moving a row out of the county
            conn.execute("UPDATE entry SET region = '411330'")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # adding to another county
            conn.execute("INSERT INTO entry (region, name, id_number) VALUES ('411330', '假', '1')")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO guardian (entry_id, name) VALUES (%s, '假')", (rls["b_entry"],))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # only an admin changes accounts
            conn.execute("UPDATE account SET role = 'admin'")
    open_database(rls["url"])
    assert Entry.get_by_id(rls["b_entry"]).notes == ""
    assert [g.name for g in Guardian.select().order_by(Guardian.id)] == ["唐河甲之母", "桐柏乙之母"]
    assert accounts.resolve(a).role == "county"


def test_audit_and_history_are_append_only_even_with_a_grant(rls):
    a = rls["a"]
    with _session(rls, a) as conn:
        for sql in ("UPDATE audit_log SET verb = 'x'", "DELETE FROM audit_log", "DELETE FROM history",
                    "UPDATE history SET code = 'B1'"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(sql)
    db.execute_sql(f'GRANT UPDATE, DELETE ON audit_log, history TO "{a}"')  # a careless grant
    with _session(rls, a) as conn:
        with pytest.raises(psycopg.errors.InsufficientPrivilege) as e:
            conn.execute("DELETE FROM history")
        assert "append-only" in str(e.value)
        # No policy lets a role pick audit rows to change: nothing is touched.
        assert conn.execute("UPDATE audit_log SET login = 'someone'").rowcount == 0
        assert conn.execute("DELETE FROM audit_log").rowcount == 0
    assert History.select().count() == 2
    assert not AuditLog.select().where(AuditLog.login == "someone").exists() and AuditLog.select().count() > 0


def test_the_audit_login_comes_from_the_database_session(rls):
    a = rls["a"]
    with _session(rls, a) as conn:
        conn.execute("INSERT INTO audit_log (at, login, verb, target, detail) VALUES (now(), 'admin', 'forged', '', '')")
        conn.execute("INSERT INTO audit_log (at, verb, target, detail) VALUES (now(), 'unnamed', '', '')")
        conn.execute("INSERT INTO audit_log (at, login, verb, target, detail) VALUES (now(), %s, 'own', '', '')", (a,))
    open_database(rls["url"])
    got = {x.verb: x.login for x in AuditLog.select().where(AuditLog.verb.in_(["forged", "unnamed", "own"]))}
    assert got == {"forged": f"{a} as admin", "unnamed": a, "own": a}


def test_the_app_connected_as_a_county_role_works_within_its_county(rls):
    a = rls["a"]
    open_database(rls["url"])
    actor = accounts.resolve(a)
    open_database(f"{rls['base']}/{rls['name']}".replace("postgres@", f"{a}@", 1)).connect()
    r = classify.classify(actor, {rls["a_entry"]: 1}, UNCONFIRMED, today=date(2026, 11, 29))
    assert r.ok and r.applied == [rls["a_entry"]]
    db.close()
    open_database(rls["url"])
    assert Entry.get_by_id(rls["a_entry"]).code == "99"
    assert AuditLog.get(AuditLog.verb == "classify").login == a


def test_disabling_an_account_disables_its_role(rls, capsys):
    a = rls["a"]
    assert main(["--db", rls["url"], "user", "disable", a]) == 0
    with pytest.raises(psycopg.OperationalError):
        _session(rls, a)
    assert main(["--db", rls["url"], "user", "enable", a]) == 0
    _session(rls, a).close()


@contextmanager
def _peer_authentication(database: str):
    """This test database's socket logins use peer authentication (the deployment's rule),
    whatever the rest of the local server uses; the server's file is put back afterwards."""
    hba = Path(db.execute_sql("SHOW hba_file").fetchone()[0])
    before = hba.read_text()
    hba.write_text(f"local {database} all peer\n" + before)
    db.execute_sql("SELECT pg_reload_conf()")
    try:
        yield
    finally:
        hba.write_text(before)
        db.execute_sql("SELECT pg_reload_conf()")


def test_peer_path_kongcuo_as_a_unix_account_over_the_local_socket(rls, capsys):
    """The deployment path: Unix account = database role, `postgresql:///DB` (the socket)."""
    need_root()
    user = create_user()
    rls["roles"].append(user)
    with _peer_authentication(rls["name"]):
        _peer_path(rls, capsys, user)


def _peer_path(rls, capsys, user):
    try:
        assert main(["--db", rls["url"], "user", "add", user, "--role", "county", "--region", "411328",
                     "--postgres-role"]) == 0
        capsys.readouterr()
        rc, out, err = run_as(user, "report", "summary", env={"KONGCUO_DB": f"postgresql:///{rls['name']}"})
        assert rc == 0, err
        assert "唐河县" in out.decode() and "桐柏县" not in out.decode()
        rc, out, err = run_as(user, "export", "ledger", "-o", "-", env={"KONGCUO_DB": f"postgresql:///{rls['name']}"})
        assert rc == 0 and out[:2] == b"PK", err
        folder = Path(tempfile.mkdtemp(prefix=PREFIX, dir="/tmp"))
        folder.chmod(0o755)
        upstream = write_xlsx(folder / "台账.xlsx", [valid_row(1), valid_row(2)])
        upstream.chmod(0o644)
        rc, out, err = run_as(user, "import", str(upstream), env={"KONGCUO_DB": f"postgresql:///{rls['name']}"})
        shutil.rmtree(folder)
        assert rc == 0, err
        open_database(rls["url"])
        assert [x.login for x in AuditLog.select().where(AuditLog.verb == "export")] == [user]
        assert ImportBatch.get().login == user and Entry.select().where(Entry.region == "411328").count() == 3
        rules = db.execute_sql(
            "SELECT auth_method FROM pg_hba_file_rules WHERE type = 'local' ORDER BY line_number LIMIT 1").fetchone()
        assert rules == ("peer",)
        # Peer authentication: the Unix account cannot pose as another role.
        rc, _, err = run_as(user, "report", "summary",
                            env={"KONGCUO_DB": f"postgresql://{rls['a']}@/{rls['name']}"})
        assert rc == 2 and "peer" in err.lower(), err
    finally:
        delete_user(user)


def test_print_postgres_sql_is_the_script_init_runs(rls, capsys):
    assert main(["--db", rls["url"], "init", "--print-postgres-sql"]) == 0
    out = capsys.readouterr().out
    for words in ("CREATE ROLE kongcuo_app", "ENABLE ROW LEVEL SECURITY", "kongcuo_append_only",
                  "current_user"):
        assert words in out
    assert main(["--db", rls["url"], "init", "--postgres-roles"]) == 0  # again: harmless


def test_roles_are_refused_on_sqlite(sqlite_url, capsys):
    rc = main(["--db", sqlite_url, "init", "--postgres-roles"])
    assert rc == 2 and "PostgreSQL" in capsys.readouterr().err



def test_an_administrator_role_adds_accounts_with_their_roles_and_a_county_role_cannot(rls, capsys):
    boss, new = f"{PREFIX}{uuid.uuid4().hex[:8]}", f"{PREFIX}{uuid.uuid4().hex[:8]}"
    rls["roles"] += [boss, new]
    assert main(["--db", rls["url"], "user", "add", boss, "--role", "admin", "--region", "410000",
                 "--postgres-role"]) == 0
    as_role = f"{rls['base']}/{rls['name']}".replace("postgres@", f"{boss}@", 1)
    open_database(as_role).connect()
    added = accounts.add(accounts.resolve(boss), new, "新", "county", "419001", db_role=True)
    assert added.region_name == "河南省济源市"
    db.close()
    open_database(f"{rls['base']}/{rls['name']}".replace("postgres@", f"{rls['a']}@", 1)).connect()
    with pytest.raises(peewee.ProgrammingError) as e:  # the database refuses, whatever the app does
        Account.insert(login="mallory", display_name="m", role="admin", region="410000").execute()
    assert "permission denied" in str(e.value) or "row-level security" in str(e.value)
    db.close()
    with _session(rls, new) as conn:  # the new role logs in and sees its county only
        assert _rows(conn, "SELECT count(*) FROM entry") == [(0,)]
    open_database(rls["url"])
    assert not Account.select().where(Account.login == "mallory").exists()
    assert AuditLog.get(AuditLog.target == f"account:{new}").login == boss
