"""A one-line footer listing the screen's keys, drawn from its Bindings.

Textual's Footer re-mounts one widget per key whenever the bindings change, and every
re-mount repaints the whole screen; over a slow link that is several kilobytes each time.
This bar is one line of text and repaints only when the text really changes.
"""

from __future__ import annotations

from rich.markup import escape
from textual.widgets import Static


class KeyBar(Static):
    DEFAULT_CSS = """
    KeyBar { height: 1; width: 1fr; dock: bottom; }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def keys_text(self) -> str:
        seen: set[str] = set()
        parts = []
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if not binding.show or not binding.description or binding.action in seen:
                continue
            seen.add(binding.action)
            keys = escape(self.app.get_key_display(binding))
            parts.append(f"[b]{keys}[/b] {escape(binding.description)}")
        return "  ".join(parts)

    def _bindings_changed(self, _screen) -> None:
        text = self.keys_text()
        if text != getattr(self, "_shown", None):
            self._shown = text
            self.update(text, layout=False)
