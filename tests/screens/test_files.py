"""Import and export from the ledger screen: the result (rows, file, problems) is shown on the ledger."""

from __future__ import annotations

import openpyxl

from imports.upstream_xlsx import valid_row, write_xlsx
from kongcuo_tui.db.models import Entry
from kongcuo_tui.screens.export_screen import ExportScreen
from kongcuo_tui.screens.form_dialogs import Confirm
from kongcuo_tui.screens.import_screen import ImportScreen
from kongcuo_tui.screens.ledger import LedgerScreen


def _upstream(folder) -> None:
    rows = [valid_row(1), valid_row(2), valid_row(3)]
    rows[1][1] = ""  # 第 3 行 has no name: rejected
    write_xlsx(folder / "台账.xlsx", rows)


def test_import_checks_then_confirms_and_the_ledger_says_what_was_written(play, tmp_path, monkeypatch):
    _upstream(tmp_path)
    monkeypatch.chdir(tmp_path)

    async def script(ui):
        await ui.press("ctrl+o")
        assert isinstance(ui.screen, ImportScreen)
        assert ui.screen.query_one("#import-path").value == "台账.xlsx"  # the only file here
        await ui.press("enter")  # check (dry run)
        preview = ui.static("#import-result")
        assert "接受 2 行" in preview and "拒收 1 行" in preview and "第 3 行" in preview
        assert Entry.select().count() == 0  # a check writes nothing
        await ui.press("ctrl+s")
        assert isinstance(ui.screen, LedgerScreen) and ui.table.total == 2
        message = ui.messages()
        assert "导入完成" in message and "新增 2" in message and "拒收 1 行" in message
        assert str(tmp_path / "台账.xlsx") in message

    play(script)


def test_import_escape_goes_back_without_a_message(play, tmp_path, monkeypatch):
    _upstream(tmp_path)
    monkeypatch.chdir(tmp_path)

    async def script(ui):
        await ui.press("ctrl+o", "escape")
        assert isinstance(ui.screen, LedgerScreen) and ui.messages() == "" and ui.table.total == 0

    play(script)


def test_enter_exports_and_asks_before_overwriting(play, make_entry, tmp_path, monkeypatch):
    make_entry(name="待处理甲")
    make_entry(name="已处理乙", status="processed", code="B2", action="实际就读")
    make_entry(name="外县丙", region="411330")
    monkeypatch.chdir(tmp_path)

    def names(path) -> list[str]:
        return [r[1].value for r in openpyxl.load_workbook(path).active.iter_rows(min_row=2)]

    async def script(ui):
        await ui.press("ctrl+e")
        assert isinstance(ui.screen, ExportScreen)
        await ui.press("enter")  # the suggested file name, the current tab
        assert isinstance(ui.screen, LedgerScreen)
        [out] = tmp_path.glob("*.xlsx")
        assert names(out) == ["待处理甲"]
        assert f"已导出台账 1 行到 {out}" in ui.messages()

        await ui.press("escape", "t", "ctrl+e", "enter")  # the same name again, from 已处理
        assert isinstance(ui.screen, Confirm) and "文件已存在，覆盖吗？" in ui.text()
        await ui.press("n")
        assert isinstance(ui.screen, ExportScreen) and names(out) == ["待处理甲"]
        await ui.press("enter", "y")
        assert isinstance(ui.screen, LedgerScreen) and names(out) == ["已处理乙"]
        assert f"已导出台账 1 行到 {out}" in ui.messages()

    play(script)


def test_export_failure_is_explained_in_the_dialog(play, make_entry, tmp_path, monkeypatch):
    make_entry()
    monkeypatch.chdir(tmp_path)

    async def script(ui):
        await ui.press("ctrl+e", "ctrl+u")
        await ui.type("无此目录/台账.xlsx")
        await ui.press("enter")
        assert isinstance(ui.screen, ExportScreen)
        assert "导出失败，未写入文件：找不到文件夹“无此目录”" in ui.static("#export-result")

    play(script)


def test_a_long_check_at_80x24_keeps_the_buttons_and_borders_on_screen(play, tmp_path, monkeypatch):
    rows = [valid_row(n) for n in range(1, 60)]
    for r in rows[::2]:
        r[1] = ""  # 30 rejected rows: more lines than 24 rows hold
    write_xlsx(tmp_path / "台账.xlsx", rows)
    monkeypatch.chdir(tmp_path)

    async def script(ui):
        await ui.press("ctrl+o", "enter")
        lines = ui.lines()
        assert "拒收 30 行" in ui.text()
        assert any("确认导入" in line and "取消" in line for line in lines[:-1])  # the buttons, not the key bar
        borders = [i for i, line in enumerate(lines) if line.startswith("+---")]
        assert len(borders) == 2 and borders[1] < len(lines) - 1

    play(script, size=(80, 24))


def test_the_export_dialog_writes_a_worksheet_of_the_current_tab(play, make_entry, tmp_path, monkeypatch):
    make_entry(name="待处理甲", prov_school="源潭镇中心小学")
    make_entry(name="已处理乙", status="processed", code="B2", action="实际就读")
    monkeypatch.chdir(tmp_path)

    async def script(ui):
        await ui.press("ctrl+e", "shift+tab", "shift+tab", "enter", "down", "down", "enter")  # 核查工作表
        assert ui.screen.query_one("#export-path").value.startswith("核查工作表_411328_")
        await ui.press("tab", "tab", "enter")
        assert isinstance(ui.screen, LedgerScreen)
        [out] = tmp_path.glob("核查工作表_*.xlsx")
        wb = openpyxl.load_workbook(out)
        assert wb.sheetnames == ["填表说明", "源潭镇中心小学"] and wb["源潭镇中心小学"]["B3"].value == "待处理甲"
        assert "已导出核查工作表（1 所学校）1 行" in ui.messages()

    play(script)
