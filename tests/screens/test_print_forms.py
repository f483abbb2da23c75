"""Key p on the ledger: the marked rows' 登记表 / 通知书 / 函 in one workbook, the outcome on the ledger."""

from __future__ import annotations

import openpyxl

from form_cases import full_case, school
from kongcuo_tui.screens.form_dialogs import Confirm
from kongcuo_tui.screens.ledger import LedgerScreen
from kongcuo_tui.screens.print_forms import PrintFormsScreen


def test_p_on_marked_rows_writes_one_sheet_each_and_asks_before_overwriting(play, registrar, make_entry, tmp_path,
                                                                           monkeypatch):
    sid = school().id
    for name in ("王小明", "李小红", "张小军"):
        full_case(registrar, make_entry, sid, name=name)
    monkeypatch.chdir(tmp_path)

    async def script(ui):
        await ui.press("t", "space", "space")  # 已处理: mark the first two
        await ui.press("p")
        assert isinstance(ui.screen, PrintFormsScreen)
        text = ui.text()
        assert "打印表格：2 名学生，每人一张工作表" in text and "辍学学生登记表（附件2）" in text
        assert "导出            取消" in text and "F1 帮助  Ctrl+S 导出  Esc 取消" in text  # all of it at 80×24
        await ui.press("shift+tab", "enter", "down", "enter")  # 劝返通知书
        assert ui.screen.query_one("#print-path").value == "劝返通知书_411328_20261129.xlsx"
        await ui.press("tab", "enter")
        assert isinstance(ui.screen, LedgerScreen)
        out = tmp_path / "劝返通知书_411328_20261129.xlsx"
        assert openpyxl.load_workbook(out).sheetnames == ["王小明", "李小红"]
        assert f"已导出劝返通知书 2 名学生（共 2 页）到 {out}" in ui.messages()

        await ui.press("escape", "u", "p", "shift+tab", "enter", "down", "enter", "tab", "enter")  # the cursor row
        assert isinstance(ui.screen, Confirm) and "文件已存在，覆盖吗？" in ui.text()
        await ui.press("y")
        assert isinstance(ui.screen, LedgerScreen)
        assert len(openpyxl.load_workbook(out).sheetnames) == 1

    play(script, size=(80, 24))


def test_p_failure_is_told_in_the_dialog(play, registrar, make_entry, tmp_path, monkeypatch):
    full_case(registrar, make_entry, school().id)
    monkeypatch.chdir(tmp_path)

    async def script(ui):
        await ui.press("t", "p", "ctrl+u")
        await ui.type("无此目录/表.xlsx")
        await ui.press("enter")
        assert isinstance(ui.screen, PrintFormsScreen)
        assert "导出失败，未写入文件：找不到文件夹“无此目录”" in ui.static("#print-result")

    play(script, size=(80, 24))
