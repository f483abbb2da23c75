"""Wiring: the app owns the actor, the settings and the screens; nothing else does.

Low-bandwidth mode (Settings.low_bandwidth, `--low-bandwidth`, KONGCUO_LOW_BANDWIDTH=1, on by
default over SSH) trades looks for bytes: ANSI 16-colour theme, ASCII borders, no mouse
reporting. Cursor blink and animations are off in every mode.
"""

from __future__ import annotations

from datetime import date

from textual import events, on
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.widgets import Input
from textual.worker import Worker, WorkerState

from .commands import LedgerCommands
from .config import Settings
from .screens.ledger import LedgerScreen
from .services.errors import explain_failure
from .services.types import Actor
from .widgets.key_bar import HELP_BINDING
from .widgets.ledger_table import LedgerTable
from .widgets.line_diff import LineMemory

LOW_BANDWIDTH_THEME = "ansi-dark"
FIRST_PAINT_WAIT = 1.0  # seconds the first paint waits for the first page of rows
HOLD_WAIT = 1.0  # seconds a held screen change waits at most before it is painted anyway


class KongcuoApp(App):
    TITLE = "控辍保学工作台账"
    CSS_PATH = "app.tcss"
    # Only ours: Textual's system commands ("Theme", "Keys", "Screenshot"…) are English.
    COMMANDS = {LedgerCommands}
    BINDINGS = [
        HELP_BINDING,
        Binding("ctrl+q", "quit", "退出", id="app.quit"),
        Binding("ctrl+p", "command_palette", "更多命令", show=False, priority=True,
                id="app.palette", tooltip="打开命令面板：导入、导出、筛选等不常用的操作"),
    ]

    def __init__(self, actor: Actor, settings: Settings, today: date | None = None):
        super().__init__()
        self.actor = actor
        self.settings = settings
        self.today = today or date.today()
        self.animation_level = "none"
        if settings.low_bandwidth:
            self.add_class("low-bandwidth")
        # Nothing is written until the first page of rows is in. While mounting, Textual
        # lays the screen out several times (every widget's first size change asks for one
        # more layout, and the screen asks for a full repaint on top), and each pass resends
        # the whole terminal; holding the output turns them and the "正在加载…" frame into
        # one full paint. batch_update() is no help: it pauses layout too, and on release
        # each pending pass is painted separately.
        self._holding_output = True
        self._holds = 0  # hold_output() calls so far: a late safety timer releases only its own
        self._lines = LineMemory()  # full repaints send only the lines that changed

    def get_default_screen(self) -> LedgerScreen:
        # The ledger is the base screen, not pushed over Textual's blank default one: a
        # screen underneath gets repainted too, and each such repaint resends the whole
        # terminal (several kilobytes) instead of the changed lines.
        return LedgerScreen()

    def on_mount(self) -> None:
        # Back from Ctrl+Z or a suspension: the shell may have written over the screen.
        self.app_resume_signal.subscribe(self, lambda _app: self._lines.forget(), immediate=True)
        if self.settings.low_bandwidth:
            self.theme = LOW_BANDWIDTH_THEME
        self.set_timer(FIRST_PAINT_WAIT, self._paint_now)

    def on_ledger_table_loaded(self, message: LedgerTable.Loaded) -> None:
        # After the refresh that lays out the rows, so that pass is held back too.
        self.call_after_refresh(self._paint_now)

    def hold_output(self) -> None:
        """Write nothing until release_output(): a screen being put up is laid out several
        times, and each pass would resend the whole terminal; held, it is one full paint.
        Released after HOLD_WAIT at the latest, whatever happens."""
        self._holding_output = True
        self._holds += 1
        hold = self._holds
        self.set_timer(HOLD_WAIT, lambda: self._holds == hold and self._paint_now())

    def release_output(self) -> None:
        self.call_after_refresh(self._paint_now)

    def _paint_now(self) -> None:
        """End the startup hold (first page arrived, or it is slow): one full paint."""
        if self._holding_output:
            self._holding_output = False
            self.screen.refresh()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # A blinking cursor resends its cell twice a second for as long as a form is open.
        if isinstance(event.widget, Input):
            event.widget.cursor_blink = False

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        """Any failed worker becomes one message naming what failed; the session goes on."""
        worker = event.worker
        if event.state != WorkerState.ERROR or worker.error is None:
            return
        what = worker.description or worker.group
        hint = getattr(worker.node, "retry_hint", "")
        text = f"{what}失败：{explain_failure(worker.error)}" + (f"。{hint}" if hint else "")
        self.notify(text, title="操作未完成", severity="error", timeout=15, markup=False)

    def get_system_commands(self, screen):
        yield SystemCommand("帮助", "列出本页全部按键及其作用（? 或 F1）", self.action_help)
        yield SystemCommand("退出", "退出台账（Ctrl+Q）", self.action_help_quit)

    def action_command_palette(self) -> None:
        if not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(placeholder="输入命令名称查找，如“导出”…", id="--command-palette"))

    def action_help_quit(self) -> None:
        """Ctrl+C (and the palette's 退出): ask first, in Chinese, instead of Textual's toast."""
        from .screens.form_dialogs import Confirm

        if isinstance(self.screen, Confirm) and self.screen.id == "confirm-quit":
            return
        self.push_screen(Confirm("退出台账？", ["已保存的处理结果不受影响；正在填写、尚未保存的内容将丢失。"],
                                 yes="退出", no="继续工作", id="confirm-quit"),
                         lambda yes: self.exit() if yes else None)

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def on_resize(self, event: events.Resize) -> None:
        self._lines.forget()  # the terminal may have redrawn or reflowed what it showed

    def _display(self, screen, renderable) -> None:
        if self._holding_output:
            return
        if renderable is not None and not self.is_headless:
            renderable = self._lines.changed(renderable, self.console, self.size.width)
        super()._display(screen, renderable)


def run_app(actor: Actor, settings: Settings) -> int:
    KongcuoApp(actor, settings).run(mouse=False)
    return 0
