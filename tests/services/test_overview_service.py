"""The overview's figures: each count is exactly the rows its ledger query opens, on both engines."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from kongcuo_tui.db.models import Entry, History
from kongcuo_tui.domain.codes import Status
from kongcuo_tui.services import demo, ledger, overview, review
from support import TODAY


def rows_behind(actor, f) -> int:
    """What Enter opens: the figure's rows on the tab it opens, or on both tabs for an area."""
    if f.section.endswith("进度（已处理/合计）"):
        return sum(ledger.count(actor, replace(f.query, status=s.value)) for s in Status)
    return ledger.count(actor, f.query)


@pytest.mark.parametrize("who", ["registrar", "city"])
def test_every_figure_opens_exactly_its_rows(request, registrar, who):
    demo.generate(rows=400, seed=7, login=registrar.login, today=TODAY)
    actor = request.getfixturevalue(who)
    some_b = [r for r in review.b_results(actor)][:3]
    if who == "city":
        review.flag(actor, {r.entry_id: r.version for r in some_b}, "证明材料不全")
    o = overview.overview(actor, TODAY)
    assert [f.label for f in o.figures if f.loading] == ["劝返逾期"]
    o.figures[:] = [overview.overdue(actor, TODAY) if f.loading else f for f in o.figures]
    assert o.total == ledger.count(actor, ledger.LedgerQuery(status=None))
    drillable = [f for f in o.figures if f.query is not None]
    assert {f.section for f in drillable} >= {"状态", "核查结果（已处理）", "复核", "劝返"}
    for f in drillable:
        assert rows_behind(actor, f) == (f.total if "进度" in f.section else f.count), f.label
    areas = [f for f in o.figures if "进度" in f.section]
    assert sum(f.total for f in areas if f.section == areas[0].section) == o.total
    flagged = next(f for f in o.figures if f.label == "需复核")
    assert flagged.count == (3 if who == "city" else 0)
    if who == "city":
        assert any(f.extra.startswith("需复核 3，") for f in areas)  # per county, beside its progress


def test_deadline_and_the_rows_processed_per_day(registrar, make_entry):
    eid = make_entry()
    for days_ago, n in ((0, 2), (3, 1), (30, 5)):  # 30 days ago is outside the four weeks
        for v in range(n):
            History.create(entry=eid, version=v + 2, action="未确认完成", code="99", proof_person="张丽",
                           by="tanghe", at=datetime.combine(TODAY - timedelta(days=days_ago), datetime.min.time())
                           + timedelta(hours=9))
    o = overview.overview(registrar, TODAY)
    assert len(o.daily) == overview.SPARK_DAYS and o.daily[-1] == 2 and o.daily[-4] == 1 and sum(o.daily) == 3
    assert (o.deadline.due, o.deadline.days_left, o.deadline.month) == (date(2026, 12, 20), 21, date(2026, 11, 1))
    assert Entry.select().count() == 1


def test_an_empty_ledger_gives_zero_figures_and_no_area_lines(registrar):
    o = overview.overview(registrar, TODAY)
    assert o.total == 0 and sum(o.daily) == 0
    assert [f.count for f in o.figures if not f.loading] == [0] * 7  # 2 statuses, 3 classes, 2 review states
    assert overview.overdue(registrar, TODAY).count == 0
