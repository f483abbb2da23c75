"""Send only the terminal lines that changed, whatever Textual repaints.

Textual repaints a whole screen when a screen is pushed or popped (a form, a dialog), when
the layout changes, or after a full refresh; each such repaint resends all 40 lines, though
a form covers only its box and most lines are byte for byte what the terminal already
shows. Over a 64 kbit/s link that is a second per repaint. Here a full repaint is compared
line by line with what was last sent on each line, and only what differs goes out: on a
changed line, from its first changed cell to its last.

Partial updates (Textual's own: only the spans of the widgets it repainted) are treated the
same way: the lines they leave are worked out and compared with what the terminal shows.
After a resize, a resume, or an update of a kind not followed here, nothing is assumed.
"""

from __future__ import annotations

from itertools import groupby

from rich.cells import cell_len
from rich.console import Console
from rich.segment import Segment
from textual._compositor import ChopsUpdate, CompositorUpdate, LayoutUpdate
from textual.strip import Strip


class ChangedLines(CompositorUpdate):
    """The changed parts of a repaint: (row, column, escape text) each."""

    def __init__(self, parts: list[tuple[int, int, str]]) -> None:
        self.lines = parts

    def render_segments(self, console: Console) -> str:
        return "".join(f"\x1b[{y + 1};{x + 1}H{text}" for y, x, text in self.lines)

    def __rich_console__(self, console, options):  # pragma: no cover - only render_segments is used
        yield from ()


class LineMemory:
    """What each terminal line shows, as the cells last sent for the whole line."""

    def __init__(self) -> None:
        self._shown: dict[int, list[tuple[str, object]]] = {}
        self._width = 0

    def forget(self) -> None:
        self._shown.clear()

    def changed(self, update, console: Console, width: int):
        """The part of `update` the terminal does not show yet, as an update to display."""
        if width != self._width:
            self._width = width
            self.forget()
        if isinstance(update, ChopsUpdate):
            lines = self._painted(update)
            if lines is None:  # a line not known whole: sent as Textual made it, then followed
                for y, line in self._painted(update, partly=True).items():
                    self._set(y, line)
                return update
        elif isinstance(update, LayoutUpdate) and update.region.x == 0 and update.region.width == width:
            lines = {y: _cells(line if isinstance(line, Strip) else [seg for strip in line for seg in strip])
                     for y, line in enumerate(update.strips, update.region.y)}
        else:
            self.forget()  # a kind of update not followed here: nothing is known any more
            return update
        parts = []
        for y, new in lines.items():
            old = self._shown.get(y)
            self._shown[y] = new
            if old != new:
                x, middle = _difference(old, new)
                parts.append((y, x, Strip(middle).render(console)))
        # Even with nothing to send: Textual then places the cursor (an input's) where it belongs.
        return ChangedLines(parts)

    def _set(self, y: int, line: list | None) -> None:
        if line is None:
            self._shown.pop(y, None)
        else:
            self._shown[y] = line

    def _painted(self, update: ChopsUpdate, partly: bool = False) -> dict | None:
        """The lines a partial update leaves on the terminal, painted as ChopsUpdate.render_segments
        paints them; None if one of them was not known whole (with ``partly``: that line is None)."""
        out: dict[int, list | None] = {}
        for y, x1, x2 in update.spans:
            line = out.get(y, self._shown.get(y))
            for end, (x, strip) in zip(update.chop_ends[y], update.chops[y].items()):
                if line is None:
                    break
                if strip is None or x > x2 or end <= x1:
                    continue
                stop = end if x2 > x >= x1 and end <= x2 else min(end, x2)
                whole = Strip(_segments(line))
                line = _cells(Strip.join([whole.crop(0, x), strip.crop(0, stop - x), whole.crop(stop, self._width)]))
            if line is None and not partly:
                return None
            out[y] = line
        return out


def _cells(segments) -> list[tuple[str, object]]:
    """A line as (character, style) pairs: the same cells compare equal however Textual split them."""
    return [(ch, seg.style) for seg in segments if not seg.control for ch in seg.text]


def _segments(cells: list[tuple[str, object]]) -> list[Segment]:
    return [Segment("".join(ch for ch, _ in run), style) for style, run in
            ((style, list(run)) for style, run in groupby(cells, key=lambda c: c[1]))]


def _difference(old: list | None, new: list) -> tuple[int, list[Segment]]:
    """Where on the line `new` starts to differ from `old`, and the segments from there up to
    the unchanged tail. Both lines are the screen's width, so an unchanged tail is also at
    the same columns."""
    if not old:
        return 0, _segments(new)
    start, stop = 0, min(len(old), len(new))
    while start < stop and old[start] == new[start]:
        start += 1
    end_old, end_new = len(old), len(new)
    while end_old > start and end_new > start and old[end_old - 1] == new[end_new - 1]:
        end_old, end_new = end_old - 1, end_new - 1
    return cell_len("".join(ch for ch, _ in new[:start])), _segments(new[start:end_new])
