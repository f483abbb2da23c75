"""The small dialogs of B-class review (h): a supervisor's 需复核 note, the county's re-submission.

Both save in a worker through services/review.py; a refusal (a row not B class, a row
changed meanwhile, an empty note) is shown in the dialog and what was typed stays.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from ..domain.codes import CODES, EVIDENCE
from ..domain.review import NOTE_MAX
from ..domain.terminal import terminal_safe
from ..services import review
from ..services.errors import ServiceError
from ..services.session import session
from ..services.types import EntryDetail, EntryRow
from ..widgets.form_evidence import EvidenceChecklist
from ..widgets.key_bar import HELP_BINDING, KeyBar
from ..widgets.worker_failures import ReportsWorkerFailures

SHOWN_NAMES = 6


def _who(rows: list[EntryRow]) -> str:
    names = "、".join(f"{terminal_safe(r.name)} {r.code}" for r in rows[:SHOWN_NAMES])
    return names + (f" 等 {len(rows)} 人" if len(rows) > SHOWN_NAMES else "")


class ReviewDialog(ReportsWorkerFailures, ModalScreen[str | None]):
    """Enter (in the note) or Ctrl+S saves; Esc cancels. Dismisses with what was done."""

    HELP_TITLE = "复核"
    DEFAULT_CSS = """
    ReviewDialog { align: center middle; }
    ReviewDialog > Vertical { width: 76; height: auto; max-height: 20; border: ascii $primary;
                              background: $surface; padding: 0 1; }
    ReviewDialog .dialog-title { text-style: bold; }
    ReviewDialog #review-error { color: $error; height: auto; }
    ReviewDialog #review-note { border: none; height: 1; padding: 0 1; background: $panel; }
    """
    BINDINGS = [
        Binding("escape", "dismiss(None)", "取消", id="review.cancel"),
        HELP_BINDING,
        Binding("ctrl+s", "save", "保存", id="review.save"),
    ]

    def __init__(self, title: str, lines: list[str], prompt: str) -> None:
        super().__init__()
        self.title_text, self.lines, self.prompt = title, lines, prompt
        self.saving = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, classes="dialog-title", markup=False)
            for line in self.lines:
                yield Static(line, markup=False)
            yield from self.extra_fields()
            yield Static(self.prompt, markup=False)
            yield Input(placeholder=f"最多 {NOTE_MAX} 字，回车保存", id="review-note", max_length=NOTE_MAX)
            yield Static("", id="review-error", markup=False)
        yield KeyBar()

    def extra_fields(self) -> ComposeResult:
        return iter(())

    def on_mount(self) -> None:
        self.query_one("#review-note", Input).focus()

    @on(Input.Submitted, "#review-note")
    def _submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        if not self.saving:
            self.saving = True
            self._save(self.query_one("#review-note", Input).value, self.evidence())

    def worker_failed(self, worker) -> None:
        self.saving = False

    def _refused(self, message: str) -> None:
        self.saving = False
        self.query_one("#review-error", Static).update(message)

    @work(thread=True, exclusive=True, exit_on_error=False, group="review-save", description="保存复核")
    def _save(self, note: str, evidence: frozenset[str]) -> None:
        try:
            with session():
                done = self.write(note, evidence)
        except ServiceError as e:
            self.app.call_from_thread(self._refused, str(e))
            return
        self.app.call_from_thread(self.dismiss, done)

    def evidence(self) -> frozenset[str]:
        """The documents ticked as added (read on the UI thread, before the worker starts)."""
        return frozenset()

    def write(self, note: str, evidence: frozenset[str]) -> str:
        """Save (in the worker); returns what was done, for the ledger's message."""
        raise NotImplementedError


class FlagDialog(ReviewDialog):
    """A city or province marks B-class results 需复核."""

    def __init__(self, rows: list[EntryRow]) -> None:
        super().__init__(f"标记需复核（{len(rows)} 人）", [_who(rows), "县级账号将看到标记和原因，须重新处理或补充材料后重新提交。"],
                         "需复核的原因（哪项材料或结论需要核实）：")
        self.versions = {r.id: r.version for r in rows}

    def write(self, note: str, evidence: frozenset[str]) -> str:
        done = review.flag(self.app.actor, self.versions, note)
        return f"已将 {len(done)} 条记录标记为需复核"


class ResubmitDialog(ReviewDialog):
    """The county re-submits a flagged row with added evidence and what it checked."""

    def __init__(self, d: EntryDetail) -> None:
        r = d.row
        flag = d.reviews[-1] if d.reviews else None
        # No spaces: a line wraps at spaces, and a wrapped date reads as two facts.
        said = (f"（{terminal_safe(flag.by)}，{flag.at.month}月{flag.at.day}日{flag.at:%H:%M}）" if flag else "")
        said += f"：{terminal_safe(d.review_note)}"
        super().__init__(f"重新提交：{terminal_safe(r.name)} {r.code} {r.code_name}",
                         [f"需复核的原因{said}",
                          "结论有变：Esc后按j/c/w重新处理，即重新提交；结论不变：勾选补充的材料，写明核实情况。"],
                         "核实情况说明：")
        self.entry_id, self.version = r.id, r.version
        self.code = CODES.get(r.code)
        self.on_file = frozenset(e.kind for e in d.evidence if e.kind in EVIDENCE)

    def extra_fields(self) -> ComposeResult:
        if self.code is not None and self.code.evidence_keys:
            yield Static("补充的证明材料（Shift+Tab 到这里，空格勾选；Tab 回到说明栏）：", markup=False)
            checklist = EvidenceChecklist(self.on_file, id="review-evidence")
            yield checklist

    def on_mount(self) -> None:
        found = self.query("#review-evidence")
        if found:
            found.first(EvidenceChecklist).show_code(self.code)
        super().on_mount()

    def evidence(self) -> frozenset[str]:
        found = self.query("#review-evidence")
        return found.first(EvidenceChecklist).checked - self.on_file if found else frozenset()

    def write(self, note: str, evidence: frozenset[str]) -> str:
        review.resubmit(self.app.actor, self.entry_id, self.version, note, evidence, today=self.app.today)
        return "已重新提交，需复核标记已解除"
