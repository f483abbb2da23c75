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
