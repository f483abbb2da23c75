"""The filter dialog (f), by keyboard only."""

from __future__ import annotations

from kongcuo_tui.domain.codes import SOURCE_LABELS, Source
from kongcuo_tui.screens.ledger import LedgerScreen


def test_filter_by_source_with_keys_then_esc_clears(play, make_entry):
    make_entry(source="registry")
    make_entry(source="registry")
    make_entry(source="no_record")

    async def script(ui):
        assert ui.table.total == 3
        await ui.press("f")
        assert "筛选台账" in ui.text()
        # First list is 台账来源 (全部, 学籍系统…, 适龄无学籍, …): open it, take 适龄无学籍.
        await ui.press("enter", "down", "down", "enter", "ctrl+s")
        assert isinstance(ui.screen, LedgerScreen)
        assert ui.table.total == 1
        assert SOURCE_LABELS[Source.NO_RECORD] in ui.static("#status-bar")
        await ui.press("escape")
        assert ui.table.total == 3 and "未筛选" in ui.static("#status-bar")

    play(script)
