"""The import screen: type a path, check (dry run) shows counts and problems, confirm applies."""

from __future__ import annotations

import asyncio

from textual.widgets import Button, Input, Static

from kongcuo_tui.db.models import Entry
from kongcuo_tui.screens.import_screen import ImportScreen
from imports.upstream_xlsx import valid_row, write_xlsx
from support import ScreenHost


def test_check_then_confirm(tmp_path, registrar, monkeypatch):
    async def main():
        rows = [valid_row(1), valid_row(2), valid_row(3)]
        rows[1][1] = ""
        write_xlsx(tmp_path / "台账.xlsx", rows)
        monkeypatch.chdir(tmp_path)
        app = ScreenHost(ImportScreen(registrar))
        async with app.run_test() as pilot:
            screen = app.screen_under_test
            assert screen.query_one("#import-path", Input).value == "台账.xlsx"  # the only file here
            await pilot.click("#import-check")
            await app.workers.wait_for_complete()
            await pilot.pause()
            text = str(screen.query_one("#import-result", Static).render())
            assert "接受 2 行" in text and "第 3 行" in text and "name_blank" in text
            assert Entry.select().count() == 0
            assert not screen.query_one("#import-apply", Button).disabled
            await pilot.click("#import-apply")
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert app.result.startswith("导入完成") and "新增 2" in app.result
        assert Entry.select().count() == 2

    asyncio.run(main())


def test_escape_cancels(registrar):
    async def main():
        app = ScreenHost(ImportScreen(registrar))
        async with app.run_test() as pilot:
            await pilot.press("escape")
        assert app.result is None

    asyncio.run(main())
