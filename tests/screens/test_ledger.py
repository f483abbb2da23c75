"""The ledger screen driven by keys, on SQLite and PostgreSQL."""

from __future__ import annotations

from kongcuo_tui.screens.ledger import LedgerScreen
from kongcuo_tui.services import ledger
from kongcuo_tui.services.types import LedgerQuery
from support import TODAY


def _counts(registrar):
    return ledger.tab_counts(registrar, LedgerQuery())


def test_tabs_show_counts_and_switch(play, demo_ledger, registrar):
    demo_ledger(300)
    counts = _counts(registrar)
    assert counts["pending"] and counts["processed"]

    async def script(ui):
        tabs = ui.static("#tabs")
        assert f"待本级处理（{counts['pending']}）" in tabs
        assert f"已处理（{counts['processed']}）" in tabs
        assert ui.table.total == counts["pending"]
        assert "核查结果" not in ui.lines()[2]
        await ui.press("t")
        assert ui.table.total == counts["processed"]
        header = ui.lines()[2]
        for title in ("处理类型", "核查结果", "证明人", "证明日期"):
            assert title in header

    play(script)


def test_header_shows_account_region_and_today(play, demo_ledger):
    demo_ledger(20)

    async def script(ui):
        title = ui.static("#title-bar")
        assert "张丽" in title and "唐河县" in title and "2026-11-29" in title

    play(script)


def test_search_is_incremental_and_escape_clears(play, make_entry, registrar):
    make_entry(name="王小明")
    make_entry(name="王丽")
    make_entry(name="李四")
    ida = ledger.page(registrar, LedgerQuery(), 0, 10)[2].id_number

    async def script(ui):
        assert ui.table.total == 3
        await ui.press("slash", "王")
        assert ui.table.total == 2
        await ui.press("小")
        assert ui.table.total == 1
        assert "王小明" in ui.text() and "王丽" not in ui.text()
        await ui.press("escape")
        assert ui.table.total == 3
        await ui.press("slash")
        await ui.type(ida[:17])
        assert ui.table.total == 1 and "李四" in ui.text()
        await ui.press("enter", "escape")
        assert ui.table.total == 3

    play(script)


def test_keys_typed_straight_after_the_slash_go_into_the_search(play, make_entry, registrar):
    """Over SSH a fast typist's "/4113…" arrives in one packet: the keys after "/" are the
    search text, not a repeat count for the ledger."""
    from textual import events

    make_entry(name="王小明")
    make_entry(name="李四")
    wanted = ledger.page(registrar, LedgerQuery(), 0, 10)[1]
    prefix = wanted.id_number[:17]

    async def script(ui):
        ui.app.post_message(events.Key("slash", "/"))
        for ch in prefix:  # back to back, none waits for the box to open
            ui.app.post_message(events.Key(ch.lower() if ch.isalpha() else ch, ch))
        await ui.settle()
        assert ui.screen.query_one("#search").value == prefix
        assert ui.table.total == 1 and wanted.name in ui.text()
        assert "次数" not in ui.text()

    play(script)


def test_search_works_on_processed_tab(play, demo_ledger, registrar):
    demo_ledger(200)
    row = ledger.page(registrar, LedgerQuery(status="processed"), 5, 1)[0]
    expected = ledger.count(registrar, LedgerQuery(status="processed", search=row.name))

    async def script(ui):
        await ui.press("t", "slash")
        await ui.type(row.name)
        assert ui.table.total == expected
        assert row.name in ui.lines()[3]

    play(script)


def test_quick_filters_99_and_bad_ids(play, demo_ledger, registrar):
    demo_ledger(400)
    n99 = ledger.count(registrar, LedgerQuery(status="processed", code_class="99"))
    bad = ledger.count(registrar, LedgerQuery(status="pending", bad_id=True))
    assert n99 and bad

    async def script(ui):
        await ui.press("x")
        assert ui.table.total == bad
        # The ID-check failure is a character, not only a colour.
        assert all(line.startswith(" !") for line in ui.lines()[3:3 + min(bad, 5)])
        assert "证件号有误" in ui.static("#status-bar")
        await ui.press("x", "x", "t", "n")  # x cycles: 有误未核实 → 已核实 → all rows
        assert ui.table.total == n99
        assert "99 未确认完成" in ui.lines()[3]
        await ui.press("escape")
        assert ui.table.total == _counts(registrar)["processed"]

    play(script)


def test_id_reason_is_one_key_away(play, make_entry):
    make_entry(name="错号", id_number="411328201305010010", id_ok=False, id_issue="校验码应为 X，实际为 0")

    async def script(ui):
        await ui.press("i")
        shown = " ".join(str(n.message) for n in ui.app._notifications)
        assert "校验码应为 X" in shown and "错号" in shown

    play(script)


def test_space_marks_and_count_prefix(play, demo_ledger):
    demo_ledger(300)

    async def script(ui):
        t = ui.table
        await ui.press("space")
        assert len(t.marks) == 1 and t.cursor == 1
        assert ui.lines()[3].startswith("*")
        await ui.press("space")
        assert len(t.marks) == 2 and t.cursor == 2
        await ui.press("up", "space")
        assert len(t.marks) == 1  # space on a marked row unmarks it
        await ui.press("u")
        assert not t.marks
        await ui.press("home", "5", "0", "space")
        assert len(t.marks) == 50 and t.cursor == 50
        assert "已标记 50 条" in ui.static("#status-bar")

    play(script)


def test_mark_all_matching_filter(play, demo_ledger, registrar):
    demo_ledger(300)
    expected = ledger.ids(registrar, LedgerQuery(bad_id=True))

    async def script(ui):
        await ui.press("x", "a")
        assert ui.table.marks == set(expected)
        assert f"已标记 {len(expected)} 条" in ui.static("#status-bar")

    play(script)


def test_detail_shows_facts_guardians_history(play, demo_ledger, registrar):
    demo_ledger(200)
    processed = ledger.page(registrar, LedgerQuery(status="processed"), 0, 1)[0]
    d = ledger.detail(registrar, processed.id)
    assert d.history and d.guardians

    async def script(ui):
        await ui.press("t", "enter")
        text = str(ui.screen.query_one("#detail-text").render())
        assert processed.name in ui.static("#detail-title")
        assert d.guardians[0].name in text
        h = d.history[-1]
        assert f"第{h.version}版" in text and h.by in text and h.code in text
        for label in ("台账信息", "监护人", "证明材料", "处理记录"):
            assert label in text
        await ui.press("escape")
        assert isinstance(ui.screen, LedgerScreen)  # Esc goes back to the ledger

    play(script)


def test_80x24_keeps_key_columns_visible(play, demo_ledger, registrar):
    demo_ledger(100)
    first = ledger.page(registrar, LedgerQuery(), 0, 1)[0]

    async def script(ui):
        lines = ui.lines()
        assert len(lines) == 24
        header, row = lines[2], lines[3]
        for title in ("序号", "姓名", "证件号码"):
            assert title in header
        assert first.name in row and first.id_number in row
        await ui.press(*["right"] * 20)
        lines = ui.lines()
        assert first.id_number in lines[3]  # frozen while the rest scrolls
        assert "省内学生状态" in lines[2]

    play(script, size=(80, 24))


def test_paging_to_end_shows_last_row(play, demo_ledger, registrar):
    demo_ledger(3000)
    total = ledger.count(registrar, LedgerQuery())
    last = ledger.page(registrar, LedgerQuery(), total - 1, 1)[0]

    async def script(ui):
        assert ui.table.total == total
        await ui.press("pagedown", "pagedown", "end")
        assert ui.table.cursor == total - 1
        assert last.id_number in ui.text()
        assert f"第 {total}/{total} 行" in ui.static("#position")
        assert len(ui.table.cache) <= ui.table.cache.max_pages

    play(script)


def test_detail_shows_persuasion_deadline_on_the_working_day_calendar(play, demo_ledger, registrar):
    from kongcuo_tui.domain.workdays import WorkCalendar
    from kongcuo_tui.services import persuasion

    demo_ledger(300)
    rows = ledger.page(registrar, LedgerQuery(status="processed", code_class="A"), 0, 50)
    row = next(r for r in rows if ledger.detail(registrar, r.id).persuasions)
    first = min(p.on for p in ledger.detail(registrar, row.id).persuasions if p.kind == "school")
    c = persuasion.case(registrar, row.id, today=TODAY)

    async def script(ui):
        await ui.press("t", "slash")
        await ui.type(row.id_number)
        await ui.press("enter", "enter")
        text = str(ui.screen.query_one("#detail-text").render())
        # 10 working days from the first attempt (or absence), on the official calendar.
        due = WorkCalendar().add_workdays(c.records.absent_since or first, 10)
        assert f"{first:%Y-%m-%d}" in text and f"-- {due:%Y-%m-%d} 期限：第1次学校劝返" in text
        assert f"当前阶段：{c.state.stage}" in text

    play(script)
