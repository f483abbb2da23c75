"""Key v on the ledger: the verified-ID form, checked as typed, saved off the UI thread."""

from __future__ import annotations

from datetime import date

from stdnum.cn import ric

from kongcuo_tui.db.models import Entry
from kongcuo_tui.domain.verified_ids import IdVerification
from kongcuo_tui.screens.form_dialogs import Confirm
from kongcuo_tui.screens.verify_id_form import VerifyIdForm
from kongcuo_tui.services import verified_ids
from support import TODAY


def _id(n: int) -> str:
    body = f"41132820130501{n:03d}"
    return body + ric.calc_check_digit(body + "0")


def _bad(n: int) -> str:
    good = _id(n)
    return good[:17] + ("0" if good[17] != "0" else "1")


def _error(ui, name: str) -> str:
    box = ui.screen.query_one(f"#err-{name}")
    return str(box.render()) if box.display else ""


def test_v_records_a_verified_id_and_the_ledger_marks_the_row(play, make_entry):
    eid = make_entry(name="王小明", id_number=_bad(5), id_ok=False, id_issue="校验位错误")

    async def script(ui):
        ledger_screen = ui.screen
        await ui.press("v")
        assert isinstance(ui.screen, VerifyIdForm)
        assert _bad(5) in ui.text() and "校验位错误" in ui.text()
        assert ui.screen.query_one("#proof_person").value == "张丽"  # the registrar, as in the classify form
        await ui.type(_bad(5))
        assert "校验位应为" in _error(ui, "verified_id")  # told while typing
        await ui.press("ctrl+s")
        assert isinstance(ui.screen, VerifyIdForm)  # refused; what was typed is still there
        assert ui.screen.query_one("#verified_id").value == _bad(5)
        await ui.press("backspace")
        await ui.type(_id(5)[-1])
        assert _error(ui, "verified_id") == ""
        await ui.press("ctrl+s")
        assert ui.screen is ledger_screen
        row = ui.table.current_row
        assert row.verified_id == _id(5) and row.id_number == _bad(5)
        assert ui.lines()[3].startswith(" v")  # the row's flag: verified, no longer "!"

    play(script)
    e = Entry.get_by_id(eid)
    assert (e.verified_id, e.verified_proof_person, e.verified_proof_date) == (_id(5), "张丽", TODAY)


def test_a_conflicting_save_keeps_the_form_and_shows_who_changed_the_row(play, registrar, make_entry):
    eid = make_entry(name="王小明", id_number=_bad(6), id_ok=False, id_issue="校验位错误")

    async def script(ui):
        await ui.press("v")
        await ui.type(_id(6))
        # Someone else records a number meanwhile.
        verified_ids.record(registrar, eid, 1, IdVerification(_id(7), "派出所", date(2026, 11, 1)), today=TODAY)
        await ui.press("ctrl+s")
        assert isinstance(ui.screen, VerifyIdForm)
        problems = str(ui.screen.query_one("#form-problems").render())
        assert "已被 tanghe" in problems and ui.screen.query_one("#verified_id").value == _id(6)
        await ui.press("ctrl+s")  # seen it: saves over the version now shown
        assert not isinstance(ui.screen, VerifyIdForm)

    play(script)
    assert Entry.get_by_id(eid).verified_id == _id(6)


def test_x_cycles_unverified_wrong_ids_verified_ids_and_all(play, registrar, make_entry):
    a = make_entry(name="甲", id_number=_bad(1), id_ok=False)
    make_entry(name="乙", id_number=_bad(2), id_ok=False)
    make_entry(name="丙")
    verified_ids.record(registrar, a, 1, IdVerification(_id(1), "派出所", date(2026, 11, 1)), today=TODAY)

    async def script(ui):
        await ui.press("x")
        assert ui.table.total == 1 and ui.table.current_row.name == "乙" and "证件号有误未核实" in ui.text()
        await ui.press("x")
        assert ui.table.total == 1 and ui.table.current_row.name == "甲" and "已核实证件号" in ui.text()
        await ui.press("x")
        assert ui.table.total == 3 and "未筛选" in ui.text()

    play(script)


def test_the_detail_screen_shows_both_ids_and_the_record(play, registrar, make_entry):
    eid = make_entry(name="甲", id_number=_bad(1), id_ok=False, id_issue="校验位错误")
    verified_ids.record(registrar, eid, 1, IdVerification(_id(1), "城郊派出所", date(2026, 11, 1)), today=TODAY)

    async def script(ui):
        await ui.press("enter")
        text = str(ui.screen.query_one("#detail-text").render())
        assert f"证件号码：{_bad(1)}" in text and f"核实证件号码：{_id(1)}" in text
        assert f"上游证件号码 {_bad(1)}；证明人 城郊派出所" in text

    play(script)


def test_what_was_typed_comes_back_when_the_form_opens_again_after_a_lost_connection(play, make_entry,
                                                                                     monkeypatch):
    from kongcuo_tui.screens import verify_id_form

    monkeypatch.setattr(verify_id_form, "DRAFT_DELAY", 0)
    make_entry(name="王小明", id_number=_bad(8), id_ok=False, id_issue="校验位错误")

    async def typed(ui):
        await ui.press("v")
        await ui.type(_id(8))
    play(typed)  # the app ends with the form open: the connection dropped

    async def again(ui):
        await ui.press("v")
        assert ui.screen.query_one("#verified_id").value == _id(8) and "已恢复" in ui.text()
        await ui.press("ctrl+s")
        assert not isinstance(ui.screen, VerifyIdForm)

    play(again)
    from kongcuo_tui.db.models import Draft
    assert not Draft.select().exists()  # saved: the draft is gone


def test_ctrl_q_asks_before_what_was_typed_is_lost_and_tab_goes_round(play, make_entry):
    make_entry(name="王小明", id_number=_bad(7), id_ok=False, id_issue="校验位错误")

    async def script(ui):
        await ui.press("v")
        await ui.type(_id(7))
        await ui.press("tab", "tab", "tab")  # past 证明日期 back to the number
        assert ui.screen.focused.id == "verified_id"
        await ui.press("ctrl+q")
        assert isinstance(ui.screen, Confirm) and "放弃并退出" in ui.text()
        await ui.press("n")
        assert isinstance(ui.screen, VerifyIdForm) and ui.screen.query_one("#verified_id").value == _id(7)
        await ui.press("escape")
        assert isinstance(ui.screen, Confirm) and "放弃并关闭" in ui.text()

    play(script)
