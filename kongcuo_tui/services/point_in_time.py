"""Each ledger row's state at the end of a report's period, as peewee joins and conditions.

The row's classification is its last History row recorded before the period's end (its as-of
day), its closing and return the FollowUp rows recorded by then (events in the period by their
effective date, domain.periods), and rows imported later do not exist yet. 劝返逾期 compares
the as-of day with the case's deadline as stored after the last record before the end
(domain.persuasion.overdue_after, kept by db.case_deadlines). Re-running October's report in
December gives October's numbers.

The ledger row holds today's code and deadline (written with every History and CaseDeadline
row), so a row stands at the period's end as it stands today unless it has rows recorded since:
only those are looked back for, one index probe each (_as_of); a report counts the others
as stored (AsStored), in a query without correlated subqueries. The follow-up flags come from
one grouped pass; the period's last code is the code at the end when it was given in the period.
The same joins serve report() (counted per figure) and figure_rows() (listed): PostgreSQL and
SQLite hash-join three small per-entry tables to the ledger, none of them a sort of a table.
(Stacking them into one table with UNION ALL, for one hash probe per row: no faster, and
PostgreSQL misestimates a grouped union at 200 rows.)
"""

from __future__ import annotations

from datetime import date, datetime

from peewee import JOIN, SQL, Case, fn

from ..db.models import CaseDeadline, Entry, FollowUp, History
from ..domain.codes import CodeClass, UNCONFIRMED_CODE, codes_in
from ..domain.periods import Period

A_CODES = codes_in(CodeClass.PERSUADE)
B_CODES = codes_in(CodeClass.NO_PERSUADE)
CODE_99 = UNCONFIRMED_CODE.code


def _ids(ids: list[int]):
    """Thousands of ids as one literal list: as bound values, peewee's SQL building and the
    driver's binding cost more than the query. They are ints from the database, so safe."""
    return SQL("(%s)" % (",".join(str(int(i)) for i in ids) or "NULL"))


def _as_of(model, recorded: str, T, newest_first: tuple[str, ...], column: str, none=None):
    """For an entry changed since the period's end (a row of ``model`` recorded at or after
    ``T``: _changed_since), ``column`` of its last row before ``T`` (``newest_first`` names the
    order) — ``none`` when it had none then.

    Every other entry stands at ``T`` as it stands today (the ledger keeps today's code and
    deadline on the row, written with each History / CaseDeadline row), so only the entries
    changed since are looked back for, each by one index probe: for last month that is days of
    writes, for this month none — instead of a per-entry sort of the whole table, which at a
    million rows spilled past work_mem and was redone by every parallel worker. (A correlated
    subquery keeps PostgreSQL's plan in one process; the same look-back as joins and a grouped
    MAX, which can run in parallel workers, cost 30 % more and were no faster at load 2–3.)
    """
    before = model.alias("b")
    field = lambda name: getattr(before, name)  # noqa: E731
    last = (before.select(field(column))
            .where((before.entry == model.entry) & (field(recorded) < T))
            .order_by(*(field(n).desc() for n in newest_first)).limit(1))
    return last if none is None else fn.COALESCE(last, none)


def _changed_since(model, recorded: str, T, **columns):
    """One row per entry with a row of ``model`` recorded at or after ``T``: eid and ``columns``
    (each an _as_of of the same model)."""
    return (model.select(model.entry.alias("eid"), *(v.alias(k) for k, v in columns.items()))
            .where(getattr(model, recorded) >= T).group_by(model.entry))


class AtPeriodEnd:
    """The joins that give each row's state at a period's end; added only when a figure asks."""

    def __init__(self, period: Period, today: date, only: list[int] | None = None,
                 without: list[int] | None = None):
        """``only``: the ids of the entries to count, when a few (the follow-ups are then read
        for those alone); ``without``: ids of entries not to count."""
        self.period = period
        self.as_of = period.as_of(today)
        self.T = period.known_before(today)
        self.S = period.started()
        self.only, self.without = only, without
        self._joins: dict[str, object] = {}

    def _join(self, name: str, build):
        if name not in self._joins:
            self._joins[name] = build().alias(name)
        return self._joins[name]

    # -- the row's classification -------------------------------------------------------------
    def _was(self):
        """For the rows changed since the end: their code then ("" none) and its time (none: a
        time before any period)."""
        def build():
            return _changed_since(History, "at", self.T,
                                  code=_as_of(History, "at", self.T, ("id",), "code", none=""),
                                  at=_as_of(History, "at", self.T, ("id",), "at", none=datetime.min))
        return self._join("was", build)

    @property
    def code(self):
        """The code at the period's end; "" while the row was not yet classified (as on the row).

        One COALESCE, not a CASE on whether the row changed since: two dozen figures read it."""
        return fn.COALESCE(self._was().c.code, Entry.code)

    def _given_at(self):
        """When the code at the end was given."""
        return fn.COALESCE(self._was().c.at, Entry.handled_at)

    @property
    def classified(self):
        return self.code != ""

    def classified_in_period(self, codes: tuple[str, ...] | None = None):
        """Classified in the period, its last code there among ``codes`` (None: any).

        The last History row before the end is the period's last when it lies in the period (rows
        are appended in time order), so this is the code at the end and the time it was given —
        on the row (handled_at) unless it changed since — not a per-entry sort of the period's
        rows joined to the ledger. The code is tested first: for most rows and codes it is false."""
        given = self._given_at()
        test = self.classified if codes is None else self.code.in_(codes)
        return test & (given >= self.S)

    # -- follow-up steps ----------------------------------------------------------------------
    def _steps(self):
        """One grouped pass over the follow-ups known at the end: per entry, whether it has a
        closing, a return in the period, an 超龄销号 closing in the period (NULL: none)."""
        def build():
            known = (FollowUp.on < self.T.date()) & (FollowUp.recorded_at < self.T)
            in_period = (FollowUp.on >= self.S.date()) | (FollowUp.recorded_at >= self.S)
            closing = FollowUp.kind == "close"
            if self.only is not None:  # those entries' alone (the look-back joins hold only changed ones)
                known &= FollowUp.entry.in_(_ids(self.only))

            def flag(cond, name):
                return fn.MAX(Case(None, [(cond, 1)], None)).alias(name)
            return (FollowUp.select(FollowUp.entry.alias("eid"), flag(closing, "closed"),
                                    flag((FollowUp.kind == "return") & in_period, "returned"),
                                    flag(closing & (FollowUp.subkind == "超龄销号") & in_period, "aged_out"))
                    .where(FollowUp.kind.in_(("close", "return")) & known).group_by(FollowUp.entry))
        return self._join("steps", build)

    @property
    def closed(self):
        return self._steps().c.closed.is_null(False)

    @property
    def returned(self):
        return self._steps().c.returned.is_null(False)

    @property
    def aged_out(self):
        return self._steps().c.aged_out.is_null(False)

    # -- its persuasion case ------------------------------------------------------------------
    @property
    def overdue(self):
        """劝返逾期 at the as-of day, from the records known at the period's end: the case's
        stored deadline then (db.case_deadlines, its last row recorded before the end) has
        passed. Cases as in persuasion.due_list: not closed, classified A, or not (yet)
        classified / 99 — a row classified B needs no persuasion."""
        then = self._deadline()
        # The deadline first, NULL-safe: most rows have no case, and a NULL does not end an AND.
        return then.is_null(False) & (then < self.as_of) & self.exists & self.open

    def _deadline(self):
        """The case's stored deadline (overdue_after) as it was at the end."""
        d = self._join("deadline", lambda: _changed_since(
            CaseDeadline, "recorded_at", self.T,
            overdue_after=_as_of(CaseDeadline, "recorded_at", self.T, ("recorded_at", "id"), "overdue_after")))
        return Case(None, [(d.c.eid.is_null(), Entry.overdue_after)], d.c.overdue_after)

    # -- the row itself -----------------------------------------------------------------------
    @property
    def exists(self):
        return Entry.created_at < self.T

    @property
    def found(self):
        return (Entry.created_at >= self.S) & (Entry.created_at < self.T)

    @property
    def open(self):
        """疑似辍学 or 辍学: not closed, not classified, or classified 99 or A."""
        return ~self.closed & (~self.classified | self.code.in_((CODE_99, *A_CODES)))

    def changed_since(self):
        """The entries with a History or CaseDeadline row recorded at or after the end: the
        only rows whose state at the end is not the one stored on them (AsStored)."""
        return _changed_since(History, "at", self.T) | _changed_since(CaseDeadline, "recorded_at", self.T)

    def select(self, *columns):
        """Entry with the joins the conditions asked for so far: build conditions first."""
        q = Entry.select(*columns)
        for sub in self._joins.values():
            q = q.join_from(Entry, sub, JOIN.LEFT_OUTER, on=(sub.c.eid == Entry.id))
        if self.only is not None:
            q = q.where(Entry.id.in_(_ids(self.only)))
        if self.without:
            q = q.where(Entry.id.not_in(_ids(self.without)))
        return q


class AsStored(AtPeriodEnd):
    """Each row's code, its time and its case deadline as stored on the row today (the
    follow-ups and the row itself as at the period's end): exactly AtPeriodEnd for every row
    not changed since the end (changed_since), without the look-back joins.

    A report counts every row not changed since this way and looks back only for the others:
    the two dozen figures then read plain columns, not a COALESCE with a joined look-back each,
    and the query has no correlated subquery, so PostgreSQL may share it among parallel workers."""

    @property
    def code(self):
        return Entry.code

    def _given_at(self):
        return Entry.handled_at

    def _deadline(self):
        return Entry.overdue_after
