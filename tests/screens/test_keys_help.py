"""Every action has a key on the bottom line or in help (? / F1); no screen needs a mouse."""

from __future__ import annotations

from rich.cells import cell_len

from kongcuo_tui.screens.ledger import LedgerScreen


def _bottom(ui) -> str:
    return ui.lines()[-1].rstrip()


def test_narrow_terminal_shows_help_then_search_first_and_cuts_whole_keys(play, demo_ledger):
    demo_ledger(30)

    async def script(ui):
        line = _bottom(ui)
        assert line.startswith("? 帮助  / 搜索  j 实际就读")
        assert line.endswith("…") and cell_len(line) <= 80
        assert "导入" not in line  # Ctrl+O does not fit at 80 columns: help lists it

    play(script, size=(80, 24))


def test_help_lists_every_ledger_key_grouped_and_esc_returns(play, demo_ledger):
    demo_ledger(30)

    async def script(ui):
        ledger = ui.screen
        # h is 需复核 for a supervisor and 重新提交 for a county: help lists the one the role has.
        keys = [b for b in LedgerScreen.BINDINGS if ledger.check_action(b.action.split("(")[0], ()) is not False]
        await ui.press("question_mark")
        text = ui.text()
        assert "按键帮助：台账" in text
        await ui.press("end")  # the list scrolls; the last groups are at the bottom
        text += ui.text() + ui.static("#help-text")  # and the middle, whole
        for binding in keys:
            assert binding.description.split("：")[0] in text, binding.description
        assert "h  重新提交" in text and "h  需复核" not in text
        for line in ("Ctrl+O  导入", "Ctrl+E  导出", "Enter   详情", "0–9   次数", "PgDn  下一页"):
            assert line in text, line
        lines = {line.strip() for line in text.splitlines()}
        for group in ("移动", "标记", "查找与筛选", "导入导出", "通用"):
            assert group in lines, group  # a group title on a line of its own
        await ui.press("escape")
        assert isinstance(ui.screen, LedgerScreen)
        assert _bottom(ui).startswith("? 帮助")

    play(script, size=(80, 24))


def test_every_dialog_has_the_key_line_instead_of_a_footer(play, demo_ledger):
    demo_ledger(30)

    async def script(ui):
        for key, first_key in (("w", "F1 帮助  Ctrl+S 保存"), ("f", "? 帮助"),
                               ("ctrl+o", "F1 帮助  Ctrl+T 检查"), ("ctrl+e", "F1 帮助  Ctrl+S 导出"),
                               ("enter", "? 帮助  Esc 返回台账")):
            await ui.press(key)
            assert not ui.screen.query("Footer"), key
            assert _bottom(ui).startswith(first_key), (key, _bottom(ui))
            await ui.press("escape")
            assert isinstance(ui.screen, LedgerScreen), key

    play(script, size=(120, 40))


def test_f1_in_the_form_keeps_what_was_typed(play, demo_ledger):
    demo_ledger(30)

    async def script(ui):
        await ui.press("w")
        await ui.type("村委会核实中")
        await ui.press("f1")
        assert "Ctrl+S  保存" in ui.text() and "Shift+Tab  上一栏" in ui.text()
        await ui.press("escape")
        assert ui.screen.query_one("#notes").value == "村委会核实中"

    play(script, size=(80, 24))
