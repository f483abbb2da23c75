"""The forms opened from the real ledger screen with its keys (j / c / w)."""

from __future__ import annotations

from kongcuo_tui.screens.classify_form import ClassifyForm
from kongcuo_tui.services import ledger


def test_mark_three_and_press_w_classifies_them_as_99(play, registrar, make_entry):
    ids = [make_entry() for _ in range(4)]

    async def script(ui):
        ledger_screen = ui.screen
        await ui.press("3", "space", "w")
        assert isinstance(ui.screen, ClassifyForm)
        assert ui.screen.query_one("#form-title").render().plain.endswith("等 3 人")
        await ui.type("待核实")
        await ui.press("enter")
        assert ui.screen is ledger_screen

    play(script)
    codes = [r.code for r in sorted(ledger.rows_by_id(registrar, ids), key=lambda r: r.id)]
    assert codes == ["99", "99", "99", ""]


def test_c_on_the_cursor_row_opens_dropout_form_and_esc_closes_it(play, make_entry):
    make_entry()

    async def script(ui):
        ledger_screen = ui.screen
        await ui.press("c")
        assert isinstance(ui.screen, ClassifyForm)
        assert ui.screen.action.value == "辍学处理" and ui.app.focused.parent.id == "code"
        await ui.press("escape")
        assert ui.screen is ledger_screen

    play(script)
