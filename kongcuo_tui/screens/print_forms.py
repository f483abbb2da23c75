"""打印表格: the 登记表, 劝返通知书 or 控辍保学的函 of the marked rows, one sheet per student.

Opened from the ledger (key p) with the marked rows, else the row under the cursor. Like the
export dialog: Enter in the file name writes at once, an existing file is only replaced
after asking, a failure is told in the dialog where the name can be fixed.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Select, Static

from ..exports.forms import KINDS, export_forms
from ..services.session import session
from ..services.types import Actor
from ..widgets.key_bar import HELP_BINDING, KeyBar
from .save_target import SaveDialog, dated_name

CHOICES = [("辍学学生登记表（附件2）", "register"), ("劝返通知书（附件3，一页两联）", "notice"),
           ("控辍保学的函（附件4）", "letter")]


def default_name(actor: Actor, kind: str, today: date) -> str:
    """Next to the export dialog's files (the current folder), named for the form and the day."""
    return dated_name(KINDS[kind][0], actor.region, today)


class PrintFormsScreen(SaveDialog):
    PREFIX = "print"
    HELP_TITLE = "打印表格"
    AUTO_FOCUS = "#print-path"  # Enter writes at once; the form is one Shift+Tab up
    BINDINGS = [
        Binding("ctrl+s", "save", "导出", priority=True, id="print.go"),
        HELP_BINDING,
        Binding("escape", "cancel", "取消", id="print.cancel"),
    ]

    def __init__(self, actor: Actor, entry_ids: list[int], today: date, settings) -> None:
        super().__init__()
        self.actor, self.entry_ids, self.today, self.settings = actor, entry_ids, today, settings

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"打印表格：{len(self.entry_ids)} 名学生，每人一张工作表", classes="dialog-title")
            yield Select(CHOICES, value="register", allow_blank=False, id="print-kind")
            yield Input(value=default_name(self.actor, "register", self.today), placeholder="保存为（.xlsx）",
                        id="print-path")
            yield from self.result_and_buttons()
        yield KeyBar()

    def on_select_changed(self, event: Select.Changed) -> None:
        self.query_one("#print-path", Input).value = default_name(self.actor, str(event.value), self.today)

    def start(self, path: str) -> None:
        self.run_write(str(self.query_one("#print-kind", Select).value), path)

    @work(thread=True, exclusive=True, exit_on_error=False, group="print-forms", description="打印表格")
    def run_write(self, kind: str, path: str) -> None:
        s = self.settings
        try:
            with session():
                r = export_forms(self.actor, kind, self.entry_ids, path, today=self.today, calendar=s.calendar(),
                                 cutoff=(s.cutoff_month, s.cutoff_day))
        except Exception as e:
            self.app.call_from_thread(self.failed, e)
            return
        self.app.call_from_thread(
            self.dismiss, f"已导出{r.label} {r.students} 名学生（共 {sum(r.pages)} 页）到 {Path(path).resolve()}")
