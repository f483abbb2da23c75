"""Export the ledger (upstream layout plus results) or 附件1 from the UI, within the account's region."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Select, Static

from ..exports.ledger import export_ledger
from ..exports.summary import export_summary
from ..exports.worksheet import export_worksheet
from ..services.types import Actor
from ..widgets.key_bar import HELP_BINDING, KeyBar
from .save_target import SaveDialog, dated_name

KINDS = [("上报台账（上级平台列 + 处理结果）", "ledger"), ("附件1 疑似辍学学生信息汇总表", "summary"),
         ("核查工作表（发给学校填写，每校一表）", "worksheet")]
LABELS = {"ledger": "台账", "summary": "疑似辍学学生信息汇总表", "worksheet": "核查工作表"}
STATUSES = [("全部", "all"), ("待本级处理", "pending"), ("已处理", "processed")]


def default_name(actor: Actor, kind: str, today: date | None = None) -> str:
    return dated_name(LABELS[kind], actor.region, today or date.today())


class ExportScreen(SaveDialog):
    PREFIX = "export"
    HELP_TITLE = "导出"
    AUTO_FOCUS = "#export-path"  # Enter exports at once (the kind and scope are one Shift+Tab up)
    BINDINGS = [
        Binding("ctrl+s", "save", "导出", priority=True, id="export.go"),
        HELP_BINDING,
        Binding("escape", "cancel", "取消", id="export.cancel"),
    ]

    def __init__(self, actor: Actor, status: str | None) -> None:
        super().__init__()
        self.actor = actor
        self.status = status if status in ("pending", "processed") else "all"

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(f"导出 Excel（{self.actor.region_name}）", classes="dialog-title")
            yield Select(KINDS, value="ledger", allow_blank=False, id="export-kind")
            yield Select(STATUSES, value=self.status, allow_blank=False, id="export-status")
            yield Input(value=default_name(self.actor, "ledger"), placeholder="保存为（.xlsx）", id="export-path")
            yield from self.result_and_buttons()
        yield KeyBar()

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id == "export-kind":
            self.query_one("#export-path", Input).value = default_name(self.actor, str(event.value))
            self.query_one("#export-status", Select).disabled = event.value == "summary"

    def start(self, path: str) -> None:
        kind = str(self.query_one("#export-kind", Select).value)
        self.run_export(kind, str(self.query_one("#export-status", Select).value), path)

    @work(thread=True, exclusive=True, exit_on_error=False, group="export", description="导出 Excel")
    def run_export(self, kind: str, status: str, path: str) -> None:
        try:
            if kind == "summary":
                n = export_summary(self.actor, path).rows
                msg = f"已导出附件1 汇总表 {n} 行到 {Path(path).resolve()}"
            elif kind == "worksheet":
                r = export_worksheet(self.actor, path, status=status)
                msg = f"已导出核查工作表（{r.sheets} 所学校）{r.rows} 行到 {Path(path).resolve()}"
            else:
                n = export_ledger(self.actor, path, status=status).rows
                msg = f"已导出台账 {n} 行到 {Path(path).resolve()}"
        except Exception as e:
            self.app.call_from_thread(self.failed, e)
            return
        self.app.call_from_thread(self.dismiss, msg)
