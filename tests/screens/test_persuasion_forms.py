"""Recording persuasion steps by keyboard through the real screens (SQLite; the services run on
both engines in tests/services): the ledger's r chooser and the detail screen's keys."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from textual.widgets import Input, SelectionList

from kongcuo_tui.db.models import Entry, History, Persuasion, School
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
    v = svc.record_absence(actor, eid, 1, date(2026, 11, 20), today=TODAY)
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
