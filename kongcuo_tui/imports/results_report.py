"""What a results import found: counts, conflicts and rejected rows with their Excel row numbers."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

REJECTED, CONFLICT = "拒收", "冲突"
FIXES = {
    "核查结果": "从下拉列表选择核查结果代码（见“填表说明”）",
    "就读省县": "写省县全称（如 河南省南阳市宛城区）或 6 位区划代码",
    "就读学校": "写就读学校全称",
    "证明材料": "按“填表说明”写上所需材料的名称，多个用“、”分隔",
    "证明人": "写出具证明或报告情况的人；本人核查的写本人姓名",
    "证明日期": "写成 2026-11-20 的格式，不晚于今天",
    "处理说明": "按“填表说明”的要求如实写明情况",
    "毕业去向": "写明毕业去向",
    "核实证件号码": "按户口簿或派出所证明填写正确的 18 位号码",
    "行键": "不要修改或复制隐藏的“行键”列；请重新导出工作表",
    "": "核对该行后重新导入",
}


@dataclass(frozen=True)
class ResultIssue:
    sheet: str
    row: int
    column: str
    value: str
    reason: str
    fix: str
    name: str
    kind: str = REJECTED


@dataclass
class ResultsReport:
    file: str
    dry_run: bool = False
    filled: int = 0  # rows with anything in a result column
    blank: int = 0  # rows skipped silently (nothing filled in)
    classified: int = 0
    verified: int = 0
    unchanged: int = 0
    rejected: list[ResultIssue] = field(default_factory=list)
    conflicts: list[ResultIssue] = field(default_factory=list)

    @property
    def rejected_rows(self) -> int:
        return len({(i.sheet, i.row) for i in self.rejected})

    def summary(self) -> str:
        verb = "检查完成（未写入）" if self.dry_run else "导入完成"
        return (f"{verb}：已填写 {self.filled} 行，处理 {self.classified} 行，核实证件号码 {self.verified} 行，"
                f"无变化 {self.unchanged} 行，冲突 {len(self.conflicts)} 行，拒收 {self.rejected_rows} 行"
                f"（未填写的 {self.blank} 行已跳过）")

    def as_json(self) -> dict:
        return {"file": self.file, "dry_run": self.dry_run, "filled": self.filled, "blank": self.blank,
                "classified": self.classified, "verified": self.verified, "unchanged": self.unchanged,
                "conflicts": [asdict(i) for i in self.conflicts], "rejected": [asdict(i) for i in self.rejected]}

    def to_json(self) -> str:
        return json.dumps(self.as_json(), ensure_ascii=False, default=str)
