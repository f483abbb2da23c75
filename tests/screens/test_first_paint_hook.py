"""The first paint relies on Textual's private App._display (see KongcuoApp._display).

A Textual upgrade that renames it, changes its arguments or stops painting through it would
silently resend the whole terminal several times at start-up; these tests fail instead.
"""

from __future__ import annotations

import inspect

import textual
from textual.app import App

from kongcuo_tui.app import KongcuoApp


def test_app_display_keeps_its_signature():
    assert hasattr(App, "_display"), f"Textual {textual.__version__} has no App._display: rework the first paint"
    params = list(inspect.signature(App._display).parameters)
    assert params == ["self", "screen", "renderable"], (
        f"Textual {textual.__version__} changed App._display{inspect.signature(App._display)}: "
        "rework KongcuoApp._display")


def test_screens_paint_through_app_display_and_the_hold_ends(play, demo_ledger, monkeypatch):
    demo_ledger(30)
    held, passed = [], []
    ours, theirs = KongcuoApp._display, App._display

    def counting_ours(self, screen, renderable):
        held.append(self._holding_output)
        ours(self, screen, renderable)

    def counting_theirs(self, screen, renderable):
        passed.append(renderable)
        theirs(self, screen, renderable)

    monkeypatch.setattr(KongcuoApp, "_display", counting_ours)
    monkeypatch.setattr(App, "_display", counting_theirs)

    async def script(ui):
        assert not ui.app._holding_output  # the first page arrived: the hold is over
        await ui.press("down")

    play(script)
    assert True in held, "Textual painted the start-up frames without calling App._display"
    assert passed, "after the hold nothing reached Textual's App._display"
