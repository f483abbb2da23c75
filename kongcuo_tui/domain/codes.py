"""The Ministry's classification table (教育部辍学学生分类标准, 2019-07-01).

This module is the single place the codes live: forms, validation, exports and reports
all read `CODES`. Nothing else may spell out a list of codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Action(StrEnum):
    """The three buttons of the upstream platform."""

    ENROLLED = "实际就读"
    DROPOUT = "辍学处理"
    UNCONFIRMED = "未确认完成"


class CodeClass(StrEnum):
    """What a code means for the child: persuade back (A), settled (B), still being checked (99)."""

    PERSUADE = "A"
    NO_PERSUADE = "B"
    UNCONFIRMED = "99"


CLASS_LABELS = {
    CodeClass.PERSUADE: "A类（需要劝返）",
    CodeClass.NO_PERSUADE: "B类（不需要劝返）",
    CodeClass.UNCONFIRMED: "未确认",
}
# Column headings of the counts report.
CLASS_COLUMNS = {CodeClass.PERSUADE: "A类", CodeClass.NO_PERSUADE: "B类", CodeClass.UNCONFIRMED: "未确认(99)"}


class Status(StrEnum):
    PENDING = "pending"
    PROCESSED = "processed"


STATUS_LABELS = {Status.PENDING: "待本级处理", Status.PROCESSED: "已处理"}


class Source(StrEnum):
    """The three ways a child reaches the ledger."""

    REGISTRY = "registry"
    NO_RECORD = "no_record"
    POVERTY = "poverty"


SOURCE_LABELS = {
    Source.REGISTRY: "学籍系统疑似辍学/辍学",
    Source.NO_RECORD: "适龄无学籍",
    Source.POVERTY: "建档立卡未入两库",
}

# Documents a code may need on file (附件5 and the Tanghe plan). Keys are stored in the DB.
EVIDENCE = {
    "persuasion_record": "劝返记录",
    "judicial_notice": "司法部门劝返文书存根",
    "diagnosis_cert": "残疾证复印件或诊断证明",
    "home_teaching": "送教上门记录",
    "police_proof": "辖区派出所证明",
    "village_proof": "村（居）委会证明",
    "registry_card": "学校盖章学籍卡",
    "parent_proof": "家长签字证明材料",
    "transfer_letter": "转学联系函/控辍保学的函",
    "kindergarten_sheet": "幼儿园幼儿信息表（盖章）",
    "deferral_approval": "因身体原因延缓入学审批",
    "household_proof": "派出所户籍证明",
    "expert_cert": "县残疾人教育专家委员会认定证明",
    "vocational_registry": "中职学校学籍证明",
    "police_missing": "公安部门失踪失联认定证明",
    "abroad_proof": "政府或公安部门出国证明",
}


@dataclass(frozen=True)
class Code:
    code: str
    name: str
    description: str
    klass: CodeClass
    action: Action
    # Each inner tuple is one requirement satisfied by any of its documents.
    required_evidence: tuple[tuple[str, ...], ...] = ()
    expected_evidence: tuple[str, ...] = ()
    age_rule: str | None = None  # "under6" (B5) or "over16" (B6)
    notes_rule: str | None = None  # "a8", "cross_province" or "unconfirmed"
    needs_place: bool = False  # 就读省县 and 就读学校 are asked for
    place_scope: str | None = None  # "in_province" / "out_of_province" / None (either)

    @property
    def label(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def needs_persuasion(self) -> bool:
        return self.klass == CodeClass.PERSUADE

    @property
    def is_unconfirmed(self) -> bool:
        """99: the child's situation is still being checked."""
        return self.klass == CodeClass.UNCONFIRMED

    @property
    def evidence_keys(self) -> tuple[str, ...]:
        keys = [k for group in self.required_evidence for k in group]
        return tuple(keys) + tuple(k for k in self.expected_evidence if k not in keys)


_A, _B = CodeClass.PERSUADE, CodeClass.NO_PERSUADE
_D, _E = Action.DROPOUT, Action.ENROLLED

CODE_LIST: tuple[Code, ...] = (
    Code("A1", "打工务农", "外出打工或在家务农", _A, _D, expected_evidence=("persuasion_record",)),
    Code("A2", "厌学辍学", "厌学而辍学", _A, _D, expected_evidence=("persuasion_record",)),
    Code(
        "A3", "因病因残", "含待疾病恢复后可就学、经评估后能接受义务教育的残疾儿童",
        _A, _D, expected_evidence=("diagnosis_cert", "home_teaching"),
    ),
    Code(
        "A4", "在家上学", "含私塾、国学班等情形", _A, _D,
        expected_evidence=("persuasion_record", "judicial_notice"),
    ),
    Code("A5", "入寺入教", "进入寺庙或宗教场所", _A, _D, expected_evidence=("persuasion_record",)),
    Code("A6", "早婚失学", "早婚早育而失学", _A, _D, expected_evidence=("persuasion_record",)),
    Code(
        "A7", "扶贫异地搬迁", "因搬迁导致未及时入学", _A, _D,
        expected_evidence=("persuasion_record",),
    ),
    Code(
        "A8", "其他原因", "须在处理说明中写明目前状况、家庭情况和父母联系方式", _A, _D,
        expected_evidence=("persuasion_record",), notes_rule="a8",
    ),
    Code(
        "B1", "户籍原因", "含查无此人、户籍重复、死亡、迁出注销、身份证登记错误等", _B, _D,
        required_evidence=(("police_proof",), ("village_proof",)),
    ),
    Code(
        "B2", "在校有学籍", "比对时间节点后新入学或新注册学籍", _B, _E,
        required_evidence=(("registry_card",),), needs_place=True, place_scope="in_province",
    ),
    Code(
        "B3", "省内就读无学籍", "已在省内学校学习但因各种原因未注册学籍", _B, _E,
        required_evidence=(("parent_proof",),), needs_place=True, place_scope="in_province",
    ),
    Code(
        "B4", "省外就读无学籍", "已在省外学校学习但因各种原因未注册学籍", _B, _E,
        required_evidence=(("parent_proof",), ("transfer_letter",)),
        needs_place=True, place_scope="out_of_province", notes_rule="cross_province",
    ),
    Code(
        "B5", "延缓入学", "含因身体等原因延缓入学、目前仍在幼儿园就读或实际年龄不足6周岁", _B, _D,
        required_evidence=(("kindergarten_sheet", "deferral_approval"),), age_rule="under6",
    ),
    Code(
        "B6", "超龄离校", "实际年龄16周岁及以上或已毕业", _B, _D,
        required_evidence=(("household_proof",),), age_rule="over16",
    ),
    Code(
        "B7", "重病重残", "因身体等原因不具备学习能力", _B, _D,
        required_evidence=(("expert_cert",),),
    ),
    Code(
        "B8", "中职就读", "在中等职业学校就读", _B, _E,
        required_evidence=(("vocational_registry",),), needs_place=True,
    ),
    Code(
        "B9", "失踪失联", "由公安部门界定，从严掌握", _B, _D,
        required_evidence=(("police_missing",),),
    ),
    Code(
        "B10", "出国在外", "出国在外", _B, _D, required_evidence=(("abroad_proof",),),
    ),
    Code(
        "99", "未确认完成", "短期内无法核实，继续核查后如实上报", CodeClass.UNCONFIRMED, Action.UNCONFIRMED,
        notes_rule="unconfirmed",
    ),
)

CODES: dict[str, Code] = {c.code: c for c in CODE_LIST}
UNCONFIRMED_CODE: Code = next(c for c in CODE_LIST if c.action == Action.UNCONFIRMED)


def class_of(code: str | None) -> CodeClass | None:
    """The class of a stored code; None for no code (pending) or one the table lacks."""
    found = CODES.get(code) if code else None
    return found.klass if found else None


def codes_in(*classes: str) -> tuple[str, ...]:
    """The codes of the given classes in table order, e.g. for ``Entry.code.in_(...)``."""
    return tuple(c.code for c in CODE_LIST if c.klass in classes)


def codes_for(action: Action) -> tuple[Code, ...]:
    """Codes the given action offers, in table order."""
    return tuple(c for c in CODE_LIST if c.action == action)


def get_code(code: str) -> Code:
    """Look a code up, tolerating case and stray spaces ('b2 ' → B2)."""
    key = code.strip().upper()
    try:
        return CODES[key]
    except KeyError:
        raise KeyError(f"未知的核查结果代码“{code}”（可用：{', '.join(CODES)}）") from None


def code_class_label(klass: str) -> str:
    return CLASS_LABELS.get(klass, CLASS_LABELS[CodeClass.UNCONFIRMED])
