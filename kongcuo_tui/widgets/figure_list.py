"""A list of one-line figures with a cursor, cheap over a slow link.

A Line-API ScrollView like the ledger table: moving the cursor repaints the two lines
involved, changing one line repaints that line (Textual's OptionList repaints the whole
list for either). Headings are lines the cursor skips; Enter on a figure posts Selected.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip


@dataclass(frozen=True)
class Line:
    text: str
    key: str | None = None  # what Selected names; None: a heading or a line not to open
    heading: bool = False


class FigureList(ScrollView, can_focus=True):
    COMPONENT_CLASSES = {"figure-list--heading", "figure-list--cursor", "figure-list--off"}
    DEFAULT_CSS = """
    /* No scrollbar (as the ledger table): drawing one costs a column of updates per paint. */
    FigureList { height: 1fr; overflow: scroll scroll; scrollbar-size: 0 0; }
    FigureList > .figure-list--heading { text-style: bold; }
    FigureList > .figure-list--cursor { text-style: reverse; }
    FigureList > .figure-list--off { color: $text-muted; }
    """
    BINDINGS = [
        Binding("enter", "select", "查看这些记录", id="figures.open"),
        *(Binding(key, action, text, show=False, id=f"figures.{name}", group=Binding.Group("移动"))
          for key, action, text, name in (
              ("up", "move(-1)", "上一行", "up"), ("down", "move(1)", "下一行", "down"),
              ("pageup", "page(-1)", "上一页", "page_up"), ("pagedown", "page(1)", "下一页", "page_down"),
              ("home", "jump(0)", "第一行", "home"), ("end", "jump(-1)", "最后一行", "end"))),
    ]

    class Selected(Message):
        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lines: list[Line] = []
        self.cursor: int | None = None

    def set_lines(self, lines: list[Line]) -> None:
        self.lines = list(lines)
        self.virtual_size = Size(self.size.width, len(self.lines))
        self.cursor = next((i for i, line in enumerate(self.lines) if line.key), None)
        self.refresh()

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.lines))

    def replace_line(self, index: int, line: Line) -> None:
        """Change one line; only that line is repainted."""
        self.lines[index] = line
        if self.cursor is None and line.key:
            self.cursor = index
        self.refresh_line(index)

    def index_of(self, key: str) -> int:
        return next(i for i, line in enumerate(self.lines) if line.key == key)

    # -- drawing ---------------------------------------------------------------------------

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"figure-list--{name}")

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if index >= len(self.lines):
            return Strip.blank(width, base)
        line = self.lines[index]
        style = base
        if line.heading:
            style += self._style("heading")
        elif not line.key:
            style += self._style("off")
        if index == self.cursor:
            style += self._style("cursor")
        return Strip([Segment(line.text, style)]).crop_extend(0, width, style)

    # -- moving ----------------------------------------------------------------------------

    def _selectable(self, start: int, step: int) -> int | None:
        i = start
        while 0 <= i < len(self.lines):
            if self.lines[i].key:
                return i
            i += step
        return None

    def _go(self, index: int | None) -> None:
        if index is None or index == self.cursor:
            return
        old, self.cursor = self.cursor, index
        if old is not None:
            self.refresh_line(old)
        self.refresh_line(index)
        top, height = self.scroll_offset.y, self.scrollable_content_region.height
        if not top <= index < top + height:
            self.scroll_to_region(Region(0, index, 1, 1), animate=False)

    def action_move(self, step: int) -> None:
        if self.cursor is not None:
            self._go(self._selectable(self.cursor + step, step))

    def action_page(self, direction: int) -> None:
        if self.cursor is not None:
            page = max(1, self.scrollable_content_region.height - 1)
            target = min(max(self.cursor + direction * page, 0), len(self.lines) - 1)
            self._go(self._selectable(target, direction) or self._selectable(target, -direction))

    def action_jump(self, where: int) -> None:
        self._go(self._selectable(0, 1) if where == 0 else self._selectable(len(self.lines) - 1, -1))

    def action_select(self) -> None:
        if self.cursor is not None and self.lines[self.cursor].key:
            self.post_message(self.Selected(self.lines[self.cursor].key))
