"""Recording a persuasion case through the services: scope, roles, locking, audit, due list (both engines)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from playhouse.test_utils import count_queries

from kongcuo_tui.db.models import AuditLog, Entry, FollowUp, History, Persuasion, School
from kongcuo_tui.domain.codes import Action
from kongcuo_tui.domain.persuasion import Closing, JointRound, Letter, Procedure, Return, SchoolAttempt, Stage
from kongcuo_tui.domain.rules import Classification
from kongcuo_tui.services import accounts
from kongcuo_tui.services import persuasion as svc
from kongcuo_tui.services.errors import PermissionDenied, ServiceError

TODAY = date(2026, 11, 30)


def attempt(d: date, person="李老师", method="电话沟通"):
    return SchoolAttempt(datetime(d.year, d.month, d.day, 9, 30), "班主任", person, method, "家长表示会劝说", "13800000000")


def rnd(d: date, continued=False):
    return JointRound(d, ("school", "township", "police"), "入户劝导", "监护人同意送返", "王主任、赵警官", "13900000000",
                      continued=continued)


@pytest.fixture
def school(db_url):
    return School.create(name="源潭镇第一初级中学", county="411328")


@pytest.fixture
def school_account(admin, school):
    return accounts.add(admin, "yt1", "源潭一中", "school", "411328", school=school.name)


def test_a_full_case_from_first_attempt_to_return(registrar, make_entry, school):
    eid = make_entry(name="王小明", school=school.id, code="A2")
    v = 1
    for d in (date(2026, 10, 12), date(2026, 10, 14), date(2026, 10, 16)):
        v = svc.record_school_attempt(registrar, eid, v, attempt(d), today=TODAY)
    c = svc.case(registrar, eid, today=date(2026, 10, 16))
    assert (c.state.stage, c.state.due_what, c.version) == (Stage.SCHOOL, "上报辍学学生登记表", 4)
    assert c.last_attempt.person == "李老师" and c.school == "源潭镇第一初级中学"
    v = svc.record_report(registrar, eid, v, date(2026, 10, 19), today=TODAY)
    assert svc.case(registrar, eid, today=date(2026, 10, 21)).state.stage == Stage.NOTICE
    v = svc.record_notice(registrar, eid, v, date(2026, 10, 20), today=TODAY)
    assert svc.case(registrar, eid, today=date(2026, 10, 27)).state.stage == Stage.DEADLINE
    v = svc.record_joint_round(registrar, eid, v, rnd(date(2026, 10, 28)), today=TODAY)
    s = svc.case(registrar, eid, today=date(2026, 10, 28)).state
    assert (s.stage, s.due_what) == (Stage.JOINT, "第2次联合劝返")
    b2 = Classification(Action.ENROLLED, "B2", "源潭一中 李老师", date(2026, 11, 2), "已复学并注册学籍",
                        study_region="411328", study_school="源潭镇第一初级中学", evidence=frozenset({"registry_card"}))
    v = svc.record_return(registrar, eid, v, Return(date(2026, 11, 2), "源潭镇第一初级中学"), b2, today=TODAY)
    e = Entry.get_by_id(eid)
    assert (e.code, e.status, e.version, v) == ("B2", "processed", 8, 8)
    assert History.select().where(History.entry == eid).count() == 1
    c = svc.case(registrar, eid, today=TODAY)
    assert c.state.stage == Stage.RETURNED and c.records.returned.school == "源潭镇第一初级中学"
    assert [r.kind for r in c.recorded] == ["school"] * 3 + ["report", "notice", "joint", "return"]
    steps = [AuditLog.get_by_id(a.id).detail for a in AuditLog.select().where(AuditLog.verb == "persuasion")]
    assert len(steps) == 7 and '"step": "return"' in steps[-1]


def test_a_failed_reclassification_saves_no_return(registrar, make_entry):
    eid = make_entry(code="A2")
    bad = Classification(Action.ENROLLED, "B2", "李老师", date(2026, 11, 2), "已复学", study_region="411328",
                         study_school="源潭镇第一初级中学")  # no 学籍卡 on file
    with pytest.raises(ServiceError) as e:
        svc.record_return(registrar, eid, 1, Return(date(2026, 11, 2), "源潭镇第一初级中学"), bad, today=TODAY)
    assert "未保存" in str(e.value)
    assert FollowUp.select().count() == 0 and Entry.get_by_id(eid).version == 1


def test_a_stale_version_is_refused_and_nothing_saved(registrar, make_entry):
    eid = make_entry()
    svc.record_school_attempt(registrar, eid, 1, attempt(date(2026, 11, 2)), today=TODAY)
    with pytest.raises(svc.VersionConflict) as e:
        svc.record_school_attempt(registrar, eid, 1, attempt(date(2026, 11, 3)), today=TODAY)
    assert "已被" in str(e.value)
    assert Persuasion.select().count() == 1


@pytest.mark.parametrize("a, words", [
    (attempt(date(2026, 12, 5)), "晚于今天"),
    (attempt(date(2026, 11, 2), person=" "), "责任人姓名"),
    (attempt(date(2026, 11, 2), method=""), "劝返方式"),
    (attempt(date(2026, 11, 2), method="电" * 33), "最多 32 个字"),
])
def test_bad_input_is_refused_in_chinese(registrar, make_entry, a, words):
    eid = make_entry()
    with pytest.raises(ServiceError) as e:
        svc.record_school_attempt(registrar, eid, 1, a, today=TODAY)
    assert words in str(e.value)
    assert Persuasion.select().count() == 0 and Entry.get_by_id(eid).version == 1


def test_a_school_account_records_only_its_own_childrens_attempts(school_account, make_entry, school):
    mine = make_entry(school=school.id)
    other = make_entry()
    assert svc.record_school_attempt(school_account, mine, 1, attempt(date(2026, 11, 2)), today=TODAY) == 2
    with pytest.raises(PermissionDenied):
        svc.record_school_attempt(school_account, other, 1, attempt(date(2026, 11, 2)), today=TODAY)
    assert AuditLog.select().where(AuditLog.verb == "denied").count() == 1
    with pytest.raises(PermissionDenied):  # closing is for the county
        svc.close_case(school_account, mine, 2, Closing("失踪", date(2026, 11, 2), ""), today=TODAY)


def test_another_county_and_read_only_accounts_cannot_record(admin, registrar, make_entry):
    eid = make_entry(region="411330")
    with pytest.raises(PermissionDenied):
        svc.record_report(registrar, eid, 1, date(2026, 11, 2), today=TODAY)
    city = accounts.add(admin, "ny", "南阳", "city", "411300")
    with pytest.raises(PermissionDenied):
        svc.record_report(city, make_entry(), 1, date(2026, 11, 2), today=TODAY)


def test_age_out_closing_only_once_sixteen_at_the_cutoff(registrar, make_entry):
    eid = make_entry(birth_date=date(2010, 10, 1), code="A1")
    with pytest.raises(ServiceError) as e:  # 16 on 2026-10-01, but ages count at 31 August: 2027-08-31
        svc.close_case(registrar, eid, 1, Closing("超龄销号", date(2026, 11, 2), ""), today=TODAY)
    assert "2027-08-31 才满16周岁" in str(e.value)
    assert svc.close_case(registrar, eid, 1, Closing("超龄销号", date(2026, 11, 2), ""), today=TODAY, cutoff=None) == 2
    e = Entry.get_by_id(eid)
    assert e.closed_on == date(2026, 11, 2)
    c = svc.case(registrar, eid, today=TODAY, cutoff=None)
    assert c.state.stage == Stage.CLOSED and c.records.closed.by == "张丽" and c.may_age_out
    with pytest.raises(ServiceError) as err:
        svc.record_school_attempt(registrar, eid, 2, attempt(date(2026, 11, 3)), today=TODAY)
    assert "已于 2026-11-02 销号" in str(err.value)


def test_missing_child_is_closed_and_drops_off_the_due_list(registrar, make_entry):
    eid = make_entry(code="A8")
    assert [r.entry_id for r in svc.due_list(registrar, TODAY)] == [eid]
    svc.close_case(registrar, eid, 1, Closing("失踪", date(2026, 11, 2), "派出所证明"), today=TODAY)
    assert svc.due_list(registrar, TODAY) == []


def test_procedure_letter_and_continued_round_are_kept(registrar, make_entry):
    eid = make_entry(code="A1")
    v = svc.record_procedure(registrar, eid, 1, Procedure("休学", "县级人民政府", date(2026, 11, 2)), today=TODAY)
    v = svc.record_joint_round(registrar, eid, v, rnd(date(2026, 11, 3), continued=True), today=TODAY)
    v = svc.record_letter(registrar, eid, v, Letter(date(2026, 11, 4), "江苏省徐州市云龙区教育局", "已电话告知并移交"),
                          today=TODAY)
    c = svc.case(registrar, eid, today=TODAY)
    assert c.records.procedures[0].approved_by == "县级人民政府"
    assert c.records.rounds[0].continued and c.records.rounds[0].units == ("school", "township", "police")
    assert c.records.letters[0].to_county == "江苏省徐州市云龙区教育局" and v == 4
    assert c.partners.units == ("school", "education", "township", "police", "hrss")
    with pytest.raises(ServiceError):
        svc.record_procedure(registrar, eid, v, Procedure("转学", "县级人民政府", date(2026, 11, 2)), today=TODAY)


def test_due_list_overdue_within_and_responsible_person(registrar, make_entry):
    late = make_entry(name="甲")
    svc.record_school_attempt(registrar, late, 1, attempt(date(2026, 11, 2), person="王老师"), today=TODAY)
    soon = make_entry(name="乙")
    svc.record_school_attempt(registrar, soon, 1, attempt(date(2026, 11, 27)), today=TODAY)
    make_entry(name="丙", code="B2")  # not a case
    rows = svc.due_list(registrar, TODAY)
    assert [(r.name, r.stage, r.overdue, r.responsible) for r in rows] == [
        ("甲", Stage.SCHOOL, True, "王老师"), ("乙", Stage.SCHOOL, False, "李老师")]
    assert rows[0].due == date(2026, 11, 16)
    assert [r.name for r in svc.due_list(registrar, TODAY, overdue_only=True)] == ["甲"]
    assert [r.name for r in svc.due_list(registrar, TODAY, within_days=3)] == ["甲"]
    assert [r.name for r in svc.due_list(registrar, TODAY, within_days=20)] == ["甲", "乙"]


def test_due_list_queries_do_not_grow_with_the_rows(registrar, make_entry):
    def fill(n):
        for _ in range(n):
            eid = make_entry(code="A2")
            v = svc.record_school_attempt(registrar, eid, 1, attempt(date(2026, 11, 2)), today=TODAY)
            svc.record_report(registrar, eid, v, date(2026, 11, 3), today=TODAY)

    fill(2)
    with count_queries() as few:
        assert len(svc.due_list(registrar, TODAY)) == 2
    fill(6)
    with count_queries() as many:
        assert len(svc.due_list(registrar, TODAY)) == 8
    assert many.count == few.count


def test_age_out_list_names_only_open_cases_sixteen_at_the_cutoff(registrar, make_entry):
    old = make_entry(name="满龄", birth_date=date(2010, 8, 30), code="A1")
    make_entry(name="未满", birth_date=date(2010, 9, 1), code="A1")  # 16 only at 2027-08-31
    make_entry(name="非案件", birth_date=date(2009, 1, 1), code="B2")
    rows = svc.age_out_list(registrar, TODAY)
    assert [(r.name, r.age_out_on) for r in rows] == [("满龄", date(2026, 8, 31))]
    svc.close_case(registrar, old, rows[0].version, Closing("超龄销号", TODAY, ""), today=TODAY)
    assert svc.age_out_list(registrar, TODAY) == []


def test_a_row_classified_b_leaves_the_due_list_and_schools_cannot_record_a_return(
        school_account, registrar, make_entry, school):
    eid = make_entry(school=school.id)  # pending: the school starts before the county classifies
    v = svc.record_school_attempt(school_account, eid, 1, attempt(date(2026, 11, 2)), today=TODAY)
    assert [r.entry_id for r in svc.due_list(registrar, TODAY)] == [eid]
    b2 = Classification(Action.ENROLLED, "B2", "李老师", date(2026, 11, 20), "已复学", study_region="411328",
                        study_school=school.name, evidence=frozenset({"registry_card"}))
    with pytest.raises(PermissionDenied) as e:
        svc.record_return(school_account, eid, v, Return(date(2026, 11, 20), school.name), b2, today=TODAY)
    assert "县级" in str(e.value)
    with pytest.raises(svc.VersionConflict):
        svc.record_return(registrar, eid, 1, Return(date(2026, 11, 20), school.name), b2, today=TODAY)
    from kongcuo_tui.services import classify

    r = classify.classify(registrar, {eid: v}, b2, today=TODAY)  # classified without recording a return
    assert r.ok and svc.due_list(registrar, TODAY) == []
    with pytest.raises(ServiceError):
        svc.record_notice(registrar, eid, v + 1, date(2026, 11, 2), "通知", today=TODAY)


def test_a_save_racing_another_loses_visibly_at_the_update(registrar, make_entry, monkeypatch):
    """The version is checked again by UPDATE … WHERE version = ?: a change after the read is a conflict."""
    eid = make_entry()
    real = svc._locked_entry

    def meanwhile(actor, entry_id, version):
        e = real(actor, entry_id, version)
        Entry.update(version=Entry.version + 1, handled_by="other").where(Entry.id == entry_id).execute()
        return e

    monkeypatch.setattr(svc, "_locked_entry", meanwhile)
    with pytest.raises(svc.VersionConflict) as e:
        svc.record_school_attempt(registrar, eid, 1, attempt(date(2026, 11, 2)), today=TODAY)
    assert "other" in str(e.value)
    assert Persuasion.select().count() == 0 and Entry.get_by_id(eid).version == 1  # all rolled back


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # SQLite's single writer lock
def test_a_record_that_cannot_get_the_write_lock_says_so(registrar, make_entry, db_url):
    import sqlite3

    from kongcuo_tui.db.connection import db
    from kongcuo_tui.services.errors import DatabaseBusy

    eid = make_entry()
    other = sqlite3.connect(db_url.split("///", 1)[1], isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    db.execute_sql("PRAGMA busy_timeout = 50")
    try:
        with pytest.raises(DatabaseBusy):
            svc.record_report(registrar, eid, 1, date(2026, 11, 2), today=TODAY)
    finally:
        other.rollback()
        other.close()
        db.execute_sql("PRAGMA busy_timeout = 10000")
    assert FollowUp.select().count() == 0
