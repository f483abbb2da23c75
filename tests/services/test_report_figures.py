"""Every figure of a report equals a direct count over the rows (plain Python), on both engines.

The direct count reads every Entry, History, FollowUp and Persuasion row and decides each
figure from the rules as written in the issue — the row's last classification recorded
before the period's end, follow-ups by their effective date, the persuasion case rules at
the as-of day — without the service's SQL. Then figure_rows lists exactly those rows.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date, datetime

import pytest

from kongcuo_tui.db.connection import db, is_sqlite
from kongcuo_tui.db.models import Entry, FollowUp, History, Persuasion
from kongcuo_tui.domain import persuasion as P
from kongcuo_tui.domain.codes import CODES, Action, CodeClass
from kongcuo_tui.domain.periods import default_month, effective, month, quarter
from kongcuo_tui.domain.rules import Classification
from kongcuo_tui.domain.watch import groups_of
from kongcuo_tui.domain.workdays import WorkCalendar
from kongcuo_tui.services import classify, demo, figures, rollup
from kongcuo_tui.services.errors import ServiceError

TODAY = date.today()


def _months_back(n: int):
    y, m = TODAY.year, TODAY.month - n
    while m < 1:
        y, m = y - 1, m + 12
    return month(y, m)


def _records(prows, frows) -> P.CaseRecords:
    last = {}
    for f in sorted(frows, key=lambda f: f.id):
        last[f.kind] = f
    attempts = tuple(P.SchoolAttempt(p.at or datetime.combine(p.on, datetime.min.time()), p.party, p.signer, p.method)
                     for p in sorted(prows, key=lambda p: (p.on, p.id)) if p.kind == "school")
    rounds = tuple(P.JointRound(p.on, tuple(p.units.split(",")), p.method, continued=p.kind == "continued")
                   for p in sorted(prows, key=lambda p: (p.on, p.id)) if p.kind != "school")
    get = last.get
    return P.CaseRecords(
        absent_since=get("absence") and get("absence").on, attempts=attempts,
        reported_on=get("report") and get("report").on, notice_on=get("notice") and get("notice").on,
        rounds=rounds,
        procedures=tuple(P.Procedure(f.subkind, f.approved_by, f.on) for f in frows if f.kind == "procedure"),
        returned=P.Return(get("return").on, "") if get("return") else None,
        closed=P.Closing(get("close").subkind, get("close").on, "") if get("close") else None)


def direct(period, prefix: str) -> dict[tuple[str, str, str], set[int]]:
    """(area key, figure, 学段) → the entry ids, decided row by row."""
    T = period.known_before(TODAY)
    S = period.started()
    as_of = period.as_of(TODAY)
    hist, fus, pers = defaultdict(list), defaultdict(list), defaultdict(list)
    for h in History.select().order_by(History.id):
        hist[h.entry_id].append(h)
    for f in FollowUp.select():
        fus[f.entry_id].append(f)
    for p in Persuasion.select():
        pers[p.entry_id].append(p)
    out: dict[tuple, set[int]] = defaultdict(set)
    for e in Entry.select().where(Entry.region.startswith(prefix)):
        if not e.created_at < T:
            continue
        known = [h for h in hist[e.id] if h.at < T]
        code = known[-1].code if known else None
        in_period = [h for h in hist[e.id] if S <= h.at < T]
        pcode = in_period[-1].code if in_period else None
        known_f = [f for f in fus[e.id] if f.recorded_at < T and f.on < T.date()]
        closed = any(f.kind == "close" for f in known_f)

        def happened(kind, subkind=None):
            return any(f.kind == kind and (subkind is None or f.subkind == subkind)
                       and S.date() <= effective(f.on, f.recorded_at) < T.date() for f in fus[e.id])

        klass = CODES[code].klass if code else None
        pklass = CODES[pcode].klass if pcode else None
        is_open = not closed and (code is None or klass in (CodeClass.UNCONFIRMED, CodeClass.PERSUADE))
        flags = {
            "台账总数": True, "已处理": code is not None,
            "疑似辍学": not closed and (code is None or code == "99"),
            "待处理": not closed and code is None, "未确认99": not closed and code == "99",
            "辍学": not closed and klass == CodeClass.PERSUADE, "B类": klass == CodeClass.NO_PERSUADE,
            "新发现": S <= e.created_at < T, "返校": happened("return"), "超龄销号": happened("close", "超龄销号"),
            "本期处理": pcode is not None, "本期处理A类": pklass == CodeClass.PERSUADE,
            "本期处理B类": pklass == CodeClass.NO_PERSUADE, "本期处理99": pcode == "99",
        }
        for c in CODES:
            if c != "99":
                flags[f"本期处理{c}"] = pcode == c
        groups = groups_of(e.watch_groups, e.disability)
        for key in ("留守", "随迁", "残疾", "孤儿", "困境", "建档立卡", "服刑人员子女"):
            flags[key] = is_open and key in groups
        prows = [p for p in pers[e.id] if p.recorded_at < T]
        frows = [f for f in fus[e.id] if f.recorded_at < T]
        case = is_open and (klass == CodeClass.PERSUADE or prows or frows)
        state = P.case_state(_records(prows, frows), WorkCalendar(), as_of) if case else None
        flags["劝返逾期"] = bool(state and state.overdue and state.stage not in (P.Stage.RETURNED, P.Stage.CLOSED))
        stage = e.stage if e.stage in ("小学", "初中") else "其他"
        town = f"{e.region}/{e.township or '-'}"
        areas = ("", e.region, town, f"{town}/{e.school_id if e.school_id is not None else '-'}")
        for name, yes in flags.items():
            if yes:
                for a in areas:
                    for s in (stage, "合计"):
                        out[(a, name, s)].add(e.id)
    return out


@pytest.fixture
def ledger(admin, registrar):
    demo.generate(rows=160, seed=11, login=admin.login, today=TODAY)
    return admin, registrar


def _check(actor, period, prefix):
    want = direct(period, prefix)
    r = figures.report(actor, period, today=TODAY)
    assert r.total.n("台账总数") == len(want[("", "台账总数", "合计")])
    for row in r.rows:
        for f in figures.FIGURES:
            for s in ("小学", "初中", "其他", "合计"):
                assert row.n(f.name, s) == len(want[(row.key, f.name, s)]), (period.key, row.key, row.name, f.name, s)
    for f in figures.FIGURES:
        listed = figures.figure_rows(actor, period, f.name, today=TODAY)
        assert {x.entry_id for x in listed} == want[("", f.name, "合计")], (period.key, f.name)
    town = next(row for row in r.rows if row.level == "township" and row.n("台账总数", "小学"))
    for name in ("疑似辍学", "本期处理", "劝返逾期"):
        listed = figures.figure_rows(actor, period, name, area=town.key, stage="小学", today=TODAY)
        assert {x.entry_id for x in listed} == want[(town.key, name, "小学")]
    return r


def test_every_figure_of_every_period_is_the_direct_count(ledger):
    admin, registrar = ledger
    periods = [_months_back(n) for n in (3, 2, 1, 0)]
    p = _months_back(1).start
    periods.append(quarter(p.year, (p.month - 1) // 3 + 1))
    nonzero = set()
    for period in periods:
        r = _check(admin, period, "41")
        assert {row.key for row in r.level("county")} <= {"411328", "411330", "419001"}
        nonzero |= {f.name for f in figures.FIGURES if r.total.n(f.name)}
    _check(registrar, periods[-2], "411328")
    # The demo gives the figures something to count, so the comparison above means something.
    assert {"疑似辍学", "辍学", "返校", "新发现", "本期处理", "未确认99", "劝返逾期", "留守"} <= nonzero


def test_a_month_long_past_is_counted_as_at_its_end_throughout(ledger, monkeypatch):
    """Past figures.LOOK_BACK_MAX rows changed since the end, every row is looked back for
    (not only the changed ones): the same numbers."""
    admin, _ = ledger
    monkeypatch.setattr(figures, "LOOK_BACK_MAX", 0)
    for n in (2, 1):
        _check(admin, _months_back(n), "41")


def test_postgresql_expects_as_many_report_groups_as_there_are(ledger):
    """From each column's own count PostgreSQL expected many times a report's groups and sorted
    the ledger on disk in every worker instead of hashing it; the schema's statistics on the
    four columns together (db/migrations._area_statistics) give it the true number."""
    if is_sqlite():
        pytest.skip("PostgreSQL's planner statistics")
    db.execute_sql('ANALYZE "entry"')
    group = '"region", "township", "school_id", "stage"'
    (actual,), = db.execute_sql(f'SELECT count(*) FROM (SELECT 1 FROM "entry" GROUP BY {group}) g').fetchall()
    plan = db.execute_sql(f'EXPLAIN SELECT {group}, count(*) FROM "entry" GROUP BY {group}').fetchall()
    expected = int(re.search(r"rows=(\d+)", plan[0][0]).group(1))
    assert actual > 10 and actual / 1.5 <= expected <= actual * 1.5, (actual, plan)


def test_a_past_month_does_not_change_when_today_is_done(ledger):
    admin, registrar = ledger
    past = _months_back(1)
    before = figures.report(registrar, past)
    now_before = figures.report(registrar, default_month(TODAY) if TODAY.day > 20 else _months_back(0))
    pending = Entry.get((Entry.region == "411328") & (Entry.status == "pending"))
    c = Classification(action=Action.DROPOUT, code="A2", proof_person="李明", proof_date=TODAY,
                       notes="厌学在家，继续劝返")
    assert classify.classify(registrar, {pending.id: pending.version}, c).ok
    after = figures.report(registrar, past)
    assert [(r.key, r.counts) for r in after.rows] == [(r.key, r.counts) for r in before.rows]
    now_after = figures.report(registrar, _months_back(0))
    assert now_after.total.n("辍学") == now_before.total.n("辍学") + 1
    assert now_after.total.n("本期处理A2") == now_before.total.n("本期处理A2") + 1
    assert pending.id in {x.entry_id for x in figures.figure_rows(registrar, _months_back(0), "辍学")}
    assert pending.id not in {x.entry_id for x in figures.figure_rows(registrar, past, "辍学")}


def test_a_county_sees_only_its_rows_and_unknown_names_are_told(ledger):
    admin, registrar = ledger
    r = figures.report(registrar, _months_back(0))
    assert [row.key for row in r.level("county")] == ["411328"]
    with pytest.raises(ServiceError) as e:
        figures.figure_rows(registrar, _months_back(0), "复学人数")
    assert "复学人数" in str(e.value) and "返校" in str(e.value)
    with pytest.raises(ServiceError):
        figures.figure_rows(registrar, _months_back(0), "返校", area="唐河")


def test_rollup_gives_one_row_per_county_with_shares(ledger):
    admin, _ = ledger
    from kongcuo_tui.services import accounts

    city = accounts.add(admin, "nanyang", "南阳市教育局", "city", "411300")
    rows = rollup.rollup(city, _months_back(0))
    assert [r.key for r in rows[:-1]] == ["411328", "411330"] and rows[-1].name == "合计"
    total = rows[-1]
    assert total.total == sum(r.total for r in rows[:-1])
    assert total.progress == round(100 * total.processed / total.total, 1)
    assert [r.key for r in rollup.rollup(admin, _months_back(0))[:-1]] == ["4113", "4190"]
