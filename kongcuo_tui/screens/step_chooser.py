"""A short chooser of the persuasion step to record (ledger key r, detail key r).

One line per step with its digit; the step the case waits for is marked and highlighted,
so Enter records it. A digit picks its step at once.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..domain import persuasion as P
from ..domain.terminal import terminal_safe
from ..services.persuasion import Case
from ..widgets.key_bar import HELP_BINDING, KeyBar
from .step_form import state_line

# The digit of each step, in the workflow's order (0: the day absence began).
_LATER = [s for s in P.STEPS if s != "absence"]
STEP_KEYS: dict[str, str] = {"absence": "0", **{s: str(i) for i, s in enumerate(_LATER, 1)}}


def step_line(step: str, due: str | None) -> str:
    mark = "  ← 当前应办" if step == due else ""
    return f"{STEP_KEYS[step]}  {P.STEPS[step]}{mark}"


class StepChooser(ModalScreen[str | None]):
    HELP_TITLE = "选择劝返步骤"
    DEFAULT_CSS = """
    StepChooser { align: center middle; }
    StepChooser > Vertical { width: 60; max-width: 100%; height: auto; max-height: 100%;
                             border: ascii $accent; background: $surface; padding: 0 1; }
    StepChooser OptionList { height: auto; max-height: 12; border: none; }
    StepChooser .chooser-title { text-style: bold; }
    StepChooser .chooser-keys { color: $text-muted; }
    """
    BINDINGS = [
        Binding("escape", "dismiss(None)", "取消", priority=True, id="steps.cancel"),
        HELP_BINDING,
    ] + [
        Binding(key, f"pick('{step}')", P.STEPS[step], show=False, id=f"steps.{step}",
                group=Binding.Group("劝返步骤"))
        for step, key in STEP_KEYS.items()
    ]

    def __init__(self, c: Case) -> None:
        super().__init__()
        self.case = c
        self.due = P.next_step(c.records, c.state)
        self.order = list(STEP_KEYS)[1:] + ["absence"]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"劝返记录 · {terminal_safe(self.case.name)}", classes="chooser-title", markup=False)
            yield Static(state_line(self.case), markup=False)
            yield OptionList(*[Option(step_line(s, self.due), id=s) for s in self.order], id="steps")
            yield Static("数字键直接选择 · ↑↓ Enter 选定 · Esc 取消", classes="chooser-keys")
        yield KeyBar()

    def on_mount(self) -> None:
        olist = self.query_one(OptionList)
        olist.highlighted = self.order.index(self.due) if self.due else 0
        olist.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_pick(self, step: str) -> None:
        self.dismiss(step)
