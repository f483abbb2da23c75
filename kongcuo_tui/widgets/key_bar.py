"""A one-line footer listing the screen's keys, drawn from its Bindings.

Textual's Footer re-mounts one widget per key whenever the bindings change, and every
re-mount repaints the whole screen; over a slow link that is several kilobytes each time.
This bar is one line of text and repaints only when the text really changes.

The help key always comes first, so a narrow terminal that cannot show every key still
shows where the full list is; then the keys a screen names in `KEY_BAR_FIRST` (binding
ids), then the rest in binding order. Keys that do not fit are left out whole, not cut
mid-word. Keys of Textual's own widgets, described in English ("Dismiss menu"), are left
out as in help: every key of ours has a Chinese description.
"""

from __future__ import annotations

import re

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Input

HELP_ID = "app.help"
# Keys of Textual's own widgets are described in English ("Dismiss menu"); every key of
# ours has a Chinese description, so only those are shown.
CJK = re.compile(r"[\u4e00-\u9fff]")
MORE = " …"
# Modal screens do not pass keys on to the app, so each one lists this binding itself.
HELP_BINDING = Binding("f1,question_mark", "app.help", "帮助", id=HELP_ID,
                       tooltip="列出本页全部按键及其作用", group=Binding.Group("通用"))
KEY_NAMES = {
    "escape": "Esc", "enter": "Enter", "tab": "Tab", "space": "空格", "question_mark": "?",
    "slash": "/", "pageup": "PgUp", "pagedown": "PgDn", "home": "Home", "end": "End",
    "up": "↑", "down": "↓", "left": "←", "right": "→", "backspace": "Backspace", "delete": "Del",
}


def key_label(binding: Binding) -> str:
    """How a registrar reads the key: Ctrl+S, Shift+Tab, Esc, F1 (not Textual's ^s)."""
    if binding.key_display:
        return binding.key_display
    *modifiers, name = binding.key.split("+")
    if name in KEY_NAMES:
        name = KEY_NAMES[name]
    elif modifiers or (name[:1] == "f" and name[1:].isdigit()):
        name = name.upper()  # Ctrl+S, F1; a plain letter stays as typed
    return "+".join([m.capitalize() for m in modifiers] + [name])


class KeyBar(Widget):
    DEFAULT_CSS = """
    KeyBar { height: 1; width: 1fr; dock: bottom; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._items: list[tuple[str, str]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def items(self) -> list[tuple[str, str]]:
        """(key, description) of every shown binding, the help key first."""
        seen: set[str] = set()
        first: list[tuple[str, str]] = []
        rest: list[tuple[str | None, str, str]] = []
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if not binding.show or not CJK.search(binding.description or "") or binding.action in seen:
                continue
            seen.add(binding.action)
            if binding.id == HELP_ID:
                # "?" would be typed into a text box; F1 works everywhere.
                typing = isinstance(self.screen.focused, Input)
                first.append(("F1" if typing else "?", binding.description))
            else:
                rest.append((binding.id, key_label(binding), binding.description))
        early = getattr(self.screen, "KEY_BAR_FIRST", ())
        rest.sort(key=lambda item: early.index(item[0]) if item[0] in early else len(early))
        return first + [(key, description) for _, key, description in rest]

    def _bindings_changed(self, _screen) -> None:
        items = self.items()
        if items != self._items:
            self._items = items
            self.refresh()

    def render(self) -> Text:
        width = self.size.width
        text = Text(no_wrap=True, overflow="crop")
        for i, (key, description) in enumerate(self._items):
            part = ("  " if i else "") + f"{key} {description}"
            if cell_len(text.plain) + cell_len(part) > width - (cell_len(MORE) if i + 1 < len(self._items) else 0):
                text.append(MORE)
                break
            if i:
                text.append("  ")
            text.append(key, style="bold")
            text.append(f" {description}")
        return text
