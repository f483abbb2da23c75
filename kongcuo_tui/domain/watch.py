"""The groups watched closely (重点监测群体, Tanghe plan and the Ministry's 2024 notice).

``Entry.watch_groups`` holds these keys, comma-separated; several may apply to one child.
A disability is also recorded in its own column (是否残疾/残疾类型), which counts as 残疾.
"""

from __future__ import annotations

# key stored → label printed
WATCH_GROUPS: dict[str, str] = {
    "留守": "留守儿童",
    "随迁": "随迁子女/流动儿童",
    "残疾": "残疾儿童",
    "孤儿": "孤儿/事实无人抚养",
    "困境": "困境儿童",
    "建档立卡": "脱贫户(建档立卡)",
    "服刑人员子女": "服刑人员未成年子女",
}
DISABILITY_GROUP = "残疾"


def groups_of(watch_groups: str, disability: str = "") -> set[str]:
    """The watched groups a row belongs to (unknown keys are kept as they are)."""
    keys = {k.strip() for k in (watch_groups or "").split(",") if k.strip()}
    if (disability or "").strip():
        keys.add(DISABILITY_GROUP)
    return keys
