"""Schema creation and upgrades.

The schema version is recorded in `schemaversion`. A release that changes the schema adds
a function to MIGRATIONS; `upgrade()` runs the missing ones in order, each in its own
transaction, with playhouse.migrate so existing rows are kept.
"""

from __future__ import annotations

from collections.abc import Callable

from playhouse.migrate import PostgresqlMigrator, SqliteMigrator

from .connection import db, is_sqlite
from .models import ALL_MODELS, SchemaVersion


def _v1(migrator) -> None:
    db.create_tables(ALL_MODELS, safe=True)


# Append new steps here; never edit a released one. Example for a future v2:
#   def _v2(m): migrate(m.add_column("entry", "hukou_code", CharField(default="")))
MIGRATIONS: list[Callable] = [_v1]
LATEST = len(MIGRATIONS)


def current_version() -> int:
    if not db.table_exists(SchemaVersion._meta.table_name):
        return 0
    row = SchemaVersion.select().order_by(SchemaVersion.version.desc()).first()
    return row.version if row else 0


def upgrade() -> tuple[int, int]:
    """Bring the schema to LATEST; returns (from_version, to_version)."""
    start = current_version()
    migrator = SqliteMigrator(db) if is_sqlite() else PostgresqlMigrator(db)
    for version in range(start + 1, LATEST + 1):
        with db.atomic():
            MIGRATIONS[version - 1](migrator)
            SchemaVersion.create(version=version)
    return start, LATEST
