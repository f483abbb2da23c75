"""Settings read from the environment, with defaults that work on a laptop."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir


def data_dir() -> Path:
    return Path(os.environ.get("KONGCUO_HOME") or user_data_dir("kongcuo-tui", appauthor=False))


def default_db_url() -> str:
    return f"sqlite:///{data_dir() / 'kongcuo.db'}"


def current_login() -> str:
    """The Unix account this process runs as: over SSH each registrar has their own.

    Never $USER, $LOGNAME or $KONGCUO_USER: anyone can set those to another name.
    """
    import pwd

    return pwd.getpwuid(os.getuid()).pw_name


def is_superuser() -> bool:
    return os.getuid() == 0


def _flag(name: str) -> bool | None:
    v = os.environ.get(name)
    if v is None or v == "":
        return None
    return v.strip().lower() not in ("0", "false", "no", "off")


@dataclass(frozen=True)
class Settings:
    cutoff_month: int = 8
    cutoff_day: int = 31
    holiday_file: Path | None = None
    low_bandwidth: bool = False

    @classmethod
    def from_env(cls) -> "Settings":
        cutoff = os.environ.get("KONGCUO_CUTOFF", "08-31")
        month, day = (int(x) for x in cutoff.split("-"))
        holiday = os.environ.get("KONGCUO_HOLIDAYS")
        low = _flag("KONGCUO_LOW_BANDWIDTH")
        if low is None:
            # A slow link cannot be detected; over SSH we assume it may be one.
            low = bool(os.environ.get("SSH_CONNECTION"))
        return cls(
            cutoff_month=month,
            cutoff_day=day,
            holiday_file=Path(holiday) if holiday else data_dir() / "holidays.json",
            low_bandwidth=low,
        )
