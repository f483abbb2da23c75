"""Each ledger row's state at the end of a report's period, as peewee joins and conditions.

The row's classification is its last History row recorded before the period's end (its as-of
day), its closing and return the FollowUp rows recorded by then (events in the period by their
effective date, domain.periods), and rows imported later do not exist yet. 劝返逾期 is decided
by the persuasion rules (domain.persuasion.case_state) at the as-of day over the records
recorded by then. Re-running October's report in December gives October's numbers.
"""

from __future__ import annotations

from array import array
from collections import namedtuple
from datetime import date, datetime

from peewee import JOIN, fn

from ..db.connection import is_sqlite
from ..db.models import Entry, FollowUp, History, Persuasion
from ..domain import persuasion as P
from ..domain.codes import CodeClass, UNCONFIRMED_CODE, codes_in
from ..domain.periods import Period
from ..domain.workdays import WorkCalendar
from .persuasion import case_records

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


def _chunk() -> int:
    """Cases per round trip for their records: few round trips to a server, bounded memory,
    and under the 999 parameters of older SQLite builds."""
    return 900 if is_sqlite() else 5000
# What the case rules need of each record, as persuasion.case_records reads them; the texts
# (people, methods, results) do not change a deadline and are not fetched.
_PRow = namedtuple("_PRow", "id entry kind on at party units method process_result signer phone",
                   defaults=("",) * 6)
_FRow = namedtuple("_FRow", "id entry kind subkind on approved_by party region note", defaults=("",) * 4)


def _day(value):
    return value if isinstance(value, date) or value is None else date.fromisoformat(value)


def _moment(value):
    return value if isinstance(value, datetime) or value is None else datetime.fromisoformat(value)


def _fetch(query) -> list[tuple]:
    """The driver's own rows: peewee's per-value conversion costs more than the query here."""
    return Entry._meta.database.execute(query).fetchall()


def overdue(scope, at: AtPeriodEnd, calendar: WorkCalendar) -> dict[int, tuple]:
    """Rows whose persuasion case is overdue at the as-of day, from the records known by then.

    Cases as in persuasion.due_list: classified A, or not (yet) classified / 99 with a record;
    a row classified B needs no persuasion. A row with no record has no deadline yet.
    """
    known_p = Persuasion.select(Persuasion.entry).where(Persuasion.recorded_at < at.T)
    known_f = FollowUp.select(FollowUp.entry).where(FollowUp.recorded_at < at.T)
    cases = (scope & at.exists & ~at.closed & (~at.classified | at.code.in_((CODE_99, *A_CODES)))
             & (Entry.id.in_(known_p) | Entry.id.in_(known_f)))
    # The cases as two arrays (id, index of its area and 学段) read off the cursor: a few bytes a
    # case instead of a dict of tuples, so a province of a million rows stays small.
    ids, where = array("q"), array("l")
    groups: dict[tuple, int] = {}
    for eid, *key in Entry._meta.database.execute(
            at.select(Entry.id, Entry.region, Entry.township, Entry.school, Entry.stage).where(cases)):
        ids.append(eid)
        where.append(groups.setdefault(tuple(key), len(groups)))
    keys = list(groups)
    out = {}
    size = _chunk()
    for i in range(0, len(ids), size):  # one chunk's records at a time: memory stays flat
        chunk = ids[i:i + size].tolist()
        place = where[i:i + size]
        prows: dict[int, list] = {}
        frows: dict[int, list] = {}
        for pid, eid, kind, on, at_ in _fetch(
                Persuasion.select(Persuasion.id, Persuasion.entry, Persuasion.kind, Persuasion.on, Persuasion.at)
                .where(Persuasion.entry.in_(chunk) & (Persuasion.recorded_at < at.T))):
            prows.setdefault(eid, []).append(_PRow(pid, eid, kind, _day(on), _moment(at_)))
        for fid, eid, kind, subkind, on in _fetch(
                FollowUp.select(FollowUp.id, FollowUp.entry, FollowUp.kind, FollowUp.subkind, FollowUp.on)
                .where(FollowUp.entry.in_(chunk) & (FollowUp.recorded_at < at.T))):
            frows.setdefault(eid, []).append(_FRow(fid, eid, kind, subkind, _day(on)))
        for eid, k in zip(chunk, place):
            state = P.case_state(case_records(prows.get(eid, []), frows.get(eid, [])), calendar, at.as_of)
            if state.overdue and state.stage not in (P.Stage.RETURNED, P.Stage.CLOSED):
                out[eid] = keys[k]
    return out
