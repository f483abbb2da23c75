"""Reporting periods: months and quarters, which one a report is for by default, its deadline.

The Tanghe plan: each 中心校 sends the 月报表 "于每月 20 日前" — so until the 20th the report
being prepared is last month's; from the 21st on it is the current month's (in progress).
附件6 一.4: the county reports "每个季度末" the quarter's 排查整改 statistics.

A report counts an event in the period in which it became known: its effective date is the
later of the day it happened and the day it was recorded. A past period's report therefore
never changes — a return recorded on 3 November for 28 October counts in November — and
every event is counted in exactly one period.
Pure: no database, no clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

REPORT_DAY = 20  # 月报表 due by the 20th of the following month
_QUARTER_NAMES = "一二三四"


class PeriodError(ValueError):
    """A period could not be read; ``str(error)`` is a Chinese message for the user."""


@dataclass(frozen=True)
class Period:
    kind: str  # "month" / "quarter"
    start: date  # first day
    end: date  # the day after the last day

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    @property
    def key(self) -> str:
        """'2026-11' or '2026Q4', as typed on the command line."""
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        return f"{self.start.year}Q{(self.start.month - 1) // 3 + 1}"

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"{self.start.year}年{self.start.month}月"
        return f"{self.start.year}年第{_QUARTER_NAMES[(self.start.month - 1) // 3]}季度"

    @property
    def span(self) -> str:
        return f"{self.start:%Y-%m-%d} 至 {self.last_day:%Y-%m-%d}"

    def as_of(self, today: date) -> date:
        """The day the report's standing figures are taken: the last day, or today if earlier."""
        return min(self.last_day, today)

    def known_before(self, today: date) -> datetime:
        """Records made before this moment count: the end of the as-of day."""
        return datetime.combine(self.as_of(today) + timedelta(days=1), time())

    def started(self) -> datetime:
        return datetime.combine(self.start, time())

    @property
    def deadline(self) -> date:
        """The report is due on this day (the 20th of the month after the period)."""
        return date(self.end.year, self.end.month, REPORT_DAY)


def month(year: int, m: int) -> Period:
    start = date(year, m, 1)
    end = date(year + 1, 1, 1) if m == 12 else date(year, m + 1, 1)
    return Period("month", start, end)


def quarter(year: int, q: int) -> Period:
    start = date(year, 3 * (q - 1) + 1, 1)
    end = date(year + 1, 1, 1) if q == 4 else date(year, 3 * q + 1, 1)
    return Period("quarter", start, end)


def default_month(today: date) -> Period:
    """Until the 20th, last month (its report is due); from the 21st, this month."""
    if today.day <= REPORT_DAY:
        return month(today.year - 1, 12) if today.month == 1 else month(today.year, today.month - 1)
    return month(today.year, today.month)


@dataclass(frozen=True)
class ReportDeadline:
    """The next 月报表 due on or after a day: the month it covers and the days left."""

    month: date  # the first day of the month the report covers
    due: date
    days_left: int  # 0 on the day itself

    @property
    def text(self) -> str:
        when = "今天截止" if self.days_left == 0 else f"还有 {self.days_left} 天"
        return f"{self.month.year}年{self.month.month}月月报表 {self.due.month}月{self.due.day}日截止（{when}）"


def report_deadline(today: date) -> ReportDeadline:
    """Up to the 20th, last month's report, due this 20th; after it, this month's, due next month's 20th."""
    p = default_month(today)
    return ReportDeadline(p.start, p.deadline, (p.deadline - today).days)


def default_quarter(today: date) -> Period:
    """The quarter holding the default month: until the 20th of a quarter's first month, the last one."""
    m = default_month(today).start
    return quarter(m.year, (m.month - 1) // 3 + 1)


_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_QUARTER = re.compile(r"^(\d{4})\s*(?:[Qq]|年第?)\s*([1-4一二三四])\s*(?:季度)?$")


def parse_month(text: str, today: date) -> Period:
    """'2026-11', '2026/11', '2026年11月'. Raises PeriodError (also for a month not yet begun)."""
    m = _MONTH.match((text or "").strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise PeriodError(f"无法识别的月份“{text}”；请写成 2026-11 或 2026年11月")
    p = month(int(m.group(1)), int(m.group(2)))
    return _not_future(p, text, today)


def parse_quarter(text: str, today: date) -> Period:
    """'2026Q4', '2026q4', '2026年第四季度'. Raises PeriodError."""
    m = _QUARTER.match((text or "").strip())
    if not m:
        raise PeriodError(f"无法识别的季度“{text}”；请写成 2026Q4（2026 年第四季度）")
    q = m.group(2)
    p = quarter(int(m.group(1)), int(q) if q.isdigit() else _QUARTER_NAMES.index(q) + 1)
    return _not_future(p, text, today)


def _not_future(p: Period, text: str, today: date) -> Period:
    if p.start > today:
        raise PeriodError(f"{p.label}（“{text}”）尚未开始，今天是 {today:%Y-%m-%d}；请选择已开始的月份或季度")
    return p


def effective(on: date, recorded: datetime) -> date:
    """The day an event counts in reports: when it happened, or when it was recorded if later."""
    return max(on, recorded.date())
