"""Layout snapshots at 80×24 (SQLite only): the overview of a county and of a city, and the
需复核 dialog. Regenerate with --snapshot-update after an intended change and look at the SVGs."""

from __future__ import annotations

from datetime import datetime

import pytest

from kongcuo_tui.app import KongcuoApp
from kongcuo_tui.config import Settings
from kongcuo_tui.db.models import Review
from kongcuo_tui.services import review
from support import TODAY, settle


def _press(*keys):
    async def run(pilot) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run


@pytest.mark.parametrize("low", [False, True], ids=["normal", "low-bandwidth"])
def test_county_overview_80x24(snap_compare, registrar, demo_ledger, low):
    demo_ledger(300, seed=7)
    app = KongcuoApp(registrar, Settings(low_bandwidth=low), today=TODAY)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_press("g"))


def test_city_overview_with_review_counts_80x24(snap_compare, registrar, city, demo_ledger):
    demo_ledger(300, seed=7)
    rows = list(review.b_results(city))[:2]
    review.flag(city, {r.entry_id: r.version for r in rows}, "证明材料不全")
    app = KongcuoApp(city, Settings(), today=TODAY)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_press("g", "down", "down", "down"))


def test_flag_dialog_80x24(snap_compare, registrar, city, demo_ledger):
    demo_ledger(120, seed=7)
    app = KongcuoApp(city, Settings(), today=TODAY)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_press("t", "space", "space", "space", "h"))


def test_resubmit_dialog_80x24(snap_compare, registrar, city, demo_ledger):
    demo_ledger(120, seed=7)
    row = next(r for r in review.b_results(city) if r.county == "411328")
    review.flag(city, {row.entry_id: row.version}, "派出所证明未盖章，请补充盖章的户籍证明")
    Review.update(at=datetime(2026, 11, 28, 10, 30)).execute()  # the clock's time would change the snapshot
    app = KongcuoApp(registrar, Settings(), today=TODAY)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_press("k", "h", "shift+tab", "space"))
