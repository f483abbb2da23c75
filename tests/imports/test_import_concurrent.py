"""One row per ID in a county, even when two registrars import the same file at once."""

from __future__ import annotations

import threading

import pytest
from peewee import IntegrityError

from kongcuo_tui.db.models import Entry
from kongcuo_tui.imports.upstream import import_file
from kongcuo_tui.services.session import session
from support import TODAY
from imports.upstream_xlsx import valid_row, write_xlsx

HOLD = 2.0  # seconds the first import keeps its transaction open while the second starts


def test_two_imports_of_one_file_at_once_leave_one_row_per_id(tmp_path, registrar):
    path = write_xlsx(tmp_path / "t.xlsx", [valid_row(n) for n in range(1, 21)])
    second_got_in = threading.Event()
    reports, failures, first = {}, [], {}

    def importing(name, progress):
        try:
            with session():
                reports[name] = import_file(registrar, path, today=TODAY, progress=progress)
        except Exception as e:  # noqa: BLE001 - the test reports it
            failures.append((name, e))

    second = threading.Thread(target=importing, args=("second", lambda *_: second_got_in.set()))

    def first_progress(done, total):
        if "got_in" not in first:  # the first call comes from inside the transaction
            # Inside the first import's transaction: the second must wait for it to finish.
            second.start()
            first["got_in"] = second_got_in.wait(timeout=HOLD)

    importing("first", first_progress)
    second.join()
    assert failures == []
    assert first == {"got_in": False}
    assert (reports["first"].inserted, reports["second"].inserted, reports["second"].unchanged) == (20, 0, 20)
    assert Entry.select().count() == 20


def test_the_database_refuses_a_second_row_with_a_county_s_id(registrar, make_entry):
    eid = make_entry()
    idn = Entry.get_by_id(eid).id_number
    make_entry(id_number=idn, region="411303")  # another county may hold the same child
    with pytest.raises(IntegrityError):
        make_entry(id_number=idn)
    assert Entry.select().where(Entry.id_number == idn).count() == 2
