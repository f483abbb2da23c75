"""Fast bulk inserts for tens of thousands of rows.

peewee's insert_many builds the SQL text value by value in Python, which costs more than
the database's own work (about 0.5 ms a row for the 55-column entry table). Here the
statement is built once and the rows go to the driver's executemany, still converted by
each field's db_value so the stored values are the same as through the ORM.
"""

from __future__ import annotations

from collections.abc import Iterable

from .connection import db


def bulk_insert(model, rows: Iterable[dict], batch: int = 1000) -> int:
    """Insert `rows` (field name → value; missing fields get their defaults); returns the count."""
    # Auto-increment keys are left to the database.
    fields = [f for f in model._meta.sorted_fields if not (f.primary_key and f.field_type == "AUTO")]
    table = model._meta.table_name
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    marks = ", ".join([db.param] * len(fields))
    sql = f'INSERT INTO "{table}" ({columns}) VALUES ({marks})'
    done = 0
    values: list[tuple] = []
    for row in rows:
        values.append(tuple(f.db_value(_value(f, row)) for f in fields))
        if len(values) >= batch:
            done += _flush(sql, values)
    return done + _flush(sql, values)


def _value(field, row: dict):
    if field.name in row:
        return row[field.name]
    default = field.default
    return default() if callable(default) else default


def _flush(sql: str, values: list[tuple]) -> int:
    if not values:
        return 0
    n = len(values)
    db.cursor().executemany(sql, values)
    values.clear()
    return n


# Rows written at once beyond which the planner's statistics are refreshed: PostgreSQL's
# autovacuum analyzes a table some time after a bulk load, and until then a report planned on
# the old counts (an empty ledger) joins 100,000 rows by nested loops — seconds become minutes.
ANALYZE_AFTER = 1000


def refresh_statistics(written: int) -> None:
    """ANALYZE the ledger's tables on PostgreSQL after ``written`` rows went in at once."""
    from .connection import is_sqlite

    if written >= ANALYZE_AFTER and not is_sqlite():
        for table in ("entry", "history", "follow_up", "persuasion"):
            db.execute_sql(f'ANALYZE "{table}"')
