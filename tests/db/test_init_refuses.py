"""init never stamps a database it does not recognise (both engines)."""

from __future__ import annotations

import pytest

from kongcuo_tui.db.migrations import LATEST, current_version
from kongcuo_tui.db.models import AuditLog, Region, SchemaVersion
from kongcuo_tui.services.errors import ServiceError
from kongcuo_tui.services.setup import initialize
from db.test_schema import empty_db, url_of  # noqa: F401  (fixture)


def test_a_newer_schema_is_refused(empty_db):  # noqa: F811
    initialize("boss")
    SchemaVersion.create(version=LATEST + 1)
    audits = AuditLog.select().count()
    with pytest.raises(ServiceError, match=f"{LATEST + 1}.*升级"):
        initialize("boss")
    assert AuditLog.select().count() == audits


def test_tables_without_a_version_are_refused_and_left_alone(empty_db):  # noqa: F811
    empty_db.execute_sql('CREATE TABLE "entry" ("id" INTEGER PRIMARY KEY, "name" VARCHAR(10))')
    with pytest.raises(ServiceError, match="entry"):
        initialize("boss")
    assert current_version() == 0 and not empty_db.table_exists("schema_version")
    assert not empty_db.table_exists(Region._meta.table_name)


def test_a_stamped_schema_missing_columns_is_refused(empty_db):  # noqa: F811
    initialize("boss")
    empty_db.execute_sql('ALTER TABLE "entry" DROP COLUMN "watch_groups"')
    with pytest.raises(ServiceError, match="entry.watch_groups"):
        initialize("boss")


def test_cli_says_it_in_one_line(empty_db, capsys):  # noqa: F811
    from kongcuo_tui.cli import main

    initialize("boss")
    SchemaVersion.create(version=LATEST + 1)
    assert main(["--db", url_of(empty_db), "--login", "boss", "init"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "升级" in err[0]
