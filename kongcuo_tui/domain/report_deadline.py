"""When the monthly report (月报表) is due: each 中心校 sends last month's report, stamped and
signed, by the 20th (Tanghe plan). Calendar days, as the plan counts them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

DUE_DAY = 20  # 每月 20 日前报送上月月报表


@dataclass(frozen=True)
class ReportDeadline:
    month: date  # the first day of the month the report covers
    due: date
    days_left: int  # 0 on the day itself

    @property
    def text(self) -> str:
        when = "今天截止" if self.days_left == 0 else f"还有 {self.days_left} 天"
        return f"{self.month.year}年{self.month.month}月月报表 {self.due.month}月{self.due.day}日截止（{when}）"


def report_deadline(today: date) -> ReportDeadline:
    """The next monthly report due on or after `today`, and the month it covers.

    Up to the 20th it is last month's report, due this 20th; after it, this month's, due
    next month's 20th.
    """
    if today.day <= DUE_DAY:
        due = today.replace(day=DUE_DAY)
    else:
        due = date(today.year + today.month // 12, today.month % 12 + 1, DUE_DAY)
    covers = date(due.year - (due.month == 1), (due.month - 2) % 12 + 1, 1)
    return ReportDeadline(covers, due, (due - today).days)
