"""Settings read from the environment, with defaults that work on a laptop.

`Settings.from_env()` is the one place the environment is read and checked; a bad value is
a `SettingsError` whose message is one Chinese line naming the variable and what to write.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .domain.dates import school_year_cutoff
from .domain.workdays import WorkCalendar, read_override_file

_CUTOFF = re.compile(r"^(\d{1,2})-(\d{1,2})$")
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


class SettingsError(ValueError):
    """A setting the program cannot use; the message is for the user."""


def data_dir() -> Path:
    home = os.environ.get("KONGCUO_HOME")
    if home:
        return Path(home)
    from platformdirs import user_data_dir  # not needed when KONGCUO_HOME is set

    return Path(user_data_dir("kongcuo-tui", appauthor=False))


def default_db_url() -> str:
    return f"sqlite:///{data_dir() / 'kongcuo.db'}"


def database_url(url: str | None = None) -> str:
    """`url` (from --db), else $KONGCUO_DB, else the per-user default."""
    return url or os.environ.get("KONGCUO_DB") or default_db_url()


def current_login() -> str:
    """The Unix account this process runs as: over SSH each registrar has their own.

    Never $USER, $LOGNAME or $KONGCUO_USER: anyone can set those to another name.
    """
    import pwd

    return pwd.getpwuid(os.getuid()).pw_name


def is_superuser() -> bool:
    return os.getuid() == 0


def _cutoff(text: str) -> tuple[int, int]:
    m = _CUTOFF.match(text.strip())
    try:
        if not m:
            raise ValueError
        month, day = int(m.group(1)), int(m.group(2))
        date(2000, month, day)  # a leap year, so 02-29 is allowed (28 February in common years)
    except ValueError:
        raise SettingsError(
            f"环境变量 KONGCUO_CUTOFF 的值“{text}”不是有效的月-日；请写成 08-31 这样的形式（默认 08-31）"
        ) from None
    return month, day


def _flag(name: str) -> bool | None:
    v = os.environ.get(name, "").strip().lower()
    if not v:
        return None
    if v in _TRUE or v in _FALSE:
        return v in _TRUE
    raise SettingsError(f"环境变量 {name} 的值“{os.environ[name]}”无法识别；请写 1（开启）或 0（关闭）")


def _corrections(explicit: str | None) -> tuple[Path, tuple[date, ...], tuple[date, ...]]:
    path = Path(explicit).expanduser() if explicit else data_dir() / "holidays.json"
    if explicit and not path.is_file():
        raise SettingsError(f"环境变量 KONGCUO_HOLIDAYS 指定的节假日调整文件 {path} 不存在；请检查路径")
    try:
        extra_holidays, extra_workdays = read_override_file(path)
    except ValueError as e:
        raise SettingsError(f"{e}（KONGCUO_HOLIDAYS）") from None
    return path, extra_holidays, extra_workdays


@dataclass(frozen=True)
class Settings:
    cutoff_month: int = 8
    cutoff_day: int = 31
    holiday_file: Path | None = None
    # The county's corrections to the official calendar, read from holiday_file once.
    extra_holidays: tuple[date, ...] = ()
    extra_workdays: tuple[date, ...] = ()
    low_bandwidth: bool = False

    def calendar(self) -> WorkCalendar:
        """The official working-day calendar with the county's corrections."""
        return WorkCalendar(self.extra_holidays, self.extra_workdays)

    def cutoff(self, today: date) -> date:
        """The school-year cutoff date ages are counted at, on or before ``today``."""
        return school_year_cutoff(today, self.cutoff_month, self.cutoff_day)

    @classmethod
    def from_env(cls) -> "Settings":
        """Read and check every setting; raises SettingsError on the first bad one."""
        month, day = _cutoff(os.environ.get("KONGCUO_CUTOFF") or "08-31")
        holiday_file, extra_holidays, extra_workdays = _corrections(os.environ.get("KONGCUO_HOLIDAYS"))
        low = _flag("KONGCUO_LOW_BANDWIDTH")
        if low is None:
            # A slow link cannot be detected; over SSH we assume it may be one.
            low = bool(os.environ.get("SSH_CONNECTION"))
        return cls(
            cutoff_month=month,
            cutoff_day=day,
            holiday_file=holiday_file,
            extra_holidays=extra_holidays,
            extra_workdays=extra_workdays,
            low_bandwidth=low,
        )
