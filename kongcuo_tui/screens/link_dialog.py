"""确认同一人: the kept row stays, the other is classified B1 (户籍重复) with a reference to it.

The classification's own rules apply (证明人, 证明日期, the two B1 documents); a refused save
shows why and keeps what was typed.
"""

from __future__ import annotations

from datetime import date

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from ..domain.codes import CODES
from ..domain.dates import DateParseError, parse_form_date
from ..domain.terminal import terminal_safe
from ..services import duplicates
from ..services.duplicates import DupRow
from ..services.errors import ServiceError
from ..services.session import session
from ..services.types import Actor, BatchResult
from ..widgets.form_evidence import EvidenceChecklist
from ..widgets.key_bar import HELP_BINDING, KeyBar
from ..widgets.worker_failures import ReportsWorkerFailures


class LinkDialog(ReportsWorkerFailures, ModalScreen[str | None]):
    DEFAULT_CSS = """
    LinkDialog { align: center middle; }
    LinkDialog > Vertical { width: 100%; max-width: 80; height: auto; max-height: 100%;
                            border: ascii $primary; background: $surface; padding: 0 1; }
    LinkDialog Input { height: 1; border: none; padding: 0 1; background: $boost; }
    LinkDialog .link-title { text-style: bold; }
    LinkDialog .link-label { color: $text-muted; }
    LinkDialog #link-errors { height: auto; color: $error; }
    """
    HELP_TITLE = "确认同一人"
    AUTO_FOCUS = "#link-evidence"
    BINDINGS = [
        Binding("ctrl+s", "save", "保存", priority=True, id="link.save"),
        HELP_BINDING,
        Binding("escape", "cancel", "取消", id="link.cancel"),
    ]

    def __init__(self, actor: Actor, keep: DupRow, other: DupRow, today: date) -> None:
        super().__init__()
        self.actor, self.keep, self.other, self.today = actor, keep, other, today

    def compose(self) -> ComposeResult:
        k, o = self.keep, self.other
        with Vertical():
            yield Static(terminal_safe(f"确认同一人：保留 #{k.id} {k.name}（{k.id_number}），"
                                       f"#{o.id} {o.id_number} 按 B1 户籍原因（户籍重复）处理"),
                         classes="link-title", markup=False)
            yield Static("证明材料（空格勾选；B1 两项都须留存）", classes="link-label")
            yield EvidenceChecklist(id="link-evidence")
            yield Static("证明人", classes="link-label")
            yield Input(self.actor.display_name, id="link-person")
            yield Static("证明日期", classes="link-label")
            yield Input(f"{self.today:%Y-%m-%d}", id="link-date")
            yield Static("补充说明（可空；处理说明自动写明与哪一行重复）", classes="link-label")
            yield Input("", id="link-notes")
            yield Static("", id="link-errors", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(EvidenceChecklist).show_code(CODES["B1"])

    def _error(self, text: str) -> None:
        self.query_one("#link-errors", Static).update(terminal_safe(text, keep_newlines=True))

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        try:
            proof_date = parse_form_date(self.query_one("#link-date", Input).value, self.today)
        except DateParseError as e:
            self._error(f"证明日期：{e}")
            return
        self._error("正在保存…")
        self._save(self.query_one("#link-person", Input).value, proof_date,
                   self.query_one(EvidenceChecklist).checked, self.query_one("#link-notes", Input).value)

    @work(thread=True, exclusive=True, exit_on_error=False, group="link", description="确认同一人")
    def _save(self, person: str, proof_date: date, evidence: frozenset[str], notes: str) -> None:
        try:
            with session():
                result = duplicates.link(self.actor, self.keep.id, self.other.id, proof_person=person,
                                         proof_date=proof_date, evidence=evidence, notes=notes,
                                         version=self.other.version, today=self.today)
        except ServiceError as e:
            self.app.call_from_thread(self._error, str(e))
            return
        self.app.call_from_thread(self._done, result)

    def _done(self, result: BatchResult) -> None:
        if result.applied:
            self.dismiss(f"已确认同一人：保留 #{self.keep.id}，#{self.other.id} 已按 B1 户籍原因（户籍重复）处理")
            return
        lines = [c.message for c in result.conflicts]
        lines += [e.message for f in result.failures for e in f.errors]
        self._error("未保存：" + "\n".join(lines))

    def worker_failed(self, worker) -> None:
        self._error("未保存，见右下角的提示；填写的内容都还在")
