"""The demo's ledger rows pass our own ID checks exactly as stored: the IDs it builds valid are
valid, the damaged ones carry the checker's reasons."""

from __future__ import annotations

from kongcuo_tui.db.models import Entry
from kongcuo_tui.services import demo
from kongcuo_tui.services.idfields import id_columns

COLUMNS = ("id_number", "id_raw", "id_ok", "id_issue_code", "id_issue")


def test_every_demo_row_has_the_id_columns_the_checker_gives(sqlite_db_url):
    demo.generate(rows=1500, seed=11, login="demo")  # past TWINS_FROM: the twins too
    rows = list(Entry.select(Entry.birth_date, *(getattr(Entry, c) for c in COLUMNS)).tuples())
    assert len(rows) > 1500
    for birth, *stored in rows:
        received = stored[1] or stored[0]  # id_raw is kept whenever it differs from id_number
        assert id_columns(received, birth) == dict(zip(COLUMNS, stored)), stored
    ok = sum(1 for r in rows if r[3])
    assert 0.9 * len(rows) < ok < len(rows)  # mostly valid, some damaged the way upstream data is
