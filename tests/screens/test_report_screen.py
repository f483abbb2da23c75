"""月报表 (m): the report's figures per 学段; Enter on one opens exactly its rows in the ledger."""

from __future__ import annotations

from kongcuo_tui.domain.periods import default_month, month
from kongcuo_tui.screens.ledger import LedgerScreen
from kongcuo_tui.screens.overview import OverviewScreen
from kongcuo_tui.screens.report import ReportScreen
from kongcuo_tui.services import figures, ledger
from kongcuo_tui.widgets.figure_list import FigureList
from support import TODAY


async def to_figure(ui, name: str) -> None:
    lines = ui.screen.query_one(FigureList)
    index = lines.index_of(name)
    while lines.cursor != index:
        await ui.press("down")


def test_enter_on_a_figure_opens_exactly_its_rows_and_esc_comes_back(play, demo_ledger, registrar):
    demo_ledger(300)
    period = default_month(TODAY)
    report = figures.report(registrar, period, today=TODAY)
    want = figures.figure_rows(registrar, period, "已处理", stage="小学", today=TODAY)
    assert want

    async def script(ui):
        await ui.press("g", "m")
        assert isinstance(ui.screen, ReportScreen)
        text = ui.text()
        assert "2026年11月" in text and "【合计】" in text
        total = report.total
        assert f"{total.n('台账总数', '小学'):,}" in text and f"{total.n('台账总数'):,}" in text
        await to_figure(ui, "已处理")
        await ui.press("left", "left")  # 合计 → 初中 → 小学
        assert "【小学】" in ui.text()
        await ui.press("enter")
        assert isinstance(ui.screen, LedgerScreen)
        q = ui.screen.query_state
        assert set(q.entry_ids) == {r.entry_id for r in want}
        assert "2026年11月已处理（小学）" in ui.static("#status-bar")
        tabs = ledger.tab_counts(registrar, q)
        assert sum(tabs.values()) == len(want)
        assert ui.table.total == tabs[q.status] > 0
        await ui.press("escape")
        assert isinstance(ui.screen, ReportScreen)
        assert ui.screen.query_one(FigureList).lines[ui.screen.query_one(FigureList).cursor].key == "已处理"
        assert "【小学】" in ui.text()
        await ui.press("escape")
        assert isinstance(ui.screen, LedgerScreen) and ui.screen.query_state.entry_ids is None

    play(script)


def test_a_past_month_and_a_quarter(play, demo_ledger, registrar):
    demo_ledger(300)
    past = month(2026, 10)
    want = figures.figure_rows(registrar, past, "本期处理", today=TODAY)

    async def script(ui):
        await ui.press("m")
        assert isinstance(ui.screen, ReportScreen)
        await ui.press("left_square_bracket")
        assert "2026年10月" in ui.text()
        await ui.press("right_square_bracket", "right_square_bracket")
        assert "还没有到这一期" in ui.messages() and "2026年11月" in ui.text()
        ui.app.clear_notifications()  # else the ledger's first Esc closes the message
        await ui.press("left_square_bracket")
        await to_figure(ui, "本期处理")
        await ui.press("enter")
        assert set(ui.screen.query_state.entry_ids) == {r.entry_id for r in want}
        assert "2026年10月本期处理" in ui.static("#status-bar")
        await ui.press("escape")
        assert isinstance(ui.screen, ReportScreen) and "2026年10月" in ui.text()
        await ui.press("s")
        assert "2026年第四季度" in ui.text()

    play(script)


def test_the_report_fits_80_columns(play, demo_ledger):
    demo_ledger(60)

    async def script(ui):
        await ui.press("g", "m")
        text = ui.text()
        assert "【合计】" in text and "台账总数" in text and "Enter" in text
        await ui.press("escape")
        assert isinstance(ui.screen, OverviewScreen)

    play(script, size=(80, 24))


def test_a_failing_report_says_so_in_chinese(play, demo_ledger, monkeypatch):
    demo_ledger(30)
    from peewee import OperationalError

    def broken(*a, **kw):
        raise OperationalError("database is locked")

    monkeypatch.setattr(figures, "report", broken)

    async def script(ui):
        await ui.press("m")
        assert "统计月报表失败：数据库被锁定（database is locked）" in ui.messages()
        assert "统计未完成" in ui.text()

    play(script)
