"""Per-code validation of a classification, driven by the code table.

Returns every problem at once, each tied to the form field it belongs to, so a form can
show the reason next to the field and a batch can list rows with their reasons.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .codes import CODES, EVIDENCE, Action, Code
from .dates import age_at
from .lengths import too_long
from .regions import province_of, region_name

# Field names shared with forms and services.
F_CODE, F_PERSON, F_DATE, F_NOTES = "code", "proof_person", "proof_date", "notes"
F_PLACE, F_SCHOOL, F_EVIDENCE = "study_region", "study_school", "evidence"
F_GRADUATION = "graduation"

PHONE = re.compile(r"(?<!\d)(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?!\d)")
FAMILY_WORDS = ("家庭", "父", "母", "监护", "爷", "奶", "外公", "外婆", "单亲", "离异", "家里", "家中")
MIN_A8_NOTES = 15
MIN_CROSS_PROVINCE_NOTES = 20


@dataclass(frozen=True)
class Classification:
    """What the registrar submits with one of the three actions."""

    action: Action
    code: str
    proof_person: str
    proof_date: date | None
    notes: str
    study_region: str | None = None  # region code of 就读省县
    study_school: str = ""
    evidence: frozenset[str] = field(default_factory=frozenset)
    graduation: str = ""  # 毕业去向, asked for B6 only


@dataclass(frozen=True)
class ChildFacts:
    """What the rules need to know about the child."""

    birth_date: date | None
    home_region: str  # the county that owns the row
    hukou_region: str | None = None  # from the ID or 户籍地, when known


@dataclass(frozen=True)
class RuleError:
    field: str
    message: str


def asks_graduation(code: Code | None) -> bool:
    """Whether the form asks for 毕业去向 (the way a child under 16 may still be B6)."""
    return code is not None and code.age_rule == "over16"


def validate(c: Classification, child: ChildFacts, today: date, cutoff: date, *,
             schools: frozenset[str] = frozenset()) -> list[RuleError]:
    """All reasons this classification may not be saved for this child; empty when valid.

    `schools` is the study county's school list; when it is empty (another province, or
    no list on file) any school name is accepted.
    """
    errors: list[RuleError] = []
    code = CODES.get(c.code.strip().upper()) if c.code else None
    if code is None:
        errors.append(RuleError(F_CODE, f"请选择核查结果（“{c.code}”不是有效代码）" if c.code else "请选择核查结果"))
    elif code.action != c.action:
        errors.append(RuleError(F_CODE, f"{code.label} 不属于“{c.action}”，属于“{code.action}”"))
    errors += _common(c, child, today)
    if code is not None and code.action == c.action:
        errors += _evidence(code, c)
        errors += _place(code, c, child, schools)
        errors += _age(code, c, child, cutoff)
        errors += _notes(code, c, child)
    return errors


def _common(c: Classification, child: ChildFacts, today: date) -> list[RuleError]:
    out = []
    if not c.proof_person.strip():
        out.append(RuleError(F_PERSON, "请填写证明人（本人核查的填写本人姓名）"))
    if c.proof_date is None:
        out.append(RuleError(F_DATE, "请填写证明日期"))
    elif c.proof_date > today:
        out.append(RuleError(F_DATE, f"证明日期 {c.proof_date:%Y-%m-%d} 晚于今天，不能填写将来的日期"))
    elif child.birth_date and c.proof_date < child.birth_date:
        out.append(RuleError(F_DATE, f"证明日期 {c.proof_date:%Y-%m-%d} 早于出生日期"))
    if not c.notes.strip():
        out.append(RuleError(F_NOTES, "请填写处理说明，如实写明具体情况"))
    for name, label, value in ((F_PERSON, "证明人", c.proof_person), (F_SCHOOL, "就读学校", c.study_school)):
        reason = too_long(label, f"entry.{name}", value.strip())
        if reason:
            out.append(RuleError(name, reason))
    return out


def _evidence(code: Code, c: Classification) -> list[RuleError]:
    out = []
    for group in code.required_evidence:
        if not any(k in c.evidence for k in group):
            names = "或".join(EVIDENCE[k] for k in group)
            out.append(RuleError(F_EVIDENCE, f"{code.label} 须留存：{names}"))
    return out


def _place(code: Code, c: Classification, child: ChildFacts, schools: frozenset[str]) -> list[RuleError]:
    if not code.needs_place:
        return []
    out = []
    if not c.study_region:
        out.append(RuleError(F_PLACE, "请选择就读省县"))
    if not c.study_school.strip():
        label = "中职学校名称" if code.code == "B8" else "就读学校"
        out.append(RuleError(F_SCHOOL, f"请填写{label}"))
    if c.study_region:
        same = province_of(c.study_region) == province_of(child.home_region)
        if code.place_scope == "in_province" and not same:
            out.append(RuleError(F_PLACE, f"{code.label} 的就读地须在本省；省外就读请选 B4 省外就读无学籍"))
        if code.place_scope == "out_of_province" and same:
            out.append(RuleError(F_PLACE, f"{code.label} 的就读地须在外省；省内就读请选 B2 或 B3"))
    school = c.study_school.strip()
    if school and schools and school not in schools:
        county = "本县" if c.study_region == child.home_region else region_name(c.study_region)
        out.append(RuleError(F_SCHOOL, f"“{school}”不在{county}学校名单中，请从列表中选择（外省学校可直接输入）"))
    return out


def _age(code: Code, c: Classification, child: ChildFacts, cutoff: date) -> list[RuleError]:
    if code.age_rule is None:
        return []
    if child.birth_date is None:
        return [RuleError(F_CODE, f"出生日期未知，无法按截止日 {cutoff:%Y-%m-%d} 核对 {code.label} 的年龄条件")]
    # A child born after the cutoff (a newborn on a poverty list) is 0, not an error.
    age = age_at(child.birth_date, cutoff) if child.birth_date <= cutoff else 0
    if code.age_rule == "under6":
        return _deferral_age(code, c, age, cutoff)
    if code.age_rule == "over16" and age < 16 and not c.graduation.strip():
        return [RuleError(F_GRADUATION, (
            f"截至 {cutoff:%Y-%m-%d} 该生 {age} 周岁，未满16周岁；{code.label} 须年满16周岁，"
            f"或已毕业并填写毕业去向（写在处理说明里不算）"))]
    return []


def _deferral_age(code: Code, c: Classification, age: int, cutoff: date) -> list[RuleError]:
    """B5: under 6, or of compulsory age with a health deferral approved; never 16+."""
    if age >= 16:
        return [RuleError(F_CODE, (
            f"截至 {cutoff:%Y-%m-%d} 该生已满 {age} 周岁，超出义务教育年龄，不能选 {code.label}；"
            f"请改选 B6 超龄离校"))]
    if age >= 6 and "deferral_approval" not in c.evidence:
        return [RuleError(F_CODE, (
            f"截至 {cutoff:%Y-%m-%d} 该生已满 {age} 周岁；{code.label} 适用于不足6周岁，"
            f"或因身体原因经批准延缓入学（须留存{EVIDENCE['deferral_approval']}）"))]
    return []


def is_cross_province(c: Classification, child: ChildFacts) -> bool:
    """户籍 or the school lies outside the county's province (migrant children)."""
    home = province_of(child.home_region)
    others = (child.hukou_region, c.study_region)
    return any(province_of(x) not in (None, home) for x in others)


def _notes(code: Code, c: Classification, child: ChildFacts) -> list[RuleError]:
    notes = c.notes.strip()
    if not notes:
        return []  # already reported by _common
    out = []
    if code.notes_rule == "a8":
        missing = []
        if len(notes) < MIN_A8_NOTES:
            missing.append("目前状况")
        if not any(w in notes for w in FAMILY_WORDS):
            missing.append("家庭情况")
        if not PHONE.search(notes):
            missing.append("父母联系电话")
        if missing:
            out.append(RuleError(F_NOTES, "A8 其他原因须在处理说明中写明：" + "、".join(missing)))
    if (code.notes_rule == "cross_province" or is_cross_province(c, child)) and len(notes) < MIN_CROSS_PROVINCE_NOTES:
        out.append(RuleError(F_NOTES, (
            f"跨省情形须在处理说明中详细说明（户籍地、就读地、转学或联系情况），"
            f"至少 {MIN_CROSS_PROVINCE_NOTES} 字，现有 {len(notes)} 字")))
    return out


def requirements(code: Code) -> tuple[str, str]:
    """What ``validate`` asks of ``code``, in words for people filling a sheet by hand:
    (the documents to name, the other conditions). Read from the same table and limits."""
    docs = "；".join("或".join(EVIDENCE[k] for k in group) for group in code.required_evidence)
    if not docs and code.expected_evidence:
        docs = "宜留存：" + "、".join(EVIDENCE[k] for k in code.expected_evidence)
    other = []
    if code.needs_place:
        where = {"in_province": "（本省）", "out_of_province": "（外省）"}.get(code.place_scope or "", "")
        other.append(f"须填写就读省县{where}和{'中职学校名称' if code.code == 'B8' else '就读学校'}")
    if code.age_rule == "under6":
        other.append("截止日不满6周岁；已满6周岁须有“因身体原因延缓入学审批”；满16周岁不能选")
    if code.age_rule == "over16":
        other.append("截止日年满16周岁；未满16周岁须已毕业并填写毕业去向")
    if code.notes_rule == "a8":
        other.append(f"处理说明须写明目前状况（至少{MIN_A8_NOTES}字）、家庭情况和父母联系电话")
    if code.notes_rule == "cross_province":
        other.append(f"处理说明须详细说明跨省情况，至少{MIN_CROSS_PROVINCE_NOTES}字")
    if code.notes_rule == "unconfirmed":
        other.append("处理说明写明还在核查什么；之后须重新处理")
    return docs or "—", "；".join(other) or "—"
