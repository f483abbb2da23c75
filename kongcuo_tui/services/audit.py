"""The audit log: every change, every export and every refusal, with who, when and what."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from ..db.bulk import bulk_insert
from ..db.models import AuditLog, now
from .errors import PermissionDenied

# The Unix account behind this process when it acts for another login (an administrator's
# `--login`); every record then names both. One per process, so worker threads see it too.
_operator: str | None = None


@contextmanager
def operator(name: str | None) -> Iterator[None]:
    global _operator
    before, _operator = _operator, name
    try:
        yield
    finally:
        _operator = before


def who(login: str) -> str:
    """The login column: `login`, or "admin as login" when an administrator acts for it."""
    if not _operator or _operator == login or not login:
        return login or _operator or ""
    return f"{_operator} as {login}"[:64]


def record(login: str, verb: str, target: str = "", **detail) -> None:
    AuditLog.create(
        login=who(login), verb=verb, target=target,
        detail=json.dumps(detail, ensure_ascii=False, default=str) if detail else "",
    )


def record_many(login: str, verb: str, items: list[tuple[str, dict]], bulk: bool = False) -> None:
    """One entry per (target, detail); ``bulk`` sends them through the driver's executemany."""
    at = now()
    rows = [
        {"login": who(login), "verb": verb, "target": target, "at": at,
         "detail": json.dumps(detail, ensure_ascii=False, default=str)}
        for target, detail in items
    ]
    if bulk:
        bulk_insert(AuditLog, rows)
        return
    for i in range(0, len(rows), 500):
        AuditLog.insert_many(rows[i:i + 500]).execute()


def denied(login: str, target: str, reason: str, **detail) -> None:
    """A refused attempt: recorded like a change, so probing another region leaves a trace."""
    record(login, "denied", target, reason=reason, **detail)


def audits_denials(target: str) -> Callable:
    """Record a PermissionDenied raised by `fn(actor, …)` before it reaches the caller.

    Recorded after `fn`'s own transaction has rolled back, so the record is kept.
    """
    def wrap(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def inner(actor, *args, **kwargs):
            try:
                return fn(actor, *args, **kwargs)
            except PermissionDenied as e:
                denied(actor.login, target, str(e))
                raise
        return inner
    return wrap
