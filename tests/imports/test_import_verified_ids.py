"""A later import finds a row by its upstream ID or by its verified ID (both row-reading paths)."""

from __future__ import annotations

from datetime import date

import pytest

from kongcuo_tui.db.models import Entry, IdVerificationRecord
from kongcuo_tui.domain.verified_ids import IdVerification
from kongcuo_tui.imports.upstream import import_file
from kongcuo_tui.services import verified_ids
from imports.upstream_xlsx import valid_row, write_xlsx

TODAY = date(2026, 11, 29)


def _wrong(ident: str) -> str:
    return ident[:17] + ("0" if ident[17] != "0" else "1")


@pytest.mark.parametrize("cell", [
    lambda good: good,  # a clean row: the fast path
    lambda good: f" {good.lower()} ",  # spaces and a lowercase x: read_row with a warning
], ids=["fast path", "read_row"])
def test_a_row_whose_id_was_verified_is_updated_not_added_again(tmp_path, registrar, cell):
    first = valid_row(5)
    good = first[3]
    first[3] = _wrong(good)
    import_file(registrar, write_xlsx(tmp_path / "a.xlsx", [first]), today=TODAY)
    e = Entry.get()
    assert not e.id_ok
    assert verified_ids.record(registrar, e.id, e.version, IdVerification(good, "派出所李警官", date(2026, 11, 20)),
                               today=TODAY).ok
    # The platform corrects the number and sends the row again, with a new address.
    again = valid_row(5)
    again[3] = cell(good)
    again[5] = "河南省南阳市唐河县源潭镇新村8号"
    report = import_file(registrar, write_xlsx(tmp_path / "b.xlsx", [again]), today=TODAY)
    assert (report.inserted, report.updated, report.rejected) == (0, 1, [])
    assert Entry.select().count() == 1
    e = Entry.get()
    assert (e.address, e.id_number, e.verified_id, e.id_ok) == ("河南省南阳市唐河县源潭镇新村8号", good, good, True)
    # The number the platform first sent stays on record.
    assert IdVerificationRecord.get().upstream_id == _wrong(good)


def test_the_old_wrong_number_still_matches_its_row(tmp_path, registrar):
    row = valid_row(6)
    good, row[3] = row[3], _wrong(row[3])
    path = write_xlsx(tmp_path / "a.xlsx", [row])
    import_file(registrar, path, today=TODAY)
    e = Entry.get()
    verified_ids.record(registrar, e.id, 1, IdVerification(good, "派出所李警官", date(2026, 11, 20)), today=TODAY)
    report = import_file(registrar, path, today=TODAY)
    assert (report.inserted, report.updated, report.unchanged) == (0, 0, 1)
    assert Entry.get().verified_id == good
