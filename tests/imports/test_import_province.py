"""A province's ledger (issue 13): its size is not refused, and repeated IDs are found as before.

The million rows themselves are measured by bench/excel.py; here the limit and the duplicate
logic run at small sizes.
"""

from __future__ import annotations

import pytest

from imports.crafted_xlsx import crafted_xlsx
from imports.upstream_xlsx import HEADERS, valid_row
from kongcuo_tui.imports import extent
from kongcuo_tui.imports.extent import Extent, xlsx_extent
from kongcuo_tui.imports.reader import _refuse_if_absurd
from kongcuo_tui.services.errors import ServiceError

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
