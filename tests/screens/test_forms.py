"""The classification forms driven by keyboard, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest
from textual.app import App
from textual.screen import Screen
from textual.widgets import Input, Static

from support import TODAY
from kongcuo_tui.config import Settings
from kongcuo_tui.domain.codes import Action
from kongcuo_tui.screens.classify_form import ClassifyForm
from kongcuo_tui.screens.form_dialogs import Confirm
from kongcuo_tui.services import ledger
from kongcuo_tui.widgets.form_evidence import EvidenceChecklist

PENDING = object()
NOTES_A8 = "目前在家帮忙务农，家庭困难父母在外打工，母亲电话13812345678"


class Below(Screen):
    """Stands in for the ledger screen: records the rows the form says changed."""

    def __init__(self) -> None:
        super().__init__()
        self.changed: list[int] = []

    def on_classify_form_rows_changed(self, message: ClassifyForm.RowsChanged) -> None:
        self.changed += message.entry_ids


class Host(App):
    def __init__(self, form: ClassifyForm) -> None:
        super().__init__()
        self.form, self.result, self.below = form, PENDING, Below()

    def on_mount(self) -> None:
        self.push_screen(self.below)
        self.push_screen(self.form, self._done)

    def _done(self, result) -> None:
        self.result = result


def form_for(actor, action, ids):
    rows = ledger.rows_by_id(actor, ids)
    return ClassifyForm(actor, action, {r.id: r.version for r in rows}, [r.name for r in rows], Settings(),
                        today=TODAY)


def drive(form: ClassifyForm, script) -> Host:
    async def main():
        app = Host(form)
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


async def settle(pilot) -> None:
    from textual.worker import WorkerCancelled

    for _ in range(3):
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:  # a dry run dropped because the form closed: nothing to wait for
            pass
        await pilot.pause()


async def type_text(pilot, text: str) -> None:
    await press(pilot, *["space" if ch == " " else ch for ch in text])


def error_of(app: Host, field: str) -> str:
    return str(app.form.query_one(f"#err-{field}", Static).render())


def problems(app: Host) -> str:
    return str(app.form.query_one("#form-problems", Static).render())


def value(app: Host, field: str) -> str:
    return app.form.query_one(f"#{field}", Input).value


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


def test_proof_person_defaults_to_the_last_one_used(registrar, make_entry):
    first, second = make_entry(), make_entry()

    async def change_person(pilot, app):
        await press(pilot, "shift+tab", "shift+tab", "ctrl+u")
        await type_text(pilot, "李村长")
        await press(pilot, "tab", "tab")
        await type_text(pilot, "村委会反映已外出")
        await press(pilot, "ctrl+s")

    drive(form_for(registrar, Action.UNCONFIRMED, [first]), change_person)

    async def look(pilot, app):
        assert value(app, "proof_person") == "李村长"
        await press(pilot, "escape")

    app = drive(form_for(registrar, Action.UNCONFIRMED, [second]), look)
    assert app.result is None


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
        assert app.form.query_one("#study_school").text == "不存在小学"  # kept

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


def test_rules_are_checked_while_typing_before_any_save(registrar, make_entry):
    eid = make_entry()

    async def script(pilot, app):
        await press(pilot, "a", "8", "enter", "tab", "tab", "tab")
        await type_text(pilot, "在家")
        await pilot.pause(0.5)
        await settle(pilot)  # the dry run follows the last keystroke
        assert "父母联系电话" in error_of(app, "notes")
        assert error_of(app, "proof_person") == ""  # untouched fields stay quiet
        await type_text(pilot, NOTES_A8)
        await pilot.pause(0.5)
        await settle(pilot)
        assert error_of(app, "notes") == ""
        await press(pilot, "escape", "y")

    app = drive(form_for(registrar, Action.DROPOUT, [eid]), script)
    assert app.result is None and row(registrar, eid).status == "pending"


def test_b6_checks_age_at_the_cutoff(registrar, make_entry):
    eid = make_entry(birth_date=date(2013, 5, 1))  # 13 at 2026-08-31

    async def script(pilot, app):
        await press(pilot, "b", "6", "enter", "space", "tab", "tab", "tab")
        await type_text(pilot, "已外出")
        await press(pilot, "ctrl+s")
        assert "未满16周岁" in error_of(app, "code")

    app = drive(form_for(registrar, Action.DROPOUT, [eid]), script)
    assert app.result is PENDING and row(registrar, eid).status == "pending"


def test_b1_asks_for_its_proof_and_checklist_follows_the_code(registrar, make_entry):
    eid = make_entry()

    async def script(pilot, app):
        checklist = app.form.query_one(EvidenceChecklist)
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
        await press(pilot, "b", "6", "enter", "space", "tab", "tab", "tab")
        await type_text(pilot, "派出所出具户籍证明")
        await press(pilot, "ctrl+s")
        dialog = app.screen
        assert isinstance(dialog, Confirm)
        listed = " ".join(str(s.render()) for s in dialog.query(Static))
        assert "李小：" in listed and "未满16周岁" in listed and "王大" not in listed
        await press(pilot, "escape")
        assert app.screen is app.form
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
        assert app.screen is app.form and value(app, "notes") == "家长电话停机"
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
        assert app.screen is app.form and value(app, "notes") == "草稿"
        await press(pilot, "escape", "y")

    app = drive(form_for(registrar, Action.UNCONFIRMED, [eid]), script)
    assert app.result is None and row(registrar, eid).status == "pending"


def test_slow_save_keeps_the_form_responsive_and_saves_once(registrar, make_entry, monkeypatch):
    import threading
    import time

    from kongcuo_tui.services import classify

    ids = [make_entry() for _ in range(2)]
    real, calls = classify.classify, []

    def slow(*args, **kw):
        calls.append(threading.current_thread() is threading.main_thread())
        time.sleep(0.8)
        return real(*args, **kw)

    monkeypatch.setattr(classify, "classify", slow)

    async def script(pilot, app):
        await type_text(pilot, "核实中")
        await pilot.press("ctrl+s")
        await pilot.pause(0.5)
        assert "正在保存" in problems(app)  # the screen still answers while the database works
        await pilot.press("ctrl+s")  # an impatient second press does not save twice
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
        assert app.screen is app.form and value(app, "notes") == "家长电话停机"
        other.rollback()
        await press(pilot, "ctrl+s")

    try:
        app = drive(form, script)
    finally:
        other.close()
    assert app.result.applied == [eid] and ledger.detail(registrar, eid).notes == "家长电话停机"
