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

NOT_DISMISSED = object()


async def settle(pilot) -> None:
    """Wait until every worker has answered and the screen is repainted (the one wait of UI tests).

    A few rounds, because an answer often starts the next worker (count, then pages).
    """
    from textual.worker import WorkerCancelled

    for _ in range(6):
        await pilot.pause()
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:  # e.g. a dry run dropped because its form closed
            pass
    await pilot.pause()


class ScreenHost(App):
    """A bare app that pushes one screen (over `below`, if given) and keeps its dismiss value."""

    def __init__(self, screen, below=None) -> None:
        super().__init__()
        self.screen_under_test, self.below, self.result = screen, below, NOT_DISMISSED

    def on_mount(self) -> None:
        if self.below is not None:
            self.push_screen(self.below)
        self.push_screen(self.screen_under_test, lambda r: setattr(self, "result", r))


def package_lines_matching(pattern, except_module: str) -> list[str]:
    """Every line of the package's source (but `except_module`, e.g. "domain/codes.py") that
    `pattern` finds, as "path:line: text": guard tests use it to keep one idea in one module."""
    from pathlib import Path

    import kongcuo_tui

    root = Path(kongcuo_tui.__file__).parent
    return [
        f"{path.relative_to(root)}:{n}: {line.strip()}"
        for path in sorted(root.rglob("*.py")) if path != root / except_module
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
