"""Help (? or F1): every key of the screen underneath, grouped, with what it does.

Read from that screen's active bindings, so the list cannot drift from the keys. Keys of
Textual's own widgets (text-box editing and the like) are described in English there and
are left out; every key of ours has a Chinese description.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from ..widgets.key_bar import CJK, KeyBar, key_label

OTHER = "其他"
GENERAL = "通用"
MERGE_FROM = 4  # this many keys doing the same thing are shown as a range (0–9)


def help_groups(screen: Screen) -> dict[str, list[tuple[str, str]]]:
    """{group: [(keys, description)]} of the keys `screen` answers to now, in binding order."""
    app = screen.app
    groups: dict[str, dict[str, list[str]]] = {}
    for active in screen.active_bindings.values():
        binding = active.binding
        if not CJK.search(binding.description or ""):
            continue
        if binding.group is not None:
            group = binding.group.description
        else:
            group = GENERAL if active.node is app else OTHER
        keys = groups.setdefault(group, {}).setdefault(binding.description, [])
        key = key_label(binding)
        if key not in keys:
            keys.append(key)
    out = {}
    for group, rows in groups.items():
        out[group] = [(_keys(keys), description) for description, keys in rows.items()]
    # The app's own keys (help, quit, palette) last: they are the same on every screen.
    if GENERAL in out:
        out[GENERAL] = out.pop(GENERAL)
    return out


def _keys(keys: list[str]) -> str:
    if len(keys) >= MERGE_FROM:
        return f"{keys[0]}–{keys[-1]}"
    return " / ".join(keys)


def help_text(groups: dict[str, list[tuple[str, str]]]) -> str:
    lines = []
    for group, rows in groups.items():
        lines.append(f"[b]{escape(group)}[/b]")
        width = max(cell_len(k) for k, _ in rows) + 2
        lines += [f"  [b]{escape(k)}[/b]{' ' * (width - cell_len(k))}{escape(d)}" for k, d in rows]
        lines.append("")
    return "\n".join(lines).rstrip()


class HelpScreen(Screen):
    """Lists the keys of `of` (the screen the user was on)."""

    BINDINGS = [
        Binding("escape,q,f1,question_mark", "app.pop_screen", "返回", id="help.back"),
    ]

    def __init__(self, of: Screen) -> None:
        super().__init__()
        self.groups = help_groups(of)
        self.of_title = getattr(of, "HELP_TITLE", "")

    def compose(self) -> ComposeResult:
        yield Static(f"按键帮助{'：' + self.of_title if self.of_title else ''}（Esc 返回）", id="help-title")
        with VerticalScroll(id="help-body"):
            yield Static(help_text(self.groups), id="help-text")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()
