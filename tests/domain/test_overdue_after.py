"""overdue_after is exactly the days case_state calls overdue, for random record sets."""

import random
from datetime import date, datetime, timedelta

from kongcuo_tui.domain import persuasion as P
from kongcuo_tui.domain.workdays import WorkCalendar

START = date(2026, 9, 1)  # across National Day and its make-up working days


def _records(rng: random.Random) -> P.CaseRecords:
    day = START + timedelta(days=rng.randrange(40))

    def later(n=15):
        nonlocal day
        day += timedelta(days=rng.randrange(n))
        return day

    kw: dict = {}
    if rng.random() < 0.7:
        kw["absent_since"] = later(5)
    kw["attempts"] = tuple(P.SchoolAttempt(datetime.combine(later(6), datetime.min.time()), "班主任", "王", "电话沟通")
                           for _ in range(rng.randrange(5)))
    if rng.random() < 0.7:
        kw["reported_on"] = later()
        if rng.random() < 0.8:
            kw["notice_on"] = later(4)
            kw["rounds"] = tuple(P.JointRound(later(20), ("school",), "入户劝导", continued=rng.random() < 0.2)
                                 for _ in range(rng.randrange(5)))
            if rng.random() < 0.4:
                kw["procedures"] = (P.Procedure("休学", "县级人民政府", later()),)
    if rng.random() < 0.1:
        kw["returned"] = P.Return(later(), "某校")
    if rng.random() < 0.1:
        kw["closed"] = P.Closing("失踪", later(), "县")
    return P.CaseRecords(**kw)


def test_overdue_after_is_case_states_overdue_on_every_day():
    rng = random.Random(11)
    cal = WorkCalendar()
    for _ in range(400):
        r = _records(rng)
        after = P.overdue_after(r, cal)
        for d in (START + timedelta(days=k) for k in range(0, 260, 1)):
            s = P.case_state(r, cal, d)
            expected = s.overdue and s.stage not in (P.Stage.RETURNED, P.Stage.CLOSED)
            assert (after is not None and d > after) == expected, (r, d, after)


def test_a_notice_without_rounds_is_late_only_after_the_first_rounds_deadline():
    cal = WorkCalendar()
    r = P.CaseRecords(absent_since=date(2026, 9, 1), reported_on=date(2026, 9, 20), notice_on=date(2026, 9, 21))
    assert P.overdue_after(r, cal) == cal.add_workdays(date(2026, 9, 21), P.JOINT_ROUND_WORKDAYS)
    assert P.overdue_after(P.CaseRecords(), cal) is None
