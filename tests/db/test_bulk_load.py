"""A bulk load into an empty ledger builds its indexes afterwards: the schema ends as it began (both engines)."""

from __future__ import annotations

import pytest

from kongcuo_tui.db.bulk import _index_definitions, bulk_insert, bulk_load
from kongcuo_tui.db.models import Entry
from kongcuo_tui.db.transactions import write_transaction
from kongcuo_tui.services import demo


def _indexes() -> list[tuple[str, str]]:
    return sorted(_index_definitions("entry"))


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
