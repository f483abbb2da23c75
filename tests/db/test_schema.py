"""Schema creation, upgrades, connection settings and how values are stored (both engines)."""

from __future__ import annotations

import os
import uuid
from datetime import date, datetime

import pytest
from peewee import SqliteDatabase

from kongcuo_tui.db.bulk import bulk_insert
from kongcuo_tui.db.connection import DatabaseURLError, open_database
from kongcuo_tui.db.migrations import LATEST, current_version, upgrade
from kongcuo_tui.db.models import ALL_MODELS, Account, AuditLog, Entry, Guardian, Region, SchemaVersion
from kongcuo_tui.services.setup import initialize

PG_ADMIN_URL = os.environ.get("KONGCUO_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def _pg_url(name: str) -> str:
    return f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{name}"


def url_of(database) -> str:
    """The URL that opens an empty_db database again (for the CLI's --db)."""
    return f"sqlite:///{database.database}" if isinstance(database, SqliteDatabase) else _pg_url(database.database)


@pytest.fixture(params=["sqlite", "postgres"])
def empty_db(request, tmp_path):
    """A database with no tables at all, opened and bound."""
    if request.param == "sqlite":
        database = open_database(f"sqlite:///{tmp_path / 'empty.db'}")
        database.connect(reuse_if_open=True)
        yield database
        database.close()
        return
    import psycopg

    admin = psycopg.connect(PG_ADMIN_URL, autocommit=True)
    name = f"kongcuo_empty_{uuid.uuid4().hex[:10]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    database = open_database(_pg_url(name))
    database.connect(reuse_if_open=True)
    try:
        yield database
    finally:
        database.close()
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_upgrade_from_an_empty_database_creates_every_table(empty_db):
    assert current_version() == 0
    assert upgrade() == (0, LATEST)
    for model in ALL_MODELS:
        assert empty_db.table_exists(model._meta.table_name), model
    assert current_version() == LATEST
    assert upgrade() == (LATEST, LATEST)
    assert SchemaVersion.select().count() == LATEST


def test_init_is_idempotent(empty_db):
    first = initialize("boss")
    assert (first.from_version, first.to_version, first.admin_created) == (0, LATEST, "boss")
    assert first.regions_added > 3000
    counts = {m: m.select().count() for m in (Region, Account, AuditLog, SchemaVersion)}
    second = initialize("someone_else")
    assert (second.from_version, second.to_version, second.regions_added, second.admin_created) == (LATEST, LATEST, 0, None)
    assert {m: m.select().count() for m in counts} == counts
    boss = Account.get(Account.login == "boss")
    assert (boss.role, boss.region) == ("admin", "410000")


def test_sqlite_file_gets_wal_foreign_keys_and_busy_timeout(tmp_path):
    database = open_database(f"sqlite:///{tmp_path / 'sub' / 'k.db'}")  # parent dir is created
    database.connect()
    try:
        pragma = lambda name: database.execute_sql(f"PRAGMA {name}").fetchone()[0]  # noqa: E731
        assert pragma("journal_mode") == "wal"
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") == 10_000
    finally:
        database.close()
    assert (tmp_path / "sub" / "k.db").exists()


@pytest.mark.parametrize("url", ["foo://x", "mysql://u@h/db", "kongcuo.db"])
def test_unknown_database_urls_are_refused_with_a_hint(url):
    with pytest.raises(DatabaseURLError) as e:
        open_database(url)
    assert url in str(e.value) and "sqlite:///" in str(e.value)


@pytest.mark.parametrize("idn", ["012345200801011234", "41132820130501002X", "000000000000000000"])
def test_id_numbers_are_stored_as_text_exactly(db_url, make_entry, idn):
    eid = make_entry(id_number=idn)
    assert Entry.get_by_id(eid).id_number == idn
    assert Entry.select().where(Entry.id_number == idn).count() == 1


def test_deleting_an_entry_removes_its_guardians(db_url, make_entry):
    eid = make_entry()
    Guardian.create(entry=eid, name="张五")
    Entry.delete().where(Entry.id == eid).execute()
    assert Guardian.select().count() == 0  # the foreign key cascade is really enforced


def test_bulk_insert_stores_the_same_values_as_the_orm(db_url, make_entry):
    row = {
        "region": "411328", "seq": 7, "name": "王小明", "birth_date": date(2013, 5, 1),
        "id_number": "41132820130501002X", "id_ok": False, "proof_date": date(2026, 11, 2),
        "handled_at": datetime(2026, 11, 2, 10, 30), "status": "processed", "code": "B2",
        "updated_at": datetime(2026, 11, 2, 10, 30, 0, 250),
    }
    orm = Entry.get_by_id(Entry.create(**row).id)
    assert bulk_insert(Entry, [dict(row, seq=8, id_number="411328201305010038")]) == 1  # one row per ID
    # The dates as the database holds them (SQLite: text that reports compare in SQL).
    database = Entry._meta.database
    raw = f"SELECT birth_date, proof_date, handled_at, updated_at FROM entry WHERE seq = {database.param}"
    assert database.execute_sql(raw, (8,)).fetchone() == database.execute_sql(raw, (7,)).fetchone()
    bulk = Entry.get(Entry.seq == 8)
    skip = {"id", "seq", "id_number", "created_at"}
    assert {k: v for k, v in bulk.__data__.items() if k not in skip} == \
        {k: v for k, v in orm.__data__.items() if k not in skip}
    assert bulk.created_at is not None and bulk.version == 1 and bulk.hukou == ""
    g = bulk_insert(Guardian, [{"entry": bulk.id, "name": f"监护人{i}"} for i in range(2500)], batch=1000)
    assert g == 2500 == Guardian.select().where(Guardian.entry == bulk.id).count()


def _schema_1_entry(database, n: int, birth: str | None = "2013-05-01", grade: str = "") -> None:
    """A row written with schema 1's columns only, as a release of schema 1 would have."""
    database.execute_sql(
        "INSERT INTO entry (region, source, seq, name, birth_date, id_number, id_raw, hukou, address,"
        " enrolled, national_no, prov_school, prov_no, prov_status, id_ok, id_issue_code, id_issue,"
        " sex, ethnicity, grade_class, stage, residence, registry_place, disability, health,"
        " family_summary, dropout_reason, watch_groups, status, action, code, study_region,"
        " study_place, study_school, proof_person, notes, handled_by, version, created_at, updated_at)"
        f" VALUES ('411328', 'registry', {n + 1}, '学生{n}', {repr(birth) if birth else 'NULL'},"
        f" '41132820130501{n:03d}X', '', '', '', '否', '', '', '', '', true, '', '', '', '', '{grade}', '',"
        " '', '', '', '', '', '', '', 'pending', '', '', '', '', '', '', '', '', 1,"
        " '2026-09-01 08:00:00', '2026-09-01 08:00:00')")


def test_a_database_at_schema_1_upgrades_to_the_current_schema_without_losing_rows(empty_db):
    """Schema 1 is built from its frozen DDL (never the live models), filled, then upgraded."""
    from kongcuo_tui.db.migrations import MIGRATIONS

    with empty_db.atomic():
        MIGRATIONS[0](None)
        SchemaVersion.create(version=1)
    empty_db.execute_sql(
        "INSERT INTO region (code, name, level, parent, full_name) "
        "VALUES ('411328', '唐河县', 'county', '411300', '河南省南阳市唐河县')")
    for n in range(3):
        _schema_1_entry(empty_db, n)
    assert upgrade() == (1, LATEST)
    assert current_version() == LATEST
    assert [e.name for e in Entry.select().order_by(Entry.seq)] == ["学生0", "学生1", "学生2"]
    assert Region.get_by_id("411328").name == "唐河县"


def test_rows_imported_before_the_stage_rule_get_their_stage_on_upgrade(empty_db):
    """年级班级 first (a grade wins over the age), else the age at 31 August; neither: left empty."""
    from kongcuo_tui.db.migrations import MIGRATIONS

    with empty_db.atomic():
        MIGRATIONS[0](None)
        SchemaVersion.create(version=1)
    young = date.today().year - 9  # 8 or 9 at this school year's cutoff: 小学 by age
    rows = [("七年级2班", f"{young}-05-01"), ("一年级", "2013-05-01"), ("", "2013-05-01"),
            ("", f"{young}-05-01"), ("毕业", f"{young}-05-01"), ("", "2000-01-01"), ("", None)]
    for n, (grade, birth) in enumerate(rows):
        _schema_1_entry(empty_db, n, birth, grade)
    empty_db.execute_sql("UPDATE entry SET stage = '初中' WHERE seq = 4")  # a stage already known stays
    upgrade()
    stages = [e.stage for e in Entry.select().order_by(Entry.seq)]
    assert stages == ["初中", "小学", "初中", "初中", "小学", "", ""]


def test_kongcuo_init_fills_the_stage_of_older_rows_at_the_configured_cutoff(empty_db, monkeypatch, capsys):
    """A province whose school year turns on 1 June (KONGCUO_CUTOFF=06-01): a child who is 12 at
    the later of the two cutoffs and 11 at the earlier is 初中 by one and 小学 by the other."""
    from kongcuo_tui.cli import main
    from kongcuo_tui.db.migrations import MIGRATIONS
    from kongcuo_tui.domain.dates import school_year_cutoff

    with empty_db.atomic():
        MIGRATIONS[0](None)
        SchemaVersion.create(version=1)
    today = date.today()
    june, august = school_year_cutoff(today, 6, 1), school_year_cutoff(today, 8, 31)
    later = max(june, august)
    birth = later.replace(year=later.year - 12)
    _schema_1_entry(empty_db, 0, birth.isoformat())
    monkeypatch.setenv("KONGCUO_CUTOFF", "06-01")
    assert main(["--db", url_of(empty_db), "init"]) == 0, capsys.readouterr().err
    assert Entry.get().stage == ("初中" if later == june else "小学")


def test_the_upgraded_schema_has_every_column_the_models_use(empty_db):
    """A column added to a model without a migration step fails here, on both engines."""
    upgrade()
    for model in ALL_MODELS:
        table = model._meta.table_name
        have = {c.name for c in empty_db.get_columns(table)}
        want = {f.column_name for f in model._meta.sorted_fields}
        assert want <= have, (table, want - have)


def test_upgrade_refuses_a_county_ledger_holding_an_id_twice_and_names_it(empty_db):
    """The one-row-per-ID index cannot be built over duplicates: nothing is changed, the rows are named."""
    from kongcuo_tui.db.migrations import MIGRATIONS, SchemaRefused

    with empty_db.atomic():
        MIGRATIONS[0](None)
        SchemaVersion.create(version=1)
    for n, idn in enumerate(["411328201305010011", "411328201305010011", "411328201305010022"]):
        empty_db.execute_sql(
            "INSERT INTO entry (region, source, seq, name, id_number, id_raw, hukou, address, enrolled,"
            " national_no, prov_school, prov_no, prov_status, id_ok, id_issue_code, id_issue, sex, ethnicity,"
            " grade_class, stage, residence, registry_place, disability, health, family_summary,"
            " dropout_reason, watch_groups, status, action, code, study_region, study_place, study_school,"
            " proof_person, notes, handled_by, version, created_at, updated_at)"
            f" VALUES ('411328', 'registry', {n + 1}, '学生{n}', '{idn}', '', '', '', '否', '', '', '', '',"
            " true, '', '', '', '', '', '', '', '', '', '', '', '', '', 'pending', '', '', '', '', '', '',"
            " '', '', 1, '2026-09-01 08:00:00', '2026-09-01 08:00:00')")
    with pytest.raises(SchemaRefused) as e:
        upgrade()
    message = str(e.value)
    assert "411328201305010011" in message and "411328201305010022" not in message
    assert "1 个证件号码" in message and "序号 1、2" in message
    assert current_version() == 1 and Entry.select().count() == 3
    from kongcuo_tui.services.errors import ServiceError

    with pytest.raises(ServiceError) as e:  # `kongcuo init` prints it as one message, no traceback
        initialize("boss")
    assert str(e.value) == message and current_version() == 1
