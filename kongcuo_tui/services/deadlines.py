"""Persuasion deadlines on the official working-day calendar (附件6, Tanghe plan).

The detail screen's summary of the school and joint rounds; the case's stage and next
deadline are domain/persuasion.py's case_state (services/persuasion.py's case()).

A school must persuade a suspected dropout at least 3 times within 10 working days of the
first attempt; after the 限期返校通知书 the guardian has 5 working days; joint persuasion
needs at least 3 rounds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..domain.persuasion import JOINT_MIN_ROUNDS, RETURN_WORKDAYS, SCHOOL_WINDOW_WORKDAYS
from ..domain.persuasion import SCHOOL_MIN_ATTEMPTS as SCHOOL_MIN_ROUNDS
from ..domain.workdays import WorkCalendar
from .types import PersuasionInfo


@dataclass(frozen=True)
class Deadline:
    label: str
    due: date | None
    met: bool
    detail: str


def persuasion_deadlines(attempts: list[PersuasionInfo], cal: WorkCalendar, today: date) -> list[Deadline]:
    """Where this child's persuasion stands against the required rounds and windows."""
    out: list[Deadline] = []
    school = sorted(a.on for a in attempts if a.kind == "school")
    if school:
        due = cal.add_workdays(school[0], SCHOOL_WINDOW_WORKDAYS)
        in_window = sum(1 for d in school if d <= due)
        met = in_window >= SCHOOL_MIN_ROUNDS
        left = "" if met or today > due else f"，还剩 {cal.workdays_between(today, due)} 个工作日"
        out.append(Deadline(
            "学校劝返", due, met,
            f"首次 {school[0]:%Y-%m-%d}，{SCHOOL_WINDOW_WORKDAYS} 个工作日内（至 {due:%Y-%m-%d}）"
            f"已劝返 {in_window} 次，要求不少于 {SCHOOL_MIN_ROUNDS} 次{left}",
        ))
    joint = {a.round for a in attempts if a.kind == "joint"}
    if joint or school:
        out.append(Deadline(
            "联合劝返", None, len(joint) >= JOINT_MIN_ROUNDS,
            f"已开展 {len(joint)} 轮，要求不少于 {JOINT_MIN_ROUNDS} 轮",
        ))
    return out


def return_deadline(notice_served: date, cal: WorkCalendar) -> date:
    """The last day to return to school after the 限期返校通知书 was served."""
    return cal.add_workdays(notice_served, RETURN_WORKDAYS)
