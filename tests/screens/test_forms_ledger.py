"""The forms opened from the real ledger screen with its keys (j / c / w)."""

from __future__ import annotations

import asyncio

from support import TODAY
from kongcuo_tui.app import KongcuoApp
from kongcuo_tui.config import Settings
from kongcuo_tui.screens.classify_form import ClassifyForm
from kongcuo_tui.services import ledger


async def settle(pilot, until) -> None:
    for _ in range(200):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if until():
            return
        await pilot.pause(0.02)
    raise AssertionError(f"screen stayed {pilot.app.screen}")


def run(actor, script) -> KongcuoApp:
    async def main():
        app = KongcuoApp(actor, Settings(), today=TODAY)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot, lambda: app.screen.query("LedgerTable") and app.screen.table.current_row)
            await script(pilot, app)
        return app

    return asyncio.run(main())


def test_mark_three_and_press_w_classifies_them_as_99(registrar, make_entry):
    ids = [make_entry() for _ in range(4)]

    async def script(pilot, app):
        ledger_screen = app.screen
        await pilot.press("3", "space", "w")
        await settle(pilot, lambda: isinstance(app.screen, ClassifyForm))
        assert app.screen.query_one("#form-title").render().plain.endswith("等 3 人")
        await pilot.press(*"待核实", "enter")
        await settle(pilot, lambda: app.screen is ledger_screen)

    run(registrar, script)
    codes = [r.code for r in sorted(ledger.rows_by_id(registrar, ids), key=lambda r: r.id)]
    assert codes == ["99", "99", "99", ""]


def test_c_on_the_cursor_row_opens_dropout_form_and_esc_closes_it(registrar, make_entry):
    make_entry()

    async def script(pilot, app):
        ledger_screen = app.screen
        await pilot.press("c")
        await settle(pilot, lambda: isinstance(app.screen, ClassifyForm))
        assert app.screen.action.value == "辍学处理" and app.focused.parent.id == "code"
        await pilot.press("escape")
        await settle(pilot, lambda: app.screen is ledger_screen)

    run(registrar, script)
