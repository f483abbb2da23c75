import json
from datetime import date, timedelta

import pytest

from kongcuo_tui.domain.workdays import WorkCalendar


@pytest.fixture(scope="module")
def cal():
    return WorkCalendar()


@pytest.mark.parametrize("day", range(1, 9))
def test_national_day_2025_is_off(cal, day):
    assert not cal.is_workday(date(2025, 10, day))


@pytest.mark.parametrize("d", [date(2025, 9, 28), date(2025, 10, 11)])  # Sunday, Saturday
def test_2025_make_up_workdays(cal, d):
    assert d.weekday() >= 5 and cal.is_workday(d)


def test_ordinary_days(cal):
    assert cal.is_workday(date(2025, 9, 30))  # Tuesday
    assert cal.is_workday(date(2025, 10, 9))  # Thursday after the holiday
    assert not cal.is_workday(date(2025, 10, 12))  # Sunday
    assert not cal.is_workday(date(2025, 9, 27))  # Saturday


def test_spring_festival_2026(cal):
    off = [date(2026, 2, 15) + timedelta(days=i) for i in range(9)]  # 15–23 February
    assert not any(cal.is_workday(d) for d in off)
    assert cal.is_workday(date(2026, 2, 14))  # Saturday make-up workday
    assert cal.is_workday(date(2026, 2, 28))  # Saturday make-up workday
    assert cal.is_workday(date(2026, 2, 24))


def test_add_workdays_across_national_day(cal):
    assert cal.add_workdays(date(2025, 9, 26), 1) == date(2025, 9, 28)  # Friday → make-up Sunday
    assert cal.add_workdays(date(2025, 9, 30), 1) == date(2025, 10, 9)
    assert cal.add_workdays(date(2025, 9, 30), 3) == date(2025, 10, 11)  # make-up Saturday
    assert cal.add_workdays(date(2025, 9, 30), 4) == date(2025, 10, 13)


def test_add_workdays_across_spring_festival_2026(cal):
    assert cal.add_workdays(date(2026, 2, 13), 1) == date(2026, 2, 14)
    assert cal.add_workdays(date(2026, 2, 14), 1) == date(2026, 2, 24)
    assert cal.add_workdays(date(2026, 2, 14), 5) == date(2026, 2, 28)


def test_add_zero_and_negative(cal):
    assert cal.add_workdays(date(2025, 10, 1), 0) == date(2025, 10, 1)
    with pytest.raises(ValueError, match="-1"):
        cal.add_workdays(date(2025, 10, 1), -1)


def test_workdays_between(cal):
    # (9/26, 10/12]: 9/28, 9/29, 9/30, 10/9, 10/10, 10/11
    assert cal.workdays_between(date(2025, 9, 26), date(2025, 10, 12)) == 6
    assert cal.workdays_between(date(2025, 10, 1), date(2025, 10, 8)) == 0
    assert cal.workdays_between(date(2025, 10, 1), date(2025, 10, 1)) == 0
    assert cal.workdays_between(date(2025, 10, 12), date(2025, 9, 26)) == -6


@pytest.mark.parametrize("n", [0, 1, 5, 15, 30])
def test_add_and_between_agree(cal, n):
    start = date(2026, 1, 30)
    assert cal.workdays_between(start, cal.add_workdays(start, n)) == n


@pytest.mark.parametrize("year", [1990, 2031, 1900, 2099])
def test_years_without_data_fall_back(cal, year):
    monday = date(year, 3, 1) + timedelta(days=(7 - date(year, 3, 1).weekday()) % 7)
    assert cal.is_workday(monday)
    assert not cal.is_workday(monday + timedelta(days=5))
    assert cal.workdays_between(monday, monday + timedelta(days=7)) == 5
    assert cal.add_workdays(date(year, 6, 1), 20) > date(year, 6, 1)


def test_constructor_overrides():
    c = WorkCalendar(extra_holidays=[date(2031, 3, 3)], extra_workdays=[date(2031, 3, 8)])
    assert not c.is_workday(date(2031, 3, 3))  # Monday made a holiday
    assert c.is_workday(date(2031, 3, 8))  # Saturday made a workday
    with pytest.raises(ValueError, match="2031-03-03"):
        WorkCalendar(extra_holidays=[date(2031, 3, 3)], extra_workdays=[date(2031, 3, 3)])


def write(tmp_path, content):
    path = tmp_path / "holidays.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return path


def test_override_file(tmp_path):
    path = write(tmp_path, {"holidays": ["2027-10-04", "2027-10-05"], "workdays": ["2027-09-26"]})
    c = WorkCalendar.from_override_file(path)
    assert not c.is_workday(date(2027, 10, 4)) and not c.is_workday(date(2027, 10, 5))
    assert c.is_workday(date(2027, 9, 26))  # a Sunday
    assert c.is_workday(date(2025, 9, 28))  # library data still applies
    assert c.add_workdays(date(2027, 9, 30), 1) == date(2027, 10, 6)
    assert WorkCalendar.from_override_file(str(path)).is_workday(date(2027, 9, 26))


def test_override_file_with_bom_and_one_key(tmp_path):
    path = tmp_path / "h.json"
    path.write_text('\ufeff{"workdays": ["2031-03-08"]}', encoding="utf-8")
    assert WorkCalendar.from_override_file(path).is_workday(date(2031, 3, 8))


@pytest.mark.parametrize("path", [None, "/nonexistent/holidays.json"])
def test_missing_override_file_means_library_only(path):
    c = WorkCalendar.from_override_file(path)
    assert not c.is_workday(date(2025, 10, 1)) and c.is_workday(date(2025, 10, 11))


@pytest.mark.parametrize(
    "content, fragment",
    [
        ("{not json", "JSON"),
        ([], "holidays"),
        ({"holiday": ["2027-01-01"]}, "holiday"),
        ({"holidays": "2027-01-01"}, "列表"),
        ({"holidays": ["2027-02-30"]}, "2027-02-30"),
        ({"workdays": ["2027/02/07"]}, "2027/02/07"),
        ({"workdays": [20270207]}, "20270207"),
        ({"holidays": ["2027-01-01"], "workdays": ["2027-01-01"]}, "2027-01-01"),
    ],
)
def test_bad_override_file(tmp_path, content, fragment):
    path = write(tmp_path, content)
    with pytest.raises(ValueError) as err:
        WorkCalendar.from_override_file(path)
    assert str(path) in str(err.value) and fragment in str(err.value)
