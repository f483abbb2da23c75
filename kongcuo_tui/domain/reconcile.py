"""三统一: the ledger checked against another list by ID (the poverty office's, a school roster).

What each kind of list is for, what a comparison finds, and the watched-group tags the
ledger keeps in ``Entry.watch_groups`` (comma-separated keys, e.g. "留守,建档立卡").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .dates import age_at
from .duplicates import normalize_name

POVERTY_GROUP = "建档立卡"
# Keys a row may carry that mean the same watched group (older files say 脱贫户).
POVERTY_KEYS = frozenset({POVERTY_GROUP, "脱贫户", "建档立卡户"})
AGE_FROM, AGE_TO = 6, 15  # compulsory education (义务教育), at the cutoff date


class Finding(StrEnum):
    NOT_IN_LEDGER = "not_in_ledger"
    NOT_ON_LIST = "not_on_list"
    ON_ROSTER = "on_roster"
    DIFFERS = "differs"
    UNREADABLE = "unreadable"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Finding.NOT_IN_LEDGER: "名单上有、台账中没有（义务教育年龄）",
    Finding.NOT_ON_LIST: "台账标记为建档立卡、名单上没有",
    Finding.ON_ROSTER: "在校生名单上有、台账中仍待处理（可能已在校，核实后按 B2 处理）",
    Finding.DIFFERS: "证件号码相同，姓名或出生日期不一致",
    Finding.UNREADABLE: "名单中证件号码有误或无法核对的行",
}


@dataclass(frozen=True)
class ListKind:
    key: str
    label: str
    watch_group: str | None  # what `--tag` adds to a matching row; None: nothing to tag
    findings: tuple[Finding, ...]


KINDS = {
    "poverty": ListKind("poverty", "脱贫户（建档立卡）名单", POVERTY_GROUP,
                        (Finding.NOT_IN_LEDGER, Finding.NOT_ON_LIST, Finding.DIFFERS, Finding.UNREADABLE)),
    "roster": ListKind("roster", "学校在校生名单", None,
                       (Finding.ON_ROSTER, Finding.DIFFERS, Finding.UNREADABLE)),
}


def groups_of(watch_groups: str) -> list[str]:
    return [g.strip() for g in (watch_groups or "").replace("，", ",").split(",") if g.strip()]


def has_group(watch_groups: str, group: str) -> bool:
    keys = POVERTY_KEYS if group == POVERTY_GROUP else {group}
    return any(g in keys for g in groups_of(watch_groups))


def with_group(watch_groups: str, group: str) -> str:
    """``watch_groups`` with ``group`` added (unchanged when it, or a synonym, is there)."""
    if has_group(watch_groups, group):
        return watch_groups
    return ",".join([*groups_of(watch_groups), group])


def differences(list_name: str, list_birth: date | None, name: str, birth: date | None) -> list[str]:
    """What differs between a list row and the ledger row with the same ID (names normalised)."""
    out = []
    if normalize_name(list_name) != normalize_name(name):
        out.append(f"姓名：名单「{list_name}」，台账「{name}」")
    if list_birth is not None and birth is not None and list_birth != birth:
        out.append(f"出生日期：名单 {list_birth:%Y-%m-%d}，台账 {birth:%Y-%m-%d}")
    return out


def of_compulsory_age(birth: date | None, cutoff: date) -> bool:
    """6–15 at the cutoff; unknown birth dates count (the registrar must look)."""
    if birth is None:
        return True
    return birth <= cutoff and AGE_FROM <= age_at(birth, cutoff) <= AGE_TO
