"""80×24 snapshots of the school-attempt form (the third attempt, pre-filled, a reason shown)
and of the detail screen's timeline (SQLite only). Regenerate with --snapshot-update after
an intended layout change, and look at the SVGs (rsvg-convert) before committing them."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kongcuo_tui.app import KongcuoApp
from kongcuo_tui.config import Settings
from kongcuo_tui.domain.persuasion import JointRound, SchoolAttempt
from kongcuo_tui.screens import step_form
from kongcuo_tui.services import persuasion as svc
from support import TODAY, settle


@pytest.fixture
def case_app(registrar, make_entry, monkeypatch, no_delays):
    monkeypatch.setattr(step_form, "clock", lambda today: datetime(2026, 11, 29, 10, 15))
    monkeypatch.setattr(step_form, "LIVE_CHECK_DELAY", 0)
    eid = make_entry(name="王小明", code="A1", dropout_reason="随父母外出打工", watch_groups="留守")
    for n in range(3):
        make_entry(name=f"同学{n}")
    v = svc.record_absence(registrar, eid, 1, date(2026, 11, 16), today=TODAY)
    for d, role, person in ((date(2026, 11, 17), "班主任", "李老师"), (date(2026, 11, 19), "年级组长", "王老师")):
        v = svc.record_school_attempt(registrar, eid, v, SchoolAttempt(
            datetime(d.year, d.month, d.day, 9, 30), role, person, "入户劝导", "家长外出，奶奶表示会劝说", "13900001111"),
            today=TODAY)
    return eid, v


async def _open(pilot, *keys):
    await settle(pilot)
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


def test_third_school_attempt_form_80x24(snap_compare, registrar, case_app):
    async def third(pilot):
        # Home row is 王小明; the chooser's 1 opens 学校劝返; an unreadable phone shows a reason.
        await _open(pilot, "r", "1", "tab", *"139-0000-1111-2222-3333-4444-5555-6666-7777-8888-9999")
        await _open(pilot, "shift+tab")

    app = KongcuoApp(registrar, Settings(), today=TODAY)
    assert snap_compare(app, terminal_size=(80, 24), run_before=third)


def test_detail_timeline_80x24(snap_compare, registrar, case_app):
    eid, v = case_app
    v = svc.record_school_attempt(registrar, eid, v, SchoolAttempt(
        datetime(2026, 11, 23, 16, 0), "校长", "赵校长", "电话沟通", "监护人仍不同意", "13700002222"), today=TODAY)
    v = svc.record_report(registrar, eid, v, date(2026, 11, 24), today=TODAY)
    v = svc.record_notice(registrar, eid, v, date(2026, 11, 25), today=TODAY)
    svc.record_joint_round(registrar, eid, v, JointRound(date(2026, 11, 27), ("school", "township", "police", "hrss"),
                                                         "入户劝导", "父母答应月底接回", "镇政府赵主任、派出所孙警官",
                                                         "0377-66001234"), today=TODAY)

    async def detail(pilot):
        await _open(pilot, "enter", "end")

    app = KongcuoApp(registrar, Settings(), today=TODAY)
    assert snap_compare(app, terminal_size=(80, 24), run_before=detail)
