import random

import pytest

from kongcuo_tui.domain.text_table import cell_width, text_table

tabulate = pytest.importorskip("tabulate").tabulate  # a dev dependency: the tables we replaced it in


def test_a_table_lines_up_chinese_and_latin_text():
    assert text_table([("root", "管理员（省级范围）", "启用"), ("tanghe", "县级", "")], headers=("登录名", "角色", "状态")) == (
        "登录名    角色                状态\n"
        "--------  ------------------  ------\n"
        "root      管理员（省级范围）  启用\n"
        "tanghe    县级"
    )


def test_widths_count_terminal_columns():
    assert [cell_width(t) for t in ("abc", "张三", "（", "é", "e\u0301", "\u200bab", "—")] == [3, 4, 2, 1, 1, 2, 1]


@pytest.mark.parametrize("rows, headers", [
    ([("411328", "唐河县", 3, 0, None)], ("区划", "县", "B类结果", "需复核", "已重新提交")),
    ([], ("ID", "姓名", "学校")),
    ([(" 张三 ", "a\nbb", 7), ("李四", "", True)], ("姓名", "原因", "行号")),
    ([("--源潭镇中心小学", "12"), ("合计", "1,234")], ("区域", "台账总数")),
])
def test_draws_what_tabulate_simple_drew(rows, headers):
    assert text_table(rows, headers) == tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True)


def test_random_tables_match_tabulate():
    rng = random.Random(13)
    alphabet = "abcXYZ019 -（）：·、张三李四唐河县源潭镇é\u0301\n"
    for _ in range(300):
        width = rng.randint(1, 5)
        headers = ["".join(rng.choices("姓名IDab区划", k=rng.randint(1, 4))) for _ in range(width)]
        # Every real table starts with a key (ID, 行号, 区划): tabulate drops a row with no text
        # at all from a table that has a line break somewhere; a keyed row never meets that.
        rows = [[rng.choice("123张") + "".join(rng.choices(alphabet, k=rng.randint(0, 8)))]
                + ["".join(rng.choices(alphabet, k=rng.randint(0, 8))) for _ in range(width - 1)]
                for _ in range(rng.randint(0, 4))]
        assert text_table(rows, headers) == tabulate(rows, headers=headers, tablefmt="simple", disable_numparse=True)
