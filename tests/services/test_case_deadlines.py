"""The stored case deadline follows every kind of persuasion write (both engines): each step,
a return, a closing; a re-classification to B takes the case out of the overdue set; the
demo's bulk writes and a recompute leave the same dates the rules give."""

from __future__ import annotations

from datetime import date, datetime

from kongcuo_tui.db import case_deadlines
from kongcuo_tui.db.models import CaseDeadline, Entry, FollowUp, Persuasion
from kongcuo_tui.domain import persuasion as P
from kongcuo_tui.domain.codes import Action
from kongcuo_tui.domain.rules import Classification
from kongcuo_tui.domain.workdays import WorkCalendar
from kongcuo_tui.services import classify
from kongcuo_tui.services import persuasion as svc

TODAY = date(2026, 11, 30)
CAL = WorkCalendar()


def attempt(d: date):
    return P.SchoolAttempt(datetime(d.year, d.month, d.day, 9, 30), "班主任", "李老师", "电话沟通")


def rnd(d: date):
    return P.JointRound(d, ("school", "township"), "入户劝导", "监护人同意", "王主任")


def stored(eid: int) -> date | None:
    return Entry.get_by_id(eid).overdue_after


def rules(registrar, eid: int) -> date | None:
    return P.overdue_after(svc.case(registrar, eid, today=TODAY).records, CAL)


B2 = Classification(Action.ENROLLED, "B2", "李老师", date(2026, 11, 20), "已复学", study_region="411328",
                    study_school="源潭一中", evidence=frozenset({"registry_card"}))


def test_every_step_return_and_closing_keeps_the_rules_date(registrar, make_entry):
    eid = make_entry(code="A2")
    assert stored(eid) is None
    v = svc.record_absence(registrar, eid, 1, date(2026, 10, 9), today=TODAY)
    first = stored(eid)
    assert first == CAL.add_workdays(date(2026, 10, 9), P.SCHOOL_WINDOW_WORKDAYS) == rules(registrar, eid)
    for d in (date(2026, 10, 12), date(2026, 10, 14), date(2026, 10, 16)):
        v = svc.record_school_attempt(registrar, eid, v, attempt(d), today=TODAY)
    v = svc.record_report(registrar, eid, v, date(2026, 10, 19), today=TODAY)
    assert stored(eid) == date(2026, 10, 21) == rules(registrar, eid)  # the notice: 2 calendar days
    v = svc.record_notice(registrar, eid, v, date(2026, 10, 20), today=TODAY)
    v = svc.record_joint_round(registrar, eid, v, rnd(date(2026, 10, 28)), today=TODAY)
    assert stored(eid) == CAL.add_workdays(date(2026, 10, 28), P.JOINT_ROUND_WORKDAYS) == rules(registrar, eid)
    assert svc.overdue_ids(registrar, TODAY) == {eid}  # due 11-11, not done by 11-30
    v = svc.record_return(registrar, eid, v, P.Return(date(2026, 11, 20), "源潭一中"), B2, today=TODAY)
    assert stored(eid) is None and svc.overdue_ids(registrar, TODAY) == set()
    # The history ends where the row is (writes within one second share one moment, so its
    # length is not told here; the report tests read past months from it).
    hist = [d for (d,) in CaseDeadline.select(CaseDeadline.overdue_after).where(CaseDeadline.entry == eid)
            .order_by(CaseDeadline.id).tuples()]
    assert hist == [] or hist[-1] is None

    closed = make_entry(code="A2")
    svc.record_school_attempt(registrar, closed, 1, attempt(date(2026, 11, 2)), today=TODAY)
    assert svc.overdue_ids(registrar, TODAY) == {closed}
    svc.close_case(registrar, closed, 2, P.Closing("失踪", date(2026, 11, 25), "派出所证明"), today=TODAY)
    assert stored(closed) is None and svc.overdue_ids(registrar, TODAY) == set()


def test_a_row_reclassified_b_keeps_its_date_but_is_no_longer_overdue(registrar, make_entry):
    eid = make_entry()  # pending: the school starts before the county classifies
    v = svc.record_school_attempt(registrar, eid, 1, attempt(date(2026, 11, 2)), today=TODAY)
    assert svc.overdue_ids(registrar, TODAY) == {eid}
    assert classify.classify(registrar, {eid: v}, B2, today=TODAY).ok
    assert stored(eid) is not None and svc.overdue_ids(registrar, TODAY) == set()


def test_a_recompute_from_bulk_written_records_gives_the_rules_dates(registrar, make_entry):
    eid = make_entry(code="A2")
    at = datetime(2026, 11, 3, 17)
    Persuasion.create(entry=eid, kind="school", on=date(2026, 11, 3), at=at, party="班主任", method="电话沟通",
                      recorded_by="x", recorded_at=at)
    FollowUp.create(entry=eid, kind="absence", on=date(2026, 11, 2), recorded_by="x", recorded_at=at)
    assert stored(eid) is None  # written around the services: nothing kept yet
    assert case_deadlines.refresh_all() == 1
    assert stored(eid) == rules(registrar, eid) == CAL.add_workdays(date(2026, 11, 2), P.SCHOOL_WINDOW_WORKDAYS)
    case_deadlines.refresh_all()  # again: the same one history row, not a second
    assert CaseDeadline.select().where(CaseDeadline.entry == eid).count() == 1


def test_a_calendar_change_is_applied_by_the_administrators_recompute(admin, registrar, make_entry):
    import pytest

    from kongcuo_tui.services.errors import PermissionDenied

    eid = make_entry(code="A2")
    svc.record_absence(registrar, eid, 1, date(2026, 11, 2), today=TODAY)
    before = stored(eid)
    county_holiday = WorkCalendar(extra_holidays=[date(2026, 11, 4)])
    with pytest.raises(PermissionDenied):
        svc.recompute_deadlines(registrar, county_holiday)
    assert svc.recompute_deadlines(admin, county_holiday) == 1
    assert stored(eid) == county_holiday.add_workdays(date(2026, 11, 2), P.SCHOOL_WINDOW_WORKDAYS) != before
