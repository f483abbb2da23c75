"""The paged ledger table: a Line-API ScrollView that never holds the whole ledger.

Modelled on Textualize/toolong's LogLines: `virtual_size` is the row count, `render_line`
draws one row from a small LRU of pages, and missing pages are fetched by a thread worker.
Line 0 is a sticky column header. Moving the cursor repaints only the two rows involved,
which is what keeps a cursor move to a few hundred bytes over SSH.

Left and right move the columns right of the frozen key columns by one whole column; the
widget itself never scrolls sideways, so header and rows are always drawn from the same
columns at the same offsets.
"""

from __future__ import annotations

from functools import partial

from rich.segment import Segment
from rich.style import Style
from textual import work
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ..domain.review import ReviewState
from ..services import ledger
from ..services.session import Cancel, Cancelled, session
from ..services.types import Actor, EntryRow, LedgerQuery
from .ledger_columns import Column, KEY_COLUMNS, header_text, row_text, scrolling_columns, total_width, window
from .page_cache import PageCache
from .worker_failures import ReportsWorkerFailures

MARK_WIDTH = 2  # "*" when marked ("?" when flagged 需复核); "!" when the ID failed its check, "v" when verified
FLAGGED = ReviewState.FLAGGED.value
MORE_LEFT, MORE_RIGHT = "<", ">"  # header hints; ASCII, as arrows are ambiguous-width
LOADING = "正在加载…"
SLOW_ANSWER = 0.3  # seconds before "正在加载…" replaces the rows still on screen


class LedgerTable(ReportsWorkerFailures, ScrollView, can_focus=True):
    """Rows of one ledger query; the screen decides which query."""

    COMPONENT_CLASSES = {
        "ledger-table--header", "ledger-table--cursor", "ledger-table--marked",
        "ledger-table--bad", "ledger-table--verified", "ledger-table--loading",
    }
    BINDINGS = [
        Binding(key, action, text, show=False, id=f"ledger.{name}", group=Binding.Group("移动"))
        for key, action, text, name in (
            ("up", "cursor(-1)", "上一行", "up"),
            ("down", "cursor(1)", "下一行", "down"),
            ("pageup", "page(-1)", "上一页", "page_up"),
            ("pagedown", "page(1)", "下一页", "page_down"),
            ("home", "jump(0)", "第一行", "home"),
            ("end", "jump(-1)", "最后一行", "end"),
            ("left", "pan(-1)", "显示左边一列", "left"),
            ("right", "pan(1)", "显示右边一列", "right"),
        )
    ]

    class Loaded(Message):
        """A query's first rows arrived; `total` is None while they are still being counted."""

        def __init__(self, total: int | None) -> None:
            super().__init__()
            self.total = total

    class Counted(Message):
        """The count of rows shown before their count (Loaded with total None) arrived."""

        def __init__(self, total: int) -> None:
            super().__init__()
            self.total = total

    class CursorMoved(Message):
        def __init__(self, index: int, row: EntryRow | None) -> None:
            super().__init__()
            self.index = index
            self.row = row

    class _Counted(Message):
        def __init__(self, generation: int, query: LedgerQuery, total: int | None, cursor: int,
                     keep_cursor: bool, page: int, rows: list[EntryRow]) -> None:
            super().__init__()
            self.generation, self.query, self.total = generation, query, total
            self.cursor, self.keep_cursor, self.page, self.rows = cursor, keep_cursor, page, rows

    class _Total(Message):
        def __init__(self, generation: int, total: int) -> None:
            super().__init__()
            self.generation, self.total = generation, total

    class _Pages(Message):
        def __init__(self, generation: int, pages: dict[int, list[EntryRow]]) -> None:
            super().__init__()
            self.generation, self.pages = generation, pages

    def __init__(self, actor: Actor, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.actor = actor
        self.query = LedgerQuery()
        self.total = 0
        # False while the first page is shown and its rows are still being counted; `total`
        # is then the rows at hand (the cursor stays among them).
        self.counted = True
        self._end_wanted = False  # End pressed before the count came
        self._cancel = Cancel()  # stops the count of a query that is no longer shown
        self.cursor = 0
        self.marks: set[int] = set()
        self.cache = PageCache()
        # Not Widget.loading: that one covers the widget with an animated indicator.
        self.waiting = True
        self._generation = 0
        self._answered = 0
        self._inflight: frozenset[int] = frozenset()
        self._columns = scrolling_columns(self.query.status)
        self.first_column = 0  # index in _columns of the leftmost scrolling column shown
        self._fixed_width = MARK_WIDTH + total_width(KEY_COLUMNS)

    # -- loading -------------------------------------------------------------------------

    def show(self, query: LedgerQuery, keep_cursor: bool = False) -> None:
        """Switch to `query` (or reload it); rows appear when the worker answers.

        The old rows stay on screen until then, so a quick answer costs one repaint;
        "正在加载…" appears only when the answer is slow.
        """
        self._generation += 1
        self._cancel.cancel()
        self._cancel = Cancel()
        target = self.cursor if keep_cursor else 0
        self._count(self._generation, query, target, keep_cursor, self._cancel)
        self.set_timer(SLOW_ANSWER, partial(self._show_waiting, self._generation))

    def _show_waiting(self, generation: int) -> None:
        if generation == self._generation and self._answered != generation:
            self.waiting = True
            self.cache.clear()
            self.refresh()
            self._announce()

    @work(thread=True, exclusive=True, exit_on_error=False, group="ledger-count", description="加载台账")
    def _count(self, generation: int, query: LedgerQuery, cursor: int, keep_cursor: bool, cancel: Cancel) -> None:
        size = self.cache.page_size
        try:
            with session():
                if keep_cursor:  # the same rows again, where the cursor was: the count places it
                    with cancel.running():
                        total = ledger.count(self.actor, query)
                    cursor = min(cursor, max(total - 1, 0))
                    page = self.cache.page_of(cursor)
                    rows = ledger.page(self.actor, query, page * size, size, total) if total else []
                    self.post_message(self._Counted(generation, query, total, cursor, keep_cursor, page, rows))
                    return
                # A new query: its first page is shown first, then counted. Counting hundreds
                # of thousands of rows takes longer than reading the first hundred, and a page
                # that is not full is its own count.
                with cancel.running():
                    rows = ledger.page(self.actor, query, 0, size)
                known = len(rows) if len(rows) < size else None
                self.post_message(self._Counted(generation, query, known, 0, keep_cursor, 0, rows))
                if known is None:
                    with cancel.running():
                        total = ledger.count(self.actor, query)
                    self.post_message(self._Total(generation, total))
        except Cancelled:
            pass  # a newer query took its place

    def on_ledger_table__counted(self, message: _Counted) -> None:
        message.stop()
        if message.generation != self._generation:
            return
        self._answered = message.generation
        self.counted = message.total is not None
        self._end_wanted = False
        total = len(message.rows) if message.total is None else message.total
        self.query, self.total, self.cursor = message.query, total, message.cursor
        columns = scrolling_columns(self.query.status)
        if columns != self._columns:
            self._columns, self.first_column = columns, 0
        self.waiting = False
        self._inflight = frozenset()
        self.cache.clear()
        self.cache.put(message.page, message.rows)
        # Without the reactive's layout pass: the table's own size does not change, and a
        # layout pass is one more full-table paint on top of the refresh below.
        # Width 0: never a sideways scroll of the widget (see action_pan).
        self.set_reactive(ScrollView.virtual_size, Size(0, self.total + 1))
        if not message.keep_cursor:
            self.scroll_to(0, 0, animate=False, immediate=True)
        elif not round(self.scroll_y) <= self.cursor < round(self.scroll_y) + self.data_height:
            self.scroll_to(y=max(0, self.cursor - self.data_height // 2), animate=False, immediate=True)
        self.refresh()
        self.post_message(self.Loaded(self.total if self.counted else None))
        self._announce()
        self.call_after_refresh(self._ensure_pages)

    def on_ledger_table__total(self, message: _Total) -> None:
        message.stop()
        if message.generation != self._generation or self.counted:
            return
        self.total, self.counted = message.total, True
        # No repaint: the rows on screen are the same, and the scrollbars have no cells.
        self.set_reactive(ScrollView.virtual_size, Size(0, self.total + 1))
        self.post_message(self.Counted(self.total))  # the screen repaints "第 n/N 行"
        if self._end_wanted:
            self._end_wanted = False
            self.move_cursor(self.total - 1)
        else:
            self._ensure_pages()

    retry_hint = "按 Ctrl+R 重新加载"

    def worker_failed(self, worker) -> None:
        # Pages asked for and never answered would otherwise never be asked for again.
        self._inflight = frozenset()

    def _wanted_pages(self) -> set[int]:
        # The visible rows plus one screen either side, so that PgUp/PgDn find their rows
        # already cached and the screen is painted once, not "正在加载…" first.
        top, h = round(self.scroll_y), self.size.height
        rows = (top - h, top, top + h, top + 2 * h, self.cursor)
        pages = {self.cache.page_of(min(max(r, 0), self.total - 1)) for r in rows} if self.total else set()
        return {p for p in pages if not self.cache.has(p)}

    def _page_visible(self, page: int) -> bool:
        top = round(self.scroll_y)
        first, last = page * self.cache.page_size, (page + 1) * self.cache.page_size - 1
        return first <= top + self.data_height and last >= top

    def _ensure_pages(self) -> None:
        if self.waiting or self._answered != self._generation:
            return
        missing = self._wanted_pages()
        if missing and not missing <= self._inflight:
            self._inflight = frozenset(missing)
            self._fetch(self._generation, self.query, sorted(missing), self._anchors(missing))

    def _anchors(self, pages: set[int]) -> dict[int, EntryRow]:
        """Last row of the page before, when cached: lets the worker page by key."""
        out = {}
        for p in pages:
            before = self.cache.get_page(p - 1) if p > 0 else None
            if before and len(before) == self.cache.page_size:
                out[p] = before[-1]
        return out

    @work(thread=True, exclusive=True, exit_on_error=False, group="ledger-pages", description="加载台账")
    def _fetch(self, generation: int, query: LedgerQuery, pages: list[int],
               anchors: dict[int, EntryRow]) -> None:
        size, total = self.cache.page_size, self.total
        out: dict[int, list[EntryRow]] = {}
        with session():
            for p in pages:
                if p in anchors:
                    out[p] = ledger.page_after(self.actor, query, anchors[p], size)
                else:
                    out[p] = ledger.page(self.actor, query, p * size, size, total)
        self.post_message(self._Pages(generation, out))

    def on_ledger_table__pages(self, message: _Pages) -> None:
        message.stop()
        if message.generation != self._generation:
            return
        for p, rows in message.pages.items():
            self.cache.put(p, rows)
        self._inflight = self._inflight - set(message.pages)
        if any(self._page_visible(p) for p in message.pages):
            self.refresh()
        self._announce()
        self._ensure_pages()

    # -- rows the screen asks about ------------------------------------------------------

    @property
    def current_row(self) -> EntryRow | None:
        return self.cache.row(self.cursor) if self.total else None

    # -- cursor and scrolling ------------------------------------------------------------

    @property
    def data_height(self) -> int:
        return max(1, self.size.height - 1)

    def move_cursor(self, index: int) -> None:
        if not self.total:
            return
        index = max(0, min(self.total - 1, index))
        old, self.cursor = self.cursor, index
        top = round(self.scroll_y)
        if index < top:
            self.scroll_to(y=index, animate=False, immediate=True)
        elif index >= top + self.data_height:
            self.scroll_to(y=index - self.data_height + 1, animate=False, immediate=True)
        else:
            self.refresh_line(old + 1)
            self.refresh_line(index + 1)
        self._announce()
        self._ensure_pages()

    def _announce(self) -> None:
        self.post_message(self.CursorMoved(self.cursor, self.current_row))

    def action_cursor(self, delta: int) -> None:
        self._end_wanted = False
        self.move_cursor(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        self._end_wanted = False
        step = self.data_height
        target = self.cursor + direction * step
        self.scroll_to(y=round(self.scroll_y) + direction * step, animate=False, immediate=True)
        self.move_cursor(target)

    def action_jump(self, index: int) -> None:
        # The last row is not known before the count: go there when it is.
        self._end_wanted = index < 0 and not self.counted
        self.move_cursor(self.total - 1 if index < 0 else index)

    @property
    def shown_columns(self) -> tuple[Column, ...]:
        """The scrolling columns on screen now, with the widths they are drawn at."""
        return window(self._columns, self.first_column, max(0, self.size.width - self._fixed_width))

    def action_pan(self, step: int) -> None:
        """Show the next column on the right (step 1) or the left (-1), whole."""
        if step > 0 and self.first_column + len(self.shown_columns) >= len(self._columns):
            return  # the last column is already on screen
        first = max(0, min(len(self._columns) - 1, self.first_column + step))
        if first != self.first_column:
            self.first_column = first
            self.refresh()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._ensure_pages()

    def on_resize(self) -> None:
        self._ensure_pages()

    # -- marks ---------------------------------------------------------------------------

    def mark(self, entry_ids: list[int], on: bool = True) -> None:
        if on:
            self.marks.update(entry_ids)
        else:
            self.marks.difference_update(entry_ids)
        self.refresh()

    def clear_marks(self, entry_ids: list[int] | None = None) -> None:
        if entry_ids is None:
            self.marks.clear()
        else:
            self.marks.difference_update(entry_ids)
        self.refresh()

    def cached_ids(self, start: int, count: int) -> list[int] | None:
        """Ids of rows [start, start+count) when all are cached, else None."""
        out = []
        for i in range(start, min(self.total, start + count)):
            row = self.cache.row(i)
            if row is None:
                return None
            out.append(row.id)
        return out

    # -- drawing -------------------------------------------------------------------------

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"ledger-table--{name}")

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if y == 0:
            return self._line(" " * MARK_WIDTH, header_text(KEY_COLUMNS), self._header_rest(),
                              self._style("header"))
        index = round(self.scroll_y) + y - 1
        if self.waiting and y == 1:
            return Strip([Segment(LOADING, self._style("loading"))]).extend_cell_length(width, base)
        if index >= self.total:
            return Strip.blank(width, base)
        row = self.cache.row(index)
        if row is None:
            return Strip([Segment(f"{LOADING}", self._style("loading"))]).extend_cell_length(width, base)
        return self._row_strip(row, index == self.cursor)

    def _row_strip(self, row: EntryRow, is_cursor: bool) -> Strip:
        marked = row.id in self.marks
        style = self.rich_style
        if marked:
            style += self._style("marked")
        if is_cursor:
            style += self._style("cursor")
        flags = (("*" if marked else "?" if row.review_state == FLAGGED else " ")
                 + ("v" if row.verified_id else " " if row.id_ok else "!"))
        flag_style = (style + self._style("verified") if row.verified_id
                      else style if row.id_ok else style + self._style("bad"))
        return self._line(flags, row_text(KEY_COLUMNS, row), row_text(self.shown_columns, row),
                          style, flag_style)

    def _header_rest(self) -> str:
        shown = self.shown_columns
        text = header_text(shown)
        # The separator cell left of the first column, and the cell `window` keeps after
        # the last, tell that more columns lie that way.
        if self.first_column and text:
            text = MORE_LEFT + text[1:]
        if self.first_column + len(shown) < len(self._columns):
            text += MORE_RIGHT
        return text

    def _line(self, flags: str, fixed: str, rest: str, style: Style,
              flag_style: Style | None = None) -> Strip:
        left = Strip([Segment(flags, flag_style or style), Segment(fixed + rest, style)])
        return left.adjust_cell_length(self.size.width, style).simplify()
