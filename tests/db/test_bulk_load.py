"""A bulk load into an empty ledger builds its indexes afterwards: the schema ends as it began (both engines)."""

from __future__ import annotations

import pytest

from kongcuo_tui.db.bulk import _index_definitions, bulk_insert, bulk_load, bulk_writer
from kongcuo_tui.db.models import Entry
from kongcuo_tui.db.transactions import write_transaction
from kongcuo_tui.services import demo


def _indexes() -> list[tuple[str, str]]:
    return sorted(_index_definitions("entry", unique=True))


def test_demo_into_an_empty_ledger_leaves_every_index_as_the_schema_has_it(db_url):
    before = _indexes()
    assert len(before) >= 5
    demo.generate(rows=300, seed=3, login="demo")
    assert _indexes() == before
    assert Entry.select().where(Entry.name == Entry.get_by_id(1).name).exists()


def test_a_failed_load_keeps_the_indexes_and_writes_nothing(db_url):
    before = _indexes()
    row = {"region": "411328", "seq": 1, "name": "王明", "id_number": "411328201203191413", "source": "registry"}
    with pytest.raises(Exception, match="(?i)unique"):  # the driver's error; the unique (region, id_number) index stays during the load
        with write_transaction(), bulk_load(Entry):
            bulk_insert(Entry, [row, {**row, "seq": 2}])
    assert _indexes() == before
    assert Entry.select().count() == 0


def test_a_load_into_a_ledger_with_rows_keeps_its_indexes(db_url):
    demo.generate(rows=20, seed=3, login="demo")
    with write_transaction(), bulk_load(Entry):
        assert len(_indexes()) >= 5


def test_one_writer_stores_batches_with_other_fields_as_the_orm_would(db_url):
    """Batches that set more, fewer or other fields than the first (on PostgreSQL the COPY the
    first one opened, or a new one) and shared values: each row as peewee stores it."""
    base = {"region": "411328", "name": "王明", "source": "registry"}
    batches = [
        [{"seq": 1, "id_number": "A1"}, {"seq": 2, "id_number": "A2"}],
        [{"seq": 3, "id_number": "A3", "hukou": "唐河县"}],  # a field the first batch left to its default
        [{"id_number": "A4"}],  # fewer fields: seq as its default
        [{"seq": 5, "id_number": "A5"}],
    ]
    shared = [{**base, "batch": None}, {**base, "batch": None}, {**base}, {**base, "name": "李红"}]
    with write_transaction(), bulk_writer(Entry, batch=1) as write:
        for rows, same in zip(batches, shared):
            write(rows, same)
    stored = {e.id_number: e for e in Entry.select()}
    with write_transaction():
        expected = {r["id_number"]: Entry.create(**{**same, **r, "region": "411303"})
                    for rows, same in zip(batches, shared) for r in rows}
    assert len(stored) == 5
    for key, orm in expected.items():
        got = stored[key]
        fields = [f for f in Entry._meta.sorted_fields if f.name not in ("id", "region", "created_at", "updated_at")]
        assert [getattr(got, f.name) for f in fields] == [getattr(orm, f.name) for f in fields], key


def test_a_row_setting_a_shared_field_is_refused(db_url):
    with pytest.raises(ValueError), write_transaction():
        bulk_insert(Entry, [{"region": "411328", "id_number": "A1", "name": "王明"}], same={"region": "411328"})


def test_a_load_that_drops_the_unique_index_still_refuses_a_duplicate_at_the_end(db_url):
    before = sorted(_index_definitions("entry", unique=True))
    assert any(sql.upper().startswith("CREATE UNIQUE") for _, sql in before)
    row = {"region": "411328", "seq": 1, "name": "王明", "id_number": "411328201203191413", "source": "registry"}
    with pytest.raises(Exception, match="(?i)unique"):  # the rebuilt index fails the whole load
        with write_transaction(), bulk_load(Entry, unique=True):
            bulk_insert(Entry, [row, {**row, "seq": 2}])
            assert not any(sql.upper().startswith("CREATE UNIQUE") for _, sql in _index_definitions("entry", True))
    assert sorted(_index_definitions("entry", unique=True)) == before
    assert Entry.select().count() == 0
