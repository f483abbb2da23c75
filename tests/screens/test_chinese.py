"""Esc, Ctrl+C, Ctrl+Q and the command palette speak Chinese and never surprise a registrar."""

from __future__ import annotations

import re

from kongcuo_tui.screens.classify_form import ClassifyForm
from kongcuo_tui.screens.form_dialogs import Confirm
from kongcuo_tui.screens.ledger import LedgerScreen

# Textual's own words that must not reach the screen.
ENGLISH = ("Search for commands", "No matches found", "Keys", "Maximize", "Screenshot", "Theme",
           "Quit", "Dismiss menu", "Do you want to quit", "to quit the app")


def _no_english(text: str) -> None:
    for word in ENGLISH:
        assert word not in text, word


def test_escape_closes_the_message_before_clearing_filters(play, make_entry):
    make_entry(name="甲", code="99", action="未确认完成")
    make_entry(name="乙")

    async def script(ui):
        await ui.press("n", "i")  # only 99; then the ID check message of the cursor row
        assert ui.messages() and "99 未确认完成" in ui.static("#status-bar")
        await ui.press("escape")
        assert ui.messages() == "" and "99 未确认完成" in ui.static("#status-bar")
        await ui.press("escape")
        assert "未筛选" in ui.static("#status-bar")

    play(script)


def test_ctrl_c_asks_in_chinese_and_no_keeps_working(play, make_entry):
    make_entry()

    async def script(ui):
        await ui.press("ctrl+c")
        assert isinstance(ui.screen, Confirm) and "退出台账？" in ui.text()
        _no_english(ui.text() + ui.messages())
        await ui.press("ctrl+c")  # a second press does not stack a second question
        await ui.press("n")
        assert isinstance(ui.screen, LedgerScreen) and ui.app.is_running
        await ui.press("ctrl+c")
        await ui.pilot.press("y")
        await ui.pilot.pause()
        assert not ui.app.is_running

    play(script)


def test_command_palette_is_chinese(play, make_entry):
    make_entry()

    async def script(ui):
        await ui.press("ctrl+p")
        text = ui.text()
        assert "输入命令名称查找" in text and "导出 Excel" in text
        _no_english(text)
        await ui.type("退出")  # the app's own commands come last, below the fold of the list
        assert "退出台账（Ctrl+Q）" in ui.text()
        await ui.press("ctrl+u")
        await ui.type("zzz")
        assert "没有匹配的命令" in ui.text()
        _no_english(ui.text())
        await ui.press("ctrl+u")
        await ui.type("导出")
        await ui.press("enter")  # runs the ledger's export action
        assert ui.screen.__class__.__name__ == "ExportScreen"

    play(script)


def test_open_list_keys_are_chinese(play, make_entry):
    make_entry()

    async def script(ui):
        await ui.press("ctrl+e", "shift+tab", "enter")  # the scope list opens
        assert type(ui.app.focused).__name__ == "SelectOverlay"
        assert ui.lines()[-1].startswith("? 帮助")
        _no_english(ui.lines()[-1])

    play(script)


def test_ctrl_q_in_a_form_asks_like_escape(play, make_entry):
    make_entry()

    async def script(ui):
        await ui.press("w")
        await ui.type("草稿")
        await ui.press("ctrl+q")
        assert isinstance(ui.screen, Confirm) and "放弃已填写的内容？" in ui.text()
        assert re.search("放弃并退出", ui.text())
        await ui.press("n")
        assert isinstance(ui.screen, ClassifyForm) and ui.screen.query_one("#notes").value == "草稿"
        await ui.press("ctrl+q")
        await ui.pilot.press("y")
        await ui.app.workers.wait_for_complete()  # the draft is dropped, then the app quits
        await ui.pilot.pause()
        assert not ui.app.is_running

    play(script)


def test_ctrl_q_in_an_untouched_form_quits(play, make_entry):
    make_entry()

    async def script(ui):
        await ui.press("w")
        await ui.pilot.press("ctrl+q")
        await ui.app.workers.wait_for_complete()  # the draft is dropped, then the app quits
        await ui.pilot.pause()
        assert not ui.app.is_running

    play(script)
