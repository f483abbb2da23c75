"""Constants shared by tests: a plain module, importable as `support` from any test.

pytest puts tests/ on sys.path because tests/conftest.py lives there (rootdir conftest,
default "prepend" import mode, no __init__.py), so `from support import TODAY` works in
every folder. `from conftest import …` does not: every conftest.py is a module named
"conftest", and which one that name finds depends on the order pytest loaded them.
"""

from __future__ import annotations

from datetime import date

from textual.app import App

TODAY = date(2026, 11, 29)  # fixed, so ages, deadlines and snapshots never depend on the clock



class ScreenHost(App):
    """A bare app that pushes one screen and keeps what the screen dismissed with."""

    def __init__(self, screen) -> None:
        super().__init__()
        self.screen_under_test, self.result = screen, "not dismissed"

    def on_mount(self) -> None:
        self.push_screen(self.screen_under_test, lambda r: setattr(self, "result", r))
