"""Send only the terminal lines that changed, whatever Textual repaints.

Textual repaints a whole screen when a screen is pushed or popped (a form, a dialog), when
the layout changes, or after a full refresh; each such repaint resends all 40 lines, though
a form covers only its box and most lines are byte for byte what the terminal already
shows. Over a 64 kbit/s link that is a second per repaint. Here a full repaint is compared
line by line with what was last sent on each line, and only what differs goes out.

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
    """What each terminal line shows, as the segments last sent for the whole line."""

    def __init__(self) -> None:
        self._shown: dict[int, list[Segment]] = {}
        self._columns: dict[int, list] = {}  # the same lines as _Looks.columns sees them
        self._width = 0
        self._system: ColorSystem | None = None

    def forget(self) -> None:
        self._shown.clear()
        self._columns.clear()

    def changed(self, update, console: Console, width: int):
        """The part of `update` the terminal does not show yet, as an update to display."""
        system = console._color_system or ColorSystem.TRUECOLOR  # as Strip.render chooses
        if width != self._width or system != self._system:
            self._width, self._system = width, system
            self.forget()
        if isinstance(update, ChopsUpdate):
            lines = self._painted(update)
            if lines is None:  # a line not known whole: sent as Textual made it, then followed
                for y, line in self._painted(update, partly=True).items():
                    self._set(y, line)
                return update
        elif isinstance(update, LayoutUpdate) and update.region.x == 0 and update.region.width == width:
            lines = {y: _plain(line if isinstance(line, Strip) else [seg for strip in line for seg in strip])
                     for y, line in enumerate(update.strips, update.region.y)}
        else:
            self.forget()  # a kind of update not followed here: nothing is known any more
            return update
        looks = _Looks(system)
        parts = []
        for y, new in lines.items():
            old = self._shown.get(y)
            self._shown[y] = new
            if new == old:  # the same segments (the common case, and a cheap test)
                continue
            was = self._columns.get(y)
            if was is None and old is not None:
                was = looks.columns(old)
            now = self._columns[y] = looks.columns(new)
            for x, cells, end in _changed_runs(was, _cells(new), now):
                parts.append((y, x, _render(cells, looks, end == width)))
        # Even with nothing to send: Textual then places the cursor (an input's) where it belongs.
        return ChangedLines(parts)

    def _set(self, y: int, line: list | None) -> None:
        self._columns.pop(y, None)
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
                whole = Strip(line)
                line = _plain(Strip.join([whole.crop(0, x), strip.crop(0, stop - x), whole.crop(stop, self._width)]))
            if line is None and not partly:
                return None
            out[y] = line
        return out


def _plain(segments) -> list[Segment]:
    """A line's segments without control codes: what it shows."""
    return [seg for seg in segments if not seg.control]


def _cells(segments) -> list[tuple[str, object]]:
    """A line as (character, style) pairs, however Textual split it into segments."""
    return [(ch, seg.style) for seg in segments for ch in seg.text]


@lru_cache(maxsize=16384)
def _sgr(style: Style | None, system: ColorSystem) -> str:
    """The SGR parameters that draw `style` after a reset: no meta, no default colours."""
    if style is None:
        return ""

    def real(color):
        return None if color is None or color.is_default else color

    bare = Style(color=real(style.color), bgcolor=real(style.bgcolor), **{a: getattr(style, a) for a in _ATTRIBUTES})
    return Strip.render_ansi(bare, system)


class _Looks:
    """How cells look on the terminal, worked out once per style object of a repaint."""

    def __init__(self, system: ColorSystem) -> None:
        self.system = system
        self._known: dict[int, tuple] = {}  # id(style) -> (style, looks): the style kept, so ids stay unique

    def of(self, style: Style | None) -> tuple[str, str, str | None]:
        """(SGR of a character, SGR of a blank, hyperlink). A blank shows only its background,
        unless it is reversed or lined."""
        known = self._known.get(id(style))
        if known is None:
            system = self.system
            if style is None:
                looks = ("", "", None)
            else:
                drawn = _sgr(style, system)
                lined = any(getattr(style, a) for a in _SHOWN_ON_A_BLANK)
                looks = (drawn, drawn if lined else _sgr(Style(bgcolor=style.bgcolor), system), style.link)
            known = self._known[id(style)] = (style, looks)
        return known[1]

    def columns(self, segments) -> list:
        """What each column shows: (character, SGR, link) where a cell starts, None where a
        wide character goes on."""
        out: list = []
        for text, style, _ in segments:
            drawn, blank, link = self.of(style)
            if text.isascii():
                out += [(ch, blank if ch == " " else drawn, link) for ch in text]
                continue
            for ch in text:
                out.append((ch, blank if ch == " " else drawn, link))
                if ch > "\u10ff" and cell_len(ch) == 2:  # no wide character comes before U+1100
                    out.append(None)
        return out


def _changed_runs(was: list | None, new: list, now: list) -> list[tuple[int, list, int]]:
    """The runs of the cells `new` (whose columns are `now`) that the terminal, showing the
    columns `was`, does not show yet: (first column, cells, column after). A cell equal to the
    one starting at its column covers the same columns. Unchanged stretches of up to JUMP_COST
    bytes stay inside a run."""
    if now == was:
        return []
    if not was:
        return [(0, new, len(now))]
    if len(was) < len(now):
        was = was + [()] * (len(now) - len(was))
    runs: list[tuple[int, list, int]] = []
    run: list = []
    kept: list = []  # unchanged cells after the current run, not yet known to be jumped over
    kept_bytes = run_at = run_end = 0
    cells = iter(new)
    for column, look in enumerate(now):
        if look is None:
            continue  # the second column of a wide character
        cell = next(cells)
        if was[column] == look:
            if run:
                kept.append(cell)
                kept_bytes += 1 if cell[0] < "\x80" else len(cell[0].encode())
            continue
        if run and kept_bytes > JUMP_COST:
            runs.append((run_at, run, run_end))
            run = []
        if not run:
            run_at, kept = column, []
        run += kept + [cell]
        kept, kept_bytes = [], 0
        run_end = column + (2 if column + 1 < len(now) and now[column + 1] is None else 1)
    if run:
        runs.append((run_at, run, run_end))
    return runs


def _render(cells: list, looks: _Looks, to_line_end: bool) -> str:
    """Terminal text for `cells`, from and back to the reset state Textual leaves between writes."""
    erase = False
    if to_line_end:
        blanks = 0
        for ch, style in reversed(cells):
            if ch != " " or looks.of(style)[1:] != ("", None):
                break
            blanks += 1
        if blanks > len(ERASE_TO_END):
            cells, erase = cells[:len(cells) - blanks], True
    out, on = [], ""
    for (sgr, _, link), run in groupby(cells, key=lambda c: looks.of(c[1])):
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
