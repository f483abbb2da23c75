"""Rows checked in chunks and written in order; a failure on either side applies nothing."""

from __future__ import annotations

from datetime import date

import pytest

from kongcuo_tui.db.models import Entry, ImportBatch
from kongcuo_tui.imports import upstream
from kongcuo_tui.imports.fastpath import RowReader
from kongcuo_tui.imports.upstream import import_file
from imports.upstream_xlsx import valid_row, write_xlsx

TODAY = date(2026, 11, 29)


def test_error_while_checking_applies_nothing(tmp_path, registrar, monkeypatch):
    monkeypatch.setattr(upstream, "CHUNK", 2)
    real = RowReader.read

    def failing(self, cells, row):
        if row == 7:  # after two chunks were written
            raise RuntimeError("unreadable cell")
        return real(self, cells, row)

    monkeypatch.setattr(RowReader, "read", failing)
    path = write_xlsx(tmp_path / "t.xlsx", [valid_row(n) for n in range(1, 9)])
    with pytest.raises(RuntimeError, match="unreadable cell"):
        import_file(registrar, path, today=TODAY)
    assert (Entry.select().count(), ImportBatch.select().count()) == (0, 0)


def test_write_error_applies_nothing(tmp_path, registrar, monkeypatch):
    monkeypatch.setattr(upstream, "CHUNK", 2)

    def failing(*args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(upstream, "_insert", failing)
    path = write_xlsx(tmp_path / "t.xlsx", [valid_row(n) for n in range(1, 40)])
    with pytest.raises(RuntimeError, match="disk full"):
        import_file(registrar, path, today=TODAY)
    assert (Entry.select().count(), ImportBatch.select().count()) == (0, 0)


def test_small_chunks_keep_sheet_order_and_row_numbers(tmp_path, registrar, monkeypatch):
    monkeypatch.setattr(upstream, "CHUNK", 3)
    rows = [valid_row(n) for n in range(1, 12)]
    rows[4][1] = ""  # rejected: sheet row 6
    rows.insert(7, [None] * 11)  # blank: skipped, later rows keep their sheet numbers
    rows[9][3] = rows[0][3]  # same ID as row 2 under another name: sheet row 11
    seen = []
    report = import_file(registrar, write_xlsx(tmp_path / "t.xlsx", rows), today=TODAY,
                         progress=lambda done, total: seen.append((done, total)))
    assert [(i.row, i.reason_code) for i in report.rejected] == [(6, "name_blank"), (11, "dup_id_other_name")]
    assert (report.rows, report.inserted) == (11, 9)
    stored = [e.seq for e in Entry.select().order_by(Entry.id)]
    assert stored == [1, 2, 3, 4, 6, 7, 8, 10, 11]
    assert seen[-1] == (13, 13) and [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_bulk_insert_stores_what_the_orm_stores(tmp_path, registrar):
    """Dates and timestamps are bound ahead of the driver; the stored values must not differ."""
    from kongcuo_tui.db.connection import db

    import_file(registrar, write_xlsx(tmp_path / "t.xlsx", [valid_row(1), valid_row(3)]), today=TODAY)
    imported = list(Entry.select().order_by(Entry.id).dicts())
    # The copies go to another county: a county holds one row per ID.
    copies = [Entry.insert(**{**{k: v for k, v in row.items() if k != "id"}, "region": "411303"}).execute()
              for row in imported]

    def raw(entry_id):  # every column but id and region
        return db.execute_sql('SELECT * FROM "entry" WHERE "id" = %s' % db.param, (entry_id,)).fetchone()[2:]

    for row, copy in zip(imported, copies):
        assert raw(row["id"]) == raw(copy)
    assert imported[0]["birth_date"] == valid_row(1)[2] and imported[0]["created_at"] is not None
