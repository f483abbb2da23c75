"""Form drafts: what was typed survives a dropped connection (SIGHUP, a closed laptop lid).

A form saves its fields here as the registrar types (one small upsert, debounced by the
screen), offers them again when the same form is opened for the same rows, and discards them
when the form is saved or cancelled. Drafts belong to the account that typed them.
"""

from __future__ import annotations

import json
from datetime import datetime

from ..db.models import Draft, now
from .types import Actor


def key_for(kind: str, entry_ids: list[int] | tuple[int, ...]) -> str:
    """The draft key of a form of `kind` over these rows (order does not matter)."""
    return f"{kind}:{','.join(str(i) for i in sorted(entry_ids))}"


def save(actor: Actor, key: str, fields: dict[str, str]) -> None:
    payload, at = json.dumps(fields, ensure_ascii=False, sort_keys=True), now()
    (Draft.insert(login=actor.login, key=key, payload=payload, updated_at=at)
     .on_conflict(conflict_target=[Draft.login, Draft.key], update={Draft.payload: payload, Draft.updated_at: at})
     .execute())


def load(actor: Actor, key: str) -> tuple[dict[str, str], datetime] | None:
    """The fields saved for this form, and when; None if there is no draft."""
    d = Draft.get_or_none((Draft.login == actor.login) & (Draft.key == key))
    return (json.loads(d.payload), d.updated_at) if d else None


def discard(actor: Actor, key: str) -> None:
    Draft.delete().where((Draft.login == actor.login) & (Draft.key == key)).execute()


def count(actor: Actor) -> int:
    return Draft.select().where(Draft.login == actor.login).count()
