"""Layout snapshots (SQLite only: the engine does not change a layout): the ledger (80×24,
120×40), the 99 form, at 80×24 each classification form with its reasons shown, the ledger
one column to the right, the filter dialog with a list open and the import dialog.

Deterministic: fixed TODAY and demo seed, no clock, no cursor blink. After an intended
layout change, regenerate with `pytest tests/screens/test_snapshots.py --snapshot-update`
and look at the SVGs before committing them.
"""

from __future__ import annotations

import pytest

from kongcuo_tui.app import KongcuoApp
from kongcuo_tui.config import Settings
from support import TODAY, settle as _settled


def _app(registrar, demo_ledger) -> KongcuoApp:
    demo_ledger(120, seed=7)
    return KongcuoApp(registrar, Settings(), today=TODAY)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_ledger_layout(snap_compare, registrar, demo_ledger, size):
    assert snap_compare(_app(registrar, demo_ledger), terminal_size=size, run_before=_settled)


def test_unconfirmed_form_layout(snap_compare, registrar, demo_ledger):
    async def open_form(pilot) -> None:
        await _settled(pilot)
        await pilot.press("3", "space", "w")
        await _settled(pilot)

    assert snap_compare(_app(registrar, demo_ledger), terminal_size=(120, 40), run_before=open_form)


# Each form saved half-filled, so reasons show, then the user goes on typing in 处理说明.
FORM_KEYS = {
    "enrolled": ["j", "b", "2", "enter", "ctrl+s", "shift+tab", "shift+tab", "shift+tab", "x"],
    "dropout": ["c", "b", "6", "enter", "ctrl+s", "shift+tab", "shift+tab", "x"],
    "unconfirmed": ["w", "shift+tab", "ctrl+u", *"2026-13-45", "ctrl+s", "tab", "x"],
}


@pytest.mark.parametrize("form", list(FORM_KEYS))
def test_form_with_reasons_shown_80x24(snap_compare, registrar, demo_ledger, form):
    async def fill(pilot) -> None:
        await _settled(pilot)
        for key in FORM_KEYS[form]:
            await pilot.press(key)
            await _settled(pilot)
        pilot.app.screen.live_check()  # what the pause after the last keystroke starts
        await _settled(pilot)

    assert snap_compare(_app(registrar, demo_ledger), terminal_size=(80, 24), run_before=fill)


def test_ledger_one_column_right_80x24(snap_compare, registrar, demo_ledger):
    async def right(pilot) -> None:
        await _settled(pilot)
        await pilot.press("right")
        await _settled(pilot)

    assert snap_compare(_app(registrar, demo_ledger), terminal_size=(80, 24), run_before=right)


def test_filter_dialog_with_township_list_open_80x24(snap_compare, registrar, demo_ledger):
    async def open_list(pilot) -> None:
        await _settled(pilot)
        await pilot.press("f")
        await _settled(pilot)
        await pilot.press("tab", "enter")
        await _settled(pilot)

    assert snap_compare(_app(registrar, demo_ledger), terminal_size=(80, 24), run_before=open_list)


def test_import_dialog_after_a_dry_run_at_80x24(snap_compare, registrar, demo_ledger, tmp_path, monkeypatch):
    from imports.upstream_xlsx import valid_row, write_xlsx

    rows = [valid_row(n) for n in range(1, 6)]
    rows[1][1] = ""  # rejected: no name
    rows[3][3] = rows[3][3][:-1] + ("0" if rows[3][3][-1] != "0" else "1")  # imported, flagged
    write_xlsx(tmp_path / "台账.xlsx", rows)
    monkeypatch.chdir(tmp_path)

    async def dry_run(pilot) -> None:
        await _settled(pilot)
        await pilot.press("ctrl+o", "enter")
        await _settled(pilot)

    assert snap_compare(_app(registrar, demo_ledger), terminal_size=(80, 24), run_before=dry_run)


def test_verify_id_form_with_a_reason_80x24(snap_compare, registrar, demo_ledger):
    """The verified-ID form over a row whose upstream ID is wrong, a wrong number typed in."""
    async def fill(pilot) -> None:
        await _settled(pilot)
        await pilot.press("x", "t")  # wrong IDs not yet verified, on the processed tab
        await _settled(pilot)
        await pilot.press("v")
        await _settled(pilot)
        for key in "41132820130501001":
            await pilot.press(key)
        await pilot.press("9")
        await _settled(pilot)

    assert snap_compare(_app(registrar, demo_ledger), terminal_size=(80, 24), run_before=fill)
