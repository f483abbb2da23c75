"""The complete data model. Screens never import this module; services hand out dataclasses."""

from __future__ import annotations

from datetime import datetime

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

from ..domain.lengths import LENGTHS as LEN
from .connection import db


def now() -> datetime:
    return datetime.now().replace(microsecond=0)


class BaseModel(Model):
    class Meta:
        database = db
        legacy_table_names = False


class SchemaVersion(BaseModel):
    version = IntegerField()
    applied_at = DateTimeField(default=now)


class Region(BaseModel):
    code = CharField(primary_key=True, max_length=12)
    name = CharField(max_length=64)
    level = CharField(max_length=12)  # province / city / county / township
    parent = CharField(max_length=12, null=True, index=True)
    full_name = CharField(max_length=128)


class School(BaseModel):
    id = AutoField()
    name = CharField(max_length=128)
    county = CharField(max_length=12, index=True)
    township = CharField(max_length=12, null=True)
    stage = CharField(max_length=16, default="")  # 小学 / 初中 / 九年一贯制
    kind = CharField(max_length=16, default="普通")  # 普通 / 中职 / 特殊教育

    class Meta:
        indexes = ((("county", "name"), True),)


class Account(BaseModel):
    id = AutoField()
    login = CharField(max_length=LEN["account.login"], unique=True)
    display_name = CharField(max_length=LEN["account.display_name"])
    role = CharField(max_length=16)  # admin / province / city / county / school
    region = CharField(max_length=12)
    school = ForeignKeyField(School, null=True, on_delete="SET NULL")
    active = BooleanField(default=True)
    created_at = DateTimeField(default=now)


class ImportBatch(BaseModel):
    id = AutoField()
    file_name = CharField(max_length=LEN["import_batch.file_name"])
    file_sha256 = CharField(max_length=64)
    region = CharField(max_length=12)
    login = CharField(max_length=64)
    at = DateTimeField(default=now)
    rows = IntegerField(default=0)
    inserted = IntegerField(default=0)
    updated = IntegerField(default=0)
    unchanged = IntegerField(default=0)
    rejected = IntegerField(default=0)


class Entry(BaseModel):
    """One child on the ledger (控辍保学工作台账 row) and the county's work on it."""

    id = AutoField()
    region = CharField(max_length=12)  # the county that owns the row
    township = CharField(max_length=12, null=True)
    school = ForeignKeyField(School, null=True, on_delete="SET NULL")
    source = CharField(max_length=LEN["entry.source"], default="registry")
    batch = ForeignKeyField(ImportBatch, null=True, on_delete="SET NULL")
    # Upstream columns, kept exactly as the platform sent them.
    seq = IntegerField(default=0)  # 序号
    name = CharField(max_length=LEN["entry.name"])  # 姓名
    birth_date = DateField(null=True)  # 出生日期
    id_number = CharField(max_length=LEN["entry.id_number"])  # 证件号码, normalised; always text
    id_raw = CharField(max_length=LEN["entry.id_raw"], default="")  # as received, when it differs
    hukou = TextField(default="")  # 户籍地
    address = TextField(default="")  # 家庭住址
    enrolled = CharField(max_length=LEN["entry.enrolled"], default="")  # 是否在读
    national_no = CharField(max_length=LEN["entry.national_no"], default="")  # 全国学籍号
    prov_school = CharField(max_length=LEN["entry.prov_school"], default="")  # 省内学校名称
    prov_no = CharField(max_length=LEN["entry.prov_no"], default="")  # 省内学籍号
    prov_status = CharField(max_length=LEN["entry.prov_status"], default="")  # 省内学生状态
    # ID check result.
    id_ok = BooleanField(default=True)
    id_issue_code = CharField(max_length=LEN["entry.id_issue_code"], default="")
    id_issue = TextField(default="")
    # 核实证件号码: the number a registrar confirmed (户口簿 / police); the upstream one stays.
    verified_id = CharField(max_length=LEN["entry.id_number"], default="")
    verified_proof_person = CharField(max_length=LEN["entry.proof_person"], default="")
    verified_proof_date = DateField(null=True)
    verified_by = CharField(max_length=64, default="")
    verified_at = DateTimeField(null=True)
    # The county's own facts (附件1, 登记表).
    sex = CharField(max_length=LEN["entry.sex"], default="")
    ethnicity = CharField(max_length=LEN["entry.ethnicity"], default="")
    grade_class = CharField(max_length=LEN["entry.grade_class"], default="")
    stage = CharField(max_length=8, default="")
    residence = TextField(default="")  # 实际居住地
    registry_place = TextField(default="")  # 学籍所在地
    disability = CharField(max_length=32, default="")  # empty = 否, else the type
    health = CharField(max_length=64, default="")
    family_summary = TextField(default="")
    dropout_reason = TextField(default="")
    watch_groups = CharField(max_length=128, default="")  # comma-separated keys
    # Classification (the three actions).
    status = CharField(max_length=12, default="pending")
    # action, code and handled_at are the row's last History row's, written in the same
    # statement group (services.classify); a past month's report reads them for every row not
    # classified since (services.point_in_time), so nothing may change them without History.
    action = CharField(max_length=8, default="")
    code = CharField(max_length=4, default="")
    study_region = CharField(max_length=12, default="")
    study_place = CharField(max_length=LEN["entry.study_place"], default="")
    study_school = CharField(max_length=LEN["entry.study_school"], default="")
    proof_person = CharField(max_length=LEN["entry.proof_person"], default="")
    proof_date = DateField(null=True)
    notes = TextField(default="")
    graduation = CharField(max_length=LEN["entry.graduation"], default="")  # 毕业去向 (B6)
    handled_by = CharField(max_length=64, default="")
    handled_at = DateTimeField(null=True)
    closed_on = DateField(null=True)  # 超龄销号 / 销号归档
    # The last day its persuasion case is on time today (domain.persuasion.overdue_after), kept
    # by db.case_deadlines with every record; NULL: no case, or nothing due.
    overdue_after = DateField(null=True, index=True)
    # B-class review by a city or province (严格把关): "" none, "flagged" 需复核, "resubmitted".
    review_state = CharField(max_length=12, default="")
    review_note = TextField(default="")  # the latest flag's note
    review_by = CharField(max_length=64, default="")  # who last flagged or re-submitted
    review_at = DateTimeField(null=True)
    version = IntegerField(default=1)
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(default=now)

    class Meta:
        # As the migrations build them (db/migrations.py, _page_orders_at_every_scope): each
        # serves a page order as a range scan at county, city and province scope; name and
        # id_number are in the "C" collation on PostgreSQL.
        indexes = (
            (("status", "region", "seq", "id"), False),  # a tab's pages
            (("region", "seq", "id"), False),  # every row (附件1, export of all rows)
            (("status", "code", "region", "seq", "id"), False),  # a 核查结果代码 filter (99)
            (("status", "name", "id", "region"), False),  # name prefix search
            (("status", "id_number", "id", "region"), False),  # ID prefix search
            (("region", "review_state"), False),  # the 需复核 filter and counts
            (("id_number",), False),
            (("region", "id_number"), True),  # one row per ID in a county's ledger
            (("region", "verified_id"), False),  # an import finds a row by its verified ID too
            (("name",), False),  # 疑似重复: rows are blocked by name
        )


class Guardian(BaseModel):
    entry = ForeignKeyField(Entry, backref="guardians", on_delete="CASCADE")
    ordinal = IntegerField(default=1)
    name = CharField(max_length=64, default="")
    id_number = CharField(max_length=32, default="")
    relation = CharField(max_length=16, default="")
    phone = CharField(max_length=32, default="")


class EvidenceItem(BaseModel):
    entry = ForeignKeyField(Entry, backref="evidence", on_delete="CASCADE")
    kind = CharField(max_length=32)
    note = TextField(default="")
    received_on = DateField(null=True)
    recorded_by = CharField(max_length=64)
    recorded_at = DateTimeField(default=now)


class Persuasion(BaseModel):
    """One persuasion attempt: school attempts (by role) or joint/continued rounds (by units)."""

    entry = ForeignKeyField(Entry, backref="persuasions", on_delete="CASCADE")
    kind = CharField(max_length=12)  # school / joint / continued
    round = IntegerField(default=1)
    on = DateField()
    at = DateTimeField(null=True)  # a school attempt's date and time
    party = CharField(max_length=LEN["persuasion.party"])  # a school attempt's role: 班主任 … 校长
    units = CharField(max_length=LEN["persuasion.units"], default="")  # a round's unit keys, comma-separated
    method = CharField(max_length=LEN["persuasion.method"])  # 电话沟通 / 微信联络 / 入户劝导 …
    process_result = TextField(default="")
    signer = CharField(max_length=LEN["persuasion.signer"], default="")  # the person / the round's people
    phone = CharField(max_length=LEN["persuasion.phone"], default="")
    recorded_by = CharField(max_length=64)
    recorded_at = DateTimeField(default=now)


class FollowUp(BaseModel):
    """The other steps of a case, append-only, one row each.

    kind: absence (first day absent), report (登记表 reported), notice (subkind 限期返校通知书 /
    劝返通知书), procedure (subkind 请假 / 休学 / 延缓入学, approved_by), return (party: the
    school), close (subkind 超龄销号 / 失踪 / 死亡, approved_by: by whom), letter (控辍保学的函:
    party the receiving bureau, region its county code, note the hand-over).
    """

    entry = ForeignKeyField(Entry, backref="followups", on_delete="CASCADE")
    kind = CharField(max_length=16)
    subkind = CharField(max_length=16, default="")
    on = DateField()
    approved_by = CharField(max_length=LEN["follow_up.approved_by"], default="")
    party = CharField(max_length=LEN["follow_up.party"], default="")
    region = CharField(max_length=12, default="")
    note = TextField(default="")
    recorded_by = CharField(max_length=64)
    recorded_at = DateTimeField(default=now)


class CaseDeadline(BaseModel):
    """A case's overdue_after from ``recorded_at`` on (until its next row): the records known at
    a report's period end decide its 劝返逾期, as SQL. Kept by db.case_deadlines."""

    entry = ForeignKeyField(Entry, on_delete="CASCADE", index=False)
    recorded_at = DateTimeField()
    overdue_after = DateField(null=True)

    class Meta:
        table_name = "case_deadline"
        indexes = ((("entry", "recorded_at"), False), (("recorded_at",), False))


class History(BaseModel):
    """Append-only: one row per classification, the old result stays."""

    entry = ForeignKeyField(Entry, backref="history", on_delete="CASCADE")
    version = IntegerField()
    action = CharField(max_length=8)
    code = CharField(max_length=4)
    study_region = CharField(max_length=12, default="")
    study_school = CharField(max_length=LEN["history.study_school"], default="")
    proof_person = CharField(max_length=LEN["history.proof_person"])
    proof_date = DateField(null=True)
    notes = TextField(default="")
    evidence = TextField(default="")  # comma-separated evidence keys at that time
    graduation = CharField(max_length=LEN["history.graduation"], default="")  # 毕业去向 (B6)
    by = CharField(max_length=64)
    at = DateTimeField(default=now)

    class Meta:
        indexes = (
            (("by", "id"), False),  # an account's recent 证明人
            (("at",), False),  # rows processed per day (the overview's last weeks)
        )


class Review(BaseModel):
    """Append-only: each step of a B-class review (a flag, a re-submission), with its note."""

    entry = ForeignKeyField(Entry, backref="reviews", on_delete="CASCADE")
    kind = CharField(max_length=12)  # flag / resubmit
    how = CharField(max_length=16, default="")  # a re-submission: reclassify / evidence
    note = TextField(default="")
    version = IntegerField()  # the row's version after this step
    by = CharField(max_length=64)
    at = DateTimeField(default=now)


class IdVerificationRecord(BaseModel):
    """Append-only: every verified ID recorded on a row, with the upstream number beside it."""

    entry = ForeignKeyField(Entry, backref="id_verifications", on_delete="CASCADE")
    version = IntegerField()  # the row's version this record made
    upstream_id = CharField(max_length=LEN["entry.id_raw"])
    verified_id = CharField(max_length=LEN["entry.id_number"])
    proof_person = CharField(max_length=LEN["entry.proof_person"])
    proof_date = DateField(null=True)
    by = CharField(max_length=64)
    at = DateTimeField(default=now)

    class Meta:
        table_name = "id_verification"


class AuditLog(BaseModel):
    """Who did what and when: every change and every export."""

    id = AutoField()
    at = DateTimeField(default=now, index=True)
    login = CharField(max_length=64)
    verb = CharField(max_length=24)  # classify / import / export / account / init …
    target = CharField(max_length=LEN["audit_log.target"], default="")
    detail = TextField(default="")


class Draft(BaseModel):
    """What a registrar has typed into a form and not yet saved: one per account and form."""

    id = AutoField()
    login = CharField(max_length=LEN["draft.login"])
    key = TextField()  # the form kind and the rows it is for, e.g. "classify:A:12,13"
    payload = TextField()  # JSON of the form's fields, as typed
    updated_at = DateTimeField(default=now)

    class Meta:
        indexes = ((("login", "key"), True),)


class DuplicateDecision(BaseModel):
    """A registrar's answer to a 疑似重复 pair (entry_a < entry_b): linked, or different children.

    Either way the pair is not offered again.
    """

    id = AutoField()
    entry_a = ForeignKeyField(Entry, on_delete="CASCADE")
    entry_b = ForeignKeyField(Entry, on_delete="CASCADE")
    decision = CharField(max_length=12)  # linked / different
    by = CharField(max_length=64)
    at = DateTimeField(default=now)

    class Meta:
        indexes = ((("entry_a", "entry_b"), True),)


ALL_MODELS = (
    SchemaVersion, Region, School, Account, ImportBatch, Entry, Guardian, EvidenceItem,
    Persuasion, FollowUp, CaseDeadline, History, Review, IdVerificationRecord, AuditLog, Draft, DuplicateDecision,
)
