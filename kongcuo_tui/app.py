"""Textual application wiring (the ledger screens live in screens/)."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static

from .config import Settings
from .services.types import Actor


class KongcuoApp(App):
    TITLE = "控辍保学工作台账"
    BINDINGS = [("q", "quit", "退出")]

    def __init__(self, actor: Actor, settings: Settings):
        super().__init__()
        self.actor = actor
        self.settings = settings

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"{self.actor.display_name} · {self.actor.region_name}")
        yield Footer()


def run_app(actor: Actor, settings: Settings) -> int:
    KongcuoApp(actor, settings).run(mouse=False)
    return 0
