"""The verified ID (核实证件号码): the number a registrar confirmed from the 户口簿 or the police.

The upstream 证件号码 stays as the platform sent it; the verified one is recorded next to it
and must pass the whole check (characters, length, birth date, region, check character).
A legacy 15-digit number is not accepted: the 户口簿 and the police give 18 digits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .ids import check_id, normalize_id_text
from .lengths import too_long
from .rules import F_DATE, F_PERSON, RuleError

F_VERIFIED = "verified_id"


@dataclass(frozen=True)
class IdVerification:
    """What the registrar submits: the number and who proved it, when."""

    verified_id: str
    proof_person: str
    proof_date: date | None


@dataclass(frozen=True)
class VerifiedCheck:
    normalized: str
    errors: tuple[RuleError, ...]
    notes: tuple[str, ...] = ()  # worth reading, not blocking (e.g. 出生日期 differs)


def id_reason(value: object, today: date) -> str | None:
    """Why ``value`` cannot be a verified ID (Chinese), or None when it passes the full check."""
    text = normalize_id_text(value)
    if not text:
        return "请填写核实后的证件号码（18 位，按户口簿或派出所证明）"
    c = check_id(text, today)
    if not c.ok:
        return c.errors[0].message
    if len(text) != 18:
        return f"核实证件号码须为 18 位（「{text}」是旧版 15 位号码）；请按户口簿填写 18 位号码"
    return None


def check_verification(v: IdVerification, birth_date: date | None, today: date) -> VerifiedCheck:
    """Every reason ``v`` may not be saved, each tied to its field; the number as stored."""
    errors: list[RuleError] = []
    normalized = normalize_id_text(v.verified_id)
    reason = id_reason(v.verified_id, today)
    if reason:
        errors.append(RuleError(F_VERIFIED, reason))
    if not v.proof_person.strip():
        errors.append(RuleError(F_PERSON, "请填写证明人（出具户口簿信息或证明的人；本人核查的填写本人姓名）"))
    elif reason_long := too_long("证明人", "entry.proof_person", v.proof_person.strip()):
        errors.append(RuleError(F_PERSON, reason_long))
    if v.proof_date is None:
        errors.append(RuleError(F_DATE, "请填写证明日期"))
    elif v.proof_date > today:
        errors.append(RuleError(F_DATE, f"证明日期 {v.proof_date:%Y-%m-%d} 晚于今天，不能填写将来的日期"))
    notes = []
    if not reason and birth_date is not None:
        born = check_id(normalized, today).birth_date
        if born is not None and born != birth_date:
            notes.append(f"核实证件号码中的出生日期为 {born:%Y-%m-%d}，与台账的出生日期 {birth_date:%Y-%m-%d} "
                         "不一致；请确认户口簿上的出生日期（台账的出生日期不会被修改）")
    return VerifiedCheck(normalized, tuple(errors), tuple(notes))
