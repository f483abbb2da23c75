"""Plain helpers of the classification form: titles and per-field error summaries."""

from __future__ import annotations

from collections import Counter

from ..domain.rules import F_CODE, F_DATE, F_EVIDENCE, F_GRADUATION, F_NOTES, F_PERSON, F_PLACE, F_SCHOOL
from ..domain.terminal import terminal_safe
from ..services.types import RowFailure

FIELDS = (F_CODE, F_GRADUATION, F_PLACE, F_SCHOOL, F_EVIDENCE, F_PERSON, F_DATE, F_NOTES)


def next_choice(current: str, choices: tuple[str, ...]) -> str:
    """F2 on 证明人: the choice after the one typed, else the first (the registrar)."""
    now = current.strip()
    return choices[(choices.index(now) + 1) % len(choices)] if now in choices else choices[0]


def person_hint(choices: tuple[str, ...]) -> str:
    return "F2 切换：" + "、".join(choices) if len(choices) > 1 else "本人核查的，填写本人姓名"


def batch_title(action: str, names: list[str], count: int) -> str:
    """'辍学处理 · 张三' or '未确认完成 · 张三、李四 等 50 人'."""
    names = [terminal_safe(n) for n in names]
    if count <= 1:
        who = names[0] if names else "1 人"
    else:
        who = f"{'、'.join(names[:2])} 等 {count} 人" if names else f"{count} 人"
    return f"{action} · {who}"


def field_errors(failures: list[RowFailure], total: int) -> dict[str, str]:
    """One text per form field; in a batch each reason says how many rows it affects."""
    counts: dict[str, Counter] = {}
    for f in failures:
        for e in f.errors:
            counts.setdefault(e.field, Counter())[e.message] += 1
    out = {}
    for name, counter in counts.items():
        lines = []
        for message, n in counter.most_common(3):
            lines.append(message if n >= total else f"{message}（{total} 人中 {n} 人）")
        if len(counter) > 3:
            lines.append(f"……另有 {len(counter) - 3} 种原因，保存时列出")
        out[name] = "\n".join(lines)
    return out
