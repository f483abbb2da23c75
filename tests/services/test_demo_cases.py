"""`kongcuo demo` shows the persuasion workflow at once: cases in every stage (both engines)."""

from __future__ import annotations

from collections import Counter
from datetime import date

from kongcuo_tui.db import case_deadlines
from kongcuo_tui.db.models import CaseDeadline, Entry, FollowUp
from kongcuo_tui.domain.persuasion import Stage, age_out_date
from kongcuo_tui.services import demo
from kongcuo_tui.services import persuasion as svc

TODAY = date(2026, 11, 29)


def stages(actor):
    out = Counter()
    for (eid,) in Entry.select(Entry.id).order_by(Entry.id).tuples():
        c = svc.case(actor, eid, today=TODAY)
        if c.recorded or c.code.startswith("A"):
            out[(c.state.stage, c.state.overdue)] += 1
    return out


def test_demo_has_cases_in_every_stage_some_overdue_some_closed_by_age(admin):
    demo.generate(rows=120, seed=7, login=admin.login, today=TODAY)
    seen = stages(admin)
    assert {s for s, _ in seen} == set(Stage)
    assert seen[(Stage.SCHOOL, True)] and seen[(Stage.JOINT, True)] and seen[(Stage.DEADLINE, False)]
    closings = list(FollowUp.select().where(FollowUp.kind == "close"))
    aged = [f for f in closings if f.subkind == "超龄销号"]
    assert aged
    for f in aged:  # never before the child counts as 16 at the 31 August cutoff
        e = Entry.get_by_id(f.entry_id)
        assert e.closed_on == f.on and f.on >= age_out_date(e.birth_date, (8, 31))
    due = svc.due_list(admin, TODAY)
    assert any(r.overdue for r in due) and any(not r.overdue for r in due)
    assert all(r.stage not in (Stage.RETURNED, Stage.CLOSED) for r in due)


def test_demo_cases_are_the_same_for_the_same_seed(admin):
    demo.generate(rows=60, seed=3, login=admin.login, today=TODAY)
    first = (stages(admin), [(f.kind, f.subkind, f.on) for f in FollowUp.select().order_by(FollowUp.id)])
    Entry.delete().execute()
    demo.generate(rows=60, seed=3, login=admin.login, today=TODAY)
    assert (stages(admin), [(f.kind, f.subkind, f.on) for f in FollowUp.select().order_by(FollowUp.id)]) == first


def stored_deadlines():
    rows = {e.id: (e.overdue_after, e.closed_on) for e in Entry.select(Entry.id, Entry.overdue_after, Entry.closed_on)}
    history = sorted(CaseDeadline.select(CaseDeadline.entry, CaseDeadline.recorded_at, CaseDeadline.overdue_after)
                     .tuples())
    return rows, history


def test_demo_rows_are_written_with_the_deadlines_a_recompute_from_their_records_gives(admin):
    demo.generate(rows=300, seed=5, login=admin.login, today=TODAY)
    demo.generate(rows=200, seed=6, login=admin.login, today=TODAY)  # --append: a ledger with rows already
    rows, history = stored_deadlines()
    assert sum(v is not None for v, _ in rows.values()) > 50 and any(c for _, c in rows.values())
    assert len(history) > len({eid for eid, _, _ in history})  # cases whose deadline moved as records came
    closings = {f.entry_id: f.on for f in FollowUp.select().where(FollowUp.kind == "close")}
    assert {eid: c for eid, (_, c) in rows.items() if c} == closings
    case_deadlines.refresh_all()
    assert stored_deadlines() == (rows, history)
