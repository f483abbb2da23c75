"""What the persuasion screens read and write through services (both engines): the overdue set
and the ledger filtered by it, a step form's setup (refusals, letter bureau, drafts) and the
one save path every step goes through."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kongcuo_tui.db.models import Entry, School
from kongcuo_tui.domain.persuasion import Closing, SchoolAttempt
from kongcuo_tui.services import accounts, drafts, ledger, step_setup
from kongcuo_tui.services import persuasion as svc
from kongcuo_tui.services.errors import PermissionDenied, ServiceError
from kongcuo_tui.services.types import LedgerQuery

TODAY = date(2026, 11, 30)


def attempt(d: date):
    return SchoolAttempt(datetime(d.year, d.month, d.day, 9, 30), "班主任", "李老师", "电话沟通", "", "")


@pytest.fixture
def school(db_url):
    return School.create(name="源潭镇第一初级中学", county="411328")


def test_overdue_ids_are_the_overdue_cases_of_the_scope_and_filter_the_ledger(registrar, admin, make_entry):
    late = make_entry(name="甲", code="A2")
    svc.record_school_attempt(registrar, late, 1, attempt(date(2026, 11, 2)), today=TODAY)
    soon = make_entry(name="乙", code="A2")
    svc.record_school_attempt(registrar, soon, 1, attempt(date(2026, 11, 27)), today=TODAY)
    make_entry(name="丙")
    other = make_entry(name="外县", region="411321", code="A2")  # 南召县: not the registrar's
    svc.record_school_attempt(admin, other, 1, attempt(date(2026, 11, 2)), today=TODAY)

    ids = svc.overdue_ids(registrar, TODAY)
    assert ids == {late}
    assert svc.overdue_ids(admin, TODAY) == {late, other}
    # Asked again for the rows a save touched (the ledger patches its set with the answer).
    assert svc.overdue_ids(registrar, TODAY, among=frozenset({soon, late})) == {late}
    assert svc.overdue_ids(registrar, TODAY, among=frozenset({soon, other})) == set()
    q = LedgerQuery(status=None, overdue_ids=ids)
    assert ledger.count(registrar, q) == 1 and [r.name for r in ledger.page(registrar, q, 0, 10)] == ["甲"]
    assert ledger.tab_counts(registrar, q) == {"pending": 1, "processed": 0}
    assert ledger.count(registrar, LedgerQuery(status=None, overdue_ids=frozenset())) == 0
    # Another county's id in the set does not bring its row into this scope.
    assert ledger.ids(registrar, LedgerQuery(status=None, overdue_ids=frozenset({late, other}))) == [late]


def test_the_id_filter_takes_a_set_larger_than_any_parameter_limit(registrar, make_entry):
    eids = [make_entry() for _ in range(3)]
    huge = frozenset(range(10**6, 10**6 + 70_000)) | {eids[1]}  # one bound parameter, whatever the size
    q = LedgerQuery(status=None, overdue_ids=huge, search="学生")
    assert ledger.ids(registrar, q) == [eids[1]]
    assert ledger.page_after(registrar, q, None, 5)[0].id == eids[1]


def test_step_setup_refuses_with_the_services_words_before_anything_is_typed(registrar, admin, make_entry, school):
    eid = make_entry(code="A1", school=school.id)
    teacher = accounts.add(admin, "yt1", "源潭一中", "school", "411328", school=school.name)
    viewer = accounts.add(admin, "nanyang", "南阳市", "city", "411300")
    assert step_setup.prepare(teacher, eid, "school", TODAY).case.entry_id == eid
    for actor, step, message in ((teacher, "close", svc.CANNOT_CLOSE), (teacher, "returned", svc.CANNOT_RETURN),
                                 (viewer, "school", svc.CANNOT_RECORD)):
        with pytest.raises(PermissionDenied, match=message):
            step_setup.prepare(actor, eid, step, TODAY)
    with pytest.raises(ServiceError, match="无法识别的劝返步骤"):
        step_setup.prepare(registrar, eid, "sing", TODAY)
    v = step_setup.record(registrar, "close", eid, 1, Closing("死亡", TODAY, ""), today=TODAY)
    assert v == 2 and Entry.get_by_id(eid).closed_on == TODAY
    with pytest.raises(ServiceError, match="已于 2026-11-30 销号归档，不能再录入"):
        step_setup.prepare(registrar, eid, "school", TODAY)


def test_step_setup_brings_schools_for_a_return_the_bureau_for_a_letter_and_the_draft(registrar, make_entry, school):
    eid = make_entry(code="A1", id_number="320303201305011234")  # 徐州市云龙区
    letter = step_setup.prepare(registrar, eid, "letter", TODAY)
    assert (letter.letter_to, letter.letter_region) == ("江苏省徐州市云龙区教育局", "320303")
    home = make_entry(code="A1")
    assert step_setup.prepare(registrar, home, "letter", TODAY).letter_to == ""
    back = step_setup.prepare(registrar, home, "returned", TODAY)
    assert [s.name for s in back.schools] == ["源潭镇第一初级中学"] and back.region == "411328"
    drafts.save(registrar, back.draft_key, {"school": "源潭镇第一初级中学"})
    again = step_setup.prepare(registrar, home, "returned", TODAY)
    assert again.draft == {"school": "源潭镇第一初级中学"} and again.draft_at is not None
    assert step_setup.prepare(registrar, home, "school", TODAY).draft is None  # a draft per step


def test_saved_text_counts_the_attempt_being_added(registrar, make_entry):
    eid = make_entry(code="A2")
    v = svc.record_school_attempt(registrar, eid, 1, attempt(date(2026, 11, 2)), today=TODAY)
    c = svc.case(registrar, eid, today=TODAY)
    assert step_setup.saved_text("school", c) == f"已保存：第2次学校劝返（{c.name}）"
    assert step_setup.saved_text("report", c) == f"已保存：上报登记表（{c.name}）"
    assert v == c.version
