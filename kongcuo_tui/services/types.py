"""Plain data handed to screens, the CLI and tests (never ORM rows)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from ..domain.codes import CodeClass
from ..domain.review import HOW_LABELS, ResubmitHow
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
    region: str | None = None  # one county (an overview figure of a city or province)
    review: str | None = None  # a ReviewState: "flagged" (需复核) / "resubmitted"
    entry_ids: tuple[int, ...] | None = None  # exactly these rows (a figure no column expresses)
    ids_label: str = ""  # what entry_ids are, for the status line (e.g. 劝返逾期)
    verified: bool | None = None  # rows with (True) / without (False) a 核实证件号码
    sort: str = "seq"  # seq / name / id_number
    # 只看逾期: the ids of services.persuasion.overdue_ids, read once per reload; None = off.
    overdue_ids: frozenset[int] | None = None


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
    region: str = ""  # the county the row belongs to (the first key of the page order)
    review_state: str = ""  # a ReviewState
    verified_id: str = ""  # 核实证件号码; id_number stays the upstream value


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
class ReviewInfo:
    """One step of a row's review history."""

    kind: str  # flag / resubmit
    how: str
    note: str
    version: int
    by: str
    at: datetime

    @property
    def label(self) -> str:
        if self.kind == "flag":
            return "标记需复核"
        return "重新提交（" + HOW_LABELS.get(ResubmitHow(self.how), self.how) + "）" if self.how else "重新提交"


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
class IdVerificationInfo:
    version: int
    upstream_id: str
    verified_id: str
    proof_person: str
    proof_date: date | None
    by: str
    at: datetime


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
    review_note: str = ""  # the latest 需复核 note
    reviews: list[ReviewInfo] = field(default_factory=list)  # flags and re-submissions, oldest first
    verifications: list[IdVerificationInfo] = field(default_factory=list)  # every 核实证件号码 recorded


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
