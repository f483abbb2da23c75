"""What every form shares: its field rows, Tab between fields, the focused field kept in view,
a reason box, and Esc / Ctrl+Q that ask before typed input is lost.

Mixed into a form screen (the classification form, the persuasion step forms) with
`FIELD_NAMES` (its fields' ids, top to bottom), `_snapshot()` and `_initial` (what the
fields held when the form opened), `_touched`, `_timer`, `live_check()`, `live_delay()` and
a `#form-problems` Static.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, Static

from ..widgets.form_typeahead import TypeAhead
from .form_dialogs import Confirm

FORM = Binding.Group("表单")
MOVE = Binding.Group("在栏目间移动（列表中 ↑↓ 移动、Enter 选定，清单中空格勾选）")
MOVE_BINDINGS = [
    Binding("escape", "cancel", "取消", priority=True, id="form.cancel", group=FORM),
    Binding("ctrl+q", "quit", "退出", priority=True, id="form.quit", group=FORM, show=False),
    Binding("tab", "move(1)", "下一栏", show=False, priority=True, id="form.next", group=MOVE),
    Binding("shift+tab", "move(-1)", "上一栏", show=False, priority=True, id="form.previous", group=MOVE),
]


def field_row(name: str, label: str, widget, hint: str = "") -> ComposeResult:
    """One labelled field: the widget, a hint under it, and its reason (hidden while empty)."""
    with Horizontal(classes="field", id=f"field-{name}"):
        yield Label(label, classes="field-label")
        with Vertical(classes="field-body"):
            yield widget
            if hint:
                yield Static(hint, classes="field-hint", id=f"hint-{name}", markup=False)
            yield Static("", classes="field-error", id=f"err-{name}", markup=False)


class FormMoves:
    FIELD_NAMES: tuple[str, ...] = ()
    _initial: tuple = ()

    def _snapshot(self) -> tuple:  # pragma: no cover - each form implements it
        raise NotImplementedError

    def _field_widgets(self) -> list:
        """The focusable, displayed form fields, top to bottom (never the scroll box or key bar)."""
        def name(w) -> str | None:
            return w.parent.id if isinstance(w.parent, TypeAhead) else w.id

        return [w for w in self.focus_chain if name(w) in self.FIELD_NAMES]

    def action_move(self, step: int) -> None:
        fields = self._field_widgets()
        if not fields:
            return
        here = self.focused
        i = fields.index(here) if here in fields else (-1 if step > 0 else 0)
        fields[(i + step) % len(fields)].focus()
        self.call_after_refresh(self._reveal_focus)

    def on_descendant_focus(self, event) -> None:
        # A list that opens on focus (TypeAhead) makes its field taller only now, after the
        # move: keep the whole of it in view once that layout is done.
        self.call_after_refresh(self._reveal_focus)

    def _reveal_focus(self) -> None:
        # Reasons appearing above the field push it down, one appearing under it may fall
        # below the edge: keep the whole field (input and reason) where the user types.
        if self.focused is None or not self.is_attached:
            return
        field = next((a for a in self.focused.ancestors if a.has_class("field")), self.focused)
        field.scroll_visible(animate=False)

    def live_delay(self) -> float:  # pragma: no cover - each form implements it
        raise NotImplementedError

    def _changed(self, name: str, touch: bool = True) -> None:
        """A field changed: (re)start the pause after which `live_check` runs."""
        if touch:
            self._touched.add(name)
        if self._timer is not None:
            self._timer.stop()
        self._timer = self._after(self.live_delay(), self.live_check)

    def _after(self, delay: float, callback):
        """A timer, or the next turn of the event loop when the delay is 0 (as in tests)."""
        if delay:
            return self.set_timer(delay, callback)
        self.call_later(callback)
        return None

    def _problems(self, text: str) -> None:
        box = self.query_one("#form-problems", Static)
        box.update(text)
        box.display = bool(text)

    def show_field_errors(self, errors: dict[str, str], shown: set[str] | None = None) -> None:
        """Each field's reason under it; with `shown`, only for those fields (the touched ones)."""
        for name in self.FIELD_NAMES:
            if not self.query(f"#err-{name}"):
                continue
            text = errors.get(name, "") if shown is None or name in shown else ""
            box = self.query_one(f"#err-{name}", Static)
            box.update(text)
            box.display = bool(text)
        self.call_after_refresh(self._reveal_focus)

    def focus_first_error(self, errors: dict[str, str]) -> None:
        for name in self.FIELD_NAMES:
            if errors.get(name) and self.query(f"#{name}"):
                widget = self.query_one(f"#{name}")
                if widget.display and widget.parent.display:
                    widget.focus()
                return

    def action_cancel(self) -> None:
        focused = self.focused
        box = focused.parent if focused is not None else None
        # Esc first closes suggestions the user is typing against; a list that opens by
        # itself on focus does not hold Esc back.
        if isinstance(box, TypeAhead) and box.value is None and box.text and box.close_list():
            return
        self._leave(lambda: self.dismiss(None), "放弃并关闭")

    def action_quit(self) -> None:
        self._leave(self.app.exit, "放弃并退出")

    def _leave(self, then, yes: str) -> None:
        """Run `then` (and drop the draft), after asking when something was typed."""
        if self._snapshot() == self._initial:
            self.drop_draft_then(then)
            return
        self.app.push_screen(
            Confirm("放弃已填写的内容？", ["本次填写的内容尚未保存，关闭后将丢失。"], yes=yes, no="继续填写"),
            lambda answer: self.drop_draft_then(then) if answer else None,
        )
