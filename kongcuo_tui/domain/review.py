"""B-class review (严格把关, 对其真实性负责): a city or province flags a B result 需复核, the
county re-submits it (re-classifies, or adds evidence and says what was checked).

The states a row's review goes through, their words, and what a note must hold.
"""

from __future__ import annotations

from enum import StrEnum

NOTE_MAX = 500  # characters; a note says what to re-check, not the whole case


class ReviewState(StrEnum):
    NONE = ""
    FLAGGED = "flagged"  # 需复核: the county must re-submit
    RESUBMITTED = "resubmitted"  # the county re-submitted; the flag is cleared


STATE_LABELS = {ReviewState.NONE: "", ReviewState.FLAGGED: "需复核", ReviewState.RESUBMITTED: "已重新提交"}


class ResubmitHow(StrEnum):
    RECLASSIFY = "reclassify"  # a new classification through the forms (j / c / w)
    EVIDENCE = "evidence"  # the same result, evidence added and explained


HOW_LABELS = {ResubmitHow.RECLASSIFY: "重新处理", ResubmitHow.EVIDENCE: "补充材料"}


def check_note(note: str, what: str) -> list[str]:
    """Why `note` (the flag's reason or the re-submission's explanation) cannot be saved."""
    text = note.strip()
    if not text:
        return [f"请填写{what}"]
    if len(text) > NOTE_MAX:
        return [f"{what}最多 {NOTE_MAX} 字（现为 {len(text)} 字），请精简"]
    return []
