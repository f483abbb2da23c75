"""The export screen writes the chosen workbook within the account's region and says how many rows."""

from __future__ import annotations

import asyncio

import openpyxl
from textual.widgets import Input

from kongcuo_tui.screens.export_screen import ExportScreen
from support import ScreenHost


def test_export_from_the_ui(tmp_path, registrar, make_entry):
    async def main():
        make_entry(name="待处理甲")
        make_entry(name="已处理乙", status="processed", code="B2", action="实际就读")
        make_entry(name="外县丙", region="411330")
        out = tmp_path / "ui.xlsx"
        app = ScreenHost(ExportScreen(registrar, "pending"))
        async with app.run_test() as pilot:
            app.screen_under_test.query_one("#export-path", Input).value = str(out)
            await pilot.click("#export-go")
            await app.workers.wait_for_complete()
            await pilot.pause()
        assert app.result == f"已导出台账 1 行到 {out}"
        names = [r[1].value for r in openpyxl.load_workbook(out).active.iter_rows(min_row=2)]
        assert names == ["待处理甲"]

    asyncio.run(main())
