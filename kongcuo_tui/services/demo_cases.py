"""Demo persuasion cases in every stage, added on top of the generated ledger rows.

A second pass with its own random stream, so the ledger rows of a seed stay exactly as they
were; it only adds persuasion records and, for closed cases, `closed_on`. A-class rows carry
their case as far as their dates allow (some stall and become overdue); B2 rows get the story
of a child who was persuaded back; B6 rows are closed by 超龄销号 and B9 rows as 失踪.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from ..db.bulk import bulk_insert
from ..db import case_deadlines
from ..db.connection import db
from ..db.models import Entry, FollowUp, Persuasion
from ..domain import persuasion as P
from ..domain.codes import CodeClass, codes_in
from ..domain.regions import region_name

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


def add_cases(seed: int, batch_id: int, today: date, login: str, at) -> None:
    """The persuasion cases of the batch's rows; ``at(day, hour)`` is demo._clock's recording time."""
    rng = random.Random(f"kongcuo-demo-cases-{seed}")
    rows = _rows(batch_id)
    have: dict[int, int] = {}
    for eid, n in (Persuasion.select(Persuasion.entry, Persuasion.round)
                   .join(Entry).where((Entry.batch == batch_id) & (Persuasion.kind == "school")).tuples()):
        have[eid] = max(have.get(eid, 0), n)
    a_codes = set(codes_in(CodeClass.PERSUADE))
    persuasion, steps, closed = [], [], []
    with_records = set(have)  # rows with no record have no deadline to store
    showcase = list(_SHOWCASE)
    units_of: dict[tuple[str, str, str], tuple[str, ...]] = {}  # a few hundred distinct inputs
    for eid, code, pd, birth, region, id_number, reason, groups, school in rows:
        s = _Story(rng, eid, login, today)
        units = units_of.get((code, reason, groups))
        if units is None:
            units = units_of[code, reason, groups] = P.partner_units(code, reason, groups).units
        if not code and showcase:  # whatever the dates of the rest, each stage has a case on time
            _showcase(s, showcase.pop(0), units)
        elif not code:
            if rng.random() < 0.08:  # a school has just started on a child not yet classified
                start = today - timedelta(days=rng.randrange(2, 12))
                s.step("absence", start)
                s.attempts(start + timedelta(days=1), upto=rng.randint(1, 2))
            s.persuasion = [p for p in s.persuasion if p["on"] <= today]
        elif code in a_codes:
            _a_case(s, pd, have.get(eid, 0), units)
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
                closed.append((eid, on))
        if s.persuasion or s.steps:
            with_records.add(eid)
        persuasion += s.persuasion
        steps += s.steps
        if len(persuasion) >= _WRITE_EVERY:
            _write(persuasion, steps, at)
            persuasion, steps = [], []
    _write(persuasion, steps, at)
    # With the school attempts demo.py wrote before: the stored deadlines of the rows with records.
    case_deadlines.refresh(with_records)
    by_day: dict[date, list[int]] = {}  # one UPDATE per closing day, not per row
    for eid, on in closed:
        by_day.setdefault(on, []).append(eid)
    for on, eids in by_day.items():
        for i in range(0, len(eids), 900):  # under SQLite's parameter limit
            Entry.update(closed_on=on).where(Entry.id.in_(eids[i:i + 900])).execute()


_WRITE_EVERY = 20_000  # records held at a time: memory stays flat in the ledger's size


def _rows(batch_id: int, page: int = 20_000):
    """The batch's rows in id order, a primary-key range at a time (not a million tuples at once).

    Straight from the driver: peewee's conversion of every value cost more than the stories;
    the two dates are converted here (SQLite gives them as text).
    """
    after = 0
    while True:
        page_rows = db.execute(Entry.select(Entry.id, Entry.code, Entry.proof_date, Entry.birth_date, Entry.region,
                                            Entry.id_number, Entry.dropout_reason, Entry.watch_groups,
                                            Entry.study_school)
                               .where((Entry.batch == batch_id) & (Entry.id > after)).order_by(Entry.id)
                               .limit(page)).fetchall()
        for eid, code, pd, birth, *rest in page_rows:
            yield (eid, code, case_deadlines.as_date(pd), case_deadlines.as_date(birth), *rest)
        if len(page_rows) < page:
            return
        after = page_rows[-1][0]


def _write(persuasion: list[dict], steps: list[dict], at) -> None:
    for row in persuasion + steps:  # recorded the day it happened, so past reports have it
        row["recorded_at"] = at(row["on"], 17)
    bulk_insert(Persuasion, persuasion)
    bulk_insert(FollowUp, steps)


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
