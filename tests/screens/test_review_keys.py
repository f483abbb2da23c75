"""B-class review through the real screens: a city flags with h, the county filters with k
and re-submits with h; the overview (g) shows the figures and Enter opens their rows."""

from __future__ import annotations

from kongcuo_tui.db.models import Entry
from kongcuo_tui.domain.codes import CodeClass
from kongcuo_tui.screens.ledger import LedgerScreen
from kongcuo_tui.screens.overview import OverviewScreen
from kongcuo_tui.widgets.figure_list import FigureList
from kongcuo_tui.screens.review_dialog import FlagDialog, ResubmitDialog
from kongcuo_tui.services import ledger, review
from kongcuo_tui.services.types import LedgerQuery


async def open_figure(ui, label: str) -> None:
    """From the ledger: g, move to the line named `label`, Enter."""
    await ui.press("g")
    assert isinstance(ui.screen, OverviewScreen)
    figures = ui.screen.query_one(FigureList)
    index = next(i for i, line in enumerate(figures.lines) if line.key and line.text.strip().startswith(label))
    while figures.cursor != index:
        await ui.press("down")
    await ui.press("enter")
    assert isinstance(ui.screen, LedgerScreen)


def test_a_city_flags_a_b_result_and_the_county_resubmits_it(play, demo_ledger, registrar, city):
    demo_ledger(200)
    flagged: list[int] = []

    async def supervise(ui):
        await open_figure(ui, "B类")
        b_total = ledger.count(city, LedgerQuery(status="processed", code_class=CodeClass.NO_PERSUADE))
        assert ui.table.total == b_total > 0 and "筛选：B类（不需要劝返）" in ui.static("#status-bar")
        row = ui.table.current_row
        await ui.press("h")
        assert isinstance(ui.screen, FlagDialog) and row.name in ui.text()
        await ui.press("enter")  # an empty note is refused, the dialog stays
        assert isinstance(ui.screen, FlagDialog) and "请填写需复核的原因" in ui.text()
        await ui.type("派出所证明未盖章")
        await ui.press("enter")
        assert isinstance(ui.screen, LedgerScreen)
        assert "已将 1 条记录标记为需复核" in ui.messages()
        assert Entry.get_by_id(row.id).review_state == "flagged"
        assert "需复核 1（k）" in ui.static("#tabs")
        assert ui.lines()[3].startswith("?")  # the cursor row carries the mark
        flagged.append(row.id)

    play(supervise, actor=city)
    eid = flagged[0]

    async def resubmit(ui):
        assert "需复核 1（k）" in ui.static("#tabs")
        await ui.press("k")
        assert ui.table.total == 1 and ui.table.current_row.id == eid
        assert "筛选：需复核" in ui.static("#status-bar")
        await ui.press("enter")  # the detail shows who flagged it and why
        assert "B 类复核" in ui.static("#detail-text") and "nanyang：标记需复核" in ui.static("#detail-text")
        assert "派出所证明未盖章" in ui.static("#detail-text")
        await ui.press("escape")
        await ui.press("h")
        assert isinstance(ui.screen, ResubmitDialog) and "派出所证明未盖章" in ui.text()
        await ui.type("已补盖章")  # the note has the focus; the evidence list is one Shift+Tab away
        await ui.press("ctrl+s")
        assert isinstance(ui.screen, LedgerScreen) and "已重新提交" in ui.messages()
        assert "需复核" not in ui.static("#tabs") and ui.table.total == 0

    play(resubmit)
    e = Entry.get_by_id(eid)
    assert e.review_state == "resubmitted"
    steps = [s.kind for s in review.history(eid)]
    assert steps == ["flag", "resubmit"]


def test_h_explains_itself_on_rows_it_cannot_act_on(play, demo_ledger, registrar, city):
    demo_ledger(60)

    async def city_on_a_pending_row(ui):
        await ui.press("h")  # the pending tab: no B results here
        assert isinstance(ui.screen, LedgerScreen) and "只有 B 类结果需要复核" in ui.messages()

    async def county_on_an_unflagged_row(ui):
        await ui.press("h")
        assert isinstance(ui.screen, LedgerScreen) and "没有被标记为需复核" in ui.messages()
        assert "需复核" not in ui.static("#tabs")

    play(city_on_a_pending_row, actor=city)
    play(county_on_an_unflagged_row)
    assert Entry.select().where(Entry.review_state != "").count() == 0


def test_overview_figures_and_enter_opens_their_rows(play, demo_ledger, registrar):
    demo_ledger(300)
    counts = ledger.tab_counts(registrar, LedgerQuery())

    async def script(ui):
        await ui.press("g")
        text = ui.text()
        assert isinstance(ui.screen, OverviewScreen)
        assert "2026年11月月报表 12月20日截止（还有 21 天）" in text
        assert "待本级处理" in text and f"{counts['pending']:,}/{sum(counts.values()):,}" in text
        assert "乡镇进度（已处理/合计）" in text and "学校进度（已处理/合计）" in text
        assert "劝返逾期" in text and "近 4 周每日处理" in text
        await ui.press("escape")
        assert isinstance(ui.screen, LedgerScreen)

        await open_figure(ui, "已处理")
        assert ui.screen.query_state.status == "processed" and ui.table.total == counts["processed"]
        await open_figure(ui, "劝返逾期")
        want = ui.screen.query_state.entry_ids
        assert want and "劝返逾期" in ui.static("#status-bar")
        tabs = ledger.tab_counts(registrar, ui.screen.query_state)
        assert sum(tabs.values()) == len(want)
        await ui.press("escape")  # Esc clears the drill's filter
        assert ui.screen.query_state.entry_ids is None

    play(script)


def test_a_township_line_opens_that_townships_rows(play, demo_ledger, registrar):
    demo_ledger(300)

    async def script(ui):
        await ui.press("g")
        figures = ui.screen.query_one(FigureList)
        prompts = [line.text for line in figures.lines]
        first_town = prompts.index("乡镇进度（已处理/合计）") + 1
        done, total = prompts[first_town].split()[1].split("/")
        await ui.press("escape")
        await open_figure(ui, prompts[first_town].split()[0])
        q = ui.screen.query_state
        assert q.township and sum(ledger.tab_counts(registrar, q).values()) == int(total.replace(",", ""))
        assert ledger.count(registrar, LedgerQuery(status="processed", township=q.township)) == int(
            done.replace(",", ""))

    play(script)


def test_putting_up_the_overview_and_coming_back_are_one_paint_each(play, demo_ledger, monkeypatch):
    """While the overview mounts, Textual lays it out several times; held, it reaches the
    terminal once (bench/tui_bytes.py measures the bytes). The same going back."""
    from textual.app import App

    from kongcuo_tui import app as app_module

    demo_ledger(100)
    painted = []
    theirs = App._display

    def counting(self, screen, renderable):
        painted.append(type(screen).__name__)
        theirs(self, screen, renderable)

    monkeypatch.setattr(App, "_display", counting)
    monkeypatch.setattr(app_module, "HOLD_WAIT", 600)  # only the release ends a hold here, never the clock

    async def script(ui):
        painted.clear()
        await ui.press("g")
        assert isinstance(ui.screen, OverviewScreen) and not ui.app._holding_output
        opened = list(painted)
        painted.clear()
        await ui.press("escape")
        assert isinstance(ui.screen, LedgerScreen) and not ui.app._holding_output
        back = list(painted)
        # The ledger's "正在统计概览…", the overview whole, the overdue line when it came.
        assert opened.count("OverviewScreen") <= 2 and opened.count("LedgerScreen") <= 1, opened
        assert back == ["LedgerScreen"], back

    play(script)


def test_the_palette_lists_only_b_results(play, demo_ledger, registrar, city):
    demo_ledger(120)
    want = ledger.count(city, LedgerQuery(status="processed", code_class=CodeClass.NO_PERSUADE))

    async def script(ui):
        await ui.press("ctrl+p")
        await ui.type("只看B类")
        await ui.press("enter")
        assert isinstance(ui.screen, LedgerScreen)
        assert ui.table.total == want > 0 and "筛选：B类（不需要劝返）" in ui.static("#status-bar")

    play(script, actor=city)


def test_re_classifying_a_flagged_row_in_the_form_resubmits_it(play, demo_ledger, registrar, city, no_delays):
    demo_ledger(120)
    row = next(r for r in review.b_results(city) if r.county == "411328")
    review.flag(city, {row.entry_id: row.version}, "请核实是否仍在本县就读")

    async def script(ui):
        await ui.press("k")
        assert ui.table.total == 1 and ui.table.current_row.id == row.entry_id
        await ui.press("w")  # 未确认完成: the county could not confirm it after all
        await ui.type("学校称该生已转走 正在联系监护人核实")
        await ui.press("enter")
        assert isinstance(ui.screen, LedgerScreen) and "已处理 1 条记录" in ui.messages()
        assert "需复核" not in ui.static("#tabs") and ui.table.total == 0

    play(script)
    e = Entry.get_by_id(row.entry_id)
    assert (e.code, e.review_state) == ("99", "resubmitted")
    assert [(s.label, s.note) for s in review.history(row.entry_id)][-1] == (
        "重新提交（重新处理）", "学校称该生已转走 正在联系监护人核实")
