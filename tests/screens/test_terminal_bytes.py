"""Bytes a slow link carries per action in low-bandwidth mode at 120×40 (issue 13's budgets).

Counted as the app writes them: Textual's updates through the app's line memory
(widgets/line_diff.py), plus the cursor placement and synchronised-output brackets Textual
adds to each write. bench/tui_bytes.py measures the same steps on a real pseudo-terminal
(its 2,000-row province ledger gave figures within 20 % of these, before and after the
save-and-back change); this test keeps them from creeping back over the budgets.
"""

from __future__ import annotations

from rich.console import Console
from textual.app import App

from kongcuo_tui.config import Settings
from kongcuo_tui.screens.classify_form import ClassifyForm
from kongcuo_tui.screens.ledger import LedgerScreen
from kongcuo_tui.widgets.line_diff import LineMemory

NOTES = "村委会正在核实去向，已电话联系监护人，待户籍地教育局回复就读情况"
PER_WRITE = len("\x1b[?2026h" "\x1b[?2026l" "\x1b[24;91H")  # Textual's brackets and cursor move
BUDGETS = {"光标下移": 450, "向下翻页": 6_500, "打开表单（w）": 8_000, "保存并回到台账": 10_000}


def test_each_action_stays_within_its_budget(play, demo_ledger, no_delays, monkeypatch):
    demo_ledger(400)
    console = Console(width=120, height=40, color_system="256", force_terminal=True)
    memory, written = LineMemory(), [0]

    def writing(self, screen, renderable):
        if renderable is not None and not self._batch_count:
            written[0] += len(memory.changed(renderable, console, 120).render_segments(console).encode()) + PER_WRITE

    monkeypatch.setattr(App, "_display", writing)
    used = {}

    async def script(ui):
        async def step(label, *keys):
            before = written[0]
            await ui.press(*keys)
            used[label] = written[0] - before

        used["启动到首行"] = written[0]
        await step("光标下移", "down")
        await step("向下翻页", "pagedown")
        await step("打开表单（w）", "w")
        assert isinstance(ui.screen, ClassifyForm)
        await ui.press("escape", "home")
        await step("标记50条", "5", "0", "space")
        await step("打开批量表单", "w")
        await ui.type(NOTES)  # a key at a time here, so not comparable with the bench's paste
        await step("保存并回到台账", "enter")
        assert isinstance(ui.screen, LedgerScreen) and ui.messages() == "已处理 50 条记录"

    play(script, settings=Settings(low_bandwidth=True))
    assert used["启动到首行"] <= 8_000, used
    over = {label: (used[label], budget) for label, budget in BUDGETS.items() if used[label] > budget}
    assert not over, used


def test_low_bandwidth_messages_have_an_ascii_edge(play, demo_ledger):
    """Textual marks a message with a half block (▌): an East-Asian "ambiguous width" glyph that a
    CJK-configured client draws two cells wide, shifting the message's line. Over a slow link the
    edge is ASCII, in each severity's colour."""
    demo_ledger(30)
    blocks = set("▌▐▊▋▍▎▏█▉")

    async def script(ui):
        await ui.press("a")  # 已标记当前条件下的全部 … 条记录
        ui.app.notify("导出失败", severity="error")
        ui.app.notify("有 3 行未导入", severity="warning")
        await ui.settle()
        assert "已标记当前条件下的全部" in ui.messages() and len(ui.screen.query("Toast")) == 3
        drawn = [line for line in ui.lines() if blocks & set(line)]
        assert not drawn, drawn

    play(script, settings=Settings(low_bandwidth=True))
