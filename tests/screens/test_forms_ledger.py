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


def test_opening_a_form_and_picking_a_place_read_the_database_off_the_ui_thread(registrar, make_entry,
                                                                                monkeypatch):
    import threading

    from kongcuo_tui.db.models import School
    from kongcuo_tui.services import form_setup, schools

    School.create(name="新野县第一小学", county="411329", stage="小学")
    make_entry()
    on_ui_thread = []
    for module, name in [(ledger, "rows_by_id"), (ledger, "detail"), (schools, "list_schools"),
                         (form_setup, "recent_proof_people")]:
        real = getattr(module, name)

        def spy(*args, _real=real, **kw):
            on_ui_thread.append(threading.current_thread() is threading.main_thread())
            return _real(*args, **kw)

        monkeypatch.setattr(module, name, spy)

    async def script(pilot, app):
        await pilot.press("j")
        await settle(pilot, lambda: isinstance(app.screen, ClassifyForm))
        await pilot.press("b", "2", "enter", "ctrl+u", *"新野", "enter")
        await settle(pilot, lambda: app.screen.query_one("#study_school").choices)
        assert [c.key for c in app.screen.query_one("#study_school").choices] == ["新野县第一小学"]

    run(registrar, script)
    assert on_ui_thread and not any(on_ui_thread)


def test_read_only_account_is_told_why_no_form_opens(admin, make_entry):
    from kongcuo_tui.services import accounts

    viewer = accounts.add(admin, "nanyang", "市级督导", "city", "411300")
    make_entry()

    async def script(pilot, app):
        ledger_screen = app.screen
        await pilot.press("c")
        await settle(pilot, lambda: app._notifications)
        assert app.screen is ledger_screen
        assert [n.message for n in app._notifications] == ["您的账号只能查看和导出，不能处理台账（需县级账号）"]

    run(viewer, script)
