"""The audit log: every change and every export, with who, when and what."""

from __future__ import annotations

import json

from ..db.models import AuditLog, now


def record(login: str, verb: str, target: str = "", **detail) -> None:
    AuditLog.create(
        login=login, verb=verb, target=target,
        detail=json.dumps(detail, ensure_ascii=False, default=str) if detail else "",
    )


def record_many(login: str, verb: str, items: list[tuple[str, dict]]) -> None:
    at = now()
    rows = [
        {"login": login, "verb": verb, "target": target, "at": at,
         "detail": json.dumps(detail, ensure_ascii=False, default=str)}
        for target, detail in items
    ]
    for i in range(0, len(rows), 500):
        AuditLog.insert_many(rows[i:i + 500]).execute()
