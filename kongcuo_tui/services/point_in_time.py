"""Each ledger row's state at the end of a report's period, as peewee joins and conditions.

The row's classification is its last History row recorded before the period's end (its as-of
day), its closing and return the FollowUp rows recorded by then (events in the period by their
effective date, domain.periods), and rows imported later do not exist yet. 劝返逾期 compares
the as-of day with the case's deadline as stored after the last record before the end
(domain.persuasion.overdue_after, kept by db.case_deadlines). Re-running October's report in December gives October's numbers.
"""

from __future__ import annotations

from datetime import date

from peewee import JOIN, fn

from ..db.models import CaseDeadline, Entry, FollowUp, History
from ..domain.codes import CodeClass, UNCONFIRMED_CODE, codes_in
from ..domain.periods import Period

A_CODES = codes_in(CodeClass.PERSUADE)
B_CODES = codes_in(CodeClass.NO_PERSUADE)
CODE_99 = UNCONFIRMED_CODE.code


class AtPeriodEnd:
    """The joins that give each row's state at a period's end; added only when a figure asks."""

    def __init__(self, period: Period, today: date):
        self.period = period
        self.as_of = period.as_of(today)
        self.T = period.known_before(today)
        self.S = period.started()
        self._joins: dict[str, list] = {}

    # -- the row's classification -------------------------------------------------------------
    def _history(self, name: str, cond) -> History:
        if name not in self._joins:
            last = (History.select(History.entry.alias("eid"), fn.MAX(History.id).alias("hid"))
                    .where(cond).group_by(History.entry).alias(f"{name}_last"))
            h = History.alias(f"{name}_h")
            self._joins[name] = [(last, last.c.eid == Entry.id), (h, h.id == last.c.hid)]
        return self._joins[name][-1][0]

    @property
    def code(self):
        """The code at the period's end; NULL while the row was not yet classified."""
        return self._history("now", History.at < self.T).code

    @property
    def classified(self):
        return self._history("now", History.at < self.T).id.is_null(False)

    @property
    def period_code(self):
        """The last code given in the period; NULL when the row was not classified in it."""
        return self._history("per", (History.at >= self.S) & (History.at < self.T)).code

    # -- follow-up steps ----------------------------------------------------------------------
    def _has(self, name: str, cond):
        if name not in self._joins:
            sub = FollowUp.select(FollowUp.entry.alias("eid")).where(cond).group_by(FollowUp.entry).alias(name)
            self._joins[name] = [(sub, sub.c.eid == Entry.id)]
        return self._joins[name][0][0].c.eid.is_null(False)

    def _known(self):
        return (FollowUp.on < self.T.date()) & (FollowUp.recorded_at < self.T)

    def _in_period(self, kind: str, subkind: str | None = None):
        cond = (FollowUp.kind == kind) & self._known() & (
            (FollowUp.on >= self.S.date()) | (FollowUp.recorded_at >= self.S))
        return cond & (FollowUp.subkind == subkind) if subkind else cond

    @property
    def closed(self):
        return self._has("closed", (FollowUp.kind == "close") & self._known())

    @property
    def returned(self):
        return self._has("returned", self._in_period("return"))

    @property
    def aged_out(self):
        return self._has("aged_out", self._in_period("close", "超龄销号"))

    # -- its persuasion case ------------------------------------------------------------------
    @property
    def overdue(self):
        """劝返逾期 at the as-of day, from the records known at the period's end: the case's
        stored deadline then (db.case_deadlines, its last row recorded before the end) has
        passed. Cases as in persuasion.due_list: not closed, classified A, or not (yet)
        classified / 99 — a row classified B needs no persuasion."""
        if "deadline" not in self._joins:
            last = (CaseDeadline.select(CaseDeadline.entry.alias("eid"), fn.MAX(CaseDeadline.id).alias("did"))
                    .where(CaseDeadline.recorded_at < self.T).group_by(CaseDeadline.entry).alias("deadline_last"))
            d = CaseDeadline.alias("deadline_d")
            self._joins["deadline"] = [(last, last.c.eid == Entry.id), (d, d.id == last.c.did)]
        d = self._joins["deadline"][-1][0]
        return self.exists & self.open & (d.overdue_after < self.as_of)

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
        for joins in self._joins.values():
            for table, on in joins:
                q = q.join_from(Entry, table, JOIN.LEFT_OUTER, on=on)
        return q
