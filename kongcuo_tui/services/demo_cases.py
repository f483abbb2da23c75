"""Demo persuasion cases in every stage, added on top of the generated ledger rows.

With its own random stream, so the ledger rows of a seed stay exactly as they were; it only
adds persuasion records, their stored deadlines and, for closed cases, `closed_on`. A-class rows carry
their case as far as their dates allow (some stall and become overdue); B2 rows get the story
of a child who was persuaded back; B6 rows are closed by 超龄销号 and B9 rows as 失踪.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from ..db import case_deadlines
from ..domain import persuasion as P
from ..domain.codes import CodeClass, codes_in
from ..domain.regions import region_name
from ..domain.workdays import WorkCalendar

_PEOPLE = ("李老师", "王老师", "张老师", "刘老师")
_JOINT_PEOPLE = ("教育局王股长、镇政府赵主任", "刘校长、村委会陈书记", "派出所孙警官、镇政府赵主任")
_RESULTS = ("家长表示会做孩子工作，学生暂未返校", "学生表示不愿上学，继续劝导", "监护人外出务工，电话联系未果")


class _Story:
    def __init__(self, rng: random.Random, eid: int, login: str, today: date):
        self.rng, self.eid, self.login, self.today = rng, eid, login, today
        self.persuasion: list[dict] = []
        self.steps: list[dict] = []

    def attempts(self, first: date, have: int = 0, upto: int = 3) -> None:
        """School attempts `have`+1 … `upto`, three days apart from `first`."""
        for r in range(have + 1, upto + 1):
            on = first + timedelta(days=3 * (r - 1))
            self.persuasion.append({
                "entry": self.eid, "kind": "school", "round": r, "on": on,
                "at": datetime.combine(on, time(9 + self.rng.randrange(8), 30)),
                "party": P.SCHOOL_ROLES[(r - 1) % 4], "method": self.rng.choice(P.METHODS),
                "process_result": self.rng.choice(_RESULTS), "signer": self.rng.choice(_PEOPLE),
                "phone": f"139{self.rng.randrange(10**8):08d}", "recorded_by": self.login,
            })

    def step(self, kind: str, on: date, **values) -> bool:
        if on > self.today:
            return False
        self.steps.append({"entry": self.eid, "kind": kind, "on": on, "recorded_by": self.login, **values})
        return True

    def rounds(self, start: date, n: int, units: tuple[str, ...], kind: str = "joint") -> date | None:
        last = None
        for r in range(1, n + 1):
            on = start + timedelta(days=6 * r + self.rng.randrange(3))
            if on > self.today:
                break
            self.persuasion.append({
                "entry": self.eid, "kind": kind, "round": r, "on": on, "party": "", "units": ",".join(units),
                "method": self.rng.choice(P.METHODS), "process_result": self.rng.choice(_RESULTS),
                "signer": self.rng.choice(_JOINT_PEOPLE), "phone": f"0377-6{self.rng.randrange(10**6):06d}",
                "recorded_by": self.login,
            })
            last = on
        return last


class Cases:
    """The demo's persuasion cases, a chunk of ledger rows at a time, before the rows are written.

    Each chunk's stories come from one random stream in row order (the draws do not depend on
    the chunk size), and their deadlines are computed from the records made here, so that the
    rows go in with their `overdue_after` and `closed_on` set: nothing is read back or updated.
    ``at(day, hour)`` is demo._clock's recording time.
    """

    def __init__(self, seed: int, today: date, login: str, at):
        self.rng = random.Random(f"kongcuo-demo-cases-{seed}")
        self.today, self.login, self.at = today, login, at
        self.a_codes = set(codes_in(CodeClass.PERSUADE))
        self.showcase = list(_SHOWCASE)
        self.units_of: dict[tuple[str, str, str], tuple[str, ...]] = {}  # a few hundred distinct inputs
        self.calendar = WorkCalendar()

    def add(self, entries: list[dict], attempts: list[dict]) -> tuple[list[dict], list[dict], list[tuple[int, list]]]:
        """The cases of `entries` (rows as bulk_insert takes them), whose school attempts demo.py
        drew are `attempts` (their "entry" is the row's index in `entries`).

        Sets every row's overdue_after and closed_on; returns the persuasion and follow-up rows
        to insert after `attempts` (entry: the row's index) and (index, deadline history) of the
        rows with records.
        """
        rng, today, login = self.rng, self.today, self.login
        own: dict[int, list[dict]] = {}
        for p in attempts:
            own.setdefault(p["entry"], []).append(p)
        persuasion, steps, histories = [], [], []
        for i, e in enumerate(entries):
            code, pd, birth, region, id_number = (e.get("code", ""), e.get("proof_date"), e["birth_date"], e["region"],
                                                  e["id_number"])
            reason, groups, school = e["dropout_reason"], e["watch_groups"], e.get("study_school", "")
            s = _Story(rng, i, login, today)
            units = self.units_of.get((code, reason, groups))
            if units is None:
                units = self.units_of[code, reason, groups] = P.partner_units(code, reason, groups).units
            closed_on = None
            if not code and self.showcase:  # whatever the dates of the rest, each stage has a case on time
                _showcase(s, self.showcase.pop(0), units)
            elif not code:
                if rng.random() < 0.08:  # a school has just started on a child not yet classified
                    start = today - timedelta(days=rng.randrange(2, 12))
                    s.step("absence", start)
                    s.attempts(start + timedelta(days=1), upto=rng.randint(1, 2))
                s.persuasion = [p for p in s.persuasion if p["on"] <= today]
            elif code in self.a_codes:
                _a_case(s, pd, max((p["round"] for p in own.get(i, ()) if p["kind"] == "school"), default=0), units)
                hukou = id_number[:6]
                if hukou.isdigit() and hukou[:2] != region[:2] and rng.random() < 0.5:
                    s.step("letter", pd, party=f"{region_name(hukou)}教育局", region=hukou,
                           note="已函告户籍地教育行政部门并电话移交劝返工作")
            elif code == "B2" and rng.random() < 0.3:
                s.attempts(pd - timedelta(days=30))
                s.step("report", pd - timedelta(days=20))
                s.step("notice", pd - timedelta(days=19), subkind=P.NOTICE_KINDS[0])
                s.rounds(pd - timedelta(days=19), 1, units)
                s.step("return", pd - timedelta(days=2), party=school)
            elif code in ("B6", "B9") and birth is not None and rng.random() < 0.6:
                on = max(pd, P.age_out_date(birth, (8, 31))) if code == "B6" else pd
                s.attempts(pd - timedelta(days=60))
                s.step("report", pd - timedelta(days=50))
                s.step("notice", pd - timedelta(days=49), subkind=P.NOTICE_KINDS[0])
                s.rounds(pd - timedelta(days=49), 3, units)
                if s.step("close", on, subkind="超龄销号" if code == "B6" else "失踪",
                          approved_by="县教体局学籍股" if code == "B6" else "派出所证明"):
                    closed_on = on
            for row in s.persuasion + s.steps:  # recorded the day it happened, so past reports have it
                row["recorded_at"] = self.at(row["on"], 17)
            history = []
            if s.persuasion or s.steps or i in own:  # rows with no record have no deadline to store
                history = case_deadlines.history(own.get(i, []) + s.persuasion, s.steps, self.calendar)
                histories.append((i, history))
            e["overdue_after"], e["closed_on"] = case_deadlines.current(history), closed_on
            persuasion += s.persuasion
            steps += s.steps
        return persuasion, steps, histories


def _a_case(s: _Story, pd: date, have: int, units: tuple[str, ...]) -> None:
    """As far as the dates allow: the school's attempts before `pd`, then the county's steps."""
    progress = s.rng.choices(range(5), [3, 1, 2, 4, 2])[0]
    if progress == 0:
        return  # the school's attempts as generated: some short of three, some overdue
    s.attempts(pd - timedelta(days=9), have)
    if not s.step("report", pd - timedelta(days=1)) or progress == 1:
        return
    notice = pd - timedelta(days=1) + timedelta(days=s.rng.choice((1, 1, 2, 3)))
    if not s.step("notice", notice, subkind=P.NOTICE_KINDS[s.rng.randrange(2)]) or progress == 2:
        return
    last = s.rounds(notice, s.rng.randint(1, 3) if progress == 3 else 3, units)
    if progress == 4 and last is not None:
        kind = s.rng.choice(P.PROCEDURE_KINDS[1:])
        body = P.APPROVING_BODIES[s.rng.randrange(3)]
        if s.step("procedure", last + timedelta(days=5), subkind=kind, approved_by=body):
            s.rounds(last + timedelta(days=5), s.rng.randint(0, 2), units, kind="continued")


# Days before today of: school attempts, report, notice, joint rounds, procedure.
_SHOWCASE = (
    ((12, 9, 6), 1, None, (), None),  # 待发通知书, due tomorrow
    ((14, 11, 8), 5, 3, (), None),  # 限期返校
    ((30, 27, 24), 20, 19, (8,), None),  # 联合劝返, second round due
    ((60, 57, 54), 50, 49, (40, 30, 20), 10),  # 后续手续, continued persuasion due next quarter
)


def _showcase(s: _Story, plan: tuple, units: tuple[str, ...]) -> None:
    attempts, report, notice, rounds, procedure = plan
    days = s.today.toordinal()
    s.attempts(date.fromordinal(days - attempts[0]))
    s.step("report", date.fromordinal(days - report))
    if notice is not None:
        s.step("notice", date.fromordinal(days - notice), subkind=P.NOTICE_KINDS[0])
    for k, ago in enumerate(rounds, 1):
        s.persuasion.append({
            "entry": s.eid, "kind": "joint", "round": k, "on": date.fromordinal(days - ago), "party": "",
            "units": ",".join(units), "method": P.METHODS[2], "process_result": _RESULTS[0],
            "signer": _JOINT_PEOPLE[k % 3], "phone": "0377-66001234", "recorded_by": s.login,
        })
    if procedure is not None:
        s.step("procedure", date.fromordinal(days - procedure), subkind="休学", approved_by=P.APPROVING_BODIES[0])
