"""Recording persuasion steps by keyboard through the real screens (SQLite; the services run on
both engines in tests/services): the ledger's r chooser and the detail screen's keys."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from textual.widgets import Input, SelectionList

from kongcuo_tui.db.models import Entry, History, School
from kongcuo_tui.domain.persuasion import JointRound, SchoolAttempt, Stage
from kongcuo_tui.screens import step_form
from kongcuo_tui.screens.step_form import StepForm
from kongcuo_tui.services import accounts
from kongcuo_tui.services import persuasion as svc
from support import TODAY

NOW = datetime(2026, 11, 29, 10, 15)


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch, no_delays):
    monkeypatch.setattr(step_form, "clock", lambda today: NOW)
    monkeypatch.setattr(step_form, "LIVE_CHECK_DELAY", 0)
    monkeypatch.setattr(step_form, "SLOW_SAVE", 0)


def attempt(d: date, role="班主任", person="李老师", method="入户劝导", phone="13900001111"):
    return SchoolAttempt(datetime(d.year, d.month, d.day, 9, 30), role, person, method, "家长表示会劝说", phone)


def two_attempts(actor, eid) -> int:
    v = svc.record_absence(actor, eid, Entry.get_by_id(eid).version, date(2026, 11, 20), today=TODAY)
    v = svc.record_school_attempt(actor, eid, v, attempt(date(2026, 11, 23)), today=TODAY)
    return svc.record_school_attempt(actor, eid, v, attempt(date(2026, 11, 25), "年级组长", "王老师", "电话沟通",
                                                             "13700002222"), today=TODAY)


def field(ui, name) -> str:
    return ui.screen.query_one(f"#{name}").query_one(Input).value if ui.screen.query(f"TypeAhead#{name}") else \
        ui.screen.query_one(f"#{name}", Input).value


async def open_from_ledger(ui, name: str, key: str) -> None:
    await ui.press("slash")
    await ui.type(name)
    await ui.press("enter", "r", key)
    assert isinstance(ui.screen, StepForm), ui.messages()


def test_third_attempt_offers_the_last_ones_who_and_how_and_saves_with_enter(play, registrar, make_entry):
    eid = make_entry(name="王小明", code="A2")
    two_attempts(registrar, eid)

    async def script(ui):
        await open_from_ledger(ui, "王小明", "1")
        assert [field(ui, n) for n in ("on", "role", "person", "method", "phone")] == [
            "2026-11-29 10:15", "年级组长", "王老师", "电话沟通", "13700002222"]
        assert ui.screen.focused.id == "process_result"
        assert "已按上次劝返（11-25 年级组长 王老师）填入" in ui.static("#hint-person")
        await ui.type("家长同意下周一送返")
        await ui.press("enter")
        assert not isinstance(ui.screen, StepForm)
        assert "已保存：第3次学校劝返（王小明）" in ui.messages()

    play(script)
    c = svc.case(registrar, eid, today=TODAY)
    third = c.records.attempts[-1]
    assert (third.at, third.role, third.person, third.method, third.process_result) == (
        NOW, "年级组长", "王老师", "电话沟通", "家长同意下周一送返")
    assert c.version == 5


def units_selected(ui) -> list[str]:
    return list(ui.screen.query_one("#units", SelectionList).selected)


def to_joint(actor, eid) -> int:
    v = two_attempts(actor, eid)
    v = svc.record_school_attempt(actor, eid, v, attempt(date(2026, 11, 26)), today=TODAY)
    v = svc.record_report(actor, eid, v, date(2026, 11, 26), today=TODAY)
    return svc.record_notice(actor, eid, v, date(2026, 11, 27), today=TODAY)


def test_joint_round_starts_with_the_partner_units_of_the_reason_and_they_can_be_changed(play, registrar, make_entry):
    eid = make_entry(name="外出打工", code="A1", dropout_reason="随父母外出打工")
    to_joint(registrar, eid)

    async def script(ui):
        await open_from_ledger(ui, "外出打工", "4")
        assert units_selected(ui) == ["school", "education", "township", "police", "hrss"]
        assert "已按辍学原因预选：学校、教育行政部门、乡镇政府、居（村）委会、公安、人社" in ui.static("#hint-units")
        ui.screen.query_one("#units").focus()
        await ui.press("down", "space")  # 教育行政部门 off: a suggestion, not forced
        assert "education" not in units_selected(ui)
        await ui.press("tab")
        await ui.type("入户劝导")
        await ui.press("enter")  # picks it from the list, on to 过程结果
        await ui.type("监护人同意返校")
        await ui.press("enter")
        await ui.type("镇政府赵主任 派出所孙警官")
        await ui.press("enter", "enter")  # 联系电话 may stay empty: Enter there saves
        assert "已保存：第1次联合劝返（外出打工）" in ui.messages()

    play(script)
    [r] = svc.case(registrar, eid, today=TODAY).records.rounds
    assert (r.units, r.method, r.people, r.on) == (("school", "township", "police", "hrss"), "入户劝导",
                                                   "镇政府赵主任 派出所孙警官", TODAY)


def test_a_save_with_a_wrong_date_keeps_everything_typed_and_says_why(play, registrar, make_entry):
    eid = make_entry(name="填错日期", code="A2")

    async def script(ui):
        await open_from_ledger(ui, "填错日期", "1")
        assert ui.screen.focused.parent.id == "role"
        await ui.type("班主任")
        await ui.press("enter")
        await ui.type("李老师")
        await ui.press("enter")  # 劝返方式: not in the list, typed as it was done
        await ui.type("上门家访")
        await ui.press("enter")
        await ui.type("家长不在家")
        ui.screen.query_one("#on", Input).focus()
        await ui.press("ctrl+u")
        await ui.type("12.30 9:00")
        await ui.press("ctrl+s")
        assert isinstance(ui.screen, StepForm)
        assert "劝返时间不能晚于今天：输入的「12.30」是 2026-12-30" in ui.static("#err-on")
        assert "未保存：请按各栏下方的提示修改" in ui.static("#form-problems")
        assert [field(ui, n) for n in ("role", "person", "method", "process_result")] == [
            "班主任", "李老师", "上门家访", "家长不在家"]
        await ui.press("ctrl+u")
        await ui.type("11.28 9:00")
        await ui.press("ctrl+s")
        assert not isinstance(ui.screen, StepForm)

    play(script)
    [a] = svc.case(registrar, eid, today=TODAY).records.attempts
    assert (a.at, a.method) == (datetime(2026, 11, 28, 9, 0), "上门家访")


def test_a_step_saved_by_someone_else_meanwhile_is_shown_not_overwritten(play, registrar, make_entry):
    eid = make_entry(name="两人同改", code="A2")
    two_attempts(registrar, eid)

    async def script(ui):
        await open_from_ledger(ui, "两人同改", "1")
        v = svc.case(registrar, eid, today=TODAY).version
        svc.record_report(registrar, eid, v, date(2026, 11, 28), today=TODAY)  # another desk
        await ui.type("电话无人接听")
        await ui.press("enter")
        assert isinstance(ui.screen, StepForm)
        problems = ui.static("#form-problems")
        assert "未保存：两人同改：已被" in problems and "Ctrl+R" in problems
        assert field(ui, "process_result") == "电话无人接听"
        assert len(svc.case(registrar, eid, today=TODAY).records.attempts) == 2
        await ui.press("ctrl+r")
        assert not isinstance(ui.screen, StepForm)

    play(script)
    assert len(svc.case(registrar, eid, today=TODAY).records.attempts) == 3


@pytest.fixture
def school(db_url):
    return School.create(name="源潭镇第一初级中学", county="411328")


def test_return_reclassifies_the_row_in_one_step_and_keeps_its_history(play, registrar, make_entry, school):
    from kongcuo_tui.domain.codes import Action
    from kongcuo_tui.domain.rules import Classification
    from kongcuo_tui.services import classify

    eid = make_entry(name="复学生", school=school.id)
    a2 = Classification(Action.DROPOUT, "A2", "张丽", date(2026, 11, 2), "厌学在家")
    classify.classify(registrar, {eid: 1}, a2, today=TODAY)
    to_joint(registrar, eid)

    async def script(ui):
        await ui.press("t", "slash")
        await ui.type("复学生")
        await ui.press("enter", "enter")  # the detail screen
        await ui.press("7")  # 复学, straight from the detail screen
        assert isinstance(ui.screen, StepForm)
        await ui.type("源潭镇第一")
        await ui.press("enter")  # the school from the county's list
        assert field(ui, "code") == "B2 在校有学籍"
        await ui.press("ctrl+s")
        assert "学校盖章学籍卡" in ui.static("#err-evidence")
        ui.screen.query_one("#evidence").focus()
        await ui.press("space", "ctrl+s")
        assert not isinstance(ui.screen, StepForm), ui.static("#form-problems")
        assert "已保存：复学（复学生）" in ui.messages()
        text = ui.static("#detail-text")
        assert "当前阶段：已复学" in text and "复学 源潭镇第一初级中学" in text
        assert "B2 在校有学籍" in text and "A2" in text  # the history keeps the old result

    play(script)
    e = Entry.get_by_id(eid)
    assert (e.code, e.study_school) == ("B2", "源潭镇第一初级中学")
    assert [h.code for h in History.select().where(History.entry == eid).order_by(History.id)] == ["A2", "B2"]


def test_closing_by_age_out_shows_the_date_and_only_a_county_account_may_close(play, registrar, admin, make_entry,
                                                                               school):
    eid = make_entry(name="已超龄", code="A1", birth_date=date(2010, 3, 1), school=school.id)
    teacher = accounts.add(admin, "yt1", "源潭一中", "school", "411328", school=school.name)

    async def refused(ui):
        await open_from_ledger_refused(ui, "已超龄")
        assert "销号只能由县级学籍管理员办理（需县级账号）" in ui.messages()

    play(refused, actor=teacher)

    async def closes(ui):
        await open_from_ledger(ui, "已超龄", "8")
        assert field(ui, "kind") == "超龄销号"
        assert "该生 2026-08-31 满16周岁（超龄），可超龄销号" in ui.static("#hint-kind")
        await ui.press("ctrl+s")
        assert "已保存：销号（已超龄）" in ui.messages()

    play(closes)
    c = svc.case(registrar, eid, today=TODAY)
    assert c.state.stage == Stage.CLOSED and c.records.closed.kind == "超龄销号"
    assert Entry.get_by_id(eid).closed_on == TODAY


async def open_from_ledger_refused(ui, name):
    await ui.press("slash")
    await ui.type(name)
    await ui.press("enter", "r", "8")
    assert not isinstance(ui.screen, StepForm)


def tabs(ui) -> str:
    return ui.static("#tabs")


def test_overdue_filter_and_count_follow_the_cases_and_a_saved_step(play, registrar, make_entry):
    late = make_entry(name="逾期甲", code="A2")
    svc.record_school_attempt(registrar, late, 1, attempt(date(2026, 10, 12)), today=TODAY)  # window ended 10-26
    later = make_entry(name="逾期乙", code="A2")
    svc.record_school_attempt(registrar, later, 1, attempt(date(2026, 10, 13)), today=TODAY)
    on_time = make_entry(name="按期丙", code="A2")
    svc.record_school_attempt(registrar, on_time, 1, attempt(date(2026, 11, 27)), today=TODAY)
    make_entry(name="逾期无关")  # pending, no case

    async def script(ui):
        assert "逾期 2 人（o 只看）" in tabs(ui)
        await ui.press("o")
        assert ui.table.total == 2 and "只看逾期" in ui.static("#status-bar")
        await ui.press("slash")
        await ui.type("逾期乙")
        await ui.press("enter")
        assert ui.table.total == 1 and "搜索“逾期乙”，只看逾期" in ui.static("#status-bar")
        await ui.press("escape")  # the search goes, the overdue filter stays
        assert ui.table.total == 2
        # Two more attempts and the report bring 逾期甲 to a step that is not due yet.
        c = svc.case(registrar, late, today=TODAY)
        v = svc.record_school_attempt(registrar, late, c.version, attempt(date(2026, 10, 14)), today=TODAY)
        svc.record_school_attempt(registrar, late, v, attempt(date(2026, 10, 16)), today=TODAY)
        await ui.press("home", "r", "2")  # 上报登记表 for the row under the cursor (逾期甲)
        assert isinstance(ui.screen, StepForm)
        await ui.press("enter")  # the date is today: Enter saves
        assert "已保存：上报登记表（逾期甲）" in ui.messages()
        assert "逾期 1 人（o 只看）" in tabs(ui)
        assert ui.table.total == 1 and ui.table.current_row.name == "逾期乙"
        await ui.press("o")
        assert ui.table.total == 4 and "只看逾期" not in ui.static("#status-bar")

    play(script)


def test_the_overdue_filter_shows_the_tab_that_has_the_overdue_cases(play, registrar, make_entry):
    late = make_entry(name="已处理逾期", code="A2", status="processed", action="c")
    svc.record_school_attempt(registrar, late, 1, attempt(date(2026, 10, 12)), today=TODAY)
    make_entry(name="待处理无关")

    async def script(ui):
        assert ui.screen.query_state.status == "pending" and "逾期 1 人" in tabs(ui)
        await ui.press("o")  # none of the pending rows is overdue: the processed tab has the case
        assert ui.screen.query_state.status == "processed"
        assert ui.table.total == 1 and ui.table.current_row.name == "已处理逾期"
        await ui.press("o", "t")  # filter off; switching tabs by hand stays where it is put
        assert ui.screen.query_state.status == "pending" and ui.table.total == 1

    play(script)


def test_timeline_lists_every_step_oldest_first_with_the_deadlines_between(play, registrar, make_entry):
    eid = make_entry(name="时间线", code="A1")
    to_joint(registrar, eid)
    c = svc.case(registrar, eid, today=TODAY)
    svc.record_joint_round(registrar, eid, c.version, JointRound(date(2026, 11, 28), ("school", "township"),
                                                                  "入户劝导", "监护人答应考虑", "赵主任", ""),
                           today=TODAY)

    async def script(ui):
        await ui.press("slash")
        await ui.type("时间线")
        await ui.press("enter", "enter")
        text = ui.static("#detail-text")
        body = text[text.index("劝返时间线"):]
        lines = [line.strip() for line in body.splitlines()[1:]]
        assert lines[:2] == ["当前阶段：联合劝返", "下一期限 2026-12-11：第2次联合劝返（还剩 10 个工作日）"]
        steps = [line for line in lines if line[:4] == "2026"]
        assert steps == [
            "2026-11-20 首次缺课",
            "2026-11-23 09:30 第1次学校劝返：班主任 李老师，入户劝导（13900001111）",
            "2026-11-25 09:30 第2次学校劝返：年级组长 王老师，电话沟通（13700002222）",
            "2026-11-26 09:30 第3次学校劝返：班主任 李老师，入户劝导（13900001111）",
            "2026-11-26 上报辍学学生登记表",
            "2026-11-27 发放 限期返校通知书",
            "2026-11-28 第1次联合劝返：入户劝导",
        ]
        joint = lines.index("2026-11-28 第1次联合劝返：入户劝导")
        assert lines[joint + 1:joint + 4] == ["单位：学校、乡镇政府、居（村）委会", "人员：赵主任", "监护人答应考虑"]
        notice = lines.index("2026-11-27 发放 限期返校通知书")  # a deadline met shows under the step that met it
        assert lines[notice + 1] == "-- 2026-11-28 期限：发放限期返校通知书  已完成（11-27）"
        deadlines = [line for line in lines if line.startswith("--")]
        assert "-- 2026-11-28 期限：发放限期返校通知书  已完成（11-27）" in deadlines
        assert "-- 2026-12-04 期限：第3次学校劝返  已完成（11-26）" in deadlines
        assert "-- 2026-12-04 期限：限期返校  未到期" in deadlines
        assert body.index("第1次联合劝返：") < body.index("-- 2026-12-04 期限：限期返校")

    play(script)


def test_typing_survives_a_dropped_link_and_esc_asks_before_it_is_lost(play, registrar, make_entry):
    from kongcuo_tui.screens.form_dialogs import Confirm

    make_entry(name="断线", code="A2")

    async def dropped(ui):
        await open_from_ledger(ui, "断线", "1")
        await ui.type("班主任")
        await ui.press("enter")
        await ui.type("李老师")
        ui.screen.live_check()  # what the pause after typing starts: the draft is stored
        await ui.settle()
        # The SSH link drops here: the app ends with the form open.

    play(dropped)

    async def reopened(ui):
        await open_from_ledger(ui, "断线", "1")
        assert (field(ui, "role"), field(ui, "person")) == ("班主任", "李老师")
        assert "未保存的填写内容" in ui.messages()
        await ui.press("escape")
        assert isinstance(ui.screen, Confirm)
        await ui.press("n")  # 继续填写
        assert isinstance(ui.screen, StepForm) and field(ui, "person") == "李老师"
        await ui.press("escape", "y")
        assert not isinstance(ui.screen, StepForm)

    play(reopened)

    async def clean(ui):
        await open_from_ledger(ui, "断线", "1")
        assert field(ui, "person") == ""  # given up on purpose: the draft went with it

    play(clean)


def _fully_visible(ui) -> bool:
    """The focused field, its label and its reason are all inside the form's box on screen."""
    focused = ui.screen.focused
    row = next(a for a in focused.ancestors if a.has_class("field"))
    box = ui.screen.query_one("#form-fields").region
    return box.contains_region(row.region) and row.region.bottom <= 24


# (step key, keys from where the form puts the focus — the first empty field — and what the
# case then holds)
EVERY_STEP = {
    "absence": (["ctrl+u", *"11.20", "enter"], lambda c: c.records.absent_since == date(2026, 11, 20)),
    "report": (["enter"], lambda c: c.records.reported_on == TODAY),
    "notice": (["tab", "ctrl+u", "down", "enter"],  # the second kind from the list, Enter saves
               lambda c: (c.records.notice_on, c.records.notice_kind) == (TODAY, "劝返通知书")),
    "continued": ([*"入户劝导", "enter", *"继续做工作", "enter", *"王股长", "enter", "enter"],
                  lambda c: c.records.rounds[-1].continued and c.records.rounds[-1].people == "王股长"),
    "procedure": (["down", "enter", "down", "enter"],
                  lambda c: (c.records.procedures[-1].kind, c.records.procedures[-1].approved_by)
                  == ("休学", "县残疾人教育专家委员会")),
    "letter": ([*"已电话移交", "enter"], lambda c: (c.records.letters[-1].to_county,
                                                            c.records.letters[-1].note, c.records.letters[-1].to_region)
               == ("江苏省徐州市云龙区教育局", "已电话移交", "320303")),
}


@pytest.mark.parametrize("step", list(EVERY_STEP))
def test_every_step_saves_by_keyboard_at_80x24_with_the_field_in_view(play, registrar, make_entry, step):
    from kongcuo_tui.screens.step_chooser import STEP_KEYS

    eid = make_entry(name="每一步", code="A1", id_number="320303201305011234")
    keys, holds = EVERY_STEP[step]

    async def script(ui):
        await ui.press("enter", STEP_KEYS[step])  # the detail screen's digit for the step
        assert isinstance(ui.screen, StepForm), ui.messages()
        for _ in ui.screen._field_widgets():  # Tab through every field (back to the first): each in view
            assert _fully_visible(ui), ui.screen.focused
            await ui.press("tab")
        for key in keys:
            await ui.press(key)
        assert not isinstance(ui.screen, StepForm), ui.static("#form-problems") + ui.text()
        assert "已保存：" in ui.messages()
        assert "劝返时间线" in ui.static("#detail-text")

    play(script, size=(80, 24))
    assert holds(svc.case(registrar, eid, today=TODAY))


@pytest.mark.parametrize("step", ["school", "joint", "returned", "close"])
def test_the_longer_step_forms_keep_the_focused_field_in_view_at_80x24(play, registrar, make_entry, school, step):
    from kongcuo_tui.screens.step_chooser import STEP_KEYS

    make_entry(name="长表单", code="A1")

    async def script(ui):
        await ui.press("enter", STEP_KEYS[step])
        assert isinstance(ui.screen, StepForm), ui.messages()
        await ui.press("ctrl+s")  # every reason shows: the fields grow
        for _ in range(len(ui.screen._field_widgets()) + 1):
            await ui.press("tab")
            assert _fully_visible(ui), ui.screen.focused
        for _ in range(len(ui.screen._field_widgets())):
            await ui.press("shift+tab")
            assert _fully_visible(ui), ui.screen.focused

    play(script, size=(80, 24))
