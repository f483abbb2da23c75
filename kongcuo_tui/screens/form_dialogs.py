"""Small yes/no dialogs the classification form opens: discard typed input, apply partially."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..domain.terminal import terminal_safe
from ..widgets.key_bar import HELP_BINDING, KeyBar


class Confirm(ModalScreen[bool]):
    """Enter or y answers yes; Esc or n answers no."""

    HELP_TITLE = "确认"

    DEFAULT_CSS = """
    Confirm { align: center middle; }
    Confirm > Vertical { width: 80; height: auto; max-height: 30; border: ascii $warning;
                         background: $surface; padding: 0 1; }
    Confirm #confirm-body { height: auto; max-height: 22; }
    Confirm .confirm-title { text-style: bold; }
    """
    BINDINGS = [
        Binding("enter,y", "answer(True)", "确定", priority=True, id="confirm.yes"),
        HELP_BINDING,
        Binding("escape,n", "answer(False)", "返回", priority=True, id="confirm.no"),
    ]

    def __init__(self, title: str, lines: list[str], yes: str, no: str = "返回修改", *,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.title_text, self.lines, self.yes, self.no = title, lines, yes, no

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, classes="confirm-title")
            with VerticalScroll(id="confirm-body"):
                for line in self.lines:
                    yield Static(terminal_safe(line), markup=False)  # lines quote names from files
            yield Static(f"Enter/y：{self.yes}    Esc/n：{self.no}", classes="confirm-keys")
        yield KeyBar()

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


def failure_lines(failures, limit: int = 30) -> list[str]:
    """One line per failed row: '姓名：原因；原因'."""
    lines = [f"{f.name}：{'；'.join(e.message for e in f.errors)}" for f in failures[:limit]]
    if len(failures) > limit:
        lines.append(f"……另有 {len(failures) - limit} 人未通过校验")
    return lines
