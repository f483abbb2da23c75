"""UI fixtures: the real app over a demo ledger in the `db_url` database."""

from __future__ import annotations

import pytest

from kongcuo_tui.app import KongcuoApp
from kongcuo_tui.config import Settings
from support import TODAY, settle


@pytest.fixture
def db_url(sqlite_db_url):
    """Screens run on SQLite only: on PostgreSQL they drew the very same screens."""
    return sqlite_db_url


@pytest.fixture
def no_delays(monkeypatch):
    """The form's waits (live check after typing, "正在保存…") start at once, so a test
    waits for the workers, never for a timer."""
    from kongcuo_tui.screens import classify_form

    monkeypatch.setattr(classify_form, "LIVE_CHECK_DELAY", 0)
    monkeypatch.setattr(classify_form, "SLOW_SAVE", 0)


class Ui:
    """Drives a running app the way a registrar does and reads what is on screen."""

    def __init__(self, app: KongcuoApp, pilot) -> None:
        self.app, self.pilot = app, pilot

    async def settle(self) -> None:
        await settle(self.pilot)

    async def press(self, *keys: str) -> None:
        for key in keys:
            await self.pilot.press(key)
            await self.settle()

    async def type(self, text: str) -> None:
        await self.press(*["space" if ch == " " else ch for ch in text])

    @property
    def screen(self):
        return self.app.screen

    @property
    def table(self):
        from kongcuo_tui.widgets.ledger_table import LedgerTable

        return self.app.screen.query_one(LedgerTable)

    def lines(self) -> list[str]:
        return [strip.text for strip in self.app.screen._compositor.render_strips()]

    def text(self) -> str:
        return "\n".join(self.lines())

    def messages(self) -> str:
        """The text of the messages (toasts) now shown, whole, however they wrap on screen."""
        return "\n".join(str(toast.render()) for toast in self.app.screen.query("Toast"))

    def static(self, selector: str) -> str:
        return str(self.app.screen.query_one(selector).render())


@pytest.fixture
def demo_ledger(registrar):
    """Fill the ledger with the deterministic demo data; returns a function of the row count."""
    from kongcuo_tui.services import demo

    def fill(rows: int = 300, seed: int = 7) -> None:
        demo.generate(rows=rows, seed=seed, login=registrar.login, today=TODAY)

    return fill


@pytest.fixture
def play(registrar):
    """play(script, size=(120, 40)) runs `await script(ui)` inside the app for the registrar
    (or for `actor`), once it has settled — or at once, with `settled=False` (a test that holds
    a worker back)."""
    import asyncio

    def run(script, size=(120, 40), settings: Settings | None = None, actor=None, settled=True) -> KongcuoApp:
        async def main():
            app = KongcuoApp(actor or registrar, settings or Settings(), today=TODAY)
            async with app.run_test(size=size, notifications=True) as pilot:
                ui = Ui(app, pilot)
                if settled:
                    await ui.settle()
                await script(ui)
            return app

        return asyncio.run(main())

    return run
