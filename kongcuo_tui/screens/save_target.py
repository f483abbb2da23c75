"""The file a dialog is about to write: a .xlsx name, and asking before replacing a file;
and the dialog that writes one (the export and the print-forms dialogs)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from datetime import date

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input, Static

from ..services.errors import explain_failure
from ..widgets.worker_failures import ReportsWorkerFailures
from .form_dialogs import Confirm


def dated_name(label: str, region: str, today: date) -> str:
    """A suggested file name: what it holds, the account's region and the day."""
    return f"{label}_{region}_{today:%Y%m%d}.xlsx"


def write_to(screen: Screen, path_box: str, result: str, go: Callable[[str], None]) -> None:
    """Call ``go(path)`` with the name in ``path_box`` once it is a .xlsx name that may be written;
    an existing file is replaced only when the user says so (else the name box has the focus)."""
    path = screen.query_one(path_box, Input).value.strip()
    if not path.lower().endswith(".xlsx"):
        screen.query_one(result, Static).update("文件名须以 .xlsx 结尾")
        return
    if Path(path).exists():
        screen.app.push_screen(
            Confirm("文件已存在，覆盖吗？", [f"{Path(path).resolve()} 已存在，导出将替换其中的全部内容。"],
                    yes="覆盖", no="换个文件名"),
            lambda yes: go(path) if yes else screen.query_one(path_box, Input).focus())
        return
    go(path)


class SaveDialog(ReportsWorkerFailures, ModalScreen[str | None]):
    """A dialog that writes one .xlsx file. Its widgets are #<PREFIX>-path, -result, -go and
    -cancel; Enter in the name box, the 导出 button or Ctrl+S (action ``save``) writes, through
    ``start(path)`` (the subclass's worker), which ends in ``dismiss(message)`` or ``failed(error)``."""

    PREFIX = ""
    DEFAULT_CSS = """
    SaveDialog { align: center middle; }
    SaveDialog > Vertical { width: 100%; max-width: 90; height: auto; max-height: 100%;
                            border: ascii $primary; background: $surface; padding: 0 1; }
    SaveDialog Horizontal { height: auto; }
    SaveDialog .dialog-title { text-style: bold; }
    SaveDialog .dialog-result { height: auto; }
    """

    def _part(self, name: str) -> str:
        return f"#{self.PREFIX}-{name}"

    def result_and_buttons(self) -> ComposeResult:
        yield Static("", id=f"{self.PREFIX}-result", classes="dialog-result", markup=False)
        with Horizontal():
            yield Button("导出", id=f"{self.PREFIX}-go", variant="primary")
            yield Button("取消", id=f"{self.PREFIX}-cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == f"{self.PREFIX}-cancel":
            self.dismiss(None)
        else:
            self.action_save()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_save()  # Enter in the file-name box writes

    def action_save(self) -> None:
        if self.query_one(self._part("go"), Button).disabled:
            return  # already writing
        write_to(self, self._part("path"), self._part("result"), self._go)

    def _go(self, path: str) -> None:
        self.query_one(self._part("result"), Static).update("正在导出…")
        self.query_one(self._part("go"), Button).disabled = True
        self.start(path)

    def start(self, path: str) -> None:  # pragma: no cover - each dialog implements it
        raise NotImplementedError

    def failed(self, error: BaseException) -> None:
        """Shown in the dialog, where the file name can be fixed."""
        self.query_one(self._part("result"), Static).update(f"导出失败，未写入文件：{explain_failure(error)}")
        self.query_one(self._part("go"), Button).disabled = False

    def action_cancel(self) -> None:
        self.dismiss(None)
