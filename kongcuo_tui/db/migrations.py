"""Schema creation and upgrades.

The schema version is recorded in `schemaversion`. A release that changes the schema adds
a function to MIGRATIONS; `upgrade()` runs the missing ones in order, each in its own
transaction, with playhouse.migrate so existing rows are kept.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from peewee import CharField
from playhouse.migrate import PostgresqlMigrator, SqliteMigrator, migrate

from .connection import db, is_sqlite
from .models import SchemaVersion

FROZEN = Path(__file__).with_name("frozen")


def run_frozen(name: str) -> None:
    """Execute a frozen DDL file (`frozen/<name>_<engine>.sql`), one statement a line.

    Released steps never read the live models: a column added to a model later must not
    appear in an old step, or the step that adds it would fail on a fresh database.
    """
    engine = "sqlite" if is_sqlite() else "postgres"
    for statement in (FROZEN / f"{name}_{engine}.sql").read_text(encoding="utf-8").splitlines():
        if statement.strip():
            db.execute_sql(statement)


def _v1(migrator) -> None:
    run_frozen("v1")


def _v2(migrator) -> None:
    """Form drafts, so a dropped SSH connection loses nothing typed."""
    run_frozen("v2")


# Append new steps here; never edit a released one, and never call the live models from a
# step (write its DDL or use playhouse.migrate with explicit fields), e.g. for a future v2:
#   def _v2(m): migrate(m.add_column("entry", "hukou_code", CharField(default="")))
def _graduation_and_recent_proof_people(m) -> None:
    # 毕业去向 is a field of its own (B6 under 16); 证明人 choices come from History by login,
    # so the sticky last_proof_person goes.
    migrate(
        m.add_column("entry", "graduation", CharField(max_length=128, default="")),
        m.add_column("history", "graduation", CharField(max_length=128, default="")),
        m.add_index("history", ("by", "id"), False),
        m.drop_column("account", "last_proof_person"),
    )


MIGRATIONS: list[Callable] = [_v1, _v2, _graduation_and_recent_proof_people]
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
