"""The classification form for the three actions: 实际就读, 辍学处理, 未确认完成.

One form serves one row or a batch. It starts from a FormSetup the ledger's worker read
(services.form_setup) and holds no rules: they are checked as the user types (a dry run of
the service) and again on save, both in thread workers so typing never waits on the
database; a failed save keeps every typed value and shows the reason next to the field.
The form is dismissed with the BatchResult once rows are saved.
"""

from __future__ import annotations

from datetime import date

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from ..config import Settings
from ..domain.codes import CODES, UNCONFIRMED_CODE, Action, Code, codes_for
from ..domain.dates import DateParseError, parse_form_date, school_year_cutoff
from ..domain.regions import places_for_typeahead
from ..domain.rules import (
    F_CODE, F_DATE, F_EVIDENCE, F_GRADUATION, F_NOTES, F_PERSON, F_PLACE, F_SCHOOL, Classification,
    asks_graduation,
)
from ..services import classify, form_setup, ledger
from ..services.form_setup import FormSetup
from ..services.errors import ServiceError
from ..services.session import session
from ..services.schools import SchoolInfo
from ..services.types import Actor, BatchResult, Conflict
from ..widgets.form_evidence import EvidenceChecklist
from ..widgets.form_typeahead import Choice, TypeAhead
from ..widgets.key_bar import HELP_BINDING, KeyBar
from .form_base import FORM, MOVE_BINDINGS, FormMoves, field_row
from .form_dialogs import Confirm, failure_lines
from .form_drafts import FormDrafts
from .form_fields import FIELDS, batch_title, field_errors, next_choice, person_hint

LIVE_CHECK_DELAY = 0.3  # seconds after the last keystroke
LIVE_CHECK_MAX_ROWS = 2000  # larger batches are checked on save only, to keep typing fluid
SLOW_SAVE = 0.3  # seconds before "正在保存…" shows (a quick save needs no message)


class ClassifyForm(FormMoves, FormDrafts, ModalScreen[BatchResult | None]):
    """Classify `targets` (entry id → version the user saw) with `action`."""

    CSS_PATH = "forms.tcss"
    HELP_TITLE = "处理表单"
    FIELD_NAMES = FIELDS
    BINDINGS = [
        Binding("ctrl+s", "save", "保存", priority=True, id="form.save", group=FORM),
        HELP_BINDING,
        Binding("f2", "next_person", "换证明人", priority=True, id="form.person", group=FORM,
                tooltip="证明人在本人姓名和最近用过的证明人之间切换"),
        Binding("ctrl+r", "reapply", "按最新内容重新保存", priority=True, id="form.reapply", group=FORM),
    ] + MOVE_BINDINGS

    class RowsChanged(Message):
        """Rows changed under the form (conflict): the ledger should reload them."""

        def __init__(self, entry_ids: list[int]) -> None:
            super().__init__()
            self.entry_ids = entry_ids

    def __init__(self, actor: Actor, setup: FormSetup, settings: Settings, *, today: date | None = None) -> None:
        super().__init__()
        self.actor, self.setup, self.settings = actor, setup, settings
        self.action = setup.action
        self.targets = dict(setup.targets)
        self.names = setup.names
        self.today = today or date.today()
        self.cutoff = school_year_cutoff(self.today, settings.cutoff_month, settings.cutoff_day)
        self.conflicts: list[Conflict] = []
        self._touched: set[str] = set()
        self._submitted = False
        self._saving = False
        self._timer = None
        self._initial: tuple = ()
        self._schools_of = setup.study_region  # the place whose schools 就读学校 lists
        self._init_drafts()

    # ---- building -------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="form-box"):
            yield Static(batch_title(self.action.value, self.names, len(self.targets)), id="form-title", markup=False)
            with VerticalScroll(id="form-fields"):
                yield from self._code_fields()
                yield from field_row(F_PERSON, "证明人", Input(id=F_PERSON), self._person_hint())
                yield from field_row(F_DATE, "证明日期", Input(id=F_DATE), "如 2026-09-01、2026-9-1、20260901、9.1、9/1")
                yield from field_row(F_NOTES, "处理说明", Input(id=F_NOTES, placeholder="如实写明具体情况"))
            with Vertical(id="form-foot"):
                yield Static("", id="form-problems", markup=False)
                yield Static("Tab/Shift+Tab 切换 · ↑↓ Enter 选择 · 空格 勾选材料 · Ctrl+S 保存 · Esc 取消",
                             id="form-keys")
        yield KeyBar()

    def _code_fields(self) -> ComposeResult:
        if self.action == Action.UNCONFIRMED:
            yield from field_row(F_CODE, "核查结果", Static(UNCONFIRMED_CODE.label + "（固定）", id="code-fixed"))
            return
        choices = [Choice(c.code, c.label) for c in codes_for(self.action)]
        yield from field_row(
            F_CODE, "核查结果", TypeAhead(choices, show_all=True, limit=len(choices), id=F_CODE,
                                      placeholder="输入代码或名称，如 B2、户籍"), " ")
        if any(asks_graduation(c) for c in codes_for(self.action)):
            yield from field_row(F_GRADUATION, "毕业去向", Input(id=F_GRADUATION, placeholder="如：初中毕业后升入某高中"),
                                   "未满16周岁须已毕业并写明去向")
        if self.action == Action.ENROLLED:
            places = [Choice(r.code, r.full_name) for r in places_for_typeahead()]
            yield from field_row(F_PLACE, "就读省县", TypeAhead(places, id=F_PLACE, placeholder="输入省、县名称筛选"))
            yield from field_row(F_SCHOOL, "就读学校", TypeAhead(_school_choices(self.setup.schools), free_text=True,
                                                              id=F_SCHOOL,
                                                              placeholder="本县学校从列表选择；外省可直接输入校名"))
        yield from field_row(F_EVIDENCE, "证明材料", EvidenceChecklist(self.setup.on_file, id=F_EVIDENCE),
                               "空格勾选已留存的材料")

    def _person_hint(self) -> str:
        return person_hint(self.setup.person_choices)

    def on_mount(self) -> None:
        s = self.setup
        self.query_one(f"#{F_DATE}", Input).value = s.proof_date.isoformat()
        self.query_one(f"#{F_PERSON}", Input).value = s.proof_person
        self.query_one(f"#{F_NOTES}", Input).value = s.notes
        if self.action != Action.UNCONFIRMED and s.code:
            self.query_one(f"#{F_CODE}", TypeAhead).set_value(s.code)
        if self.query(f"#{F_GRADUATION}"):
            self.query_one(f"#{F_GRADUATION}", Input).value = s.graduation
        if self.action == Action.ENROLLED and s.study_region:
            self.query_one(f"#{F_PLACE}", TypeAhead).set_value(s.study_region)
            self.query_one(f"#{F_SCHOOL}", TypeAhead).set_value(s.study_school, s.study_school)
        self._show_code()
        self._initial = self._snapshot()
        self.restore_saved_draft()
        first = F_NOTES if self.action == Action.UNCONFIRMED else F_CODE
        self.query_one(f"#{first}").focus()

    def _draft_fields(self) -> dict[str, object]:
        c = self._classification()
        fields: dict[str, object] = {F_CODE: c.code, F_PERSON: c.proof_person, F_DATE: self._value(F_DATE),
                                     F_NOTES: c.notes}
        if self.action == Action.ENROLLED:
            fields.update({F_PLACE: c.study_region or "", F_SCHOOL: c.study_school})
        if self.action != Action.UNCONFIRMED:
            fields[F_EVIDENCE] = sorted(c.evidence)
        if self.query(f"#{F_GRADUATION}"):
            fields[F_GRADUATION] = self._value(F_GRADUATION)
        return fields

    def _restore_draft(self, fields: dict[str, object]) -> None:
        for name in (F_PERSON, F_DATE, F_NOTES, F_GRADUATION):
            if name in fields and self.query(f"#{name}"):
                self.query_one(f"#{name}", Input).value = str(fields[name])
        if self.action != Action.UNCONFIRMED and fields.get(F_CODE):
            self.query_one(f"#{F_CODE}", TypeAhead).set_value(str(fields[F_CODE]))
            self._show_code()
        if self.action == Action.ENROLLED and fields.get(F_PLACE):
            self.query_one(f"#{F_PLACE}", TypeAhead).set_value(str(fields[F_PLACE]))
            self.query_one(f"#{F_SCHOOL}", TypeAhead).set_value(str(fields.get(F_SCHOOL, "")),
                                                                 str(fields.get(F_SCHOOL, "")))
        if self.action != Action.UNCONFIRMED:
            checklist = self.query_one(f"#{F_EVIDENCE}", EvidenceChecklist)
            offered = {option.value for option in checklist.options}
            for key in fields.get(F_EVIDENCE, []):
                if key in offered:
                    checklist.select(key)

    @work(thread=True, exclusive=True, exit_on_error=False, group="form-schools",
           description="读取就读学校列表")
    def _load_schools(self, region: str | None) -> None:
        with session():
            found = form_setup.county_schools(self.actor, region)
        self.app.call_from_thread(self._got_schools, region, found)

    def _got_schools(self, region: str | None, found: tuple[SchoolInfo, ...]) -> None:
        if self.is_attached and self.query_one(f"#{F_PLACE}", TypeAhead).value == region:
            self.query_one(f"#{F_SCHOOL}", TypeAhead).set_choices(_school_choices(found))

    def action_next_person(self) -> None:
        """Cycle 证明人 through the registrar's own name and the recent ones."""
        box = self.query_one(f"#{F_PERSON}", Input)
        box.value = next_choice(box.value, self.setup.person_choices)
        box.cursor_position = len(box.value)

    # ---- reading the fields -------------------------------------------------------------

    def _code(self) -> Code | None:
        if self.action == Action.UNCONFIRMED:
            return UNCONFIRMED_CODE
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
        typed = self.query_one(f"#{F_CODE}", TypeAhead).text if self.action != Action.UNCONFIRMED else UNCONFIRMED_CODE.code
        kw = {}
        if self.action == Action.ENROLLED:
            kw["study_region"] = self.query_one(f"#{F_PLACE}", TypeAhead).value
            kw["study_school"] = self.query_one(f"#{F_SCHOOL}", TypeAhead).text
        if self.action != Action.UNCONFIRMED:
            kw["evidence"] = self.query_one(f"#{F_EVIDENCE}", EvidenceChecklist).checked
        if self.query(f"#{F_GRADUATION}") and self.query_one(f"#field-{F_GRADUATION}").display:
            kw["graduation"] = self._value(F_GRADUATION)
        return Classification(
            action=self.action, code=code.code if code else typed, proof_person=self._value(F_PERSON),
            proof_date=self._proof_date()[0], notes=self._value(F_NOTES), **kw,
        )

    def _snapshot(self) -> tuple:
        c = self._classification()
        return (c.code, c.proof_person, self._value(F_DATE), c.notes, c.study_region, c.study_school,
                c.evidence, c.graduation)

    def _form_errors(self) -> dict[str, str]:
        """The one check made before the rules: the date text must be a date."""
        _, date_error = self._proof_date()
        return {F_DATE: date_error} if date_error else {}

    # ---- live checking ------------------------------------------------------------------

    def _show_code(self) -> None:
        if self.action == Action.UNCONFIRMED:
            return
        code = self._code()
        self.query_one(f"#{F_EVIDENCE}", EvidenceChecklist).show_code(code)
        self.query_one(f"#field-{F_EVIDENCE}").display = code is not None and bool(code.evidence_keys)
        self.query_one(f"#hint-{F_CODE}", Static).update(code.description if code else "")
        if self.query(f"#field-{F_GRADUATION}"):
            self.query_one(f"#field-{F_GRADUATION}").display = asks_graduation(code)

    def live_delay(self) -> float:
        return LIVE_CHECK_DELAY  # read here, so tests can set the module's value

    @on(TypeAhead.Changed)
    def _typeahead_changed(self, event: TypeAhead.Changed) -> None:
        name = event.typeahead.id or ""
        if name == F_CODE:
            self._show_code()
        elif name == F_PLACE and event.typeahead.value != self._schools_of:
            self._schools_of = event.typeahead.value
            self._load_schools(event.typeahead.value)
        # A picker's reason shows once a choice is taken (or on save), not per letter.
        self._changed(name, touch=False)

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        if event.input.id in (F_PERSON, F_DATE, F_NOTES, F_GRADUATION):
            self._changed(event.input.id)

    @on(EvidenceChecklist.SelectedChanged)
    def _evidence_changed(self) -> None:
        self._changed(F_EVIDENCE)

    def live_check(self) -> None:
        """Dry-run the rules on every target and show reasons next to the touched fields."""
        self._timer = None
        if not self._saving:
            self.keep_draft()
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
        self.show_field_errors(errors, None if self._submitted else self._touched)
        return errors

    # ---- keys ---------------------------------------------------------------------------

    @on(TypeAhead.Picked)
    def _picked(self, event: TypeAhead.Picked) -> None:
        self._changed(event.typeahead.id or "")
        self.action_move(1)

    @on(Input.Submitted)
    def _submitted_input(self, event: Input.Submitted) -> None:
        if event.input.id == F_NOTES:
            self.action_save()
        elif event.input.id in (F_PERSON, F_DATE, F_GRADUATION):
            self.action_move(1)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "reapply":
            return bool(self.conflicts)
        if action == "next_person":
            return len(self.setup.person_choices) > 1
        return True

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
                    if result.applied and result.ok:
                        self.drop_draft_now()
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
        self.focus_first_error(errors)

    def _failure_summary(self, result: BatchResult) -> str:
        reasons = {tuple(e.message for e in f.errors) for f in result.failures}
        if len(self.targets) <= 1 or not result.failures or (
                len(reasons) == 1 and len(result.failures) == len(self.targets)):
            return "未保存：请按各栏下方的提示修改后再保存（Ctrl+S）。"
        lines = failure_lines(result.failures, limit=5)
        return f"未保存：{len(result.failures)} 人未通过校验，未做任何处理。\n" + "\n".join(lines)

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
                if result.applied and not result.conflicts:
                    self.drop_draft_now()
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


def _school_choices(found) -> list[Choice]:
    label = {"中职": "（中职）", "特殊教育": "（特教）"}
    return [Choice(s.name, s.name + label.get(s.kind, "")) for s in found]
