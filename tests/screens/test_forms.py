"""The classification forms driven by keyboard (SQLite: the rules themselves run on both engines in tests/services)."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest
from textual.screen import Screen
from textual.widgets import Input, Static

from support import NOT_DISMISSED as PENDING, TODAY, ScreenHost, settle
from kongcuo_tui.config import Settings
from kongcuo_tui.domain.codes import Action
from kongcuo_tui.screens.classify_form import ClassifyForm
from kongcuo_tui.screens.form_dialogs import Confirm
from kongcuo_tui.services import form_setup, ledger
from kongcuo_tui.widgets.form_evidence import EvidenceChecklist

NOTES_A8 = "目前在家帮忙务农，家庭困难父母在外打工，母亲电话13812345678"


class Below(Screen):
    """Stands in for the ledger screen: records the rows the form says changed."""

    def __init__(self) -> None:
        super().__init__()
        self.changed: list[int] = []

    def on_classify_form_rows_changed(self, message: ClassifyForm.RowsChanged) -> None:
        self.changed += message.entry_ids


def form_for(actor, action, ids):
    return ClassifyForm(actor, form_setup.prepare(actor, action, ids, TODAY), Settings(), today=TODAY)


def drive(form: ClassifyForm, script) -> ScreenHost:
    async def main():
        app = ScreenHost(form, below=Below())
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await script(pilot, app)
            await settle(pilot)
        return app

    return asyncio.run(main())


async def press(pilot, *keys: str) -> None:
    """Press keys, then wait for the form's database workers (check, save) to answer."""
    await pilot.press(*keys)
    await settle(pilot)


async def type_text(pilot, text: str) -> None:
    await press(pilot, *["space" if ch == " " else ch for ch in text])


def error_of(app: ScreenHost, field: str) -> str:
    return str(app.screen_under_test.query_one(f"#err-{field}", Static).render())


def problems(app: ScreenHost) -> str:
    return str(app.screen_under_test.query_one("#form-problems", Static).render())


def value(app: ScreenHost, field: str) -> str:
    return app.screen_under_test.query_one(f"#{field}", Input).value


def row(actor, entry_id):
    return ledger.rows_by_id(actor, [entry_id])[0]


# ---- 未确认完成 ---------------------------------------------------------------------------

def test_unconfirmed_batch_starts_in_notes_and_enter_saves_all(registrar, make_entry):
    ids = [make_entry() for _ in range(3)]

    async def script(pilot, app):
        assert app.focused.id == "notes"
        assert value(app, "proof_person") == "张丽"  # no earlier one: the registrar
        await type_text(pilot, "家长外出务工联系不上")
        await press(pilot, "enter")

    app = drive(form_for(registrar, Action.UNCONFIRMED, ids), script)
    assert sorted(app.result.applied) == sorted(ids)
    for i in ids:
        r = row(registrar, i)
        assert (r.code, r.proof_person, r.proof_date) == ("99", "张丽", TODAY)


def test_proof_person_starts_as_the_registrar_and_f2_offers_the_recent_ones(registrar, make_entry):
    from kongcuo_tui.widgets.key_bar import KeyBar

    first, second = make_entry(), make_entry()

    async def change_person(pilot, app):
        await press(pilot, "shift+tab", "shift+tab", "ctrl+u")
        await type_text(pilot, "派出所赵警官")
        await press(pilot, "tab", "tab")
        await type_text(pilot, "派出所反映已外出")
        await press(pilot, "ctrl+s")

    drive(form_for(registrar, Action.UNCONFIRMED, [first]), change_person)

    async def next_form(pilot, app):
        assert value(app, "proof_person") == "张丽"  # the officer does not stick to the next row
        assert str(app.screen_under_test.query_one("#hint-proof_person", Static).render()) == "F2 切换：张丽、派出所赵警官"
        assert "F2 换证明人" in app.screen_under_test.query_one(KeyBar).render().plain
        await press(pilot, "f2")
        assert value(app, "proof_person") == "派出所赵警官"
        await press(pilot, "f2")
        assert value(app, "proof_person") == "张丽"
        await type_text(pilot, "本人电话核实")
        await press(pilot, "enter")

    drive(form_for(registrar, Action.UNCONFIRMED, [second]), next_form)
    assert row(registrar, second).proof_person == "张丽"


def test_tab_cycles_over_the_form_fields_only(registrar, make_entry):
    eid = make_entry()

    def where(app) -> str:
        focused = app.focused
        assert focused.region.size.area and app.screen_under_test.query_one("#form-fields").region.contains_region(
            focused.region), focused  # on screen, inside the form
        return focused.parent.id if focused.parent.id in ("code", "study_region", "study_school") else focused.id

    async def script(pilot, app):
        await press(pilot, "b", "2", "enter")
        seen = [where(app)]
        for _ in range(7):
            await press(pilot, "tab")
            seen.append(where(app))
        assert seen == ["study_region", "study_school", "evidence", "proof_person", "proof_date", "notes",
                        "code", "study_region"]
        back = []
        for _ in range(2):
            await press(pilot, "shift+tab")
            back.append(where(app))
        assert back == ["code", "notes"]
        await press(pilot, "escape", "y")

    drive(form_for(registrar, Action.ENROLLED, [eid]), script)


def test_the_focused_field_stays_on_screen_at_80x24_while_errors_appear(play, make_entry, no_delays):
    make_entry()

    def visible(ui, widget) -> bool:
        box = ui.screen.query_one("#form-fields")
        return widget.region.height >= 1 and box.scrollable_content_region.contains_region(widget.region)

    async def script(ui):
        await ui.press("j", "b", "2", "enter", "ctrl+s")  # four fields show their reasons
        assert sum(bool(e.display) for e in ui.screen.query(".field-error")) >= 2
        await ui.press("shift+tab", "shift+tab", "shift+tab")
        notes, reason = ui.app.focused, ui.screen.query_one("#err-notes")
        assert notes.id == "notes" and visible(ui, notes) and visible(ui, reason)
        await ui.type("在读")
        ui.screen.live_check()  # what the pause after typing starts: reasons change
        await ui.settle()
        assert ui.app.focused is notes and visible(ui, notes) and not reason.display
        await ui.press("ctrl+u")
        ui.screen.live_check()
        await ui.settle()
        assert ui.app.focused is notes and visible(ui, notes) and visible(ui, reason)
        assert "请填写处理说明，如实写明具体情况" in ui.text()  # the reason under the field is drawn
        assert "Tab/Shift+Tab 切换" in ui.text()  # and so is the foot of the form
        assert "证明日期   2026-11-29 " in ui.text()  # the whole date, not "2026-"

    play(script, size=(80, 24))


# ---- 实际就读 -----------------------------------------------------------------------------

def _school(name: str, county: str = "411328") -> None:
    from kongcuo_tui.db.models import School

    School.create(name=name, county=county, stage="小学")


def test_enrolled_b2_with_typeahead_code_place_and_school(registrar, make_entry):
    _school("源潭镇中心小学")
    _school("郭滩镇初级中学")
    eid = make_entry()

    async def script(pilot, app):
        assert app.focused.parent.id == "code"
        await press(pilot, "b", "2", "enter")  # code picked, focus to 就读省县 (唐河县 preset)
        assert app.focused.parent.id == "study_region"
        await press(pilot, "enter", "down")  # keep 唐河县; on 就读学校 the county's schools open
        await type_text(pilot, "郭滩")
        await press(pilot, "enter")  # picks 郭滩镇初级中学
        assert app.focused.id == "evidence"
        await press(pilot, "space", "tab", "tab", "tab")
        await type_text(pilot, "学校已补录学籍")
        await press(pilot, "ctrl+s")

    app = drive(form_for(registrar, Action.ENROLLED, [eid]), script)
    assert app.result.applied == [eid]
    d = ledger.detail(registrar, eid)
    assert (d.row.code, d.study_region, d.study_school) == ("B2", "411328", "郭滩镇初级中学")
    assert [e.kind for e in d.evidence] == ["registry_card"]


def test_enrolled_school_must_come_from_the_county_list(registrar, make_entry):
    _school("源潭镇中心小学")
    eid = make_entry()

    async def script(pilot, app):
        await press(pilot, "b", "3", "enter", "enter")
        await type_text(pilot, "不存在小学")
        await press(pilot, "tab", "space", "tab", "tab", "tab")
        await type_text(pilot, "家长签字证明在读")
        await press(pilot, "ctrl+s")
        assert "不在本县学校名单中" in error_of(app, "study_school")
        assert app.screen_under_test.query_one("#study_school").text == "不存在小学"  # kept

    app = drive(form_for(registrar, Action.ENROLLED, [eid]), script)
    assert app.result is PENDING
    assert row(registrar, eid).status == "pending"


def test_cross_province_b4_needs_detailed_notes(registrar, make_entry):
    eid = make_entry()

    async def script(pilot, app):
        await press(pilot, "b", "4", "enter", "ctrl+u")
        await type_text(pilot, "广东省东莞市")
        await press(pilot, "enter")
        await type_text(pilot, "东莞市某民办学校")
        await press(pilot, "enter", "space", "down", "space", "tab", "tab", "tab")
        await type_text(pilot, "随父母在东莞")
        await press(pilot, "ctrl+s")
        assert "跨省情形须在处理说明中详细说明" in error_of(app, "notes")
        assert value(app, "notes") == "随父母在东莞"
        await type_text(pilot, "上学，已发控辍保学的函给东莞市教育局，对方回函确认在读")
        await press(pilot, "ctrl+s")

    app = drive(form_for(registrar, Action.ENROLLED, [eid]), script)
    assert app.result.applied == [eid]
    d = ledger.detail(registrar, eid)
    assert (d.row.code, d.study_region, d.study_school) == ("B4", "441900", "东莞市某民办学校")


# ---- 辍学处理 -----------------------------------------------------------------------------

def test_a8_notes_must_state_situation_family_and_contact(registrar, make_entry):
    eid = make_entry()

    async def script(pilot, app):
        await press(pilot, "a", "8", "enter", "tab", "tab", "tab")
        await type_text(pilot, "在家")
        await press(pilot, "ctrl+s")
        err = error_of(app, "notes")
        assert "A8 其他原因须在处理说明中写明" in err and "父母联系电话" in err
        assert app.focused.id == "notes" and value(app, "notes") == "在家"
        await press(pilot, "ctrl+u")
        await type_text(pilot, NOTES_A8)
        await press(pilot, "enter")

    app = drive(form_for(registrar, Action.DROPOUT, [eid]), script)
    assert app.result.applied == [eid]
    assert row(registrar, eid).code == "A8"


def test_rules_are_checked_while_typing_before_any_save(registrar, make_entry, no_delays):
    eid = make_entry()

    async def script(pilot, app):
        await press(pilot, "a", "8", "enter", "tab", "tab", "tab")
        await type_text(pilot, "在家")  # the dry run follows the last keystroke
        assert "父母联系电话" in error_of(app, "notes")
        assert error_of(app, "proof_person") == ""  # untouched fields stay quiet
        await type_text(pilot, NOTES_A8)
        assert error_of(app, "notes") == ""
        await press(pilot, "escape", "y")

    app = drive(form_for(registrar, Action.DROPOUT, [eid]), script)
    assert app.result is None and row(registrar, eid).status == "pending"


def test_b6_for_a_13_year_old_with_graduated_only_in_the_notes_is_refused(registrar, make_entry):
    eid = make_entry(birth_date=date(2013, 5, 1))  # 13 at 2026-08-31

    async def script(pilot, app):
        assert not app.screen_under_test.query_one("#field-graduation").display  # asked for B6 only
        await press(pilot, "b", "6", "enter")
        assert app.focused.id == "graduation"
        await press(pilot, "tab", "space", "tab", "tab", "tab")
        await type_text(pilot, "已毕业")
        await press(pilot, "ctrl+s")
        assert error_of(app, "graduation") == (
            "截至 2026-08-31 该生 13 周岁，未满16周岁；B6 超龄离校 须年满16周岁，"
            "或已毕业并填写毕业去向（写在处理说明里不算）")
        assert value(app, "notes") == "已毕业" and app.focused.id == "graduation"
        assert row(registrar, eid).status == "pending"
        await type_text(pilot, "小学毕业后随父母去广东")
        await press(pilot, "ctrl+s")

    app = drive(form_for(registrar, Action.DROPOUT, [eid]), script)
    assert app.result.applied == [eid]
    from kongcuo_tui.screens.detail import detail_text

    assert "毕业去向：小学毕业后随父母去广东" in detail_text(ledger.detail(registrar, eid))


def test_b5_for_a_16_year_old_is_refused_even_with_deferral_approval(registrar, make_entry):
    eid = make_entry(birth_date=date(2010, 8, 31))  # 16 on the cutoff day

    async def script(pilot, app):
        await press(pilot, "b", "5", "enter", "down", "space", "tab", "tab", "tab")
        await type_text(pilot, "因病延缓入学")
        await press(pilot, "ctrl+s")
        assert "已满 16 周岁" in error_of(app, "code") and "B6 超龄离校" in error_of(app, "code")

    app = drive(form_for(registrar, Action.DROPOUT, [eid]), script)
    assert app.result is PENDING and row(registrar, eid).status == "pending"


def test_b1_asks_for_its_proof_and_checklist_follows_the_code(registrar, make_entry):
    eid = make_entry()

    async def script(pilot, app):
        checklist = app.screen_under_test.query_one(EvidenceChecklist)
        await press(pilot, "b", "7", "enter")
        assert [str(o.prompt) for o in checklist.options] == ["【必需】县残疾人教育专家委员会认定证明"]
        await press(pilot, "shift+tab", "ctrl+u", "b", "1", "enter")
        labels = [str(o.prompt) for o in checklist.options]
        assert labels == ["【必需】辖区派出所证明", "【必需】村（居）委会证明"]
        await press(pilot, "space", "tab", "tab", "tab")  # only the police proof
        await type_text(pilot, "查无此人")
        await press(pilot, "ctrl+s")
        assert "村（居）委会证明" in error_of(app, "evidence")
        assert app.focused is checklist
        await press(pilot, "down", "space", "ctrl+s")

    app = drive(form_for(registrar, Action.DROPOUT, [eid]), script)
    assert app.result.applied == [eid]
    kinds = {e.kind for e in ledger.detail(registrar, eid).evidence}
    assert kinds == {"police_proof", "village_proof"}


def test_proof_date_formats_future_and_bad_text(registrar, make_entry):
    eid = make_entry()

    async def script(pilot, app):
        await press(pilot, "shift+tab", "ctrl+u")
        await type_text(pilot, "2099-01-01")
        await press(pilot, "tab")
        await type_text(pilot, "待核实")
        await press(pilot, "ctrl+s")
        assert "不能晚于今天" in error_of(app, "proof_date")
        assert app.focused.id == "proof_date"  # a failed save jumps to the first bad field
        await press(pilot, "ctrl+u")
        await type_text(pilot, "13.45")
        await press(pilot, "ctrl+s")
        assert "月份 13" in error_of(app, "proof_date")
        assert value(app, "notes") == "待核实"
        await press(pilot, "ctrl+u")
        await type_text(pilot, "9.1")
        await press(pilot, "ctrl+s")

    app = drive(form_for(registrar, Action.UNCONFIRMED, [eid]), script)
    assert app.result.applied == [eid]
    assert row(registrar, eid).proof_date == date(TODAY.year, 9, 1)


# ---- batches ------------------------------------------------------------------------------

def test_partial_failure_lists_rows_applies_nothing_then_valid_ones(registrar, make_entry):
    old = make_entry(name="王大", birth_date=date(2008, 3, 1))  # 18 at the cutoff
    young = make_entry(name="李小", birth_date=date(2013, 3, 1))

    async def script(pilot, app):
        await press(pilot, "b", "6", "enter", "tab", "space", "tab", "tab", "tab")
        await type_text(pilot, "派出所出具户籍证明")
        await press(pilot, "ctrl+s")
        dialog = app.screen
        assert isinstance(dialog, Confirm)
        listed = " ".join(str(s.render()) for s in dialog.query(Static))
        assert "李小：" in listed and "未满16周岁" in listed and "王大" not in listed
        await press(pilot, "escape")
        assert app.screen is app.screen_under_test
        assert row(registrar, old).status == "pending" and row(registrar, young).status == "pending"
        assert "李小" in problems(app)
        await press(pilot, "ctrl+s")
        await press(pilot, "enter")

    app = drive(form_for(registrar, Action.DROPOUT, [old, young]), script)
    assert app.result.applied == [old]
    assert row(registrar, old).code == "B6" and row(registrar, young).status == "pending"


def test_reclassify_99_to_b2_keeps_history(registrar, make_entry):
    from kongcuo_tui.domain.rules import Classification
    from kongcuo_tui.services import classify

    _school("源潭镇中心小学")
    eid = make_entry()
    classify.classify(registrar, {eid: row(registrar, eid).version},
                      Classification(Action.UNCONFIRMED, "99", "赵老师", TODAY, "正在核查"), today=TODAY)

    async def look(pilot, app):  # same action: the current result is pre-filled
        assert value(app, "notes") == "正在核查" and value(app, "proof_person") == "赵老师"
        await press(pilot, "escape")

    drive(form_for(registrar, Action.UNCONFIRMED, [eid]), look)

    async def script(pilot, app):
        assert value(app, "proof_person") == "赵老师"
        await press(pilot, "b", "2", "enter", "enter")
        await type_text(pilot, "源潭")
        await press(pilot, "enter", "space", "tab", "tab", "tab")
        await type_text(pilot, "已在源潭镇中心小学注册学籍")
        await press(pilot, "ctrl+s")

    app = drive(form_for(registrar, Action.ENROLLED, [eid]), script)
    assert app.result.applied == [eid]
    d = ledger.detail(registrar, eid)
    assert d.row.code == "B2"
    assert [h.code for h in sorted(d.history, key=lambda h: h.version)] == ["99", "B2"]


# ---- conflicts and cancelling -------------------------------------------------------------

def test_conflict_refused_with_who_and_when_and_typing_kept(admin, registrar, make_entry):
    from kongcuo_tui.domain.rules import Classification
    from kongcuo_tui.services import accounts, classify

    other = accounts.add(admin, "tanghe2", "王强", "county", "411328")
    eid = make_entry()
    form = form_for(registrar, Action.UNCONFIRMED, [eid])

    async def script(pilot, app):
        await type_text(pilot, "家长电话停机")
        classify.classify(other, {eid: row(other, eid).version},
                          Classification(Action.UNCONFIRMED, "99", "王强", TODAY, "别人先处理了"), today=TODAY)
        await press(pilot, "ctrl+s")
        text = problems(app)
        assert "已被 tanghe2 于" in text and "修改" in text
        assert app.screen is app.screen_under_test and value(app, "notes") == "家长电话停机"
        assert app.below.changed == [eid]
        await press(pilot, "ctrl+r")

    app = drive(form, script)
    assert app.result.applied == [eid]
    d = ledger.detail(registrar, eid)
    assert d.notes == "家长电话停机" and d.handled_by == "tanghe"


def test_escape_asks_before_dropping_typed_text(registrar, make_entry):
    eid = make_entry()

    async def script(pilot, app):
        await type_text(pilot, "草稿")
        await press(pilot, "escape")
        assert isinstance(app.screen, Confirm)
        await press(pilot, "n")
        assert app.screen is app.screen_under_test and value(app, "notes") == "草稿"
        await press(pilot, "escape", "y")

    app = drive(form_for(registrar, Action.UNCONFIRMED, [eid]), script)
    assert app.result is None and row(registrar, eid).status == "pending"


def test_slow_save_keeps_the_form_responsive_and_saves_once(registrar, make_entry, monkeypatch, no_delays):
    import threading

    from kongcuo_tui.services import classify

    ids = [make_entry() for _ in range(2)]
    real, calls, answer = classify.classify, [], threading.Event()

    def slow(*args, **kw):
        if kw.get("dry_run"):  # the check while typing
            return real(*args, **kw)
        calls.append(threading.current_thread() is threading.main_thread())
        answer.wait(10)  # the database answers when the test says so
        return real(*args, **kw)

    monkeypatch.setattr(classify, "classify", slow)

    async def script(pilot, app):
        await type_text(pilot, "核实中")
        await pilot.press("ctrl+s")
        for _ in range(3):
            await pilot.pause()
        assert "正在保存" in problems(app)  # the screen still answers while the database works
        await pilot.press("ctrl+s")  # an impatient second press does not save twice
        answer.set()
        await settle(pilot)

    app = drive(form_for(registrar, Action.UNCONFIRMED, ids), script)
    assert calls == [False]  # once, and not on the UI thread
    assert sorted(app.result.applied) == sorted(ids)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # SQLite's single writer lock
def test_a_save_that_cannot_get_the_busy_database_keeps_the_form_and_says_so(registrar, make_entry, db_url,
                                                                            monkeypatch):
    import sqlite3

    from kongcuo_tui.db import connection

    eid = make_entry()
    # A short busy timeout for the form's own connection, so the test does not wait 10 s.
    monkeypatch.setitem(connection.SQLITE_PRAGMAS, "busy_timeout", 100)
    connection.open_database(db_url).connect(reuse_if_open=True)
    form = form_for(registrar, Action.UNCONFIRMED, [eid])
    other = sqlite3.connect(db_url.split("///", 1)[1], isolation_level=None)

    async def script(pilot, app):
        await type_text(pilot, "家长电话停机")
        other.execute("BEGIN IMMEDIATE")  # another registrar's import is writing
        await press(pilot, "ctrl+s")
        assert "数据库正忙" in problems(app) and "未保存" in problems(app)
        assert app.screen is app.screen_under_test and value(app, "notes") == "家长电话停机"
        other.rollback()
        await press(pilot, "ctrl+s")

    try:
        app = drive(form, script)
    finally:
        other.close()
    assert app.result.applied == [eid] and ledger.detail(registrar, eid).notes == "家长电话停机"
