"""Database fixtures: every database test runs on SQLite and on PostgreSQL.

PostgreSQL comes from $KONGCUO_TEST_PG (default: the local server, trust auth). Each test
run creates its own database and drops it at the end; each test starts from empty ledger
tables (the region table is loaded once per run).
"""

from __future__ import annotations

import os
import uuid
from datetime import date

import pytest

from kongcuo_tui.db.connection import db, open_database
from kongcuo_tui.db.models import ALL_MODELS, Region, SchemaVersion
from support import TODAY  # noqa: F401  (re-exported: older tests import it from here)

PG_ADMIN_URL = os.environ.get("KONGCUO_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def _pg_admin():
    import psycopg

    return psycopg.connect(PG_ADMIN_URL.replace("postgresql://", "postgresql://", 1), autocommit=True)


@pytest.fixture(scope="session")
def pg_url():
    """A fresh PostgreSQL database for this test run, dropped afterwards."""
    try:
        conn = _pg_admin()
    except Exception as e:  # pragma: no cover - depends on the machine
        if os.environ.get("KONGCUO_TEST_PG_OPTIONAL"):
            pytest.skip(f"PostgreSQL not reachable: {e}")
        raise
    name = f"kongcuo_test_{uuid.uuid4().hex[:10]}"
    conn.execute(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    if not db.is_closed():
        db.close()
    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    conn.close()


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory):
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'kongcuo.db'}"


_prepared: set[str] = set()


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request):
    """The URL of an initialised database with empty ledger tables."""
    yield from _empty_ledger(request.getfixturevalue("pg_url" if request.param == "postgres" else "sqlite_url"))


@pytest.fixture
def sqlite_db_url(sqlite_url):
    """db_url on SQLite only (for tests whose result cannot depend on the engine)."""
    yield from _empty_ledger(sqlite_url)


def _empty_ledger(url):
    database = open_database(url)
    database.connect(reuse_if_open=True)
    if url not in _prepared:
        from kongcuo_tui.services.setup import _load_regions
        from kongcuo_tui.db.migrations import upgrade

        upgrade()
        _load_regions()
        _prepared.add(url)
    _truncate(database)
    yield url
    if not database.is_closed():
        database.close()


def _truncate(database) -> None:
    keep = {Region, SchemaVersion}
    tables = [m._meta.table_name for m in reversed(ALL_MODELS) if m not in keep]
    with database.atomic():
        if url_is_pg(database):
            database.execute_sql("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE")
        else:
            for t in tables:
                database.execute_sql(f'DELETE FROM "{t}"')
            database.execute_sql("DELETE FROM sqlite_sequence") if database.table_exists("sqlite_sequence") else None


def url_is_pg(database) -> bool:
    from peewee import PostgresqlDatabase

    return isinstance(database, PostgresqlDatabase)


@pytest.fixture
def admin(db_url):
    from kongcuo_tui.services import accounts

    return accounts.add(None, "admin", "管理员", "admin", "410000")


@pytest.fixture
def registrar(admin):
    """A county registrar of 唐河县 (411328)."""
    from kongcuo_tui.services import accounts

    return accounts.add(admin, "tanghe", "张丽", "county", "411328")


@pytest.fixture
def city(admin):
    """A city supervisor of 南阳市 (411300: 唐河县, 桐柏县 …)."""
    from kongcuo_tui.services import accounts

    return accounts.add(admin, "nanyang", "李督导", "city", "411300")


@pytest.fixture
def make_entry(db_url):
    """Create a ledger row with sensible defaults; keyword arguments override columns."""
    from stdnum.cn import ric

    from kongcuo_tui.db.models import Entry

    counter = iter(range(1, 10**6))

    def make(**kw) -> int:
        n = next(counter)
        birth = kw.pop("birth_date", date(2013, 5, 1))
        region = kw.get("region", "411328")
        body = f"{region}{birth:%Y%m%d}{n % 1000:03d}"
        fields = {
            "region": region, "seq": n, "name": f"学生{n}", "birth_date": birth,
            "id_number": body + ric.calc_check_digit(body + "0"), "hukou": "河南省南阳市唐河县",
            "address": "河南省南阳市唐河县源潭镇", "enrolled": "否", "source": "registry",
        }
        fields.update(kw)
        return Entry.create(**fields).id

    return make
