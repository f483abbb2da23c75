"""The figures of the overview screen: each one a count and the ledger query of its rows.

One grouped query over the scope (area × status × code × review state) gives every count
and bar, one more the classification history of the last weeks; the overdue persuasion
cases are asked for apart (`overdue`). Nothing here grows with the row count but the
database's own counting.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from peewee import fn

from ..db.models import Entry, History, School
from ..domain.codes import CLASS_LABELS, STATUS_LABELS, CodeClass, Status, class_of
from ..domain.regions import region_index
from ..domain.periods import ReportDeadline, report_deadline
from ..domain.review import STATE_LABELS, ReviewState
from . import accounts, persuasion
from .scope import entry_scope
from .types import Actor, LedgerQuery

SPARK_DAYS = 28  # rows processed per day over the last four weeks


@dataclass(frozen=True)
class Figure:
    """One line: `count` of `total` (a bar when total > 0); Enter opens `query`'s rows."""

    section: str
    label: str
    count: int
    total: int = 0
    query: LedgerQuery | None = None
    extra: str = ""  # e.g. a county's 需复核 / 已重新提交 counts
    loading: bool = False  # counted by a slower call (overdue); the screen fills it in after


@dataclass(frozen=True)
class Overview:
    total: int
    deadline: ReportDeadline
    daily: list[int]  # rows classified per day, oldest first, ending today
    figures: list[Figure] = field(default_factory=list)


def _tab(pending: int) -> str:
    """Open a drill on the tab that has rows: the pending one while any are left."""
    return Status.PENDING.value if pending else Status.PROCESSED.value


def _grouped(actor: Actor, areas: tuple) -> list[tuple]:
    """The one pass over the scope: (*area values, status, code, review state, count) rows."""
    fields = (*areas, Entry.status, Entry.code, Entry.review_state)
    return list(Entry.select(*fields, fn.COUNT(Entry.id)).where(entry_scope(actor)).group_by(*fields).tuples())


def _status_figures(rows: list[tuple]) -> tuple[int, list[Figure]]:
    by_status = {s.value: 0 for s in Status}
    by_class = {k: 0 for k in CodeClass}
    by_review = {ReviewState.FLAGGED.value: 0, ReviewState.RESUBMITTED.value: 0}
    for *_, status, code, state, n in rows:
        by_status[status] = by_status.get(status, 0) + n
        if status == Status.PROCESSED.value and (k := class_of(code)) is not None:
            by_class[k] += n
        if state in by_review:
            by_review[state] += n
    total = sum(by_status.values())
    processed = by_status[Status.PROCESSED.value]
    out = [Figure("状态", STATUS_LABELS[s], by_status[s.value], total, LedgerQuery(status=s.value)) for s in Status]
    out += [Figure("核查结果（已处理）", CLASS_LABELS[k], by_class[k], processed,
                   LedgerQuery(status=Status.PROCESSED.value, code_class=k)) for k in CodeClass]
    out += [Figure("复核", STATE_LABELS[ReviewState(s)], n, 0, LedgerQuery(status=Status.PROCESSED.value, review=s))
            for s, n in by_review.items()]
    return total, out


OVERDUE = ("劝返", "劝返逾期")


def overdue(actor: Actor, today: date) -> Figure:
    """Persuasion cases overdue on `today` (working days): the slow figure, asked for apart.

    The ledger's set (persuasion.overdue_ids, the stored deadlines), so the figure opens the
    rows it counts.
    """
    actor = accounts.current(actor)
    found = persuasion.overdue_ids(actor, today)
    ids = tuple(sorted(found))
    # One bound parameter: a province's tens of thousands of ids would pass SQLite's limit as IN (?, …).
    pending = Entry.select().where(entry_scope(actor) & persuasion.overdue_on(today)
                                   & (Entry.status == Status.PENDING.value)).count() if ids else 0
    return Figure(*OVERDUE, len(ids), 0,
                  LedgerQuery(status=_tab(pending), entry_ids=ids, ids_label=f"劝返逾期（{today:%m-%d}）"))


def _progress(rows: list[tuple], at: int, labels: dict, section: str, make_query) -> list[Figure]:
    """Grouped rows → one figure per area (the value at `at`): processed of total."""
    per: dict = {}
    for row in rows:
        key, status, n = row[at], row[-4], row[-1]
        c = per.setdefault(key, [0, 0])
        c[0 if status == Status.PENDING.value else 1] += n
    out = []
    for key, (pending, processed) in sorted(per.items(), key=lambda kv: (kv[0] is None, labels.get(kv[0], ""))):
        if key is None:
            out.append(Figure(section, "（未填）", processed, pending + processed))
        else:
            out.append(Figure(section, labels.get(key, str(key)), processed, pending + processed,
                              make_query(key, _tab(pending))))
    return out


def _areas(actor: Actor, rows: list[tuple]) -> list[Figure]:
    regions = region_index()
    if actor.role.within_one_county:
        names = {code: r.name for code, r in regions.items() if r.level == "township"}
        out = _progress(rows, 0, names, "乡镇进度（已处理/合计）",
                        lambda code, tab: LedgerQuery(status=tab, township=code))
        ids = list({r[1] for r in rows if r[1] is not None})
        labels = dict(School.select(School.id, School.name).where(School.id.in_(ids)).tuples()) if ids else {}
        return out + _progress(rows, 1, labels, "学校进度（已处理/合计）",
                               lambda sid, tab: LedgerQuery(status=tab, school_id=sid))
    out = _progress(rows, 0, {code: r.name for code, r in regions.items()}, "各县进度（已处理/合计）",
                    lambda code, tab: LedgerQuery(status=tab, region=code))
    flagged: dict[str, list[int]] = {}
    for region, _status, _code, state, n in rows:
        c = flagged.setdefault(region, [0, 0])
        if state == ReviewState.FLAGGED.value:
            c[0] += n
        elif state == ReviewState.RESUBMITTED.value:
            c[1] += n
    return [_with_review(f, flagged.get(f.query.region) if f.query else None) for f in out]


def _with_review(f: Figure, c: list[int] | None) -> Figure:
    """A county's line also says how many of its B results wait for it (review.review_counts' figures)."""
    if not c or not any(c):
        return f
    return Figure(f.section, f.label, f.count, f.total, f.query, f"需复核 {c[0]}，已重新提交 {c[1]}")


def _daily(actor: Actor, today: date, days: int = SPARK_DAYS) -> list[int]:
    start = today - timedelta(days=days - 1)
    day = fn.DATE(History.at)
    q = (History.select(day, fn.COUNT(History.id)).join(Entry, on=(History.entry == Entry.id))
         .where(entry_scope(actor) & (History.at >= datetime.combine(start, datetime.min.time()))
                & (History.at < datetime.combine(today + timedelta(days=1), datetime.min.time())))
         .group_by(day).tuples())
    per = {str(d)[:10]: n for d, n in q}
    return [per.get((start + timedelta(days=i)).isoformat(), 0) for i in range(days)]


def overview(actor: Actor, today: date) -> Overview:
    """Every figure of the actor's region on `today` but the overdue count, which is a
    placeholder (`loading`): ask `overdue` for it."""
    actor = accounts.current(actor)
    rows = _grouped(actor, (Entry.township, Entry.school) if actor.role.within_one_county else (Entry.region,))
    total, figures = _status_figures(rows)
    figures.append(Figure(*OVERDUE, 0, loading=True))
    figures += _areas(actor, rows)
    return Overview(total, report_deadline(today), _daily(actor, today), figures)
