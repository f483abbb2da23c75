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

Cells are compared as the terminal shows them, not as Textual describes them: the mouse
offsets Textual keeps in a style (meta) and default colours draw nothing, and a blank shows
only its background, so a ledger line composited under a form is not "changed" by them. On
a changed line only the changed runs are sent (an unchanged stretch longer than a cursor
move is jumped over), each run sets its colours once after a reset rather than per segment,
and blanks up to the line's end become one erase-to-end-of-line.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import groupby

from rich.cells import cell_len
from rich.color import ColorSystem
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual._compositor import ChopsUpdate, CompositorUpdate, LayoutUpdate
from textual.strip import Strip

# Bytes of unchanged text worth re-sending rather than jumping over with a cursor move
# ("\x1b[38;60H" is 9 bytes, and the next run sets its colours again).
JUMP_COST = 12
ERASE_TO_END = "\x1b[K"  # blanks in the terminal's default colours up to the line's end
_ATTRIBUTES = ("bold", "dim", "italic", "underline", "blink", "blink2", "reverse", "conceal",
               "strike", "underline2", "frame", "encircle", "overline")
_SHOWN_ON_A_BLANK = ("reverse", "underline", "underline2", "strike", "overline", "frame", "encircle")


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
        system = console._color_system or ColorSystem.TRUECOLOR  # as Strip.render chooses
        parts = []
        for y, new in lines.items():
            old = self._shown.get(y)
            self._shown[y] = new
            if old != new:
                runs = _changed_runs(old, new, system)
                parts += [(y, x, _render(cells, system, x + _width(cells) == width)) for x, cells in runs]
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


def _width(cells) -> int:
    return sum(cell_len(ch) for ch, _ in cells)


@lru_cache(maxsize=16384)
def _sgr(style: Style | None, system: ColorSystem) -> str:
    """The SGR parameters that draw `style` after a reset: no meta, no default colours."""
    if style is None:
        return ""

    def real(color):
        return None if color is None or color.is_default else color

    bare = Style(color=real(style.color), bgcolor=real(style.bgcolor), **{a: getattr(style, a) for a in _ATTRIBUTES})
    return Strip.render_ansi(bare, system)


@lru_cache(maxsize=16384)
def _blank_sgr(style: Style | None, system: ColorSystem) -> str:
    """What a blank cell in `style` shows: its background, unless it is reversed or lined."""
    if style is None or any(getattr(style, a) for a in _SHOWN_ON_A_BLANK):
        return _sgr(style, system)
    return _sgr(Style(bgcolor=style.bgcolor), system)


def _look(cell: tuple[str, object], system: ColorSystem) -> tuple:
    ch, style = cell
    link = style.link if style is not None else None
    return ch, (_blank_sgr if ch == " " else _sgr)(style, system), link


def _changed_runs(old: list | None, new: list, system: ColorSystem) -> list[tuple[int, list]]:
    """The runs of `new` that the terminal, showing `old`, does not show yet: (column, cells).

    Cells are compared at the same column (a cell equal to the old one there covers the same
    columns). Unchanged stretches shorter than JUMP_COST bytes stay inside a run."""
    if not old:
        return [(0, new)]
    was, column = {}, 0
    for cell in old:
        was[column] = _look(cell, system)
        column += cell_len(cell[0])
    runs: list[tuple[int, list]] = []
    run: list = []
    kept: list = []  # unchanged cells after the current run, not yet known to be jumped over
    run_at = column = 0
    for cell in new:
        if was.get(column) == _look(cell, system):
            if run:
                kept.append(cell)
        else:
            if run and sum(len(ch.encode()) for ch, _ in kept) > JUMP_COST:
                runs.append((run_at, run))
                run = []
            if not run:
                run_at, kept = column, []
            run += kept + [cell]
            kept = []
        column += cell_len(cell[0])
    if run:
        runs.append((run_at, run))
    return runs


def _render(cells: list, system: ColorSystem, to_line_end: bool) -> str:
    """Terminal text for `cells`, from and back to the reset state Textual leaves between writes."""
    erase = False
    if to_line_end:
        blanks = 0
        for ch, style in reversed(cells):
            if ch != " " or _blank_sgr(style, system) or (style is not None and style.link):
                break
            blanks += 1
        if blanks > len(ERASE_TO_END):
            cells, erase = cells[:len(cells) - blanks], True
    out, on = [], ""
    for (sgr, link), run in groupby(cells, key=lambda c: (_sgr(c[1], system), c[1].link if c[1] else None)):
        text = "".join(ch for ch, _ in run)
        if sgr != on:
            out.append(f"\x1b[0;{sgr}m" if sgr and on else f"\x1b[{sgr}m" if sgr else "\x1b[0m")
            on = sgr
        out.append(f"\x1b]8;;{link}\x1b\\{text}\x1b]8;;\x1b\\" if link else text)
    if on:
        out.append("\x1b[0m")
    if erase:
        out.append(ERASE_TO_END)
    return "".join(out)

