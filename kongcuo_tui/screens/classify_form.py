"""The classification form for the three actions: 实际就读, 辍学处理, 未确认完成.

One form serves one row or a batch. Rules are checked as the user types (a dry run of
the service) and again on save, both in thread workers so typing never waits on the database; a failed save keeps every typed value and shows the
reason next to the field. The form is dismissed with the BatchResult once rows are saved.
"""

from __future__ import annotations

from datetime import date

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from ..config import Settings
from ..domain.codes import CODES, Action, Code, codes_for
from ..domain.dates import DateParseError, parse_form_date, school_year_cutoff
from ..domain.regions import places_for_typeahead
from ..domain.rules import F_CODE, F_DATE, F_EVIDENCE, F_NOTES, F_PERSON, F_PLACE, F_SCHOOL, Classification
from ..services import accounts, classify, ledger, schools
from ..services.errors import ServiceError
from ..services.session import session
from ..services.types import Actor, BatchResult, Conflict
from ..widgets.form_evidence import EvidenceChecklist
from ..widgets.form_typeahead import Choice, TypeAhead
from ..widgets.key_bar import HELP_BINDING, KeyBar
from ..widgets.worker_failures import ReportsWorkerFailures
from .form_dialogs import Confirm, failure_lines
from .form_fields import FIELDS, batch_title, field_errors

FORM = Binding.Group("表单")
MOVE = Binding.Group("在栏目间移动（列表中 ↑↓ 移动、Enter 选定，材料清单中空格勾选）")
LIVE_CHECK_DELAY = 0.3  # seconds after the last keystroke
LIVE_CHECK_MAX_ROWS = 2000
SLOW_SAVE = 0.3  # seconds before "正在保存…" shows (a quick save needs no message)  # larger batches are checked on save only, to keep typing fluid


class ClassifyForm(ReportsWorkerFailures, ModalScreen[BatchResult | None]):
    """Classify `targets` (entry id → version the user saw) with `action`."""

    CSS_PATH = "forms.tcss"
    HELP_TITLE = "处理表单"
    BINDINGS = [
        Binding("ctrl+s", "save", "保存", priority=True, id="form.save", group=FORM),
        HELP_BINDING,
        Binding("ctrl+r", "reapply", "按最新内容重新保存", priority=True, id="form.reapply", group=FORM),
        Binding("escape", "cancel", "取消", priority=True, id="form.cancel", group=FORM),
        Binding("ctrl+q", "quit", "退出", priority=True, id="form.quit", group=FORM, show=False),
        Binding("tab", "app.focus_next", "下一栏", show=False, id="form.next", group=MOVE),
        Binding("shift+tab", "app.focus_previous", "上一栏", show=False, id="form.previous", group=MOVE),
    ]

    class RowsChanged(Message):
        """Rows changed under the form (conflict): the ledger should reload them."""

        def __init__(self, entry_ids: list[int]) -> None:
            super().__init__()
            self.entry_ids = entry_ids

    def __init__(self, actor: Actor, action: Action, targets: dict[int, int], names: list[str],
                 settings: Settings, *, today: date | None = None) -> None:
        super().__init__()
        self.actor, self.action, self.settings = actor, Action(action), settings
        self.targets = dict(targets)
        self.names = names
        self.today = today or date.today()
        self.cutoff = school_year_cutoff(self.today, settings.cutoff_month, settings.cutoff_day)
        self.conflicts: list[Conflict] = []
        self._touched: set[str] = set()
        self._submitted = False
        self._saving = False
        self._timer = None
        self._initial: tuple = ()
        self._school_names: set[str] = set()
        self._prefill = self._current_classification()

    # ---- building -------------------------------------------------------------------

    def _current_classification(self):
        """The row's current classification when exactly one row is re-classified."""
        if len(self.targets) != 1:
            return None
        try:
            d = ledger.detail(self.actor, next(iter(self.targets)))
        except ServiceError:
            return None
        return d if d.row.code else None

    def _field(self, name: str, label: str, widget, hint: str = "") -> ComposeResult:
        with Horizontal(classes="field", id=f"field-{name}"):
            yield Label(label, classes="field-label")
            with Vertical(classes="field-body"):
                yield widget
                if hint:
                    yield Static(hint, classes="field-hint", id=f"hint-{name}", markup=False)
                yield Static("", classes="field-error", id=f"err-{name}", markup=False)

    def compose(self) -> ComposeResult:
        with Vertical(id="form-box"):
            yield Static(batch_title(self.action.value, self.names, len(self.targets)), id="form-title", markup=False)
            with VerticalScroll(id="form-fields"):
                yield from self._code_fields()
                yield from self._field(F_PERSON, "证明人", Input(id=F_PERSON), "核查人本人核查的，填写本人姓名")
                yield from self._field(F_DATE, "证明日期", Input(id=F_DATE), "如 2026-09-01、2026-9-1、20260901、9.1、9/1")
                yield from self._field(F_NOTES, "处理说明", Input(id=F_NOTES, placeholder="如实写明具体情况"))
            yield Static("", id="form-problems", markup=False)
            yield Static("Tab/Shift+Tab 切换 · ↑↓ Enter 选择 · 空格 勾选材料 · Ctrl+S 保存 · Esc 取消", id="form-keys")
        yield KeyBar()

    def _code_fields(self) -> ComposeResult:
        if self.action == Action.UNCONFIRMED:
            yield from self._field(F_CODE, "核查结果", Static(CODES["99"].label + "（固定）", id="code-fixed"))
            return
        choices = [Choice(c.code, c.label) for c in codes_for(self.action)]
        yield from self._field(
            F_CODE, "核查结果", TypeAhead(choices, show_all=True, limit=len(choices), id=F_CODE,
                                      placeholder="输入代码或名称，如 B2、户籍"), " ")
        if self.action == Action.ENROLLED:
            places = [Choice(r.code, r.full_name) for r in places_for_typeahead()]
            yield from self._field(F_PLACE, "就读省县", TypeAhead(places, id=F_PLACE, placeholder="输入省、县名称筛选"))
            yield from self._field(F_SCHOOL, "就读学校", TypeAhead([], free_text=True, id=F_SCHOOL,
                                                              placeholder="本县学校从列表选择；外省可直接输入校名"))
        on_file = frozenset(e.kind for e in self._prefill.evidence) if self._prefill else frozenset()
        yield from self._field(F_EVIDENCE, "证明材料", EvidenceChecklist(on_file, id=F_EVIDENCE),
                               "空格勾选已留存的材料")

    def on_mount(self) -> None:
        self.query_one(f"#{F_DATE}", Input).value = self.today.isoformat()
        self.query_one(f"#{F_PERSON}", Input).value = self._default_person()
        if self.action == Action.ENROLLED and self.actor.role == "county":
            self._set_place(self.actor.region)
        self._apply_prefill()
        self._show_code()
        self._initial = self._snapshot()
        first = F_NOTES if self.action == Action.UNCONFIRMED else F_CODE
        self.query_one(f"#{first}").focus()

    def _default_person(self) -> str:
        try:
            last = accounts.resolve(self.actor.login).last_proof_person
        except ServiceError:
            last = self.actor.last_proof_person
        return last or self.actor.display_name

    def _apply_prefill(self) -> None:
        d = self._prefill
        if d is None or CODES.get(d.row.code) is None:
            return
        if d.row.proof_person:
            self.query_one(f"#{F_PERSON}", Input).value = d.row.proof_person
        if CODES[d.row.code].action != self.action:
            return  # e.g. 99 → B2: only the person carries over; the rest is a new finding
        if self.action != Action.UNCONFIRMED:
            self.query_one(f"#{F_CODE}", TypeAhead).set_value(d.row.code)
        if d.row.proof_date:
            self.query_one(f"#{F_DATE}", Input).value = d.row.proof_date.isoformat()
        self.query_one(f"#{F_NOTES}", Input).value = d.notes
        if self.action == Action.ENROLLED and d.study_region:
            self._set_place(d.study_region)
            self.query_one(f"#{F_SCHOOL}", TypeAhead).set_value(d.study_school, d.study_school)

    def _set_place(self, region: str) -> None:
        self.query_one(f"#{F_PLACE}", TypeAhead).set_value(region)
        self._load_schools(region)

    def _load_schools(self, region: str | None) -> None:
        found = schools.list_schools(self.actor, region) if region and len(region) == 6 else []
        self._school_names = {s.name for s in found}
        label = {"中职": "（中职）", "特殊教育": "（特教）"}
        choices = [Choice(s.name, s.name + label.get(s.kind, "")) for s in found]
        self.query_one(f"#{F_SCHOOL}", TypeAhead).set_choices(choices)

    # ---- reading the fields -------------------------------------------------------------

    def _code(self) -> Code | None:
        if self.action == Action.UNCONFIRMED:
            return CODES["99"]
        return CODES.get(self.query_one(f"#{F_CODE}", TypeAhead).value or "")

    def _value(self, name: str) -> str:
        return self.query_one(f"#{name}", Input).value

    def _proof_date(self) -> tuple[date | None, str]:
        try:
            return parse_form_date(self._value(F_DATE), self.today), ""
        except DateParseError as e:
            return None, str(e)

    def _classification(self) -> Classification:
        code = self._code()
        typed = self.query_one(f"#{F_CODE}", TypeAhead).text if self.action != Action.UNCONFIRMED else "99"
        kw = {}
        if self.action == Action.ENROLLED:
            kw["study_region"] = self.query_one(f"#{F_PLACE}", TypeAhead).value
            kw["study_school"] = self.query_one(f"#{F_SCHOOL}", TypeAhead).text
        if self.action != Action.UNCONFIRMED:
            kw["evidence"] = self.query_one(f"#{F_EVIDENCE}", EvidenceChecklist).checked
        return Classification(
            action=self.action, code=code.code if code else typed, proof_person=self._value(F_PERSON),
            proof_date=self._proof_date()[0], notes=self._value(F_NOTES), **kw,
        )

    def _snapshot(self) -> tuple:
        c = self._classification()
        return (c.code, c.proof_person, self._value(F_DATE), c.notes, c.study_region, c.study_school,
                c.evidence)

    def _form_errors(self) -> dict[str, str]:
        """Checks the rules table cannot make: date text, school from the county's list."""
        out = {}
        _, date_error = self._proof_date()
        if date_error:
            out[F_DATE] = date_error
        if self.action == Action.ENROLLED and self._school_names:
            school = self.query_one(f"#{F_SCHOOL}", TypeAhead).text
            if school and school not in self._school_names:
                out[F_SCHOOL] = f"“{school}”不在本县学校名单中，请从列表中选择（外省学校可直接输入）"
        return out

    # ---- live checking ------------------------------------------------------------------

    def _show_code(self) -> None:
        if self.action == Action.UNCONFIRMED:
            return
        code = self._code()
        self.query_one(f"#{F_EVIDENCE}", EvidenceChecklist).show_code(code)
        self.query_one(f"#field-{F_EVIDENCE}").display = code is not None and bool(code.evidence_keys)
        self.query_one(f"#hint-{F_CODE}", Static).update(code.description if code else "")

    def _changed(self, name: str, touch: bool = True) -> None:
        if touch:
            self._touched.add(name)
        if self._timer is not None:
            self._timer.stop()
        self._timer = self._after(LIVE_CHECK_DELAY, self.live_check)

    def _after(self, delay: float, callback):
        """A timer, or the next turn of the event loop when the delay is 0 (as in tests)."""
        if delay:
            return self.set_timer(delay, callback)
        self.call_later(callback)
        return None

    @on(TypeAhead.Changed)
    def _typeahead_changed(self, event: TypeAhead.Changed) -> None:
        name = event.typeahead.id or ""
        if name == F_CODE:
            self._show_code()
        elif name == F_PLACE:
            self._load_schools(event.typeahead.value)
        # A picker's reason shows once a choice is taken (or on save), not per letter.
        self._changed(name, touch=False)

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        if event.input.id in (F_PERSON, F_DATE, F_NOTES):
            self._changed(event.input.id)

    @on(EvidenceChecklist.SelectedChanged)
    def _evidence_changed(self) -> None:
        self._changed(F_EVIDENCE)

    def live_check(self) -> None:
        """Dry-run the rules on every target and show reasons next to the touched fields."""
        self._timer = None
        if self._saving or (len(self.targets) > LIVE_CHECK_MAX_ROWS and not self._submitted):
            return
        self._dry_run(dict(self.targets), self._classification())

    @work(thread=True, exclusive=True, exit_on_error=False, group="form-check", description="检查填写内容")
    def _dry_run(self, targets: dict[int, int], c: Classification) -> None:
        try:
            with session():
                result = classify.check(self.actor, targets, c, self.today, self.cutoff)
        except ServiceError as e:
            self.app.call_from_thread(self._problems, str(e))
            return
        self.app.call_from_thread(self._checked, c, result)

    def _checked(self, c: Classification, result: BatchResult) -> None:
        # A save started meanwhile, or more typing: that answer is the one to show.
        if self.is_attached and not self._saving and c == self._classification():
            self._show_errors(result)

    def _show_errors(self, result: BatchResult) -> dict[str, str]:
        errors = field_errors(result.failures, len(self.targets))
        errors.update(self._form_errors())
        for name in FIELDS:
            if not self.query(f"#err-{name}"):
                continue
            text = errors.get(name, "") if self._submitted or name in self._touched else ""
            box = self.query_one(f"#err-{name}", Static)
            box.update(text)
            box.display = bool(text)
        return errors

    def _problems(self, text: str) -> None:
        box = self.query_one("#form-problems", Static)
        box.update(text)
        box.display = bool(text)

    # ---- keys ---------------------------------------------------------------------------

    @on(TypeAhead.Picked)
    def _picked(self, event: TypeAhead.Picked) -> None:
        self._changed(event.typeahead.id or "")
        self.focus_next()

    @on(Input.Submitted)
    def _submitted_input(self, event: Input.Submitted) -> None:
        if event.input.id == F_NOTES:
            self.action_save()
        elif event.input.id in (F_PERSON, F_DATE):
            self.focus_next()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "reapply":
            return bool(self.conflicts)
        return True

    def action_cancel(self) -> None:
        focused = self.focused
        box = focused.parent if focused is not None else None
        # Esc first closes suggestions the user is typing against; the code list that
        # opens by itself on focus does not hold Esc back.
        if isinstance(box, TypeAhead) and box.value is None and box.text and box.close_list():
            return
        self._leave(lambda: self.dismiss(None), "放弃并关闭")

    def action_quit(self) -> None:
        self._leave(self.app.exit, "放弃并退出")

    def _leave(self, then, yes: str) -> None:
        """Run `then`, after asking when something was typed."""
        if self._snapshot() == self._initial:
            then()
            return
        self.app.push_screen(
            Confirm("放弃已填写的内容？", ["本次填写的内容尚未保存，关闭后将丢失。"], yes=yes, no="继续填写"),
            lambda answer: then() if answer else None,
        )

    retry_hint = "已填写的内容都还在"

    def worker_failed(self, worker) -> None:
        if worker.group == "form-save":  # the app says why; the form takes Ctrl+S again
            self._save_failed("未保存，请稍后再按 Ctrl+S 保存")

    def action_save(self) -> None:
        if self._saving:
            return  # Ctrl+S pressed again while the save runs
        self._submitted = True
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._saving = True
        self._after(SLOW_SAVE, self._still_saving)
        self._save(dict(self.targets), self._classification(), bool(self._form_errors()))

    @work(thread=True, exclusive=True, exit_on_error=False, group="form-save", description="保存处理结果")
    def _save(self, targets: dict[int, int], c: Classification, local_errors: bool) -> None:
        try:
            with session():
                if local_errors:  # the rules still run, so every reason shows at once
                    result = classify.check(self.actor, targets, c, self.today, self.cutoff)
                else:
                    result = classify.classify(self.actor, targets, c, today=self.today, cutoff=self.cutoff,
                                               partial=False)
        except ServiceError as e:
            self.app.call_from_thread(self._save_failed, str(e))
            return
        self.app.call_from_thread(self._saved, c, result, local_errors)

    def _still_saving(self) -> None:
        if self._saving:
            self._problems("正在保存…")

    def _save_failed(self, message: str) -> None:
        self._saving = False
        self._problems(message)

    def _saved(self, c: Classification, result: BatchResult, local_errors: bool) -> None:
        self._saving = False
        errors = self._show_errors(result)
        if result.applied and result.ok:
            self.dismiss(result)
            return
        if result.conflicts:
            self._conflicted(result.conflicts)
        elif result.failures and len(result.failures) < len(self.targets) and not local_errors:
            self._offer_partial(c, result)
        else:
            self._problems(self._failure_summary(result))
        self._focus_first_error(errors)

    def _failure_summary(self, result: BatchResult) -> str:
        reasons = {tuple(e.message for e in f.errors) for f in result.failures}
        if len(self.targets) <= 1 or not result.failures or (
                len(reasons) == 1 and len(result.failures) == len(self.targets)):
            return "未保存：请按各栏下方的提示修改后再保存（Ctrl+S）。"
        lines = failure_lines(result.failures, limit=5)
        return f"未保存：{len(result.failures)} 人未通过校验，未做任何处理。\n" + "\n".join(lines)

    def _focus_first_error(self, errors: dict[str, str]) -> None:
        for name in FIELDS:
            if errors.get(name) and self.query(f"#{name}"):
                widget = self.query_one(f"#{name}")
                if widget.display and widget.parent.display:
                    widget.focus()
                return

    def _offer_partial(self, c: Classification, result: BatchResult) -> None:
        valid = len(self.targets) - len(result.failures)
        self._problems(self._failure_summary(result))
        lines = failure_lines(result.failures)

        def answered(yes: bool | None) -> None:
            if yes:
                self._apply_partial(c)

        self.app.push_screen(Confirm(
            f"{len(result.failures)} 人未通过校验，尚未处理任何记录", lines,
            yes=f"仅处理通过校验的 {valid} 人", no="返回修改（不处理）",
        ), answered)

    @work(thread=True, exclusive=True, exit_on_error=False, group="form-save", description="保存通过校验的记录")
    def _apply_partial(self, c: Classification) -> None:
        try:
            with session():
                result = classify.classify(self.actor, self.targets, c, partial=True, today=self.today,
                                           cutoff=self.cutoff)
        except ServiceError as e:
            self.app.call_from_thread(self._problems, str(e))
            return
        self.app.call_from_thread(self._partly_applied, result)

    def _partly_applied(self, result: BatchResult) -> None:
        if result.conflicts:
            self._conflicted(result.conflicts)
        else:
            self.dismiss(result)

    # ---- conflicts ----------------------------------------------------------------------

    def _conflicted(self, conflicts: list[Conflict]) -> None:
        """Keep the form and what was typed; tell the ledger to reload the changed rows."""
        self.conflicts = conflicts
        lines = [c.message for c in conflicts[:10]]
        if len(conflicts) > 10:
            lines.append(f"……共 {len(conflicts)} 人已被他人修改")
        self._problems("未保存，以下记录在您打开后已被他人修改：\n" + "\n".join(lines)
                       + "\n台账已刷新。确认仍按本表内容处理，请按 Ctrl+R 重新保存；或按 Esc 取消。")
        self.refresh_bindings()
        changed = [c.entry_id for c in conflicts]
        below = self.app.screen_stack[-2] if len(self.app.screen_stack) > 1 else self.app
        below.post_message(self.RowsChanged(changed))

    def action_reapply(self) -> None:
        """Take the rows' current versions (the user has seen the conflict) and save again."""
        if self.conflicts and not self._saving:
            self._fresh_versions([c.entry_id for c in self.conflicts])

    @work(thread=True, exclusive=True, exit_on_error=False, group="form-save", description="读取记录的最新内容")
    def _fresh_versions(self, ids: list[int]) -> None:
        with session():
            rows = ledger.rows_by_id(self.actor, ids)
        self.app.call_from_thread(self._reapply, {r.id: r.version for r in rows})

    def _reapply(self, versions: dict[int, int]) -> None:
        self.targets.update(versions)
        self.conflicts = []
        self.refresh_bindings()
        self._problems("")
        self.action_save()
