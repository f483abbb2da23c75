"""How long each stored text may be, in characters: one table for models, imports and forms.

PostgreSQL refuses a value longer than its column (a raw DataError), SQLite stores it:
checking here, before any write, gives the same Chinese answer on both engines.
Keys are "table.column"; db/models.py builds its columns from these numbers.
"""

from __future__ import annotations

LENGTHS: dict[str, int] = {
    "entry.name": 64,
    "entry.id_number": 32,
    "entry.id_raw": 64,
    "entry.enrolled": 4,
    "entry.national_no": 32,
    "entry.prov_school": 128,
    "entry.prov_no": 32,
    "entry.prov_status": 32,
    "entry.id_issue_code": 32,
    "entry.sex": 2,
    "entry.ethnicity": 16,
    "entry.grade_class": 32,
    "entry.source": 16,
    "entry.study_place": 128,
    "entry.study_school": 128,
    "entry.proof_person": 64,
    "history.study_school": 128,
    "history.proof_person": 64,
    "entry.graduation": 128,
    "history.graduation": 128,
    "draft.login": 64,
    "account.login": 64,
    "account.display_name": 64,
    "import_batch.file_name": 255,
    "audit_log.target": 64,
    "persuasion.party": 64,
    "persuasion.units": 128,
    "persuasion.method": 32,
    "persuasion.signer": 64,
    "persuasion.phone": 32,
    "follow_up.approved_by": 64,
    "follow_up.party": 128,
}
# Text columns have no length in the database; these are the forms' limits, so a pasted
# page does not end up on a printed 登记表 row.
TEXT_LENGTHS: dict[str, int] = {
    "persuasion.process_result": 1000,
    "follow_up.note": 1000,
}


def limit(key: str) -> int:
    return LENGTHS[key] if key in LENGTHS else TEXT_LENGTHS[key]


def too_long(label: str, key: str, value: str) -> str | None:
    """The Chinese reason ``value`` does not fit ``key``, or None when it fits."""
    n = limit(key)
    if len(value) <= n:
        return None
    return f"“{label}”最多 {n} 个字，现有 {len(value)} 个字；请缩短后再保存"


def clip(text: str, key: str) -> str:
    """``text`` cut to fit ``key`` (with "…"), for labels whose full form is kept elsewhere."""
    n = LENGTHS[key]
    return text if len(text) <= n else text[: n - 1] + "…"
