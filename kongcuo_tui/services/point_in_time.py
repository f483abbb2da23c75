"""Each ledger row's state at the end of a report's period, as peewee joins and conditions.

The row's classification is its last History row recorded before the period's end (its as-of
day), its closing and return the FollowUp rows recorded by then (events in the period by their
effective date, domain.periods), and rows imported later do not exist yet. 劝返逾期 compares
the as-of day with the case's deadline as stored after the last record before the end
(domain.persuasion.overdue_after, kept by db.case_deadlines). Re-running October's report in December gives October's numbers.

Each source is read once and joined once, by entry: the last History row (DISTINCT ON or
ROW_NUMBER, not a grouped MAX(id) joined back by id), every follow-up flag from one grouped pass,
the last stored deadline. The same joins serve report() (counted per figure) and figure_rows() (listed), so
PostgreSQL and SQLite hash-join four small per-entry tables to the ledger instead of nine.
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


def _last_rows(model, cond, newest_first: tuple, *columns):
    """Per entry, the columns of its last row (first in ``newest_first``) among ``model``'s rows
    meeting ``cond``.

    One pass over the table, one row per entry. A grouped MAX(id) joined back to the table by
    id gives the same row but reads and hashes the table a second time for every such join
    (three in a report: two over History, one over CaseDeadline). PostgreSQL: DISTINCT ON, whose
    row estimate is the number of entries; it guesses ``ROW_NUMBER() … = 1`` keeps 0.5 % of the
    rows, and on a million-row ledger that misestimate built its hash table from the ledger.
    SQLite has no DISTINCT ON: the window. Entries in descending order: an index on (entry_id,
    recorded_at) is then read backwards instead of sorting the table.
    """
    if not is_sqlite():
        return (model.select(model.entry.alias("eid"), *columns).where(cond)
                .distinct(model.entry).order_by(model.entry.desc(), *newest_first))
    rn = fn.ROW_NUMBER().over(partition_by=[model.entry], order_by=list(newest_first))
    ranked = model.select(model.entry.alias("eid"), *columns, rn.alias("rn")).where(cond).alias("ranked")
    names = [c.name for c in columns]
    return (Select([ranked], [ranked.c.eid, *(getattr(ranked.c, n) for n in names)])
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
    def _history(self, name: str, cond):
        return self._join(name, lambda: _last_rows(History, cond, (History.id.desc(),), History.id, History.code))

    @property
    def code(self):
        """The code at the period's end; NULL while the row was not yet classified."""
        return self._history("now", History.at < self.T).c.code

    @property
    def classified(self):
        return self._history("now", History.at < self.T).c.id.is_null(False)

    @property
    def period_code(self):
        """The last code given in the period; NULL when the row was not classified in it."""
        return self._history("per", (History.at >= self.S) & (History.at < self.T)).c.code

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
        newest = (CaseDeadline.recorded_at.desc(), CaseDeadline.id.desc())
        d = self._join("deadline", lambda: _last_rows(CaseDeadline, CaseDeadline.recorded_at < self.T, newest,
                                                      CaseDeadline.overdue_after))
        return self.exists & self.open & (d.c.overdue_after < self.as_of)

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
