"""The fields of each persuasion step's form, and the record they make.

Plain data and reading: which fields a step asks for (附件2's columns), what they start
with, and how the typed text becomes the domain's record. Whether the record may be saved
is the domain's check_* (their reasons name the field they belong to).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from ..domain import persuasion as P
from ..domain.codes import Action, codes_for
from ..domain.dates import DateParseError, parse_form_date, parse_form_datetime
from ..domain.rules import F_CODE, F_DATE, F_EVIDENCE, F_NOTES, F_PLACE, F_SCHOOL, ChildFacts, Classification, validate
from ..services.step_setup import StepSetup

F_PROOF = "proof_person"
DATE_HINT = "如 2026-11-28、11.28、20261128"
TIME_HINT = "如 2026-11-28 14:30、11.28 14:30，只输时间为今天"
OTHER_ROLE = "其他"


@dataclass(frozen=True)
class Spec:
    name: str
    label: str
    kind: str = "text"  # text / date / datetime / choice / units / evidence
    choices: tuple[tuple[str, str], ...] = ()  # (key, label) of a choice
    free: bool = True  # a choice also takes typed text
    hint: str = ""
    placeholder: str = ""


def _pairs(items) -> tuple[tuple[str, str], ...]:
    return tuple((x, x) for x in items)


_RESULT = Spec(P.F_RESULT, "过程结果", placeholder="劝返过程及结果（简要说明）")
_PHONE = Spec(P.F_PHONE, "联系电话")
_METHOD = Spec(P.F_METHOD, "劝返方式", "choice", _pairs(P.METHODS), hint="可选列表，也可直接输入其他方式")
_ROUND = (
    Spec(P.F_ON, "劝返日期", "date", hint=DATE_HINT),
    Spec(P.F_UNITS, "劝返单位", "units"),
    _METHOD, _RESULT,
    Spec(P.F_PEOPLE, "劝返人员", placeholder="参加劝返人员姓名，如 教育局王股长、镇政府赵主任"),
    _PHONE,
)
SPECS: dict[str, tuple[Spec, ...]] = {
    "absence": (Spec(P.F_ON, "首次缺课", "date", hint="无故未到校的第一天；" + DATE_HINT),),
    "school": (
        Spec(P.F_ON, "劝返时间", "datetime", hint=TIME_HINT),
        Spec(P.F_ROLE, "责任人", "choice", _pairs(P.SCHOOL_ROLES + (OTHER_ROLE,)), placeholder="职务"),
        Spec(P.F_PERSON, "姓名", placeholder="劝返责任人姓名"),
        _METHOD, _RESULT, _PHONE,
    ),
    "report": (Spec(P.F_ON, "上报日期", "date", hint="辍学学生登记表报乡镇和县教育局；" + DATE_HINT),),
    "notice": (
        Spec(P.F_ON, "发放日期", "date", hint=DATE_HINT),
        Spec(P.F_KIND, "通知书", "choice", _pairs(P.NOTICE_KINDS), free=False),
    ),
    "joint": _ROUND,
    "continued": _ROUND,
    "procedure": (
        Spec(P.F_KIND, "手续", "choice", _pairs(P.PROCEDURE_KINDS), free=False),
        Spec(P.F_BODY, "审批单位", "choice", _pairs(P.APPROVING_BODIES)),
        Spec(P.F_ON, "办理日期", "date", hint=DATE_HINT),
    ),
    "returned": (
        Spec(P.F_ON, "复学日期", "date", hint=DATE_HINT),
        Spec(P.F_SCHOOL, "复学学校", "choice", placeholder="本县学校从列表选择"),
        Spec(F_CODE, "核查结果", "choice", tuple((c.code, c.label) for c in codes_for(Action.ENROLLED)), free=False,
             hint="复学后按“实际就读”重新分类，处理记录保留"),
        Spec(F_EVIDENCE, "证明材料", "evidence", hint="空格勾选已留存的材料"),
        Spec(F_PROOF, "证明人"),
        Spec(F_NOTES, "处理说明"),
    ),
    "close": (
        Spec(P.F_KIND, "销号类型", "choice", _pairs(P.CLOSING_KINDS), free=False),
        Spec(P.F_ON, "销号日期", "date", hint=DATE_HINT),
        Spec(P.F_BY, "经办人"),
    ),
    "letter": (
        Spec(P.F_ON, "发函日期", "date", hint=DATE_HINT),
        Spec(P.F_COUNTY, "收函单位", placeholder="户籍所在地县级教育局，如 江苏省徐州市云龙区教育局"),
        Spec(P.F_NOTE, "移交情况", placeholder="如：已电话联系户籍地教育局并移交劝返工作"),
    ),
}
# Fields that move with Tab, in every form's order (the reasons' and the focus' order).
ALL_FIELDS = tuple(dict.fromkeys(s.name for specs in SPECS.values() for s in specs))


def initial(setup: StepSetup, now: datetime) -> dict[str, object]:
    """What the fields start with: today (now), the last attempt's who and how, the partners."""
    c, step = setup.case, setup.step
    day = now.date().isoformat()
    out: dict[str, object] = {P.F_ON: f"{now:%Y-%m-%d %H:%M}" if step == "school" else day}
    last = c.last_attempt
    if step == "school" and last is not None:
        out.update({P.F_ROLE: last.role, P.F_PERSON: last.person, P.F_METHOD: last.method, P.F_PHONE: last.phone})
    if step in ("joint", "continued"):
        out[P.F_UNITS] = list(c.partners.units)
        rounds = [r for r in c.records.rounds if r.continued == (step == "continued")] or list(c.records.rounds)
        if rounds:
            out.update({P.F_PEOPLE: rounds[-1].people, P.F_PHONE: rounds[-1].phone})
    if step == "notice":
        out[P.F_KIND] = P.NOTICE_KINDS[0]
    if step == "close":
        out[P.F_KIND] = "超龄销号" if c.may_age_out else ""
        out[P.F_BY] = setup.person
    if step == "returned":
        out.update({F_CODE: "B2", F_PROOF: setup.person, F_NOTES: "经劝返已复学"})
    if step == "letter":
        out[P.F_COUNTY] = setup.letter_to
    return out


def hints(setup: StepSetup) -> dict[str, str]:
    """Hints that depend on the case: where a pre-fill came from, the age-out date, partners."""
    c, out = setup.case, {}
    last = c.last_attempt
    if setup.step == "school" and last is not None:
        out[P.F_PERSON] = f"已按上次劝返（{last.at:%m-%d} {last.role} {last.person}）填入，可修改"
    if setup.step in ("joint", "continued"):
        text = "空格勾选，可多选；已按辍学原因预选：" + "、".join(c.partners.labels)
        out[P.F_UNITS] = text + ("；残联：送教上门、远程教学" if c.partners.home_teaching else "")
    if setup.step == "close":
        out[P.F_KIND] = (f"该生 {c.age_out_on:%Y-%m-%d} 满16周岁（超龄）"
                         + ("，可超龄销号" if c.may_age_out else "，此前不能超龄销号") if c.age_out_on
                         else "出生日期不详，不能超龄销号") + "；失踪、死亡以公安部门界定为准"
    return out


@dataclass(frozen=True)
class Built:
    """The record the fields make (None while a date cannot be read) and the reasons."""

    record: object
    errors: dict[str, str]
    classification: Classification | None = None


def _when(kind: str, text: str, today: date, label: str):
    try:
        if kind == "datetime":
            return parse_form_datetime(text, today, label), ""
        return parse_form_date(text, today, label), ""
    except DateParseError as e:
        return None, str(e)


def _returned(setup: StepSetup, values: dict[str, object], g, day: date | None, today: date,
              school_cutoff: date) -> tuple[P.Return, list[str], Classification]:
    """复学: the return and the row's new classification, checked by the classification rules."""
    record = P.Return(day, g(P.F_SCHOOL, ""))
    c = Classification(Action.ENROLLED, g(F_CODE, ""), g(F_PROOF, ""), day, g(F_NOTES, ""),
                       study_region=setup.region, study_school=g(P.F_SCHOOL, ""),
                       evidence=frozenset(str(k) for k in values.get(F_EVIDENCE, ())))
    reasons = P.check_return(record, today)
    moved = {F_DATE: P.F_ON, F_SCHOOL: P.F_SCHOOL, F_PLACE: P.F_SCHOOL}
    for e in validate(c, ChildFacts(setup.case.birth_date, setup.region), today, school_cutoff,
                      schools=frozenset(s.name for s in setup.schools)):
        reasons.append(P.Reason(e.message, moved.get(e.field, e.field)))
    return record, reasons, c


def build(setup: StepSetup, values: dict[str, object], today: date,
          cutoff: tuple[int, int] | None, school_cutoff: date) -> Built:
    """The step's record from the typed values, with every reason by field."""
    step, c = setup.step, setup.case
    spec = {s.name: s for s in SPECS[step]}
    text = {k: str(v).strip() for k, v in values.items() if isinstance(v, str)}
    on, date_error = _when(spec[P.F_ON].kind, text.get(P.F_ON, ""), today, spec[P.F_ON].label)
    errors: dict[str, list[str]] = {P.F_ON: [date_error]} if date_error else {}
    birth = c.birth_date
    record, reasons, classification = None, [], None
    g = text.get
    # Built even while the date cannot be read, so every other reason shows at once.
    day = on.date() if isinstance(on, datetime) else on
    if step == "absence" or step == "report":
        record, reasons = day, P.check_day(spec[P.F_ON].label, day, today, birth)
    elif step == "school":
        record = P.SchoolAttempt(on, g(P.F_ROLE, ""), g(P.F_PERSON, ""), g(P.F_METHOD, ""), g(P.F_RESULT, ""),
                                 g(P.F_PHONE, ""))
        reasons = P.check_attempt(record, today, birth)
    elif step == "notice":
        record = (day, g(P.F_KIND, ""))
        reasons = P.check_day(spec[P.F_ON].label, day, today, birth) + P.check_notice_kind(g(P.F_KIND, ""))
    elif step in ("joint", "continued"):
        units = tuple(str(u) for u in values.get(P.F_UNITS, ()))
        record = P.JointRound(day, units, g(P.F_METHOD, ""), g(P.F_RESULT, ""), g(P.F_PEOPLE, ""),
                              g(P.F_PHONE, ""), continued=step == "continued")
        reasons = P.check_round(record, today, birth)
    elif step == "procedure":
        record = P.Procedure(g(P.F_KIND, ""), g(P.F_BODY, ""), day)
        reasons = P.check_procedure(record, today)
    elif step == "close":
        record = P.Closing(g(P.F_KIND, ""), day, g(P.F_BY, ""))
        reasons = P.check_closing(record, today, birth, cutoff)
    elif step == "letter":
        record = P.Letter(day, g(P.F_COUNTY, ""), g(P.F_NOTE, ""),
                          setup.letter_region if g(P.F_COUNTY, "") == setup.letter_to else "")
        reasons = P.check_letter(record, today)
    elif step == "returned":
        record, reasons, classification = _returned(setup, values, g, day, today, school_cutoff)
    for r in reasons:
        field = getattr(r, "field", "") or P.F_ON
        if field == P.F_ON and date_error:
            continue  # the date's own reason says it already
        if r not in errors.setdefault(field, []):
            errors[field].append(r)
    return Built(record, {k: "\n".join(v) for k, v in errors.items() if v}, classification)
