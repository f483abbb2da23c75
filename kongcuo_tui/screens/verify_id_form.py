"""The verified-ID form (key v): the number from the 户口簿 or the police, who proved it and when.

The number is checked as it is typed (the domain rules only, no database) and the Chinese
reason shows under it; the save runs in a worker. A failed or conflicting save keeps the
form and everything typed. Dismissed with the BatchResult once saved.
"""

from __future__ import annotations

from datetime import date

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from ..domain.dates import DateParseError, parse_form_date
from ..domain.rules import F_DATE, F_PERSON
from ..domain.terminal import terminal_safe
from ..domain.verified_ids import F_VERIFIED, IdVerification
from ..services import verified_ids
from ..services.errors import ServiceError
from ..services.session import session
from ..services.types import Actor, BatchResult
from ..services.verified_ids import VerifySetup
from ..widgets.key_bar import HELP_BINDING, KeyBar
from .form_base import FORM, MOVE_BINDINGS, FormMoves, field_row
from .form_drafts import FormDrafts
from .form_fields import next_choice, person_hint

FIELDS = (F_VERIFIED, F_PERSON, F_DATE)


DRAFT_DELAY = 0.3  # seconds after the last keystroke before what was typed is kept as a draft


class VerifyIdForm(FormMoves, FormDrafts, ModalScreen[BatchResult | None]):
    CSS_PATH = "forms.tcss"
    HELP_TITLE = "核实证件号码"
    FIELD_NAMES = FIELDS
    BINDINGS = [
        Binding("ctrl+s", "save", "保存", priority=True, id="verify.save", group=FORM),
        HELP_BINDING,
        Binding("f2", "next_person", "换证明人", priority=True, id="verify.person", group=FORM,
                tooltip="证明人在本人姓名和最近用过的证明人之间切换"),
    ] + MOVE_BINDINGS
    retry_hint = "已填写的内容都还在"

    def __init__(self, actor: Actor, setup: VerifySetup, *, today: date | None = None) -> None:
        super().__init__()
        self.actor, self.setup = actor, setup
        self.version = setup.version
        self.today = today or date.today()
        self._saving = False
        self._touched: set[str] = set()
        self._submitted = False
        self._initial: tuple = ()
        self._timer = None
        self._init_drafts()

    def compose(self) -> ComposeResult:
        s = self.setup
        upstream = f"上游证件号码：{terminal_safe(s.upstream_id) or '（空）'}（保持不变）"
        problem = f"上游号码有误：{terminal_safe(s.upstream_problem)}" if s.upstream_problem else "上游号码校验通过"
        with Vertical(id="form-box"):
            yield Static(f"核实证件号码 · {terminal_safe(s.name)}", id="form-title", markup=False)
            with VerticalScroll(id="form-fields"):  # a long upstream reason scrolls, the foot stays
                yield Static(upstream, id="verify-upstream", markup=False)
                yield Static(problem, id="verify-problem", markup=False)
                yield from field_row(F_VERIFIED, "核实号码", Input(id=F_VERIFIED, placeholder="按户口簿或派出所证明填写 18 位号码"))
                yield from field_row(F_PERSON, "证明人", Input(id=F_PERSON), person_hint(s.person_choices))
                yield from field_row(F_DATE, "证明日期", Input(id=F_DATE), "如 2026-09-01、20260901、9.1")
            with Vertical(id="form-foot"):
                yield Static("", id="form-problems", markup=False)
                yield Static("Tab 切换 · F2 换证明人 · Ctrl+S 保存 · Esc 取消", id="form-keys")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(f"#{F_VERIFIED}", Input).value = self.setup.verified_id
        self.query_one(f"#{F_PERSON}", Input).value = self.setup.proof_person
        self.query_one(f"#{F_DATE}", Input).value = self.setup.proof_date.isoformat()
        self._initial = self._snapshot()
        self.restore_saved_draft()
        self.query_one(f"#{F_VERIFIED}", Input).focus()

    # ---- drafts (FormDrafts) ------------------------------------------------------------

    def _draft_fields(self) -> dict[str, object]:
        return {name: self._value(name) for name in FIELDS}

    def _restore_draft(self, fields: dict[str, object]) -> None:
        for name in FIELDS:
            if name in fields:
                self.query_one(f"#{name}", Input).value = str(fields[name])

    def _keep_later(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self._after(DRAFT_DELAY, self._keep)

    def _keep(self) -> None:
        self._timer = None
        if not self._saving:
            self.keep_draft()

    # ---- reading and checking -----------------------------------------------------------

    def _value(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value

    def _snapshot(self) -> tuple:
        return tuple(self._value(n) for n in FIELDS)

    def _verification(self) -> tuple[IdVerification, str]:
        try:
            on, date_error = parse_form_date(self._value(F_DATE), self.today), ""
        except DateParseError as e:
            on, date_error = None, str(e)
        return IdVerification(self._value(F_VERIFIED), self._value(F_PERSON), on), date_error

    def _errors(self) -> dict[str, str]:
        v, date_error = self._verification()
        checked = verified_ids.check(v, self.setup.birth_date, self.today)
        errors = {e.field: e.message for e in checked.errors}
        if date_error:
            errors[F_DATE] = date_error
        if checked.notes and F_VERIFIED not in errors:
            errors[F_VERIFIED] = "注意：" + "；".join(checked.notes)  # shown, not blocking
        return errors

    def _show(self, errors: dict[str, str]) -> None:
        self.show_field_errors(errors, None if self._submitted else self._touched)

    def _blocking(self, errors: dict[str, str]) -> bool:
        return any(not text.startswith("注意：") for text in errors.values())

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        if event.input.id in FIELDS:
            self._touched.add(event.input.id)
            self._show(self._errors())
            self._keep_later()

    @on(Input.Submitted)
    def _submitted_input(self, event: Input.Submitted) -> None:
        if event.input.id == F_DATE:
            self.action_save()
        else:
            self.action_move(1)

    # ---- keys ---------------------------------------------------------------------------

    def action_next_person(self) -> None:
        box = self.query_one(f"#{F_PERSON}", Input)
        box.value = next_choice(box.value, self.setup.person_choices)
        box.cursor_position = len(box.value)

    def action_save(self) -> None:
        if self._saving:
            return
        self._submitted = True
        errors = self._errors()
        self._show(errors)
        if self._blocking(errors):
            self._problems("未保存：请按各栏下方的提示修改后再保存（Ctrl+S）。")
            first = next(n for n in FIELDS if n in errors and not errors[n].startswith("注意："))
            self.query_one(f"#{first}", Input).focus()
            return
        self._saving = True
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._problems("正在保存…")
        self._save(self.version, self._verification()[0])

    @work(thread=True, exclusive=True, exit_on_error=False, group="verify-save", description="保存核实证件号码")
    def _save(self, version: int, v: IdVerification) -> None:
        try:
            with session():
                result = verified_ids.record(self.actor, self.setup.entry_id, version, v, today=self.today)
                if result.ok and result.applied:
                    self.drop_draft_now()
        except ServiceError as e:
            self.app.call_from_thread(self._failed, str(e))
            return
        self.app.call_from_thread(self._saved, result)

    def worker_failed(self, worker) -> None:
        if worker.group == "verify-save":
            self._failed("未保存，请稍后再按 Ctrl+S 保存")

    def _failed(self, message: str) -> None:
        self._saving = False
        self._problems(message)

    def _saved(self, result: BatchResult) -> None:
        self._saving = False
        if result.ok and result.applied:
            self.dismiss(result)
            return
        if result.conflicts:
            # The typed values stay; the next Ctrl+S saves over the version now shown.
            self._problems("未保存：" + result.conflicts[0].message + "。已填写的内容都还在；"
                           "核对后再按 Ctrl+S 按最新内容保存，或按 Esc 取消。")
            self._fresh_version()
            return
        errors = {e.field: e.message for f in result.failures for e in f.errors}
        self._show(errors)
        self._problems("未保存：请按各栏下方的提示修改后再保存（Ctrl+S）。")

    @work(thread=True, exclusive=True, exit_on_error=False, group="verify-fresh", description="读取记录的最新内容")
    def _fresh_version(self) -> None:
        with session():
            fresh = verified_ids.prepare(self.actor, self.setup.entry_id, self.today)
        self.app.call_from_thread(setattr, self, "version", fresh.version)
