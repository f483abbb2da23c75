"""Schema creation and upgrades.

The schema version is recorded in `schemaversion`. A release that changes the schema adds
a function to MIGRATIONS; `upgrade()` runs the missing ones in order, all in one
transaction, with playhouse.migrate so existing rows are kept.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from peewee import CharField, DateField, DateTimeField, TextField
from playhouse.migrate import PostgresqlMigrator, SqliteMigrator, migrate

from ..domain.dates import school_stage, school_year_cutoff, stage_of
from ..domain.workdays import WorkCalendar
from .connection import db, is_sqlite
from .models import SchemaVersion

FROZEN = Path(__file__).with_name("frozen")


class SchemaRefused(Exception):
    """An upgrade step cannot run on this database's data; nothing was changed. For the user."""


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




def _one_row_per_id(migrator) -> None:
    """A county's ledger holds one row per ID: two imports at once could each insert it."""
    dups = db.execute_sql(
        "SELECT region, id_number, COUNT(*) FROM entry GROUP BY region, id_number HAVING COUNT(*) > 1"
        " ORDER BY region, id_number").fetchall()
    if dups:
        raise SchemaRefused(_duplicates_message(dups))
    migrate(migrator.add_index("entry", ("region", "id_number"), True))


def _duplicates_message(dups: list[tuple]) -> str:
    shown = []
    for region, id_number, _ in dups[:20]:
        seqs = [r[0] for r in db.execute_sql(
            f"SELECT seq FROM entry WHERE region = {db.param} AND id_number = {db.param} ORDER BY seq",
            (region, id_number)).fetchall()]
        shown.append(f"  {region} 证件号码 {id_number}：序号 {'、'.join(map(str, seqs))}")
    more = f"\n  ……另有 {len(dups) - 20} 个" if len(dups) > 20 else ""
    return (f"数据库升级未进行，数据未做任何改动：台账中有 {len(dups)} 个证件号码在同一县出现不止一次，"
            "无法建立“每县每个证件号码只有一行”的约束。\n" + "\n".join(shown) + more +
            "\n请先核对这些行，删除或合并重复的行（保留有处理记录的那一行）后，再运行 kongcuo init。")


def _persuasion_records(m) -> None:
    """What a persuasion case records: attempt times, a round's units, the other steps' details."""
    migrate(
        m.add_column("persuasion", "at", DateTimeField(null=True)),
        m.add_column("persuasion", "units", CharField(max_length=128, default="")),
        m.add_column("follow_up", "subkind", CharField(max_length=16, default="")),
        m.add_column("follow_up", "party", CharField(max_length=128, default="")),
        m.add_column("follow_up", "region", CharField(max_length=12, default="")),
    )


def _summary_order(migrator) -> None:
    """附件1 pages in (region, 序号, id) order: an index range scan for a county, city or province."""
    migrate(migrator.add_index("entry", ("region", "seq", "id"), False))


_REVIEW_TABLE = {
    "sqlite": ('CREATE TABLE IF NOT EXISTS "review" ("id" INTEGER NOT NULL PRIMARY KEY, "entry_id" INTEGER NOT NULL,'
               ' "kind" VARCHAR(12) NOT NULL, "how" VARCHAR(16) NOT NULL, "note" TEXT NOT NULL,'
               ' "version" INTEGER NOT NULL, "by" VARCHAR(64) NOT NULL, "at" DATETIME NOT NULL,'
               ' FOREIGN KEY ("entry_id") REFERENCES "entry" ("id") ON DELETE CASCADE)'),
    "postgres": ('CREATE TABLE IF NOT EXISTS "review" ("id" SERIAL NOT NULL PRIMARY KEY, "entry_id" INTEGER NOT NULL,'
                 ' "kind" VARCHAR(12) NOT NULL, "how" VARCHAR(16) NOT NULL, "note" TEXT NOT NULL,'
                 ' "version" INTEGER NOT NULL, "by" VARCHAR(64) NOT NULL, "at" TIMESTAMP NOT NULL,'
                 ' FOREIGN KEY ("entry_id") REFERENCES "entry" ("id") ON DELETE CASCADE)'),
}


def _b_class_review(m) -> None:
    """A city or province flags B-class results 需复核; the county re-submits (issue 11).
    The overview counts rows processed per day from history (an index on its time)."""
    migrate(
        m.add_column("entry", "review_state", CharField(max_length=12, default="")),
        m.add_column("entry", "review_note", TextField(default="")),
        m.add_column("entry", "review_by", CharField(max_length=64, default="")),
        m.add_column("entry", "review_at", DateTimeField(null=True)),
        m.add_index("entry", ("region", "review_state"), False),
        m.add_index("history", ("at",), False),
    )
    db.execute_sql(_REVIEW_TABLE["sqlite" if is_sqlite() else "postgres"])
    db.execute_sql('CREATE INDEX IF NOT EXISTS "review_entry_id" ON "review" ("entry_id")')


_ID_VERIFICATION_DDL = (
    'CREATE TABLE "id_verification" ("id" {serial}, '
    '"entry_id" INTEGER NOT NULL REFERENCES "entry" ("id") ON DELETE CASCADE, "version" INTEGER NOT NULL, '
    '"upstream_id" VARCHAR(64) NOT NULL, "verified_id" VARCHAR(32) NOT NULL, '
    '"proof_person" VARCHAR(64) NOT NULL, "proof_date" DATE, "by" VARCHAR(64) NOT NULL, '
    '"at" {timestamp} NOT NULL)'
)


def _verified_ids(m) -> None:
    """核实证件号码 beside the upstream ID, and an append-only record of every one recorded."""
    migrate(
        m.add_column("entry", "verified_id", CharField(max_length=32, default="")),
        m.add_column("entry", "verified_proof_person", CharField(max_length=64, default="")),
        m.add_column("entry", "verified_proof_date", DateField(null=True)),
        m.add_column("entry", "verified_by", CharField(max_length=64, default="")),
        m.add_column("entry", "verified_at", DateTimeField(null=True)),
        m.add_index("entry", ("region", "verified_id"), False),
    )
    sqlite = is_sqlite()
    db.execute_sql(_ID_VERIFICATION_DDL.format(
        serial="INTEGER NOT NULL PRIMARY KEY" if sqlite else "SERIAL NOT NULL PRIMARY KEY",
        timestamp="DATETIME" if sqlite else "TIMESTAMP"))
    db.execute_sql('CREATE INDEX "id_verification_entry_id" ON "id_verification" ("entry_id")')


def _duplicate_decisions(migrator) -> None:
    """The registrar's answers to 疑似重复 pairs, and the name index the search blocks on."""
    serial = "INTEGER NOT NULL PRIMARY KEY" if is_sqlite() else "SERIAL NOT NULL PRIMARY KEY"
    stamp = "DATETIME" if is_sqlite() else "TIMESTAMP"
    db.execute_sql(
        f'CREATE TABLE IF NOT EXISTS "duplicate_decision" ("id" {serial}, '
        '"entry_a_id" INTEGER NOT NULL REFERENCES "entry" ("id") ON DELETE CASCADE, '
        '"entry_b_id" INTEGER NOT NULL REFERENCES "entry" ("id") ON DELETE CASCADE, '
        f'"decision" VARCHAR(12) NOT NULL, "by" VARCHAR(64) NOT NULL, "at" {stamp} NOT NULL)')
    db.execute_sql('CREATE UNIQUE INDEX IF NOT EXISTS "duplicatedecision_entry_a_id_entry_b_id" '
                   'ON "duplicate_decision" ("entry_a_id", "entry_b_id")')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "duplicatedecision_entry_b_id" ON "duplicate_decision" ("entry_b_id")')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "entry_name" ON "entry" ("name")')


# The ledger's page orders, each served by one index at county, city and province scope:
# (region, 序号, id) within a tab, a 核查结果代码 filter, and the bytewise name or ID order
# a prefix search lists its matches in (on PostgreSQL in the "C" collation, so that a
# prefix is one index range whatever the database's locale). The region-leading indexes
# these replace sorted a whole city or province for every page.
_SCOPE_ORDER_INDEXES = (
    ("entry_region_status_seq_id", "entry_status_region_seq_id", ("status", "region", "seq", "id")),
    ("entry_region_status_name_id", "entry_status_name_id_region", ("status", "name*", "id", "region")),
    ("entry_region_status_id_number", "entry_status_id_number_id_region", ("status", "id_number*", "id", "region")),
    ("entry_region_code", "entry_status_code_region_seq_id", ("status", "code", "region", "seq", "id")),
)


def _page_orders_at_every_scope(migrator) -> None:
    """Indexes whose order is the page order, so a province's page is a range scan, not a sort."""
    bytewise = "" if is_sqlite() else ' COLLATE "C"'
    for old, new, columns in _SCOPE_ORDER_INDEXES:
        db.execute_sql(f'DROP INDEX IF EXISTS "{old}"')
        cols = ", ".join(f'"{c.rstrip("*")}"' + (bytewise if c.endswith("*") else "") for c in columns)
        db.execute_sql(f'CREATE INDEX IF NOT EXISTS "{new}" ON "entry" ({cols})')


def _case_deadlines(migrator, calendar: WorkCalendar | None = None) -> None:
    """Each case's overdue_after, today's on the row and its history per write, so 劝返逾期 is
    counted in SQL (db.case_deadlines); filled from the records already there, by the
    configured work calendar (the official one when none is given)."""
    from .case_deadlines import refresh_all

    serial = "INTEGER NOT NULL PRIMARY KEY" if is_sqlite() else "SERIAL NOT NULL PRIMARY KEY"
    stamp = "DATETIME" if is_sqlite() else "TIMESTAMP"
    db.execute_sql(
        f'CREATE TABLE IF NOT EXISTS "case_deadline" ("id" {serial}, '
        '"entry_id" INTEGER NOT NULL REFERENCES "entry" ("id") ON DELETE CASCADE, '
        f'"recorded_at" {stamp} NOT NULL, "overdue_after" DATE)')
    db.execute_sql('CREATE INDEX IF NOT EXISTS "casedeadline_entry_id_recorded_at" '
                   'ON "case_deadline" ("entry_id", "recorded_at")')
    migrate(migrator.add_column("entry", "overdue_after", DateField(null=True)))
    db.execute_sql('CREATE INDEX IF NOT EXISTS "entry_overdue_after" ON "entry" ("overdue_after")')
    refresh_all(calendar)


def _stage_of_older_rows(migrator, cutoff: date | None = None) -> None:
    """学段 for rows imported before the import set it, by the import's rule (stage_of).

    The rule (年级班级 first, else the age at the school year's cutoff) is Python in domain/,
    so it is asked once per distinct 年级班级 and once per distinct birth date — a few
    thousand values for a million rows — and the answers go in two small keyed tables that
    one UPDATE reads: no per-row round trip. `cutoff`: the configured school year's
    (KONGCUO_CUTOFF), 31 August's when none is given.
    """
    empty = "(\"stage\" = '' OR \"stage\" IS NULL)"
    grades = [g for (g,) in db.execute_sql(f'SELECT DISTINCT "grade_class" FROM "entry" WHERE {empty}')]
    births = [b for (b,) in db.execute_sql(f'SELECT DISTINCT "birth_date" FROM "entry" WHERE {empty}')
              if b is not None]
    if not grades and not births:
        return
    cutoff = cutoff or school_year_cutoff(date.today())
    by_grade = [(g, st) for g in grades if g and (st := school_stage(g, None, cutoff))]
    by_birth = []
    for b in births:
        day = b if isinstance(b, date) else date.fromisoformat(str(b)[:10])
        if st := stage_of(None, day, cutoff):
            by_birth.append((b, st))
    day_type = "TEXT" if is_sqlite() else "DATE"
    temp = "TEMP " if is_sqlite() else "TEMPORARY "
    mark = "?" if is_sqlite() else "%s"
    for table, key_type, pairs in (("stage_by_grade", "TEXT", by_grade), ("stage_by_birth", day_type, by_birth)):
        db.execute_sql(f'DROP TABLE IF EXISTS "{table}"')
        db.execute_sql(f'CREATE {temp}TABLE "{table}" ("k" {key_type} PRIMARY KEY, "stage" TEXT NOT NULL)')
        for i in range(0, len(pairs), 400):  # under SQLite's parameter limit
            chunk = pairs[i:i + 400]
            db.execute_sql(f'INSERT INTO "{table}" ("k", "stage") VALUES '
                           + ", ".join([f"({mark}, {mark})"] * len(chunk)), [v for pair in chunk for v in pair])
    db.execute_sql(
        'UPDATE "entry" SET "stage" = COALESCE('
        '(SELECT g."stage" FROM "stage_by_grade" g WHERE g."k" = "entry"."grade_class"), '
        '(SELECT b."stage" FROM "stage_by_birth" b WHERE b."k" = "entry"."birth_date"), \'\') '
        f'WHERE {empty}')
    for table in ("stage_by_grade", "stage_by_birth"):
        db.execute_sql(f'DROP TABLE "{table}"')


def _deadline_changes(migrator) -> None:
    """The case deadlines recorded since a day: a past month's 劝返逾期 looks back only for the
    cases whose deadline changed after the month's end (services.point_in_time)."""
    db.execute_sql('CREATE INDEX IF NOT EXISTS "casedeadline_recorded_at" ON "case_deadline" ("recorded_at")')


def _area_statistics(migrator) -> None:
    """PostgreSQL: how many (county, township, school, 学段) groups the ledger has together. From
    each column's own count the planner expected a province report to have ~100× its few hundred
    groups, and so sorted a million rows on disk in every parallel worker instead of hashing them
    (bench/reports.py, 1M: 1.75 → 1.2 s). SQLite keeps no such statistics and hashes nothing."""
    if not is_sqlite():
        db.execute_sql('CREATE STATISTICS IF NOT EXISTS "entry_area_groups" (ndistinct) '
                       'ON "region", "township", "school_id", "stage" FROM "entry"')
        db.execute_sql('ANALYZE "entry"')


MIGRATIONS: list[Callable] = [_v1, _v2, _graduation_and_recent_proof_people, _one_row_per_id,
                              _persuasion_records, _summary_order, _b_class_review,
                              _verified_ids, _duplicate_decisions, _page_orders_at_every_scope,
                              _case_deadlines, _stage_of_older_rows, _deadline_changes, _area_statistics]
LATEST = len(MIGRATIONS)


def current_version() -> int:
    if not db.table_exists(SchemaVersion._meta.table_name):
        return 0
    row = SchemaVersion.select().order_by(SchemaVersion.version.desc()).first()
    return row.version if row else 0


def upgrade(cutoff: date | None = None, calendar: WorkCalendar | None = None) -> tuple[int, int]:
    """Bring the schema to LATEST; returns (from_version, to_version).

    `cutoff` and `calendar`: the configured ones (KONGCUO_CUTOFF, KONGCUO_HOLIDAYS), for the
    steps that fill 学段 and case deadlines into rows already there."""
    settings = {_case_deadlines: {"calendar": calendar}, _stage_of_older_rows: {"cutoff": cutoff}}
    start = current_version()
    migrator = SqliteMigrator(db) if is_sqlite() else PostgresqlMigrator(db)
    # All missing steps in one transaction: a step that refuses (SchemaRefused) leaves the
    # database exactly as it was, at its old version, not half-way up.
    with db.atomic():
        for version in range(start + 1, LATEST + 1):
            step = MIGRATIONS[version - 1]
            step(migrator, **settings.get(step, {}))
            SchemaVersion.create(version=version)
    return start, LATEST
