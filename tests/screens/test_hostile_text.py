"""Cells with escape sequences or bidi overrides reach the screen as visible escapes only."""

from __future__ import annotations

from kongcuo_tui.domain.terminal import BIDI

TITLE = "\x1b]0;已被接管\x07"
UNSAFE = set("\x1b\x07\x9b" + BIDI)


def _segments(ui) -> str:
    """Every character the compositor hands the driver for the current screen."""
    return "".join(seg.text for strip in ui.app.screen._compositor.render_strips() for seg in strip)


def test_table_and_detail_show_controls_escaped(play, make_entry):
    make_entry(name=TITLE + "王", address="\x1b[31m红色\x1b[0m", id_raw="\u202e4113", id_ok=False,
               id_issue="号码\u202e有误")

    async def script(ui):
        text = _segments(ui)
        assert "\\x1b]0;" in text and not set(text) & UNSAFE
        await ui.press("i")  # the ID check's reason, as a notification
        shown = " ".join(str(n.message) for n in ui.app._notifications)
        assert "号码\\u202e有误" in shown and not set(shown) & UNSAFE
        await ui.press("enter")
        text = _segments(ui)
        assert "详情" in text and "红色" in text
        assert not set(text) & UNSAFE and "\\u202e" in text

    play(script)


def test_import_check_shows_hostile_cells_escaped(tmp_path, registrar, monkeypatch):
    import asyncio

    from kongcuo_tui.screens.import_screen import ImportScreen
    from imports.upstream_xlsx import valid_row, write_xlsx
    from support import ScreenHost

    rows = [valid_row(1)]
    rows[0][1] = TITLE + rows[0][1]
    write_xlsx(tmp_path / "台账.xlsx", rows)
    monkeypatch.chdir(tmp_path)

    async def main():
        app = ScreenHost(ImportScreen(registrar))
        async with app.run_test() as pilot:
            await pilot.click("#import-check")
            await app.workers.wait_for_complete()
            await pilot.pause()
            text = "".join(seg.text for strip in app.screen._compositor.render_strips() for seg in strip)
            assert "name_control" in text and "\\x1b]0;" in text
            assert not set(text) & UNSAFE

    asyncio.run(main())
