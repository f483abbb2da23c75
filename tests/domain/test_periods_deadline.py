"""The 月报表 is due by the 20th: last month's report until then, this month's after."""

from __future__ import annotations

from datetime import date

import pytest

from kongcuo_tui.domain.periods import report_deadline


@pytest.mark.parametrize("today, month, due, left, text", [
    (date(2026, 11, 29), date(2026, 11, 1), date(2026, 12, 20), 21, "2026年11月月报表 12月20日截止（还有 21 天）"),
    (date(2026, 12, 20), date(2026, 11, 1), date(2026, 12, 20), 0, "2026年11月月报表 12月20日截止（今天截止）"),
    (date(2026, 12, 21), date(2026, 12, 1), date(2027, 1, 20), 30, "2026年12月月报表 1月20日截止（还有 30 天）"),
    (date(2027, 1, 5), date(2026, 12, 1), date(2027, 1, 20), 15, "2026年12月月报表 1月20日截止（还有 15 天）"),
])
def test_the_next_report_and_the_days_left(today, month, due, left, text):
    d = report_deadline(today)
    assert (d.month, d.due, d.days_left, d.text) == (month, due, left, text)
