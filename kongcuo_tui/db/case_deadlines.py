"""Each persuasion case's stored deadline: Entry.overdue_after (today's) and CaseDeadline (its history).

Both are domain.persuasion.overdue_after over the case's records, so "overdue on day d" is the
SQL condition ``overdue_after < d``: the ledger's 只看逾期 and the report's 劝返逾期 need no
rule run per case. `refresh` recomputes them from the records; every writer of records calls it
in the same transaction (services.persuasion, the demo, the migration that added them).

The stored dates follow the working-day calendar they were computed with. When the calendar
changes (a new year's holidays, the county's override file), run `kongcuo deadlines` (it calls
`refresh_all` with the configured calendar); until then the counts use the old dates.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Iterable
from datetime import date, datetime
from operator import attrgetter

from ..domain import persuasion as P
from ..domain.workdays import WorkCalendar
from .bulk import analyze, bulk_insert
from .connection import db, is_sqlite
from .models import CaseDeadline, Entry, FollowUp, Persuasion

_ON_ID, _ID = attrgetter("on", "id"), attrgetter("id")  # the records' order (see _assemble)


def case_records(prows, frows) -> P.CaseRecords:
    """The case as the rules see it, from its stored rows (model rows or tuples with their
    names): attempts and rounds in date order; of single steps the latest recorded counts."""
    return _assemble(sorted(prows, key=_ON_ID), sorted(frows, key=_ID), _attempt_or_round)


def _attempt_or_round(p) -> P.SchoolAttempt | P.JointRound:
    if p.kind == "school":
        at = p.at or datetime.combine(p.on, datetime.min.time())
        return P.SchoolAttempt(at, p.party, p.signer, p.method, p.process_result, p.phone)
    return P.JointRound(p.on, P.parse_units(p.units), p.method, p.process_result, p.signer, p.phone,
                        continued=p.kind == "continued")


def _assemble(prows, frows, convert: Callable) -> P.CaseRecords:
    """prows in (on, id) order, frows in id (recording) order."""
    attempts, rounds = [], []
    for p in prows:
        (attempts if p.kind == "school" else rounds).append(convert(p))
    last: dict = {}
    procedures, letters = [], []
    for f in frows:
        last[f.kind] = f
        if f.kind == "procedure":
            procedures.append(P.Procedure(f.subkind, f.approved_by, f.on))
        elif f.kind == "letter":
            letters.append(P.Letter(f.on, f.party, f.note, f.region))
    get = last.get
    return P.CaseRecords(
        absent_since=get("absence").on if get("absence") else None,
        attempts=tuple(attempts),
        reported_on=get("report").on if get("report") else None,
        notice_on=get("notice").on if get("notice") else None,
        notice_kind=get("notice").subkind if get("notice") else "",
        rounds=tuple(rounds), procedures=tuple(procedures),
        returned=P.Return(get("return").on, get("return").party) if get("return") else None,
        closed=P.Closing(get("close").subkind, get("close").on, get("close").approved_by) if get("close") else None,
        letters=tuple(letters),
    )


# What a deadline depends on; the texts (people, methods, results) are not fetched.
_PRow = namedtuple("_PRow", "id entry kind on at units recorded_at party method process_result signer phone",
                   defaults=("",) * 5)
_FRow = namedtuple("_FRow", "id entry kind subkind on recorded_at approved_by party region note", defaults=("",) * 4)


def as_date(value):
    """A date column's value as the driver gives it (SQLite: ISO text) as a date."""
    return value if isinstance(value, date) or value is None else date.fromisoformat(value)


def as_datetime(value):
    return value if isinstance(value, datetime) or value is None else datetime.fromisoformat(value)


def _chunk() -> int:
    """Cases per round trip: bounded memory, under the 999 parameters of older SQLite builds."""
    return 900 if is_sqlite() else 5000


def _history(prows: list, frows: list, calendar: WorkCalendar) -> list[tuple[datetime, date | None]]:
    """(recorded_at, overdue_after) from each write on that changed it: the state after it."""
    out: list[tuple[datetime, date | None]] = []
    last: object = None  # no row yet means no deadline: a leading None needs no row
    converted = {p.id: _attempt_or_round(p) for p in prows}  # once, not once per moment
    prows, frows = sorted(prows, key=_ON_ID), sorted(frows, key=_ID)  # so are the records of each moment
    for m in sorted({r.recorded_at for r in prows} | {r.recorded_at for r in frows}):
        value = P.overdue_after(_assemble([p for p in prows if p.recorded_at <= m],
                                          [f for f in frows if f.recorded_at <= m], lambda p: converted[p.id]),
                                calendar)
        if value != last:
            out.append((m, value))
            last = value
    return out


def refresh(entry_ids: Iterable[int], calendar: WorkCalendar | None = None) -> None:
    """Recompute the stored deadlines of these rows from all their records (call it inside the
    writer's transaction)."""
    cal = calendar or WorkCalendar()
    ids = sorted(set(entry_ids))
    size = _chunk()
    for i in range(0, len(ids), size):
        chunk = ids[i:i + size]
        prows: dict[int, list] = {}
        frows: dict[int, list] = {}
        for r in db.execute(Persuasion.select(Persuasion.id, Persuasion.entry, Persuasion.kind, Persuasion.on,
                                              Persuasion.at, Persuasion.units, Persuasion.recorded_at)
                            .where(Persuasion.entry.in_(chunk))).fetchall():
            pid, eid, kind, on, at, units, rec = r
            prows.setdefault(eid, []).append(_PRow(pid, eid, kind, as_date(on), as_datetime(at), units, as_datetime(rec)))
        for r in db.execute(FollowUp.select(FollowUp.id, FollowUp.entry, FollowUp.kind, FollowUp.subkind,
                                            FollowUp.on, FollowUp.recorded_at)
                            .where(FollowUp.entry.in_(chunk))).fetchall():
            fid, eid, kind, subkind, on, rec = r
            frows.setdefault(eid, []).append(_FRow(fid, eid, kind, subkind, as_date(on), as_datetime(rec)))
        histories = [(eid, _history(prows.get(eid, []), frows.get(eid, []), cal)) for eid in chunk]
        CaseDeadline.delete().where(CaseDeadline.entry.in_(chunk)).execute()
        store(histories)
        by_value: dict[date | None, list[int]] = {}
        for eid, history in histories:
            by_value.setdefault(current(history), []).append(eid)
        for v, eids in by_value.items():
            Entry.update(overdue_after=v).where(Entry.id.in_(eids)).execute()


def history(persuasion: list[dict], follow_ups: list[dict], calendar: WorkCalendar) -> list[tuple[datetime, date | None]]:
    """One case's deadline history (what `refresh` stores) from records not written yet: field
    name → value as bulk_insert takes them, each list in the order it is inserted (its ids' order).

    For a writer that makes the records itself (the demo): nothing to read back and parse.
    """
    prows = [_PRow(k, None, p["kind"], p["on"], p.get("at"), p.get("units", ""), p["recorded_at"])
             for k, p in enumerate(persuasion)]
    frows = [_FRow(k, None, f["kind"], f.get("subkind", ""), f["on"], f["recorded_at"]) for k, f in enumerate(follow_ups)]
    return _history(prows, frows, calendar)


def current(history: list[tuple[datetime, date | None]]) -> date | None:
    """Entry.overdue_after of a case with this history (its state after the last write)."""
    return history[-1][1] if history else None


def store(histories: Iterable[tuple[int, list[tuple[datetime, date | None]]]]) -> None:
    """Insert the CaseDeadline rows of (entry id, history) pairs whose rows have none yet."""
    bulk_insert(CaseDeadline, ({"entry": eid, "recorded_at": m, "overdue_after": v}
                               for eid, history in histories for m, v in history))


def refresh_all(calendar: WorkCalendar | None = None) -> int:
    """Every row with a record (after a calendar change, or to fill a new database); returns their count."""
    ids = {eid for (eid,) in db.execute(Persuasion.select(Persuasion.entry).distinct()).fetchall()}
    ids |= {eid for (eid,) in db.execute(FollowUp.select(FollowUp.entry).distinct()).fetchall()}
    with db.atomic():
        refresh(ids, calendar)
    # A report joins these rows: planned on a never-analyzed table (PostgreSQL assumes 200
    # cases) it looked each case's row up by index, 69,000 times at 100,000 rows.
    analyze(CaseDeadline)
    return len(ids)
