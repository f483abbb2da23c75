"""A text field with a filtered suggestion list: type, Up/Down to move, Enter to pick.

Used for 核查结果, 就读省县 and 就读学校. The list is not focusable, so Tab and Shift+Tab
move between form fields as usual; the Input keeps the focus the whole time.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option


@dataclass(frozen=True)
class Choice:
    key: str  # what the form stores (a code, a region code, a school name)
    label: str  # what the user sees and types against


def rank(choices: list[Choice], text: str, limit: int) -> list[Choice]:
    """Choices matching every space-separated term of `text`; key or label prefix first."""
    terms = text.strip().lower().split()
    if not terms:
        return choices[:limit]
    first, rest = [], []
    for c in choices:
        hay = f"{c.key} {c.label}".lower()
        if all(t in hay for t in terms):
            starts = c.key.lower().startswith(terms[0]) or c.label.lower().startswith(terms[0])
            (first if starts else rest).append(c)
            if len(first) >= limit:
                break
    return (first + rest)[:limit]


class TypeAhead(Vertical):
    """`value` is the picked choice's key (None while nothing matches exactly).

    With `free_text=True` the typed text itself is an acceptable answer (`text`).
    """

    DEFAULT_CSS = """
    TypeAhead { height: auto; }
    TypeAhead > Input { width: 1fr; }
    TypeAhead > OptionList { height: auto; max-height: 8; display: none; border: none; padding: 0 1; }
    TypeAhead.-open > OptionList { display: block; }
    """
    BINDINGS = [
        Binding("down", "move(1)", "下一项", show=False),
        Binding("up", "move(-1)", "上一项", show=False),
    ]

    class _Event(Message):
        def __init__(self, typeahead: "TypeAhead") -> None:
            super().__init__()
            self.typeahead = typeahead

        @property
        def control(self) -> "TypeAhead":
            return self.typeahead

    class Picked(_Event):
        """The user pressed Enter: a choice was taken (or free text confirmed)."""

    class Changed(_Event):
        """The text or the highlighted choice changed."""

    def __init__(self, choices: list[Choice], *, free_text: bool = False, show_all: bool = False,
                 placeholder: str = "", limit: int = 8, id: str | None = None) -> None:
        super().__init__(id=id)
        self.choices = list(choices)
        self.free_text = free_text
        self.show_all = show_all  # open the full list on focus (short lists such as codes)
        self.placeholder = placeholder
        self.limit = limit
        self.value: str | None = None
        self._shown: list[Choice] = []

    def compose(self) -> ComposeResult:
        yield Input(placeholder=self.placeholder)
        olist = OptionList()
        olist.can_focus = False
        yield olist

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    @property
    def text(self) -> str:
        return self.input.value.strip()

    @property
    def is_open(self) -> bool:
        return self.has_class("-open")

    def set_choices(self, choices: list[Choice]) -> None:
        self.choices = list(choices)
        self.value = self._exact(self.input.value)

    def set_value(self, key: str | None, text: str | None = None) -> None:
        """Show `key`'s label (or `text`) without opening the list."""
        found = next((c for c in self.choices if c.key == key), None)
        shown = found.label if found else (text if text is not None else key or "")
        with self.input.prevent(Input.Changed):
            self.input.value = shown
        self.value = found.key if found else None
        self._close()

    def focus(self, scroll_visible: bool = True):
        self.input.focus(scroll_visible)
        return self

    def _exact(self, text: str) -> str | None:
        t = text.strip().lower()
        for c in self.choices:
            if t and (t == c.key.lower() or t == c.label.lower()):
                return c.key
        return None

    def _refresh_list(self) -> None:
        self._shown = rank(self.choices, self.input.value, self.limit)
        olist = self.query_one(OptionList)
        olist.set_options([Option(c.label, id=str(i)) for i, c in enumerate(self._shown)])
        if self._shown:
            olist.highlighted = 0
        self.set_class(bool(self._shown) and (bool(self.text) or self.show_all), "-open")

    def _close(self) -> None:
        self.remove_class("-open")

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.value = self._exact(event.value)
        if self.input.has_focus:
            self._refresh_list()
        self.post_message(self.Changed(self))

    def on_descendant_focus(self) -> None:
        if self.show_all and self.value is None:
            self._refresh_list()

    def on_descendant_blur(self) -> None:
        self._close()

    def action_move(self, step: int) -> None:
        if not self.is_open:
            self._refresh_list()
            self.add_class("-open") if self._shown else None
            return
        olist = self.query_one(OptionList)
        olist.action_cursor_down() if step > 0 else olist.action_cursor_up()

    def close_list(self) -> bool:
        """Close the suggestions; False when they were not open (Esc then means cancel)."""
        was = self.is_open
        self._close()
        return was

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.is_open and self._shown:
            index = self.query_one(OptionList).highlighted or 0
            self.set_value(self._shown[index].key)
            self.post_message(self.Changed(self))
        self.post_message(self.Picked(self))
