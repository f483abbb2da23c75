"""One child's persuasion case as a timeline: every recorded step oldest first, with the
deadlines between them (due, done, overdue), the current stage and what is due next."""

from __future__ import annotations

from datetime import date

from ..domain.terminal import terminal_safe
from ..domain.workdays import WorkCalendar
from ..services.persuasion import Case


def _t(text: str) -> str:
    return terminal_safe(text).replace("[", r"\[")


def _milestone(label: str, due: date, done: date | None, today: date) -> str:
    if done is not None:
        status = f"逾期完成（{done:%m-%d}）" if done > due else f"已完成（{done:%m-%d}）"
    else:
        status = "[b]已逾期[/b]" if today > due else "未到期"
    return f"  -- {due:%Y-%m-%d} 期限：{_t(label)}  {status}"


def now_line(c: Case, calendar: WorkCalendar, today: date) -> str:
    """'当前阶段：联合劝返  下一期限 2026-12-05 第2次联合劝返（还剩 4 个工作日）'."""
    s = c.state
    line = f"  当前阶段：{s.stage}"
    if s.due is None:
        return line + (f"\n  应办：{_t(s.due_what)}（尚无首次缺课日期，期限未定）" if s.due_what else "")
    left = s.days_left(calendar, today)
    when = f"[b]已逾期 {-left} 个工作日[/b]" if s.overdue else f"还剩 {left} 个工作日"
    return line + f"\n  下一期限 {s.due:%Y-%m-%d}：{_t(s.due_what)}（{when}）"


def timeline_lines(c: Case, calendar: WorkCalendar, today: date) -> list[str]:
    """Markup lines, one fact per line, short enough for 80 columns."""
    items: list[tuple[date, int, str]] = []
    for n, r in enumerate(c.recorded):
        text = f"  {r.on:%Y-%m-%d} {_t(r.summary)}"
        for line in r.detail.splitlines():
            text += f"\n      {_t(line)}"
        items.append((r.on, n, text))
    # A deadline met shows under the step that met it; one still open (or missed) at its date.
    for m in c.state.milestones:
        if m.due is not None:
            at = m.done_on if m.done_on is not None else m.due
            items.append((at, len(items) + 10**6, _milestone(m.label, m.due, m.done_on, today)))
    if c.age_out_on is not None and c.state.due is not None:
        items.append((c.age_out_on, 2 * 10**6, f"  -- {c.age_out_on:%Y-%m-%d} 满16周岁（超龄），可超龄销号"))
    if not c.recorded:  # not a case yet (or never one: a B row)
        return ["  尚无劝返记录（按 r 录入）"]
    lines = [now_line(c, calendar, today)]
    lines += [text for _, _, text in sorted(items)]
    return lines
