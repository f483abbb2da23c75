"""Send only the terminal lines that changed, whatever Textual repaints.

Textual repaints a whole screen when a screen is pushed or popped (a form, a dialog), when
the layout changes, or after a full refresh; each such repaint resends all 40 lines, though
a form covers only its box and most lines are byte for byte what the terminal already
shows. Over a 64 kbit/s link that is a second per repaint. Here a full repaint is compared
line by line with what was last sent on each line, and only the lines that differ go out.

A line last touched by a partial update (only its changed spans were sent) is not known
as a whole, so it is sent again at the next full repaint; after a resize nothing is
assumed about the terminal at all.
"""

from __future__ import annotations

from rich.console import Console
from textual._compositor import CompositorUpdate, LayoutUpdate
from textual.strip import Strip


class ChangedLines(CompositorUpdate):
    """The changed lines of a full repaint, each drawn at its row."""

    def __init__(self, lines: list[tuple[int, str]], x: int) -> None:
        self.lines, self.x = lines, x

    def render_segments(self, console: Console) -> str:
        return "".join(f"\x1b[{y + 1};{self.x + 1}H{text}" for y, text in self.lines)

    def __rich_console__(self, console, options):  # pragma: no cover - only render_segments is used
        yield from ()


class LineMemory:
    """What each terminal line shows, as the text last sent for the whole line."""

    def __init__(self) -> None:
        self._shown: dict[int, str] = {}
        self._width = 0

    def forget(self) -> None:
        self._shown.clear()

    def changed(self, update, console: Console, width: int):
        """The part of `update` the terminal does not show yet, as an update to display."""
        if width != self._width:
            self._width = width
            self.forget()
        if not isinstance(update, LayoutUpdate) or update.region.x != 0 or update.region.width != width:
            # A partial update: its lines are no longer known whole (nor any line, for a kind not known here).
            rows = _rows(update)
            if rows is None:
                self.forget()
            for y in rows or ():
                self._shown.pop(y, None)
            return update
        lines = []
        for y, line in enumerate(update.strips, update.region.y):
            text = "".join(strip.render(console) for strip in line) if not isinstance(line, Strip) else \
                line.render(console)
            if self._shown.get(y) != text:
                self._shown[y] = text
                lines.append((y, text))
        # Even with no line to send: Textual then places the cursor (an input's) where it belongs.
        return ChangedLines(lines, update.region.x)


def _rows(update) -> range | list[int] | None:
    region = getattr(update, "region", None)
    if region is not None:
        return range(region.y, region.y + region.height)
    spans = getattr(update, "spans", None)
    if spans is not None:
        return sorted({y for y, _, _ in spans})
    return None
