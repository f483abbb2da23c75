"""Persuasion deadlines follow the official calendar, holidays and 调休 included."""

from datetime import date

from kongcuo_tui.domain.workdays import WorkCalendar
from kongcuo_tui.services.deadlines import persuasion_deadlines, return_deadline
from kongcuo_tui.services.types import PersuasionInfo



def attempt(on, kind="school", rnd=1):
    return PersuasionInfo(kind, rnd, on, "班主任", "电话沟通", "", "", "")


def test_school_window_skips_the_national_day_holiday():
    cal = WorkCalendar()
    # First attempt 2025-09-29 (Mon). 10-01..10-08 are holidays and 10-11 (Sat) is a make-up workday.
    attempts = [attempt(date(2025, 9, 29)), attempt(date(2025, 9, 30)), attempt(date(2025, 10, 14))]
    [school, joint] = persuasion_deadlines(attempts, cal, today=date(2025, 10, 20))
    # 9-30, 10-09, 10-10, 10-11 (make-up Saturday), 10-13 … 10-17, 10-20: the 10th working day.
    assert school.due == date(2025, 10, 20)
    assert school.met and "已劝返 3 次" in school.detail
    assert not joint.met and "已开展 0 轮" in joint.detail


def test_too_few_rounds_inside_the_window_is_not_met():
    cal = WorkCalendar()
    attempts = [attempt(date(2026, 3, 2)), attempt(date(2026, 3, 3)), attempt(date(2026, 3, 30))]
    [school, _] = persuasion_deadlines(attempts, cal, today=date(2026, 4, 1))
    assert school.due == date(2026, 3, 16)
    assert not school.met and "已劝返 2 次" in school.detail


def test_open_window_says_how_many_workdays_are_left():
    cal = WorkCalendar()
    [school, _] = persuasion_deadlines([attempt(date(2026, 3, 2))], cal, today=date(2026, 3, 6))
    assert "还剩 6 个工作日" in school.detail


def test_return_deadline_uses_the_override_file(tmp_path):
    f = tmp_path / "holidays.json"
    f.write_text('{"holidays": ["2031-03-04"]}', encoding="utf-8")
    # 2031-03-03 is a Monday; the override makes Tuesday a holiday.
    assert return_deadline(date(2031, 3, 3), WorkCalendar()) == date(2031, 3, 10)
    assert return_deadline(date(2031, 3, 3), WorkCalendar.from_override_file(f)) == date(2031, 3, 11)


def test_no_attempts_no_deadlines():
    assert persuasion_deadlines([], WorkCalendar(), today=date(2026, 3, 1)) == []
