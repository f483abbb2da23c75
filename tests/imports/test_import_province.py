"""A province's ledger (issue 13): its size is not refused, and repeated IDs are found as before.

The million rows themselves are measured by bench/excel.py; here the limit and the duplicate
logic run at small sizes.
"""

from __future__ import annotations

import random
from datetime import date

import pytest

from imports.crafted_xlsx import crafted_xlsx
from imports.upstream_xlsx import HEADERS, valid_row, write_xlsx
from kongcuo_tui.db.models import Entry
from kongcuo_tui.imports import extent, upstream
from kongcuo_tui.imports.extent import Extent, xlsx_extent
from kongcuo_tui.imports.reader import _refuse_if_absurd
from kongcuo_tui.imports.seen import FirstSeen
from kongcuo_tui.imports.upstream import import_file
from kongcuo_tui.services.errors import ServiceError

TODAY = date(2026, 11, 29)


@pytest.mark.parametrize("rows, cols", [(1_200_001, 11), (1_048_576, 15)])
def test_a_province_sized_sheet_is_not_refused(tmp_path, rows, cols):
    assert rows * cols > 4_000_000  # refused before issue 13
    _refuse_if_absurd(tmp_path / "province.xlsx", Extent(1, 1, rows, cols))


@pytest.mark.parametrize("cols", [16, 26, 16384])
def test_a_full_height_sheet_wider_than_the_known_columns_is_refused(tmp_path, cols):
    with pytest.raises(ServiceError, match="1048576 行"):
        _refuse_if_absurd(tmp_path / "wide.xlsx", Extent(1, 1, 1_048_576, cols))


def _rows(n):
    return [list(map(str, HEADERS))] + [[str(v) for v in valid_row(i)] for i in range(1, n + 1)]


@pytest.mark.parametrize("ref", ["O1099999", "K1000001", "Z149999", "p16", "A1"])
def test_a_sheet_inside_a_known_box_is_not_scanned_exactly(tmp_path, monkeypatch, ref):
    monkeypatch.setattr(extent, "_scan", lambda stream: pytest.fail("exact scan"))
    path = crafted_xlsx(tmp_path / "t.xlsx", _rows(3), extra={ref: "x"})
    assert xlsx_extent(path)[0] is None


@pytest.mark.parametrize("ref, cells", [("P1099999", 16 * 1099999), ("p1099999", 16 * 1099999),
                                        ("A1100000", 11 * 1100000), ("Z150000", 26 * 150000), ("AA2", 27 * 4)])
def test_a_sheet_outside_both_boxes_is_scanned_exactly(tmp_path, ref, cells):
    path = crafted_xlsx(tmp_path / "t.xlsx", _rows(3), extra={ref: "x"})
    assert xlsx_extent(path)[0].cells == cells


def test_first_seen_gives_what_a_dict_gives(tmp_path):
    rnd = random.Random(13)
    pool = [valid_row(n)[3] for n in range(1, 1500)] + ["", "X", "４１１", "41132820100101001\udc80", "9" * 32]
    seen, model = FirstSeen(0), {}  # from the smallest table: it grows several times
    for row in range(1, 6000):
        key, name = rnd.choice(pool), rnd.choice(["王子", "李浩宇", "O'Neil", "\udc80", ""])
        want = model.get(key)
        model.setdefault(key, (row, name))
        assert seen.first(key, row, name) == want


@pytest.mark.parametrize("hint", ["sheet", "none"])
def test_repeated_ids_across_many_rows_are_found_on_both_paths(tmp_path, registrar, monkeypatch, hint):
    if hint == "none":  # the table grows from its smallest size while the rows come
        monkeypatch.setattr(upstream, "FirstSeen", lambda rows: FirstSeen(0))
    rnd = random.Random(7)
    rows = [valid_row(n) for n in range(1, 2001)]
    rows[5][3] = rows[5][3][:-1] + ("0" if rows[5][3][-1] != "0" else "1")  # a bad ID, kept and flagged
    for i in range(40, 2000, 9):  # repeats of earlier rows: same name or another, clean or through read_row
        row = list(rows[rnd.randrange(i)])
        if i % 2:
            row[1] = "赵明明"
        if i % 3 == 0:
            row[3] = row[3][:6] + " " + row[3][6:]  # id_normalized: the full path
        rows.insert(i, row)
    want, first = [], {}
    for excel_row, row in enumerate(rows, 2):
        key = row[3].replace(" ", "")
        if key not in first:
            first[key] = (excel_row, row[1])
        elif first[key][1] != row[1]:
            want.append((excel_row, "dup_id_other_name", first[key][0], first[key][1]))
        else:
            want.append((excel_row, "dup_id", first[key][0], None))
    report = import_file(registrar, write_xlsx(tmp_path / "t.xlsx", rows), today=TODAY)
    got = sorted((i.row, i.reason_code) for i in report.warnings + report.rejected if i.reason_code.startswith("dup_id"))
    assert got == [(r, code) for r, code, _, _ in want]
    issues = {i.row: i.reason for i in report.warnings + report.rejected if i.reason_code.startswith("dup_id")}
    for r, _, row0, name0 in want:
        assert f"第 {row0} 行" in issues[r] and (name0 is None or f"「{name0}」" in issues[r])
    assert Entry.select().count() == report.inserted == len(first)
