"""Each ledger row's state at the end of a report's period, as peewee joins and conditions.

The row's classification is its last History row recorded before the period's end (its as-of
day), its closing and return the FollowUp rows recorded by then (events in the period by their
effective date, domain.periods), and rows imported later do not exist yet. 劝返逾期 compares
the as-of day with the case's deadline as stored after the last record before the end
(domain.persuasion.overdue_after, kept by db.case_deadlines). Re-running October's report in
December gives October's numbers.

The ledger row holds today's code and deadline (written with every History and CaseDeadline
row), so a row stands at the period's end as it stands today unless it has rows recorded since:
only those are looked back for, one index probe each (_as_of). The follow-up flags come from one
grouped pass, the period's last code from the period's History rows (DISTINCT ON or ROW_NUMBER).
The same joins serve report() (counted per figure) and figure_rows() (listed), so PostgreSQL and
SQLite hash-join four small per-entry tables to the ledger, none of them a sort of a whole table.
(Stacking the four into one table with UNION ALL, for one hash probe per row: no faster, and
PostgreSQL misestimates a grouped union at 200 rows.)
"""

from __future__ import annotations

from datetime import date

from peewee import JOIN, Case, Select, fn

from ..db.connection import is_sqlite
from ..db.models import CaseDeadline, Entry, FollowUp, History
from ..domain.codes import CodeClass, UNCONFIRMED_CODE, codes_in
from ..domain.periods import Period

A_CODES = codes_in(CodeClass.PERSUADE)
B_CODES = codes_in(CodeClass.NO_PERSUADE)
CODE_99 = UNCONFIRMED_CODE.code


def _as_of(model, recorded: str, T, newest_first: tuple[str, ...], column: str, none=None):
    """Per entry with a row of ``model`` recorded at or after ``T`` (changed since the period's
    end), ``column`` of its last row before ``T`` (``newest_first`` names the order) — ``none``
    when it had none then.

    Every other entry stands at ``T`` as it stands today (the ledger keeps today's code and
    deadline on the row, written with each History / CaseDeadline row), so only the entries
    changed since are looked back for, each by one index probe: for last month that is days of
    writes, for this month none — instead of a per-entry sort of the whole table, which at a
    million rows spilled past work_mem and was redone by every parallel worker.
    """
    before = model.alias("b")
    field = lambda name: getattr(before, name)  # noqa: E731
    last = (before.select(field(column))
            .where((before.entry == model.entry) & (field(recorded) < T))
            .order_by(*(field(n).desc() for n in newest_first)).limit(1))
    value = last if none is None else fn.COALESCE(last, none)
    return (model.select(model.entry.alias("eid"), value.alias(column))
            .where(getattr(model, recorded) >= T).group_by(model.entry))


def _last_in(model, cond, newest_first: tuple, *columns):
    """Per entry, the columns of its last row (first in ``newest_first``) among ``model``'s rows
    meeting ``cond`` (one pass, one row per entry; as _as_of). Entries in descending order: an
    index on (entry_id, …) is then read backwards instead of sorting the rows."""
    if not is_sqlite():
        return (model.select(model.entry.alias("eid"), *columns).where(cond)
                .distinct(model.entry).order_by(model.entry.desc(), *newest_first))
    rn = fn.ROW_NUMBER().over(partition_by=[model.entry], order_by=list(newest_first))
    ranked = model.select(model.entry.alias("eid"), *columns, rn.alias("rn")).where(cond).alias("ranked")
    return (Select([ranked], [ranked.c.eid, *(getattr(ranked.c, c.name) for c in columns)])
            .where(ranked.c.rn == 1))


class AtPeriodEnd:
    """The joins that give each row's state at a period's end; added only when a figure asks."""

    def __init__(self, period: Period, today: date):
        self.period = period
        self.as_of = period.as_of(today)
        self.T = period.known_before(today)
        self.S = period.started()
        self._joins: dict[str, object] = {}

    def _join(self, name: str, build):
        if name not in self._joins:
            self._joins[name] = build().alias(name)
        return self._joins[name]

    # -- the row's classification -------------------------------------------------------------
    @property
    def code(self):
        """The code at the period's end; "" while the row was not yet classified (as on the row).

        One COALESCE, not a CASE on whether the row changed since: two dozen figures read it."""
        was = self._join("was", lambda: _as_of(History, "at", self.T, ("id",), "code", none=""))
        return fn.COALESCE(was.c.code, Entry.code)

    @property
    def classified(self):
        return self.code != ""

    @property
    def period_code(self):
        """The last code given in the period; NULL when the row was not classified in it.

        Its own sort of the period's rows, not the code at the end for the rows with a row in the
        period (a CASE): that is read by eighteen figures per ledger row and cost more (10 %)."""
        per = self._join("per", lambda: _last_in(History, (History.at >= self.S) & (History.at < self.T),
                                                  (History.id.desc(),), History.code))
        return per.c.code

    # -- follow-up steps ----------------------------------------------------------------------
    def _steps(self):
        """One grouped pass over the follow-ups known at the end: per entry, whether it has a
        closing, a return in the period, an 超龄销号 closing in the period (NULL: none)."""
        def build():
            known = (FollowUp.on < self.T.date()) & (FollowUp.recorded_at < self.T)
            in_period = (FollowUp.on >= self.S.date()) | (FollowUp.recorded_at >= self.S)
            closing = FollowUp.kind == "close"

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
        d = self._join("deadline", lambda: _as_of(CaseDeadline, "recorded_at", self.T, ("recorded_at", "id"),
                                                  "overdue_after"))
        then = Case(None, [(d.c.eid.is_null(), Entry.overdue_after)], d.c.overdue_after)
        return self.exists & self.open & (then < self.as_of)

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

    def select(self, *columns):
        """Entry with the joins the conditions asked for so far: build conditions first."""
        q = Entry.select(*columns)
        for sub in self._joins.values():
            q = q.join_from(Entry, sub, JOIN.LEFT_OUTER, on=(sub.c.eid == Entry.id))
        return q
