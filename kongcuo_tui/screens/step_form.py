"""The form of one persuasion step for one child (学校劝返, 联合劝返, 复学, 销号 …).

Built from the step's fields (step_fields.SPECS) over a StepSetup read by a worker. The
domain's checks run as the user types (they are pure: no database), their reasons shown
under the field; the save goes through the step's service in a worker, against the row
version the case was read at. A failed save keeps every typed value; a version conflict is
shown, and Ctrl+R saves again over the current version once the user has seen it. The form
is dismissed with a StepResult once the step is saved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, SelectionList, Static
from textual.widgets.selection_list import Selection

from ..config import Settings
from ..domain import persuasion as P
from ..domain.codes import CODES
from ..domain.dates import school_year_cutoff
from ..domain.rules import F_CODE, F_EVIDENCE
from ..domain.terminal import terminal_safe
from ..services import persuasion, step_setup
from ..services.errors import ServiceError
from ..services.session import session
from ..services.step_setup import StepSetup
from ..services.types import Actor, Conflict
from ..widgets.form_evidence import EvidenceChecklist
from ..widgets.form_typeahead import Choice, TypeAhead
from ..widgets.key_bar import HELP_BINDING, KeyBar
from .form_base import FORM, MOVE_BINDINGS, FormMoves, field_row
from .form_drafts import FormDrafts
from .step_fields import ALL_FIELDS, SPECS, Built, build, hints, initial

LIVE_CHECK_DELAY = 0.3  # seconds after the last keystroke
SLOW_SAVE = 0.3  # seconds before "正在保存…" shows


def clock(today: date) -> datetime:
    """Now, to the minute, on the app's day (tests fix the app's day)."""
    return datetime.combine(today, datetime.now().time()).replace(second=0, microsecond=0)


@dataclass(frozen=True)
class StepResult:
    entry_id: int
    step: str
    version: int  # the row's version after the save, as the service returned it
    message: str  # 已保存：…


def state_line(c: persuasion.Case) -> str:
    """'当前：联合劝返 · 第2次联合劝返 期限 2026-12-05（已逾期）'."""
    s = c.state
    if s.due is None:
        return f"当前：{s.stage}" + (f" · {s.due_what}" if s.due_what else "")
    late = "（已逾期）" if s.overdue else ""
    return f"当前：{s.stage} · {s.due_what} 期限 {s.due:%Y-%m-%d}{late}"


class StepForm(FormMoves, FormDrafts, ModalScreen[StepResult | None]):
    CSS_PATH = "forms.tcss"
    HELP_TITLE = "劝返记录表单"
    FIELD_NAMES = ALL_FIELDS
    BINDINGS = [
        Binding("ctrl+s", "save", "保存", priority=True, id="step.save", group=FORM),
        HELP_BINDING,
        Binding("ctrl+r", "reapply", "按最新内容重新保存", priority=True, id="step.reapply", group=FORM),
    ] + MOVE_BINDINGS

    class RowsChanged(Message):
        """The row changed under the form (conflict): the screens below should reload it."""

        def __init__(self, entry_id: int) -> None:
            super().__init__()
            self.entry_id = entry_id

    def __init__(self, actor: Actor, setup: StepSetup, settings: Settings, *, today: date | None = None,
                 now: datetime | None = None) -> None:
        super().__init__()
        self.actor, self.setup, self.settings = actor, setup, settings
        self.step, self.case = setup.step, setup.case
        self.version = setup.case.version
        self.today = today or date.today()
        self.now = now or clock(self.today)
        self.cutoff = (settings.cutoff_month, settings.cutoff_day)
        self.school_cutoff = school_year_cutoff(self.today, *self.cutoff)
        self.specs = SPECS[self.step]
        self.conflict: Conflict | None = None
        self._touched: set[str] = set()
        self._submitted = self._saving = False
        self._timer = None
        self._init_drafts()

    # ---- building -------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        hint_for = hints(self.setup)
        with Vertical(id="form-box"):
            with Vertical(id="step-head"):
                yield Static(f"{P.STEPS[self.step]} · {terminal_safe(self.case.name)}", id="step-title",
                             markup=False)
                yield Static(state_line(self.case), id="form-state", markup=False)
            with VerticalScroll(id="form-fields"):
                for spec in self.specs:
                    hint = hint_for.get(spec.name, spec.hint)
                    yield from field_row(spec.name, spec.label, self._widget(spec), hint)
            with Vertical(id="form-foot"):
                yield Static("", id="form-problems", markup=False)
                yield Static("Tab 切换 · Enter 下一未填栏/保存 · 空格 勾选 · Ctrl+S 保存 · Esc 取消", id="form-keys")
        yield KeyBar()

    def _widget(self, spec):
        if spec.kind == "choice":
            pairs = ((s.name, s.name) for s in self.setup.schools) if spec.name == P.F_SCHOOL else spec.choices
            choices = [Choice(k, label) for k, label in pairs]
            return TypeAhead(choices, free_text=spec.free, show_all=spec.name != P.F_SCHOOL, limit=8, id=spec.name,
                             placeholder=spec.placeholder or "可从列表选择")
        if spec.kind == "units":
            return SelectionList[str](*[Selection(label, key) for key, label in P.UNITS.items()], id=spec.name)
        if spec.kind == "evidence":
            return EvidenceChecklist(id=spec.name)
        return Input(id=spec.name, placeholder=spec.placeholder)

    def on_mount(self) -> None:
        self._fill(initial(self.setup, self.now))
        self._initial = self._snapshot()
        self.restore_saved_draft()
        values = self.values()
        first = next((s.name for s in self.specs if not values.get(s.name)), self.specs[0].name)
        self.query_one(f"#{first}").focus()

    def _fill(self, values: dict[str, object]) -> None:
        for spec in self.specs:
            if spec.name not in values:
                continue
            v, w = values[spec.name], self.query_one(f"#{spec.name}")
            if isinstance(w, TypeAhead):
                w.set_value(str(v), str(v))
            elif isinstance(w, EvidenceChecklist):
                w.show_code(CODES.get(str(values.get(F_CODE) or self._get(F_CODE))))
                for key in v:
                    if key in {o.value for o in w.options}:
                        w.select(key)
            elif isinstance(w, SelectionList):
                w.deselect_all()
                for key in v:
                    w.select(key)
            else:
                w.value = str(v)
        if self.step == "returned" and F_EVIDENCE not in values and F_CODE in values:
            self.query_one(f"#{F_EVIDENCE}", EvidenceChecklist).show_code(CODES.get(str(values[F_CODE])))

    # ---- reading --------------------------------------------------------------------

    def _get(self, name: str) -> object:
        w = self.query_one(f"#{name}")
        if isinstance(w, TypeAhead):
            return w.value if w.value is not None and w.value != w.text else w.text
        if isinstance(w, SelectionList):
            return [o.value for o in w.options if o.value in w.selected]  # in list order
        return w.value

    def values(self) -> dict[str, object]:
        return {s.name: self._get(s.name) for s in self.specs}

    def _snapshot(self) -> tuple:
        return tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in self.values().items())

    def _built(self) -> Built:
        return build(self.setup, self.values(), self.today, self.cutoff, self.school_cutoff)

    def _draft_fields(self) -> dict[str, object]:
        return self.values()

    def _restore_draft(self, fields: dict[str, object]) -> None:
        self._fill({k: v for k, v in fields.items() if k in {s.name for s in self.specs}})

    # ---- typing ---------------------------------------------------------------------

    def live_delay(self) -> float:
        return LIVE_CHECK_DELAY  # read here, so tests can set the module's value

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        if event.input.id in ALL_FIELDS:
            self._changed(event.input.id)

    @on(TypeAhead.Changed)
    def _typeahead_changed(self, event: TypeAhead.Changed) -> None:
        name = event.typeahead.id or ""
        if name == F_CODE and self.query(f"#{F_EVIDENCE}"):
            self.query_one(f"#{F_EVIDENCE}", EvidenceChecklist).show_code(CODES.get(str(self._get(F_CODE))))
        self._changed(name, touch=event.typeahead.free_text)

    @on(SelectionList.SelectedChanged)
    def _list_changed(self, event: SelectionList.SelectedChanged) -> None:
        self._changed(event.selection_list.id or "")

    @on(TypeAhead.Picked)
    def _picked(self, event: TypeAhead.Picked) -> None:
        self._changed(event.typeahead.id or "")
        self._onward(event.typeahead.id or "")

    @on(Input.Submitted)
    def _submitted_input(self, event: Input.Submitted) -> None:
        """Enter goes on to the next field still empty; with none left, it saves."""
        if event.input.id in ALL_FIELDS:
            self._onward(event.input.id)

    def _onward(self, here: str) -> None:
        names = [s.name for s in self.specs]
        values = self.values()
        empty = [n for n in names[names.index(here) + 1:] if not values.get(n)]
        if empty:
            self.query_one(f"#{empty[0]}").focus()
            self.call_after_refresh(self._reveal_focus)
        else:
            self.action_save()

    def live_check(self) -> None:
        """Check the record as typed; reasons show under the fields already touched."""
        self._timer = None
        if self._saving or not self.is_attached:
            return
        self.keep_draft()
        self.show_field_errors(self._built().errors, None if self._submitted else self._touched)

    # ---- saving ---------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "reapply":
            return self.conflict is not None
        return True

    retry_hint = "已填写的内容都还在"

    def worker_failed(self, worker) -> None:
        if worker.group == "step-save":
            self._save_failed("未保存，请稍后再按 Ctrl+S 保存")

    def action_save(self) -> None:
        if self._saving:
            return
        self._submitted = True
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        built = self._built()
        self.show_field_errors(built.errors)
        if built.errors:
            self._problems("未保存：请按各栏下方的提示修改后再保存（Ctrl+S）。")
            self.focus_first_error(built.errors)
            return
        self._saving = True
        self._after(SLOW_SAVE, self._still_saving)
        self._save(self.version, built)

    @work(thread=True, exclusive=True, exit_on_error=False, group="step-save", description="保存劝返记录")
    def _save(self, version: int, built: Built) -> None:
        eid = self.case.entry_id
        try:
            with session():
                new = step_setup.record(self.actor, self.step, eid, version, built.record, built.classification,
                                        today=self.today, cutoff=self.cutoff, school_cutoff=self.school_cutoff)
                self.drop_draft_now()
        except persuasion.VersionConflict as e:
            self.app.call_from_thread(self._conflicted, e.conflict)
            return
        except ServiceError as e:
            text = str(e)
            self.app.call_from_thread(self._save_failed, text if text.startswith("未保存") else f"未保存：{text}")
            return
        self.app.call_from_thread(self._saved, new)

    def _still_saving(self) -> None:
        if self._saving:
            self._problems("正在保存…")

    def _save_failed(self, message: str) -> None:
        self._saving = False
        self._problems(message)

    def _saved(self, version: int) -> None:
        self._saving = False
        self.dismiss(StepResult(self.case.entry_id, self.step, version, step_setup.saved_text(self.step, self.case)))

    def _conflicted(self, conflict: Conflict) -> None:
        """Keep what was typed; tell the screens below to show the row as it is now."""
        self._saving = False
        self.conflict = conflict
        self._problems(f"未保存：{conflict.message}\n"
                       "确认仍按本表内容保存，请按 Ctrl+R 重新保存；或按 Esc 取消。")
        self.refresh_bindings()
        for screen in self.app.screen_stack[:-1]:
            screen.post_message(self.RowsChanged(self.case.entry_id))

    def action_reapply(self) -> None:
        if self.conflict is not None and not self._saving:
            self._fresh_version()

    @work(thread=True, exclusive=True, exit_on_error=False, group="step-save", description="读取记录的最新内容")
    def _fresh_version(self) -> None:
        with session():
            c = persuasion.case(self.actor, self.case.entry_id, today=self.today)
        self.app.call_from_thread(self._reapply, c.version)

    def _reapply(self, version: int) -> None:
        self.version, self.conflict = version, None
        self.refresh_bindings()
        self._problems("")
        self.action_save()
