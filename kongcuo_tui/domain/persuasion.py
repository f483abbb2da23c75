"""One child's persuasion case: its stage, the next deadline, and whether it is overdue.

The authority is 附件6 of the Jiyuan seed (控辍保学工作流程) and the Tanghe plan:
- school: "对无故5日未到校学生启动疑似辍学排查整改工作，落实专人动员劝返,10个工作日内连续劝返
  不少于3次" (附件6 一.4) — at least 3 attempts within 10 working days of the start;
- county: "收到学校报送的义务教育阶段学生辍学情况报告后，2日内向学生监护人发放《限期返校通知书》，
  责令限期5个工作日复学，并与相关部门组成联合劝返组开展不少于3次劝返工作" (附件6 二);
- after that: procedures (请假/休学/延缓入学) and continued persuasion (附件6 三); the county re-checks
  "每季度开展一次…劝返复学工作" (附件6 一.4).
Working days come from a WorkCalendar (法定节假日 and 调休). Pure: no database, no clock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

from .workdays import WorkCalendar

SCHOOL_WINDOW_WORKDAYS = 10
SCHOOL_MIN_ATTEMPTS = 3
# "2日内" in the same sentence as "5个工作日": the seed says 工作日 where it means working days,
# so the 2 days for the notice are calendar days (附件6 二).
NOTICE_CALENDAR_DAYS = 2
RETURN_WORKDAYS = 5
JOINT_MIN_ROUNDS = 3
# The seed sets no pace for the joint rounds. We let no round wait more than 10 working days
# after the step before it (the notice for the first round), the school stage's window: a
# case cannot sit idle, and 3 rounds fit in one school month.
JOINT_ROUND_WORKDAYS = 10
# After the joint rounds fail, the procedure is due on the same pace.
PROCEDURE_WORKDAYS = 10
AGE_OUT_YEARS = 16  # B6 超龄: 16 周岁 and over


class Stage(StrEnum):
    SCHOOL = "学校劝返"
    NOTICE = "待发通知书"
    DEADLINE = "限期返校"
    JOINT = "联合劝返"
    PROCEDURES = "后续手续"
    RETURNED = "已复学"
    CLOSED = "已销号"


SCHOOL_ROLES = ("班主任", "年级组长", "副校长", "校长")
METHODS = ("电话沟通", "微信联络", "入户劝导")
NOTICE_KINDS = ("限期返校通知书", "劝返通知书")
PROCEDURE_KINDS = ("请假", "休学", "延缓入学")
APPROVING_BODIES = ("县级人民政府", "县残疾人教育专家委员会", "县乡村振兴局")
CLOSING_KINDS = ("超龄销号", "失踪", "死亡")
# Units of a joint round (登记表 rows: 学校 / 教育行政部门 / 乡镇政府、居（村）委会 /
# 司法、公安、人社、残联、民宗等部门 / 其他相关部门); the departments are kept apart so the
# partner suggested by the dropout reason can be named.
UNITS: dict[str, str] = dict(
    school="学校",
    education="教育行政部门",
    township="乡镇政府、居（村）委会",
    justice="司法",
    police="公安",
    hrss="人社",
    disabled="残联",
    civil="民政",
    religion="宗教事务",
    other="其他相关部门",
)
DEPARTMENTS = ("justice", "police", "hrss", "disabled", "civil", "religion")  # the 登记表's 4th row
BASE_UNITS = ("school", "education", "township")


@dataclass(frozen=True)
class SchoolAttempt:
    at: datetime
    role: str
    person: str
    method: str
    process_result: str = ""
    phone: str = ""


@dataclass(frozen=True)
class JointRound:
    on: date
    units: tuple[str, ...]
    method: str
    process_result: str = ""
    people: str = ""
    phone: str = ""
    continued: bool = False  # 继续劝返, after the joint rounds failed


@dataclass(frozen=True)
class Procedure:
    kind: str  # PROCEDURE_KINDS
    approved_by: str
    on: date


@dataclass(frozen=True)
class Return:
    on: date
    school: str


@dataclass(frozen=True)
class Closing:
    kind: str  # CLOSING_KINDS
    on: date
    by: str


@dataclass(frozen=True)
class Letter:
    on: date
    to_county: str  # the receiving bureau, e.g. 江苏省徐州市云龙区教育局
    note: str = ""  # the hand-over (移交情况)
    to_region: str = ""  # its county code, when known


@dataclass(frozen=True)
class CaseRecords:
    absent_since: date | None = None  # first day of unexplained absence (疑似辍学 from)
    attempts: tuple[SchoolAttempt, ...] = ()
    reported_on: date | None = None  # 登记表 reported to township and county
    notice_on: date | None = None
    notice_kind: str = ""
    rounds: tuple[JointRound, ...] = ()
    procedures: tuple[Procedure, ...] = ()
    returned: Return | None = None
    closed: Closing | None = None
    letters: tuple[Letter, ...] = ()


@dataclass(frozen=True)
class Milestone:
    """One required step of the timeline: when it was due and when (if) it was done."""

    label: str
    due: date | None
    done_on: date | None

    @property
    def late(self) -> bool:
        return self.due is not None and self.done_on is not None and self.done_on > self.due


@dataclass(frozen=True)
class CaseState:
    stage: Stage
    due: date | None  # the next deadline; None when nothing is due or its start is unknown
    due_what: str  # e.g. "第3次学校劝返"; "" when the case has ended
    overdue: bool
    milestones: tuple[Milestone, ...] = field(default_factory=tuple)

    def days_left(self, calendar: WorkCalendar, today: date) -> int | None:
        """Working days from today to the deadline (negative: overdue by that many)."""
        return None if self.due is None else calendar.workdays_between(today, self.due)


def return_deadline(notice_served: date, calendar: WorkCalendar) -> date:
    """The last day to return to school after the 限期返校通知书 was served (5 working days)."""
    return calendar.add_workdays(notice_served, RETURN_WORKDAYS)


def case_state(records: CaseRecords, calendar: WorkCalendar, today: date) -> CaseState:
    """Where the case stands on ``today``: overdue means today is after the due date."""
    ms: list[Milestone] = []
    stage, due, what = _stage(records, calendar, today, lambda *m: ms.append(Milestone(*m)))
    return CaseState(stage, due, what, due is not None and today > due, tuple(ms))


def _skip(label: str, due: date | None, done_on: date | None) -> None:
    pass


def _stage(r: CaseRecords, calendar: WorkCalendar, today: date,
           milestone: Callable[[str, date | None, date | None], None]) -> tuple[Stage, date | None, str]:
    """case_state's stage, due date and what is due; passes each milestone to ``milestone``
    (overdue_after, run at every recorded moment of every case, builds none)."""
    school, school_due = _school(r, calendar, milestone)
    if r.closed is not None:
        return Stage.CLOSED, None, ""
    if r.returned is not None:
        return Stage.RETURNED, None, ""
    if r.reported_on is None:
        return Stage.SCHOOL, school_due, school
    notice_due = r.reported_on + timedelta(days=NOTICE_CALENDAR_DAYS)
    milestone("发放限期返校通知书", notice_due, r.notice_on)
    if r.notice_on is None:
        return Stage.NOTICE, notice_due, "发放限期返校通知书"
    return_due = return_deadline(r.notice_on, calendar)
    milestone("限期返校", return_due, None)
    joint = sorted((x for x in r.rounds if not x.continued), key=lambda x: x.on)
    anchor = r.notice_on
    for k, x in enumerate(joint[:JOINT_MIN_ROUNDS], 1):
        milestone(f"第{k}次联合劝返", calendar.add_workdays(anchor, JOINT_ROUND_WORKDAYS), x.on)
        anchor = x.on
    if len(joint) < JOINT_MIN_ROUNDS:
        if not joint and today <= return_due:
            return Stage.DEADLINE, return_due, "限期返校（通知书后5个工作日）"
        due = calendar.add_workdays(anchor, JOINT_ROUND_WORKDAYS)
        return Stage.JOINT, due, f"第{len(joint) + 1}次联合劝返"
    last = max(x.on for x in r.rounds)
    if not r.procedures:
        due = calendar.add_workdays(joint[-1].on, PROCEDURE_WORKDAYS)
        milestone("办理请假、休学、延缓入学等手续", due, None)
        return Stage.PROCEDURES, due, "办理请假、休学、延缓入学等手续"
    latest = max(last, max(p.on for p in r.procedures))
    return Stage.PROCEDURES, next_quarter_end(latest), "继续劝返（每季度一次）"


def overdue_after(records: CaseRecords, calendar: WorkCalendar) -> date | None:
    """The last day the case is on time: ``case_state(records, calendar, d).overdue`` holds
    exactly for the days d after it (None: never — ended, or nothing to count from).

    Every deadline case_state gives is a function of the records but one: before the first
    joint round it shows the 限期返校 date until that passes, and from then the first round's
    deadline, which is later; neither is overdue before the round's deadline. So the state
    asked on the last day there is gives the one date. Stored per case (services.case_deadlines)
    so that reports and the ledger count overdue cases in SQL.
    """
    stage, due, _ = _stage(records, calendar, date.max, _skip)
    return None if stage in (Stage.RETURNED, Stage.CLOSED) else due


def _school(r: CaseRecords, calendar: WorkCalendar, milestone: Callable) -> tuple[str, date | None]:
    """What the school stage still needs and by when; passes its milestones on."""
    days = sorted(a.at.date() for a in r.attempts)
    start = r.absent_since or (days[0] if days else None)
    if start is None:
        return "第1次学校劝返", None
    end = calendar.add_workdays(start, SCHOOL_WINDOW_WORKDAYS)
    inside = [d for d in days if start <= d <= end]
    for k in range(SCHOOL_MIN_ATTEMPTS):
        milestone(f"第{k + 1}次学校劝返", end, inside[k] if k < len(inside) else None)
    milestone("上报辍学学生登记表", end, r.reported_on)
    if len(inside) < SCHOOL_MIN_ATTEMPTS:
        return f"第{len(days) + 1}次学校劝返", end
    return "上报辍学学生登记表", end


def next_quarter_end(d: date) -> date:
    """The last day of the calendar quarter after the one ``d`` is in."""
    q = (d.month - 1) // 3 + 1  # 1..4
    year, q = (d.year + 1, 1) if q == 4 else (d.year, q + 1)
    first_after = date(year + 1, 1, 1) if q == 4 else date(year, 3 * q + 1, 1)
    return first_after - timedelta(days=1)


def age_out_date(birth_date: date, cutoff: tuple[int, int] | None = None) -> date:
    """The first day the child counts as 16 (超龄, B6) and the case may be closed by 超龄销号.

    ``cutoff`` None: the 16th birthday (29 February → 1 March). With the province's cutoff
    (month, day), ages count at that date each year (DOMAIN.md: age at the cutoff), so the
    child ages out at the first cutoff on or after the 16th birthday.
    """
    try:
        birthday = birth_date.replace(year=birth_date.year + AGE_OUT_YEARS)
    except ValueError:  # born on 29 February, 16 years later is a common year
        birthday = date(birth_date.year + AGE_OUT_YEARS, 3, 1)
    if cutoff is None:
        return birthday
    month, day = cutoff
    at = _month_day(birthday.year, month, day)
    return at if at >= birthday else _month_day(birthday.year + 1, month, day)


def _month_day(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:  # a 02-29 cutoff in a common year
        return date(year, 2, 28)


def may_age_out(birth_date: date | None, today: date, cutoff: tuple[int, int] | None = None) -> bool:
    return birth_date is not None and age_out_date(birth_date, cutoff) <= today


_REASON_WORDS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("不履行", "无人照管", "不送", "放任", "监护缺失"), ("justice",)),
    (("打工", "务工", "务农"), ("hrss", "police")),
    (("残疾", "残", "身体原因", "患病"), ("disabled",)),
    (("早婚", "早育"), ("civil",)),
    (("信教", "宗教", "寺"), ("religion",)),
    (("失联", "失去联系", "下落不明"), ("police",)),
)
_CODE_UNITS = {"A1": ("hrss", "police"), "A3": ("disabled",), "A4": ("justice",), "A5": ("religion",),
               "A6": ("civil",), "B9": ("police",)}
_WATCH_UNITS = {"留守": ("civil",), "困境": ("civil",), "孤儿": ("civil",)}


@dataclass(frozen=True)
class Partners:
    units: tuple[str, ...]  # UNITS keys, pre-selected on a joint round (base units first)
    home_teaching: bool  # 残联 cases: 送教上门 / 远程教学 (附件6 二)

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(UNITS[u] for u in self.units)


def partner_units(code: str = "", reason: str = "", watch_groups: str | tuple[str, ...] = "") -> Partners:
    """The units a joint round should include, from the code, 疑似辍学原因 and 重点监测群体.

    附件6 二: guardian neglect → 司法; working away → 人社、公安; disability → 残联 with
    送教上门; early marriage, left-behind or distressed children → 民政; religion → 宗教事务;
    lost contact → 公安. A suggestion only: the registrar may change it.
    """
    found: list[str] = list(_CODE_UNITS.get(code.strip().upper(), ()))
    for words, units in _REASON_WORDS:
        if any(w in reason for w in words):
            found += units
    groups = watch_groups.split(",") if isinstance(watch_groups, str) else watch_groups
    for g in groups:
        found += _WATCH_UNITS.get(g.strip(), ())
    ordered = BASE_UNITS + tuple(u for u in DEPARTMENTS if u in found)
    return Partners(ordered, "disabled" in found)


def parse_units(text: str) -> tuple[str, ...]:
    """Stored unit keys ("school,police") back to a tuple, in UNITS order; unknown keys kept last."""
    keys = [k for k in (p.strip() for p in text.split(",")) if k]
    return tuple(k for k in UNITS if k in keys) + tuple(k for k in keys if k not in UNITS)


def unit_labels(units: tuple[str, ...]) -> str:
    return "、".join(UNITS.get(u, u) for u in units)


# What each record must hold before it is saved; Chinese reasons, empty when it may be saved.
# Each reason is a plain string (the services join them) that also names the form field it
# belongs to (`Reason.field`), so a form shows it next to that field.

class Reason(str):
    """A Chinese reason a record may not be saved, and the field (F_*) it is about."""

    field: str

    def __new__(cls, text: str, field: str = "") -> "Reason":
        out = super().__new__(cls, text)
        out.field = field
        return out


# Field names of the persuasion forms (the keys of Reason.field).
F_ON, F_ROLE, F_PERSON, F_METHOD, F_RESULT, F_PHONE = "on", "role", "person", "method", "process_result", "phone"
F_UNITS, F_PEOPLE, F_KIND, F_BODY, F_SCHOOL, F_COUNTY, F_NOTE, F_BY = (
    "units", "people", "kind", "approved_by", "school", "to_county", "note", "by")


def _date_errors(label: str, d: date | None, today: date, birth: date | None = None) -> list[str]:
    if d is None:
        return [Reason(f"请填写{label}", F_ON)]
    if d > today:
        return [Reason(f"{label} {d:%Y-%m-%d} 晚于今天，不能填写将来的日期", F_ON)]
    if birth is not None and d < birth:
        return [Reason(f"{label} {d:%Y-%m-%d} 早于出生日期", F_ON)]
    return []


def _text_errors(items: tuple[tuple[str, str, str, str], ...]) -> list[str]:
    from .lengths import too_long

    return [Reason(r, name) for label, key, value, name in items if (r := too_long(label, key, value.strip()))]


def check_attempt(a: SchoolAttempt, today: date, birth: date | None = None) -> list[str]:
    out = _date_errors("劝返时间", a.at.date() if a.at else None, today, birth)
    if not a.role.strip():
        out.append(Reason("请填写责任人职务（班主任、年级组长、副校长、校长或其他）", F_ROLE))
    if not a.person.strip():
        out.append(Reason("请填写劝返责任人姓名", F_PERSON))
    if not a.method.strip():
        out.append(Reason("请填写劝返方式（电话沟通、微信联络、入户劝导等）", F_METHOD))
    return out + _text_errors((
        ("责任人职务", "persuasion.party", a.role, F_ROLE), ("劝返责任人", "persuasion.signer", a.person, F_PERSON),
        ("劝返方式", "persuasion.method", a.method, F_METHOD),
        ("劝返过程及结果", "persuasion.process_result", a.process_result, F_RESULT),
        ("联系电话", "persuasion.phone", a.phone, F_PHONE)))


def check_round(r: JointRound, today: date, birth: date | None = None) -> list[str]:
    out = _date_errors("劝返时间", r.on, today, birth)
    if not r.units:
        out.append(Reason("请选择参加劝返的单位（学校、教育行政部门、乡镇政府等，可多选）", F_UNITS))
    unknown = [u for u in r.units if u not in UNITS]
    if unknown:
        out.append(Reason(f"劝返单位“{'、'.join(unknown)}”无法识别", F_UNITS))
    if not r.method.strip():
        out.append(Reason("请填写劝返方式（电话沟通、微信联络、入户劝导等）", F_METHOD))
    if not r.people.strip():
        out.append(Reason("请填写劝返人员", F_PEOPLE))
    return out + _text_errors((
        ("劝返单位", "persuasion.units", ",".join(r.units), F_UNITS),
        ("劝返方式", "persuasion.method", r.method, F_METHOD),
        ("劝返人员", "persuasion.signer", r.people, F_PEOPLE),
        ("劝返过程及结果", "persuasion.process_result", r.process_result, F_RESULT),
        ("联系电话", "persuasion.phone", r.phone, F_PHONE)))


def check_notice_kind(kind: str) -> list[str]:
    return [] if kind in NOTICE_KINDS else [Reason(f"通知书类型应为{'、'.join(NOTICE_KINDS)}之一", F_KIND)]


def check_procedure(p: Procedure, today: date) -> list[str]:
    out = _date_errors("办理日期", p.on, today)
    if p.kind not in PROCEDURE_KINDS:
        out.append(Reason(f"手续类型应为{'、'.join(PROCEDURE_KINDS)}之一", F_KIND))
    if not p.approved_by.strip():
        out.append(Reason(f"请填写审批单位（如{'、'.join(APPROVING_BODIES)}）", F_BODY))
    return out + _text_errors((("审批单位", "follow_up.approved_by", p.approved_by, F_BODY),))


def check_return(r: Return, today: date) -> list[str]:
    out = _date_errors("复学日期", r.on, today)
    if not r.school.strip():
        out.append(Reason("请填写复学学校", F_SCHOOL))
    return out + _text_errors((("复学学校", "follow_up.party", r.school, F_SCHOOL),))


def check_closing(c: Closing, today: date, birth: date | None, cutoff: tuple[int, int] | None) -> list[str]:
    out = _date_errors("销号日期", c.on, today)
    if c.kind not in CLOSING_KINDS:
        out.append(Reason(f"销号类型应为{'、'.join(CLOSING_KINDS)}之一", F_KIND))
    elif c.kind == "超龄销号" and c.on is not None:
        if birth is None:
            out.append(Reason("出生日期不详，无法确定是否已满16周岁，不能超龄销号", F_KIND))
        elif c.on < (at := age_out_date(birth, cutoff)):
            out.append(Reason(f"该生 {at:%Y-%m-%d} 才满16周岁（超龄），此前不能超龄销号，请继续劝返", F_ON))
    return out + _text_errors((("销号经办人", "follow_up.approved_by", c.by, F_BY),))


def check_letter(letter: Letter, today: date) -> list[str]:
    out = _date_errors("发函日期", letter.on, today)
    if not letter.to_county.strip():
        out.append(Reason("请填写收函单位（户籍所在地县级教育行政部门）", F_COUNTY))
    return out + _text_errors((("收函单位", "follow_up.party", letter.to_county, F_COUNTY),
                               ("移交情况", "follow_up.note", letter.note, F_NOTE)))


def check_day(label: str, d: date | None, today: date, birth: date | None = None) -> list[str]:
    return _date_errors(label, d, today, birth)


# The steps a registrar records, in the order of the workflow (附件6); keys of the forms.
STEPS: dict[str, str] = dict(
    absence="首次缺课日期", school="学校劝返", report="上报登记表", notice="发放通知书",
    joint="联合劝返", continued="继续劝返", procedure="办理手续", returned="复学",
    close="销号", letter="发函（户籍地）",
)


def next_step(records: CaseRecords, state: CaseState) -> str | None:
    """The STEPS key the case waits for; None once it has ended (returned or closed)."""
    if state.stage in (Stage.RETURNED, Stage.CLOSED):
        return None
    if state.stage is Stage.SCHOOL:
        return "report" if state.due_what.startswith("上报") else "school"
    if state.stage is Stage.NOTICE:
        return "notice"
    if state.stage in (Stage.DEADLINE, Stage.JOINT):
        return "joint"
    return "continued" if records.procedures else "procedure"
