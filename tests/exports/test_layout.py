"""Row heights from the text: what decides whether a wrapped cell prints over the next row."""

from __future__ import annotations

from kongcuo_tui.exports.layout import BODY_SIZE, line_count, row_height, text_width


def test_cjk_and_full_width_characters_count_double():
    assert text_width("2019级3班") == 9
    assert text_width("（盖章）") == 8
    assert text_width("411328198001010011") == 18


def test_cjk_text_wraps_anywhere_and_explicit_lines_add_up():
    address = "河南省南阳市唐河县源潭镇东王庄村3组"  # 35 columns
    assert line_count(address, 40) == 1
    assert line_count(address, 22) == 2
    assert line_count(address, 12) == 4
    assert line_count("王大 411328198001010011\n李二 411328198202020022", 27) == 2


def test_a_number_moves_whole_to_the_next_line_rather_than_breaking():
    # Fits character by character (4 + 1 + 18 = 23 columns) only if the ID were cut.
    assert line_count("王大 411328198001010011", 20) == 2
    assert line_count("411328198001010011411328198001010011", 20) == 2


def test_row_height_follows_the_tallest_cell():
    one = row_height([("张三", 8), ("13812345678", 14)])
    four = row_height([("张三", 8), ("河南省南阳市唐河县源潭镇东王庄村3组", 12)])
    assert four == row_height([("一\n二\n三\n四", 8)]) > row_height([("一\n二\n三", 8)]) > one
    assert one >= BODY_SIZE * 1.3  # one line of a CJK font never gets less than its line height
    assert row_height([("", 8)]) == one


def test_an_address_with_house_numbers_wraps_where_its_characters_do():
    # 32 + "3" + 组 + "12" + 号 = 39 columns: 22 on the first line, 17 on the second.
    address = "河南省南阳市唐河县源潭镇东王庄村3组12号"
    assert line_count(address, 22) == 2
    assert line_count(address, 12) == 4
    assert line_count(address + "2单元301室", 22) == 3


def test_openpyxl_cells_merge_with_the_grid_on_every_edge_and_keep_formulas_as_text(tmp_path):
    import openpyxl

    from kongcuo_tui.exports.layout import OpenpyxlCells

    wb = openpyxl.Workbook()
    cells = OpenpyxlCells(9)
    cells.put(wb.active, 2, 2, "=1+1", "cell", rows=2, cols=3)
    cells.put(wb.active, 5, 1, "标题", "title")
    wb.save(tmp_path / "c.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "c.xlsx").active
    assert [str(r) for r in ws.merged_cells.ranges] == ["B2:D3"]
    assert (ws["B2"].value, ws["B2"].data_type, ws["B2"].quotePrefix) == ("=1+1", "s", True)
    edges = {"B2": ("left", "top"), "C2": ("top",), "D2": ("top", "right"), "B3": ("left", "bottom"),
             "C3": ("bottom",), "D3": ("bottom", "right")}  # the range's outline, as a spreadsheet draws it
    for ref, sides in edges.items():
        assert all(getattr(ws[ref].border, side).style == "thin" for side in sides), ref
    assert ws["B2"].font.name == "宋体" and ws["B2"].font.sz == 9 and ws["A5"].font.name == "黑体"
