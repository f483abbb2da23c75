"""Dates as they arrive from spreadsheets and forms, ages and school stages.

Ages are 周岁 (full years) at a cutoff date; the cutoff month/day is a setting because
provinces differ (usually 31 August).
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, timedelta

from .text import drop_invisible

MIN_YEAR, MAX_YEAR = 1900, 2100  # anything outside is a typo in this domain

_FORMATS_HINT = "请使用 2014-03-05、2014/3/5、2014.3.5、2014年3月5日 或 20140305 等格式"
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"  # str(datetime) from spreadsheets
_FULL = [
    re.compile(rf"^(\d{{4}})([-/.])(\d{{1,2}})\2(\d{{1,2}}){_TIME}$"),
    re.compile(r"^(\d{4})()年(\d{1,2})月(\d{1,2})[日号]?$"),
    re.compile(r"^(\d{4})()(\d{2})(\d{2})$"),
]
_SHORT = [
    re.compile(r"^(\d{1,2})([-/.])(\d{1,2})$"),
    re.compile(r"^(\d{1,2})()月(\d{1,2})[日号]?$"),
]
# Excel's 1900 system counts 1900-02-29 (serial 60), which never existed.
_EXCEL_EPOCH = date(1899, 12, 30)
_EXCEL_MAX = (date(9999, 12, 31) - _EXCEL_EPOCH).days


class DateParseError(ValueError):
    """A date could not be read; ``str(error)`` is a Chinese message for the user."""


def _clean(text: str) -> str:
    text = drop_invisible(unicodedata.normalize("NFKC", text))
    return text.strip().lstrip("'").strip()


def _make(year: int, month: int, day: int, shown: str) -> date:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DateParseError(f"日期「{shown}」的年份 {year} 不在 {MIN_YEAR}–{MAX_YEAR} 之间；请核对年份")
    if not 1 <= month <= 12:
        raise DateParseError(f"日期「{shown}」的月份 {month} 不在 1–12 之间；请核对后重新输入")
    try:
        return date(year, month, day)
    except ValueError:
        raise DateParseError(
            f"日期「{shown}」不存在：{year} 年 {month} 月没有 {day} 日；请核对后重新输入"
        ) from None


def _from_number(value: int | float) -> date:
    shown = str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise DateParseError(f"日期「{shown}」不是有效的数值；{_FORMATS_HINT}")
        value = math.floor(value)  # the fraction is the time of day
    if 10_000_000 <= value <= 99_999_999:  # a yyyymmdd number, not a serial
        return _make(value // 10000, value // 100 % 100, value % 100, shown)
    if value == 60:
        raise DateParseError("Excel 日期序号 60 表示不存在的 1900-02-29；请核对该单元格")
    if not 1 <= value <= _EXCEL_MAX:
        raise DateParseError(f"数值「{shown}」不是有效的 Excel 日期序号；{_FORMATS_HINT}")
    d = _EXCEL_EPOCH + timedelta(days=value if value > 60 else value + 1)
    return _make(d.year, d.month, d.day, shown)


def _match(patterns: list[re.Pattern], text: str) -> tuple[int, ...] | None:
    for pattern in patterns:
        m = pattern.match(text)
        if m:
            return tuple(int(g) for g in m.groups() if g and g.isdigit())
    return None


def parse_date(value: object) -> date | None:
    """Read a date from a cell or text; None for blank. Raises DateParseError."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_number(value)
    if not isinstance(value, str):
        raise DateParseError(f"无法把「{value}」识别为日期；{_FORMATS_HINT}")
    text = _clean(value)
    if not text:
        return None
    parts = _match(_FULL, text)
    if parts is None:
        raise DateParseError(f"无法识别的日期「{text}」；{_FORMATS_HINT}")
    return _make(*parts, text)


def parse_form_date(text: str, today: date, label: str = "证明日期") -> date:
    """Read a date typed in a form; short forms ('9.1', '9月1日') mean this year.

    Raises DateParseError when blank, unreadable or later than ``today`` (``label`` names
    the field in that message).
    """
    cleaned = _clean(text or "")
    if not cleaned:
        raise DateParseError("日期不能为空；请输入如 2026-09-01 或 9.1（当年 9 月 1 日）")
    parts = _match(_SHORT, cleaned)
    if parts is not None:
        d = _make(today.year, *parts, cleaned)
    else:
        try:
            d = parse_date(cleaned)
        except DateParseError as e:
            raise DateParseError(f"{e}；也可以只输入月日，如 9.1、9月1日") from None
    if d > today:
        hint = "；如指去年，请输入完整年份" if parts is not None else ""
        raise DateParseError(
            f"{label}不能晚于今天：输入的「{cleaned}」是 {d.isoformat()}，今天是 {today.isoformat()}{hint}"
        )
    return d


_CLOCK = re.compile(r"^(.*?)[\sT]*(\d{1,2})[:点时](\d{2})分?$")


def parse_form_datetime(text: str, today: date, label: str = "劝返时间") -> datetime:
    """Read a date and time typed in a form: '2026-11-28 14:30', '11.28 14:30', or '14:30'
    alone (today). The date part reads as parse_form_date; raises DateParseError."""
    cleaned = _clean(text or "")
    m = _CLOCK.match(cleaned)
    if m is None:
        if not cleaned:
            raise DateParseError(f"{label}不能为空；请输入如 2026-11-28 14:30，或只输入 14:30（今天）")
        raise DateParseError(f"{label}「{cleaned}」须写明时间，如 2026-11-28 14:30、11.28 14:30，或只输入 14:30（今天）")
    day_text, hour, minute = m.group(1).strip(), int(m.group(2)), int(m.group(3))
    if hour > 23 or minute > 59:
        raise DateParseError(f"{label}「{cleaned}」中的时间 {hour}:{minute:02d} 不存在；请输入 0:00–23:59 之间的时间")
    day = parse_form_date(day_text, today, label) if day_text else today
    return datetime.combine(day, datetime.min.time()).replace(hour=hour, minute=minute)


def age_at(birth: date, on: date) -> int:
    """Full years (周岁) on ``on``. A 29 February birthday falls on 1 March in common years.

    Raises ValueError when ``on`` is before ``birth``.
    """
    if on < birth:
        raise ValueError(f"计算年龄的日期 {on.isoformat()} 早于出生日期 {birth.isoformat()}；请核对出生日期")
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _month_day(year: int, month: int, day: int) -> date:
    # A 29 February cutoff setting becomes 28 February in common years.
    return date(year, month, 28) if (month, day) == (2, 29) and year % 4 else date(year, month, day)


def school_year_cutoff(today: date, month: int = 8, day: int = 31) -> date:
    """The latest ``month``/``day`` on or before ``today``."""
    this_year = _month_day(today.year, month, day)
    return this_year if this_year <= today else _month_day(today.year - 1, month, day)


def compulsory_age_band(age: int) -> str:
    """'under' (< 6), 'compulsory' (6–15) or 'over' (16+)."""
    return "under" if age < 6 else "compulsory" if age <= 15 else "over"


_ENTRY_YEAR = re.compile(r"((?:19|20)\d{2})\s*级")
_GRADE_NAMES = {
    **{c: i for i, c in enumerate("一二三四五六七八九", 1)},
    **{str(i): i for i in range(1, 10)},
}


def _grade_level(grade_class: str, cutoff: date) -> int | None:
    text = unicodedata.normalize("NFKC", grade_class)
    m = _ENTRY_YEAR.search(text)
    if m:
        # '2019级' is the year the child entered grade 1; the school year starting at the
        # cutoff is grade (cutoff year − entry year + 1).
        return cutoff.year - int(m.group(1)) + 1
    m = re.search(r"(初)([一二三])|([一二三四五六七八九1-9])年级", text)
    if m:
        if m.group(1):
            return 6 + _GRADE_NAMES[m.group(2)]
        return _GRADE_NAMES[m.group(3)]
    return None


def school_stage(grade_class: str | None, age: int | None, cutoff: date) -> str | None:
    """'小学' or '初中' from 年级班级 ('2019级3班', '七年级2班', '初二3班'), else from age.

    ``cutoff`` is the current school_year_cutoff(); a grade outside 1–9 (graduated, not yet
    entered, mistyped) falls back to the age: 6–11 小学, 12–15 初中, otherwise None.
    """
    level = _grade_level(grade_class, cutoff) if grade_class else None
    if level is not None and 1 <= level <= 9:
        return "小学" if level <= 6 else "初中"
    if age is not None and 6 <= age <= 15:
        return "小学" if age <= 11 else "初中"
    return None


def stage_of(grade_class: str | None, birth: date | None, cutoff: date) -> str:
    """学段 of a ledger row: from 年级班级 when it names a grade, else from the age at ``cutoff``;
    "" when neither tells (no grade, and no birth date or an age outside 6–15)."""
    age = age_at(birth, cutoff) if birth is not None and birth <= cutoff else None
    return school_stage(grade_class, age, cutoff) or ""
