"""Typing in a form is kept as a draft: a dropped connection loses nothing, and the draft
goes once the form is saved or closed on purpose."""

from __future__ import annotations

import pytest

from kongcuo_tui.screens.classify_form import ClassifyForm
from kongcuo_tui.services import drafts, ledger

NOTES = "入户核实中 家长外出务工"

pytestmark = pytest.mark.usefixtures("no_delays")  # the draft is stored at the pause after each key


def _notes(ui) -> str:
    return ui.screen.query_one("#notes").value


def test_what_was_typed_comes_back_after_the_session_ends_without_saving(play, registrar, make_entry):
    eid = make_entry()

    async def type_then_drop(ui):
        await ui.press("w")
        assert isinstance(ui.screen, ClassifyForm)
        await ui.type(NOTES)
        # The connection drops here: the app ends without a save or a cancel.

    play(type_then_drop)
    assert drafts.count(registrar) == 1

    async def reopen(ui):
        await ui.press("w")
        assert isinstance(ui.screen, ClassifyForm)
        assert _notes(ui) == NOTES
        assert any("已恢复" in n.message for n in ui.app._notifications)
        await ui.press("escape")  # typed content: the form asks first
        assert "放弃已填写的内容" in ui.text()
        await ui.press("enter")  # 放弃并关闭
        assert not isinstance(ui.screen, ClassifyForm)

    play(reopen)
    assert drafts.count(registrar) == 0
    assert ledger.rows_by_id(registrar, [eid])[0].code == ""


def test_a_saved_form_leaves_no_draft(play, registrar, make_entry):
    eid = make_entry()

    async def save(ui):
        await ui.press("w")
        await ui.type(NOTES)
        assert drafts.count(registrar) == 1
        await ui.press("ctrl+s")
        assert not isinstance(ui.screen, ClassifyForm)

    play(save)
    assert drafts.count(registrar) == 0
    assert ledger.rows_by_id(registrar, [eid])[0].code == "99"


def test_a_draft_is_offered_only_for_the_same_rows_and_action(play, registrar, make_entry):
    make_entry()
    make_entry()

    async def type_on_first(ui):
        await ui.press("w")
        await ui.type(NOTES)

    play(type_on_first)

    async def other_row_and_other_action(ui):
        await ui.press("down", "w")
        assert _notes(ui) == ""
        await ui.press("escape")
        await ui.press("up", "c")
        assert ui.screen.query_one("#notes").value == ""
        await ui.press("escape")

    play(other_row_and_other_action)
    assert drafts.count(registrar) == 1  # the first row's 99 draft is still there
