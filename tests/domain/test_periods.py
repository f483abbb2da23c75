"""Reporting periods: the default month follows the 20th-of-the-month deadline."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kongcuo_tui.domain.periods import (PeriodError, default_month, default_quarter, effective, month,
                                        parse_month, parse_quarter, quarter)

TODAY = date(2026, 12, 2)


@pytest.mark.parametrize("today, key", [
    (date(2026, 12, 2), "2026-11"), (date(2026, 12, 20), "2026-11"), (date(2026, 12, 21), "2026-12"),
    (date(2027, 1, 5), "2026-12"), (date(2026, 3, 31), "2026-03"),
])
def test_until_the_20th_the_default_month_is_the_previous_one(today, key):
    assert default_month(today).key == key


def test_a_month_and_a_quarter_know_their_days_deadline_and_labels():
    m = month(2026, 12)
    assert (m.start, m.last_day, m.end, m.deadline) == (date(2026, 12, 1), date(2026, 12, 31), date(2027, 1, 1),
                                                        date(2027, 1, 20))
    assert m.label == "2026年12月"
    q = quarter(2026, 4)
    assert (q.key, q.label, q.last_day, q.deadline) == ("2026Q4", "2026年第四季度", date(2026, 12, 31), date(2027, 1, 20))
    assert default_quarter(date(2027, 1, 10)).key == "2026Q4" and default_quarter(date(2027, 1, 21)).key == "2027Q1"


def test_the_standing_figures_are_taken_at_the_last_day_or_today():
    assert month(2026, 11).as_of(TODAY) == date(2026, 11, 30)
    assert month(2026, 12).as_of(TODAY) == TODAY
    assert month(2026, 12).known_before(TODAY) == datetime(2026, 12, 3)


@pytest.mark.parametrize("text, key", [("2026-11", "2026-11"), ("2026/3", "2026-03"), ("2026年11月", "2026-11"),
                                       (" 2026.11 ", "2026-11")])
def test_months_as_people_type_them(text, key):
    assert parse_month(text, TODAY).key == key


@pytest.mark.parametrize("text, key", [("2026Q4", "2026Q4"), ("2026q3", "2026Q3"), ("2026年第四季度", "2026Q4")])
def test_quarters_as_people_type_them(text, key):
    assert parse_quarter(text, TODAY).key == key


@pytest.mark.parametrize("text, words", [("2026-13", ["2026-13", "2026-11"]), ("十一月", ["十一月"]),
                                         ("2027-01", ["尚未开始", "2026-12-02"])])
def test_bad_or_future_months_are_told_in_chinese(text, words):
    with pytest.raises(PeriodError) as e:
        parse_month(text, TODAY)
    assert all(w in str(e.value) for w in words)


def test_an_event_counts_when_it_became_known():
    assert effective(date(2026, 10, 28), datetime(2026, 11, 3, 9)) == date(2026, 11, 3)
    assert effective(date(2026, 10, 28), datetime(2026, 10, 28, 17)) == date(2026, 10, 28)
