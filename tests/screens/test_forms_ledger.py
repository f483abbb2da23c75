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


def test_opening_a_form_and_picking_a_place_read_the_database_off_the_ui_thread(play, make_entry, monkeypatch):
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

    async def script(ui):
        await ui.press("j")
        assert isinstance(ui.screen, ClassifyForm)
        await ui.press("b", "2", "enter", "ctrl+u", *"新野", "enter")
        assert [c.key for c in ui.screen.query_one("#study_school").choices] == ["新野县第一小学"]

    play(script)
    assert on_ui_thread and not any(on_ui_thread)


def test_read_only_account_is_told_why_no_form_opens(play, admin, make_entry):
    from kongcuo_tui.services import accounts

    viewer = accounts.add(admin, "nanyang", "市级督导", "city", "411300")
    make_entry()

    async def script(ui):
        ledger_screen = ui.screen
        await ui.press("c")
        assert ui.screen is ledger_screen
        assert [n.message for n in ui.app._notifications] == ["您的账号只能查看和导出，不能处理台账（需县级账号）"]

    play(script, actor=viewer)


def test_saving_a_batch_paints_the_ledger_once_with_the_rows_left_in_the_tab(play, make_entry, no_delays,
                                                                             monkeypatch):
    """The saved rows leave the pending tab. Painting the form's removal at once would send the
    old page (marks cleared) and then the reloaded one: held, the terminal gets the final page
    once (bench/tui_bytes.py measures the bytes)."""
    from textual.app import App

    from kongcuo_tui import app as app_module
    from kongcuo_tui.screens.ledger import LedgerScreen

    for _ in range(40):  # more than a screen of rows: the page shown changes
        make_entry()
    shown = []
    theirs = App._display

    def recording(self, screen, renderable):
        if isinstance(screen, LedgerScreen):
            shown.append(screen.table.total)
        theirs(self, screen, renderable)

    monkeypatch.setattr(App, "_display", recording)
    monkeypatch.setattr(app_module, "HOLD_WAIT", 600)  # only the rows' arrival ends the hold here

    async def script(ui):
        await ui.press("5", "space", "w")
        assert isinstance(ui.screen, ClassifyForm)
        await ui.type("待核实")
        shown.clear()
        await ui.press("enter")
        assert isinstance(ui.screen, LedgerScreen) and not ui.app._holding_output
        assert shown and set(shown) == {35}, shown  # never the page of 40 rows
        assert ui.static("#position") == "第 6/35 行" and "已标记 0 条" in ui.static("#status-bar")
        assert ui.messages() == "已处理 5 条记录"

    play(script)
