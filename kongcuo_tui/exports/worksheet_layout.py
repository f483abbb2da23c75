"""The township worksheet's columns: shared by the export that writes it and the import that reads it.

Identifying columns are locked; result columns are for the school to fill. The row key
(行键, hidden) names the row and the version it had, so results find their row after any
re-sorting and a row changed in the ledger since is told apart as a conflict.
"""

from __future__ import annotations

import re

INSTRUCTIONS_SHEET = "填表说明"
KEY_HEADER = "行键"
IDENTIFYING = ("序号", "姓名", "出生日期", "证件号码", "证件号码核验", "户籍地", "家庭住址", "学校", "当前核查结果")
IDENTIFYING_WIDTHS = (6, 8, 11, 20, 24, 18, 22, 16, 14)
# Result column header → the field it fills (classification field names from domain/rules).
RESULTS = (
    ("核查结果", "code"), ("就读省县", "study_region"), ("就读学校", "study_school"),
    ("证明材料", "evidence"), ("证明人", "proof_person"), ("证明日期", "proof_date"),
    ("处理说明", "notes"), ("毕业去向", "graduation"), ("核实证件号码", "verified_id"),
)
RESULT_WIDTHS = (14, 16, 16, 24, 12, 11, 30, 12, 20)
RESULT_HEADERS = tuple(h for h, _ in RESULTS)
COLUMN_OF_FIELD = {f: h for h, f in RESULTS}
HEADERS = IDENTIFYING + RESULT_HEADERS + (KEY_HEADER,)
WIDTHS = IDENTIFYING_WIDTHS + RESULT_WIDTHS + (14,)
EVIDENCE_SEPARATORS = re.compile(r"[、,，;；\s]+")
_KEY = re.compile(r"^K(\d+)-(\d+)$")


def row_key(entry_id: int, version: int) -> str:
    return f"K{entry_id}-{version}"


def parse_key(text: object) -> tuple[int, int] | None:
    """(entry id, version) of a 行键 cell, or None when it is missing or was edited."""
    m = _KEY.match(str(text).strip()) if text is not None else None
    return (int(m.group(1)), int(m.group(2))) if m else None
