"""Plain data handed to screens, the CLI and tests (never ORM rows)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from ..domain.codes import CodeClass
from ..domain.roles import Role
from ..domain.rules import RuleError


@dataclass(frozen=True)
class Actor:
    login: str
    display_name: str
    role: Role
    region: str
    region_name: str
    school_id: int | None = None
    active: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "role", Role(self.role))  # the database holds the plain value

    @property
    def can_classify(self) -> bool:
        return self.role.can_classify

    @property
    def can_record_persuasion(self) -> bool:
        return self.role.can_record_persuasion


@dataclass(frozen=True)
class LedgerQuery:
    status: str | None = "pending"  # pending / processed / None for all
    search: str = ""  # name or ID prefix
    code: str | None = None
    code_class: CodeClass | None = None
    source: str | None = None
    township: str | None = None
    school_id: int | None = None
    bad_id: bool | None = None
    sort: str = "seq"  # seq / name / id_number


@dataclass(frozen=True)
class EntryRow:
    id: int
    seq: int
    name: str
    birth_date: date | None
    id_number: str
    hukou: str
    address: str
    enrolled: str
    national_no: str
    prov_school: str
    prov_no: str
    prov_status: str
    id_ok: bool
    id_issue: str
    status: str
    action: str
    code: str
    code_name: str
    proof_person: str
    proof_date: date | None
    version: int
    source: str
    township: str | None
    region: str  # the county the row belongs to (the first key of the page order)


@dataclass(frozen=True)
class GuardianInfo:
    name: str
    id_number: str
    relation: str
    phone: str


@dataclass(frozen=True)
class EvidenceInfo:
    kind: str
    label: str
    note: str
    received_on: date | None
    recorded_by: str


@dataclass(frozen=True)
class HistoryInfo:
    version: int
    action: str
    code: str
    code_name: str
    proof_person: str
    proof_date: date | None
    notes: str
    by: str
    at: datetime
    study_place: str = ""
    study_school: str = ""


@dataclass(frozen=True)
class PersuasionInfo:
    kind: str
    round: int
    on: date
    party: str
    method: str
    process_result: str
    signer: str
    phone: str


@dataclass(frozen=True)
class EntryDetail:
    row: EntryRow
    facts: dict[str, str]  # label → value, in display order
    region: str
    study_region: str
    study_place: str
    study_school: str
    notes: str
    handled_by: str
    handled_at: datetime | None
    updated_at: datetime | None
    id_issue_code: str
    id_raw: str = ""  # the ID exactly as the platform sent it, when it differs from row.id_number
    guardians: list[GuardianInfo] = field(default_factory=list)
    evidence: list[EvidenceInfo] = field(default_factory=list)
    history: list[HistoryInfo] = field(default_factory=list)
    persuasions: list[PersuasionInfo] = field(default_factory=list)
    graduation: str = ""  # 毕业去向 (B6)


@dataclass(frozen=True)
class RowFailure:
    entry_id: int
    name: str
    errors: list[RuleError]


@dataclass(frozen=True)
class Conflict:
    entry_id: int
    name: str
    changed_by: str
    changed_at: datetime | None

    @property
    def message(self) -> str:
        when = f"{self.changed_at:%Y-%m-%d %H:%M}" if self.changed_at else "刚才"
        return f"{self.name}：已被 {self.changed_by or '其他用户'} 于 {when} 修改，请查看最新内容后再保存"


@dataclass(frozen=True)
class BatchResult:
    applied: list[int]
    failures: list[RowFailure]
    conflicts: list[Conflict]

    @property
    def ok(self) -> bool:
        return not self.failures and not self.conflicts
