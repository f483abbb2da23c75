"""PostgreSQL defence in depth: database roles, row-level security, an append-only audit.

On a shared county server the application is not the only guard. Each registrar connects
as their own database role (peer authentication on the local socket: the Unix account is
the role, no password), a member of the group role `kongcuo_app`. The database itself then
  - shows and changes only the rows of the account's region (policies look up
    `current_user` in the account table: admin/province see the province, a city its
    city, a county its county, a school account its school);
  - keeps the audit log and the history append-only (no UPDATE/DELETE grants, and a
    trigger refusing them to everyone but a superuser, the tables' owner included);
  - writes the audit's login from the session (`current_user`), not from what the client
    sends.
The tables' owner (the role that ran `kongcuo init`) is not subject to the policies: it is
the "application role" a single-user or service deployment connects as, where the
application's own scope applies and the login it records is the Unix account.

`kongcuo init --postgres-roles` runs SCRIPT; `kongcuo init --print-postgres-sql` prints it.
Running it again is harmless. docs/deploy.md explains the set-up.
"""

from __future__ import annotations

import re

from ..db.connection import db, is_sqlite
from .errors import ServiceError

APP_ROLE = "kongcuo_app"
ADMIN_ROLE = "kongcuo_admin"
# Tables whose rows belong to one entry (and so to its county).
ENTRY_CHILDREN = ("guardian", "evidence_item", "persuasion", "follow_up", "case_deadline", "history", "review",
                  "id_verification")

SCRIPT = r"""
-- kongcuo: roles, row-level security and an append-only audit for PostgreSQL (idempotent).
-- Run as the owner of the tables (the role that ran `kongcuo init`) or a superuser.

-- 1. Group roles. Personal roles (one per account, named as the Unix account) are members.
DO $$ BEGIN CREATE ROLE kongcuo_app NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE kongcuo_admin NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$;
GRANT kongcuo_app TO kongcuo_admin;

-- 2. Grants: no UPDATE or DELETE on history and audit_log for anyone but the owner.
GRANT USAGE ON SCHEMA public TO kongcuo_app;
GRANT SELECT ON schema_version, region, school, account TO kongcuo_app;
GRANT SELECT, INSERT, UPDATE ON entry, import_batch TO kongcuo_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON guardian, evidence_item, persuasion, follow_up, case_deadline TO kongcuo_app;
GRANT SELECT, INSERT ON history, review, id_verification, audit_log TO kongcuo_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON draft TO kongcuo_app;
GRANT INSERT, UPDATE ON account TO kongcuo_admin;
GRANT INSERT, UPDATE ON school TO kongcuo_admin;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO kongcuo_app;

-- 3. What the session's account may see: a region-code prefix, or its school.
CREATE OR REPLACE FUNCTION kongcuo_scope() RETURNS text
LANGUAGE sql STABLE SET search_path = public AS $$
  SELECT CASE a.role WHEN 'admin' THEN left(a.region, 2) WHEN 'province' THEN left(a.region, 2)
                     WHEN 'city' THEN left(a.region, 4) WHEN 'county' THEN a.region END
  FROM account a WHERE a.login = current_user AND a.active
$$;
CREATE OR REPLACE FUNCTION kongcuo_school() RETURNS integer
LANGUAGE sql STABLE SET search_path = public AS $$
  SELECT a.school_id FROM account a WHERE a.login = current_user AND a.active AND a.role = 'school'
$$;
CREATE OR REPLACE FUNCTION kongcuo_is_admin() RETURNS boolean
LANGUAGE sql STABLE SET search_path = public AS $$
  SELECT EXISTS (SELECT 1 FROM account a WHERE a.login = current_user AND a.active AND a.role = 'admin')
$$;
CREATE OR REPLACE FUNCTION kongcuo_sees(region text, school integer) RETURNS boolean
LANGUAGE sql STABLE SET search_path = public AS $$
  SELECT coalesce(starts_with(region, kongcuo_scope()), false) OR coalesce(school = kongcuo_school(), false)
$$;

-- 4. Row-level security. The owner is exempt (no FORCE): it is the application role.
ALTER TABLE entry ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS kongcuo_region ON entry;
CREATE POLICY kongcuo_region ON entry TO kongcuo_app
  USING (kongcuo_sees(region, school_id)) WITH CHECK (kongcuo_sees(region, school_id));

ALTER TABLE import_batch ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS kongcuo_region ON import_batch;
CREATE POLICY kongcuo_region ON import_batch TO kongcuo_app
  USING (kongcuo_sees(region, NULL)) WITH CHECK (kongcuo_sees(region, NULL));
{children}
ALTER TABLE account ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS kongcuo_read ON account;
CREATE POLICY kongcuo_read ON account FOR SELECT TO kongcuo_app USING (true);
DROP POLICY IF EXISTS kongcuo_change ON account;
CREATE POLICY kongcuo_change ON account FOR UPDATE TO kongcuo_app
  USING (login = current_user OR kongcuo_is_admin()) WITH CHECK (login = current_user OR kongcuo_is_admin());
DROP POLICY IF EXISTS kongcuo_add ON account;
CREATE POLICY kongcuo_add ON account FOR INSERT TO kongcuo_app WITH CHECK (kongcuo_is_admin());

ALTER TABLE draft ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS kongcuo_own ON draft;
CREATE POLICY kongcuo_own ON draft TO kongcuo_app USING (login = current_user) WITH CHECK (login = current_user);

ALTER TABLE audit_log ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS kongcuo_read ON audit_log;
CREATE POLICY kongcuo_read ON audit_log FOR SELECT TO kongcuo_app
  USING (login = current_user OR starts_with(login, current_user || ' as ') OR kongcuo_is_admin());
DROP POLICY IF EXISTS kongcuo_add ON audit_log;
CREATE POLICY kongcuo_add ON audit_log FOR INSERT TO kongcuo_app WITH CHECK (true);

-- 5. Append-only: refused even to the owner; only a superuser may (e.g. to purge a test).
CREATE OR REPLACE FUNCTION kongcuo_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('is_superuser') = 'on' THEN
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
  END IF;
  RAISE EXCEPTION '% is append-only: % refused for %', TG_TABLE_NAME, TG_OP, current_user
    USING ERRCODE = 'insufficient_privilege';
END $$;
DROP TRIGGER IF EXISTS kongcuo_append_only ON audit_log;
CREATE TRIGGER kongcuo_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION kongcuo_append_only();
DROP TRIGGER IF EXISTS kongcuo_append_only ON history;
CREATE TRIGGER kongcuo_append_only BEFORE UPDATE OR DELETE ON history
  FOR EACH ROW EXECUTE FUNCTION kongcuo_append_only();
DROP TRIGGER IF EXISTS kongcuo_append_only ON review;
CREATE TRIGGER kongcuo_append_only BEFORE UPDATE OR DELETE ON review
  FOR EACH ROW EXECUTE FUNCTION kongcuo_append_only();
DROP TRIGGER IF EXISTS kongcuo_append_only ON id_verification;
CREATE TRIGGER kongcuo_append_only BEFORE UPDATE OR DELETE ON id_verification
  FOR EACH ROW EXECUTE FUNCTION kongcuo_append_only();

-- 6. The audit's login is the session's role when that is a personal role: a client may
--    only add what it acts as ("role as login"), never replace who it is.
ALTER TABLE audit_log ALTER COLUMN login SET DEFAULT current_user;
CREATE OR REPLACE FUNCTION kongcuo_audit_login() RETURNS trigger
LANGUAGE plpgsql SET search_path = public AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM account a WHERE a.login = current_user)
     AND NEW.login IS DISTINCT FROM current_user::text
     AND NOT starts_with(coalesce(NEW.login, ''), current_user || ' as ') THEN
    NEW.login := left(current_user || ' as ' || coalesce(NEW.login, ''), 64);
  END IF;
  RETURN NEW;
END $$;
DROP TRIGGER IF EXISTS kongcuo_audit_login ON audit_log;
CREATE TRIGGER kongcuo_audit_login BEFORE INSERT ON audit_log
  FOR EACH ROW EXECUTE FUNCTION kongcuo_audit_login();
"""

_CHILD = """
ALTER TABLE {t} ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS kongcuo_region ON {t};
CREATE POLICY kongcuo_region ON {t} TO kongcuo_app
  USING (EXISTS (SELECT 1 FROM entry e WHERE e.id = entry_id))
  WITH CHECK (EXISTS (SELECT 1 FROM entry e WHERE e.id = entry_id));
"""


def script() -> str:
    """The whole SQL script (what `kongcuo init --print-postgres-sql` prints)."""
    children = "".join(_CHILD.format(t=t) for t in ENTRY_CHILDREN)
    return SCRIPT.replace("{children}", children).lstrip()


def _require_postgres() -> None:
    if is_sqlite():
        raise ServiceError("数据库角色与行级安全只用于 PostgreSQL；SQLite 文件请用文件权限（见 docs/deploy.md）")


def install() -> None:
    """Run the script in one transaction."""
    _require_postgres()
    with db.atomic():
        # Straight to the driver: without parameters it neither parses "%" nor refuses
        # several statements.
        db.cursor().execute(script())


def installed() -> bool:
    if is_sqlite():
        return False
    return db.execute_sql("SELECT to_regprocedure('kongcuo_scope()') IS NOT NULL").fetchone()[0]


_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def _ident(login: str) -> str:
    # Unix account names that are also plain PostgreSQL identifiers: nothing to escape.
    if not _ROLE_NAME.match(login):
        raise ServiceError(
            f"登录名“{login}”不能用作数据库角色名（须为小写字母、数字、下划线，以字母或下划线开头）"
        )
    return f'"{login}"'


def _role_exists(login: str) -> bool:
    return bool(db.execute_sql("SELECT 1 FROM pg_roles WHERE rolname = %s", (login,)).fetchone())


def create_role(login: str, admin: bool) -> None:
    """The personal role for an account: LOGIN, no password (peer authentication)."""
    _require_postgres()
    if not installed():
        raise ServiceError("数据库尚未设置角色与行级安全：请先运行 kongcuo init --postgres-roles")
    name = _ident(login)
    if not _role_exists(login):
        db.execute_sql(f"CREATE ROLE {name} LOGIN")
    db.execute_sql(f"GRANT {APP_ROLE} TO {name}")
    sync_role(login, admin=admin, active=True)


def sync_role(login: str, *, admin: bool, active: bool) -> None:
    """Follow an account change in its role, if it has one: disabled → NOLOGIN."""
    if is_sqlite() or not _ROLE_NAME.match(login) or not _role_exists(login) or not installed():
        return
    name = _ident(login)
    # An administrator's own role may create and change the others' (user add --postgres-role).
    db.execute_sql(f"ALTER ROLE {name} {'LOGIN' if active else 'NOLOGIN'} {'CREATEROLE' if admin else 'NOCREATEROLE'}")
    db.execute_sql(f"{'GRANT' if admin else 'REVOKE'} {ADMIN_ROLE} {'TO' if admin else 'FROM'} {name}")
