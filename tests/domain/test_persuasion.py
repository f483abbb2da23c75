"""A persuasion case's stage, deadline and overdue, on the official calendar (附件6)."""

import json
from datetime import date, datetime

import pytest

from kongcuo_tui.domain.persuasion import (
    CaseRecords, Closing, JointRound, Procedure, Return, SchoolAttempt, Stage, age_out_date, case_state,
    may_age_out, next_quarter_end, parse_units, partner_units,
)
from kongcuo_tui.domain.workdays import WorkCalendar

CAL = WorkCalendar()


def attempt(d: date, hour=10):
    return SchoolAttempt(datetime(d.year, d.month, d.day, hour), "班主任", "李老师", "电话沟通")


def rnd(d: date, continued=False):
    return JointRound(d, ("school", "education", "township"), "入户劝导", continued=continued)


def test_school_window_crosses_national_day_2026_with_its_make_up_workdays():
    # First attempt Fri 2026-09-18. Working days after it: Sun 09-20 (调休 workday), 09-21..24,
    # (09-25 中秋 off), 09-28..30, (10-01..07 off), 10-08, 10-09 = the 10th.
    s = case_state(CaseRecords(attempts=(attempt(date(2026, 9, 18)),)), CAL, date(2026, 9, 21))
    assert (s.stage, s.due, s.due_what, s.overdue) == (Stage.SCHOOL, date(2026, 10, 9), "第2次学校劝返", False)


def test_school_stage_starts_at_the_first_absence_when_it_is_known():
    recs = CaseRecords(absent_since=date(2026, 9, 17), attempts=(attempt(date(2026, 9, 18)),))
    assert case_state(recs, CAL, date(2026, 9, 18)).due == date(2026, 10, 8)  # one working day earlier


@pytest.mark.parametrize("today, overdue", [(date(2026, 10, 8), False), (date(2026, 10, 9), False),
                                            (date(2026, 10, 10), True)])
def test_school_stage_is_overdue_only_after_its_due_day(today, overdue):
    recs = CaseRecords(attempts=(attempt(date(2026, 9, 18)), attempt(date(2026, 9, 22))))
    s = case_state(recs, CAL, today)
    assert (s.due, s.due_what, s.overdue) == (date(2026, 10, 9), "第3次学校劝返", overdue)


def test_an_attempt_after_the_window_does_not_count_towards_the_three():
    recs = CaseRecords(attempts=tuple(attempt(d) for d in (date(2026, 9, 18), date(2026, 9, 22), date(2026, 10, 12))))
    s = case_state(recs, CAL, date(2026, 10, 12))
    assert s.overdue and s.due_what == "第4次学校劝返"
    assert [m.done_on for m in s.milestones[:3]] == [date(2026, 9, 18), date(2026, 9, 22), None]


def test_three_attempts_in_the_window_leave_the_report_due():
    recs = CaseRecords(attempts=tuple(attempt(d) for d in (date(2026, 9, 18), date(2026, 9, 22), date(2026, 9, 29))))
    s = case_state(recs, CAL, date(2026, 10, 9))
    assert (s.stage, s.due_what, s.due, s.overdue) == (Stage.SCHOOL, "上报辍学学生登记表", date(2026, 10, 9), False)


def test_notice_is_due_two_calendar_days_after_the_report_even_on_a_holiday():
    recs = CaseRecords(attempts=(attempt(date(2026, 9, 18)),), reported_on=date(2026, 9, 30))
    on_due = case_state(recs, CAL, date(2026, 10, 2))
    assert (on_due.stage, on_due.due, on_due.due_what, on_due.overdue) == (
        Stage.NOTICE, date(2026, 10, 2), "发放限期返校通知书", False)
    assert case_state(recs, CAL, date(2026, 10, 3)).overdue


def notified(**kw):
    base = dict(attempts=(attempt(date(2026, 9, 18)),), reported_on=date(2026, 9, 28), notice_on=date(2026, 9, 29))
    return CaseRecords(**{**base, **kw})


def test_return_deadline_is_five_working_days_across_national_day():
    # 09-30, 10-08, 10-09, Sat 10-10 (调休 workday), Mon 10-12.
    s = case_state(notified(), CAL, date(2026, 10, 12))
    assert (s.stage, s.due, s.overdue) == (Stage.DEADLINE, date(2026, 10, 12), False)


def test_after_the_return_deadline_the_first_joint_round_is_due():
    s = case_state(notified(), CAL, date(2026, 10, 13))
    # 10 working days after the notice: the joint group works alongside the 5-day deadline.
    assert (s.stage, s.due_what, s.due, s.overdue) == (Stage.JOINT, "第1次联合劝返", date(2026, 10, 19), False)
    assert case_state(notified(), CAL, date(2026, 10, 20)).overdue


def test_each_joint_round_is_due_ten_working_days_after_the_previous_one():
    s = case_state(notified(rounds=(rnd(date(2026, 10, 12)),)), CAL, date(2026, 10, 12))
    assert (s.stage, s.due_what, s.due) == (Stage.JOINT, "第2次联合劝返", date(2026, 10, 26))


def test_three_joint_rounds_lead_to_procedures_then_quarterly_persuasion():
    rounds = (rnd(date(2026, 10, 12)), rnd(date(2026, 10, 19)), rnd(date(2026, 10, 26)))
    s = case_state(notified(rounds=rounds), CAL, date(2026, 10, 27))
    assert (s.stage, s.due_what, s.due) == (Stage.PROCEDURES, "办理请假、休学、延缓入学等手续", date(2026, 11, 9))
    after = case_state(notified(rounds=rounds, procedures=(Procedure("休学", "县级人民政府", date(2026, 11, 2)),)),
                       CAL, date(2026, 11, 3))
    assert (after.stage, after.due_what, after.due, after.overdue) == (
        Stage.PROCEDURES, "继续劝返（每季度一次）", date(2027, 3, 31), False)


def test_returned_and_closed_cases_have_nothing_due():
    back = case_state(notified(returned=Return(date(2026, 10, 9), "唐河县第一初级中学")), CAL, date(2027, 1, 1))
    assert (back.stage, back.due, back.overdue) == (Stage.RETURNED, None, False)
    closed = case_state(notified(returned=Return(date(2026, 10, 9), "x"), closed=Closing("超龄销号", date(2026, 11, 1), "张丽")),
                        CAL, date(2027, 1, 1))
    assert closed.stage == Stage.CLOSED and closed.due is None


def test_a_case_with_no_record_yet_waits_for_the_first_attempt():
    s = case_state(CaseRecords(), CAL, date(2026, 9, 1))
    assert (s.stage, s.due, s.due_what, s.overdue) == (Stage.SCHOOL, None, "第1次学校劝返", False)


def test_spring_festival_2027_uses_the_override_file_for_make_up_workdays(tmp_path):
    # The library has no 2027 调休 yet; the county enters the published schedule (dates here are
    # this test's own: Thu/Fri 02-11/12 off, Sat 02-13 a make-up workday).
    f = tmp_path / "holidays.json"
    f.write_text(json.dumps({"holidays": ["2027-02-11", "2027-02-12"], "workdays": ["2027-02-13"]}))
    cal = WorkCalendar.from_override_file(f)
    recs = CaseRecords(reported_on=date(2027, 2, 3), notice_on=date(2027, 2, 4))
    assert case_state(recs, CAL, date(2027, 2, 5)).due == date(2027, 2, 17)  # library only
    # 02-13 (make-up), 02-15, 16, 17, 18.
    s = case_state(recs, cal, date(2027, 2, 18))
    assert (s.stage, s.due, s.overdue) == (Stage.DEADLINE, date(2027, 2, 18), False)
    assert case_state(recs, cal, date(2027, 2, 19)).stage == Stage.JOINT


def test_next_quarter_end():
    assert next_quarter_end(date(2026, 11, 2)) == date(2027, 3, 31)
    assert next_quarter_end(date(2026, 1, 1)) == date(2026, 6, 30)
    assert next_quarter_end(date(2026, 9, 30)) == date(2026, 12, 31)


def test_age_out_date_at_the_birthday_or_the_cutoff():
    assert age_out_date(date(2010, 9, 1)) == date(2026, 9, 1)
    assert age_out_date(date(2010, 9, 1), (8, 31)) == date(2027, 8, 31)
    assert age_out_date(date(2010, 8, 31), (8, 31)) == date(2026, 8, 31)
    assert age_out_date(date(2008, 2, 29)) == date(2024, 2, 29)
    assert not may_age_out(date(2010, 9, 1), date(2026, 8, 31))
    assert may_age_out(date(2010, 9, 1), date(2026, 9, 1))


@pytest.mark.parametrize("code, reason, groups, expected, home", [
    ("A1", "", "", ("police", "hrss"), False),
    ("A3", "", "", ("disabled",), True),
    ("A5", "", "", ("religion",), False),
    ("A6", "", "", ("civil",), False),
    ("A2", "父母离异无人照管", "", ("justice",), False),
    ("A2", "厌学", "留守", ("civil",), False),
    ("A8", "辍学后失去联系", "", ("police",), False),
    ("A2", "厌学", "", (), False),
])
def test_partner_departments_follow_the_dropout_reason(code, reason, groups, expected, home):
    p = partner_units(code, reason, groups)
    assert p.units == ("school", "education", "township") + expected
    assert p.home_teaching == home


def test_units_round_trip_in_table_order():
    assert parse_units("police,school,x") == ("school", "police", "x")


def test_records_are_checked_before_saving_in_chinese():
    from kongcuo_tui.domain.persuasion import Letter, check_attempt, check_closing, check_letter, check_round

    today = date(2026, 11, 30)
    long_text = SchoolAttempt(datetime(2026, 11, 2, 9), "班主任", "李老师", "电话沟通", "很" * 1001)
    assert check_attempt(long_text, today) == ["“劝返过程及结果”最多 1000 个字，现有 1001 个字；请缩短后再保存"]
    assert "请选择参加劝返的单位" in check_round(JointRound(date(2026, 11, 2), (), "入户劝导", people="王"), today)[0]
    assert check_round(rnd(date(2026, 11, 2)), today) == ["请填写劝返人员"]
    assert "晚于今天" in check_letter(Letter(date(2026, 12, 1), "某县教育局"), today)[0]
    assert check_closing(Closing("超龄销号", date(2026, 11, 2), "张丽"), today, None, None) == [
        "出生日期不详，无法确定是否已满16周岁，不能超龄销号"]
    assert check_closing(Closing("死亡", date(2026, 11, 2), "张丽"), today, None, None) == []
