"""Working days on the official Chinese calendar (法定节假日 and 调休).

``holidays.China`` knows the State Council's published holidays and the weekend make-up
workdays (``weekend_workdays``) for the years it has data for; for other years it only has
the fixed-date rules, so we fall back to weekends plus whatever it knows. The schedule for
next year is published each November, often after the library releases, hence the override
file:

    {"holidays": ["2027-01-01", ...], "workdays": ["2027-02-07", ...]}
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ONE_DAY = timedelta(days=1)


def _check_disjoint(extra_holidays: frozenset[date], extra_workdays: frozenset[date]) -> None:
    both = sorted(extra_holidays & extra_workdays)
    if both:
        days = "、".join(d.isoformat() for d in both)
        raise ValueError(f"日期 {days} 同时被设为节假日和调休工作日；请只保留一种")


class WorkCalendar:
    def __init__(self, extra_holidays: Iterable[date] = (), extra_workdays: Iterable[date] = ()):
        self._holidays = frozenset(extra_holidays)
        self._workdays = frozenset(extra_workdays)
        _check_disjoint(self._holidays, self._workdays)
        self._china = None  # holidays.China(), made by the first lookup the corrections do not answer
        # A report asks the same few hundred days for thousands of cases; the library's
        # lookup costs ~10 µs a day.
        self._known: dict[date, bool] = {}
        self._added: dict[tuple[date, int], date] = {}

    @classmethod
    def from_override_file(cls, path: str | Path | None) -> "WorkCalendar":
        """Library calendar plus the file's corrections; a missing file means no corrections.

        Raises ValueError (Chinese message naming the file and the entry) on bad content.
        """
        return cls(*read_override_file(path))

    def is_workday(self, d: date) -> bool:
        known = self._known.get(d)
        if known is None:
            known = self._known[d] = self._is_workday(d)
        return known

    def _is_workday(self, d: date) -> bool:
        if d in self._holidays:
            return False
        if d in self._workdays:
            return True
        if self._china is None:
            # 0.1 s to import (the package loads every country): paid only by a process that
            # counts a working day, not by `kongcuo due` with no case.
            import holidays

            self._china = holidays.China()  # populates each year lazily on first lookup
        try:
            return self._china.is_working_day(d)
        except Exception:  # a year the library cannot build must not stop the ledger
            return d.weekday() < 5

    def add_workdays(self, start: date, n: int) -> date:
        """The date n working days after ``start`` (``start`` itself not counted)."""
        if n < 0:
            raise ValueError(f"工作日数不能为负数（{n}）")
        found = self._added.get((start, n))
        if found is not None:
            return found
        d, left = start, n
        while left:
            d += _ONE_DAY
            if self.is_workday(d):
                left -= 1
        self._added[(start, n)] = d
        return d

    def workdays_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; negative when ``end`` is before ``start``."""
        if end < start:
            return -self.workdays_between(end, start)
        days = (start + timedelta(days=i) for i in range(1, (end - start).days + 1))
        return sum(self.is_workday(d) for d in days)


def _parse_days(path: str | Path, key: str, entries: object) -> list[date]:
    if not isinstance(entries, list):
        raise ValueError(f"节假日调整文件 {path} 中的 {key} 应为日期列表，如 [\"2027-01-01\"]")
    days = []
    for entry in entries:
        try:
            if not (isinstance(entry, str) and _ISO.match(entry)):
                raise ValueError
            days.append(date.fromisoformat(entry))
        except ValueError:
            raise ValueError(
                f"节假日调整文件 {path} 中 {key} 的条目 {entry!r} 不是有效日期；请写成 \"2027-01-01\" 形式"
            ) from None
    return days


def read_override_file(path: str | Path | None) -> tuple[tuple[date, ...], tuple[date, ...]]:
    """The file's (holidays, workdays); both empty when there is no file.

    Raises ValueError (Chinese message naming the file and the entry) on bad content.
    """
    try:
        if path is None or not Path(path).is_file():
            return (), ()
    except OSError as e:  # e.g. a folder on the way that this account may not enter
        raise ValueError(f"节假日调整文件 {path} 无法读取：{e.strerror}") from None
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise ValueError(f"节假日调整文件 {path} 无法读取或不是有效的 JSON：{e}") from None
    if not isinstance(data, dict):
        raise ValueError(
            f"节假日调整文件 {path} 应为 {{\"holidays\": [...], \"workdays\": [...]}} 形式"
        )
    unknown = sorted(set(data) - {"holidays", "workdays"})
    if unknown:
        raise ValueError(f"节假日调整文件 {path} 含有未知的键 {unknown}；只允许 holidays 和 workdays")
    extra_holidays, extra_workdays = (tuple(_parse_days(path, key, data.get(key, []))) for key in ("holidays", "workdays"))
    try:
        _check_disjoint(frozenset(extra_holidays), frozenset(extra_workdays))
    except ValueError as e:
        raise ValueError(f"节假日调整文件 {path}：{e}") from None
    return extra_holidays, extra_workdays
