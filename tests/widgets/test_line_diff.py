"""A full repaint sends only the terminal lines that changed (widgets/line_diff.py)."""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console
from rich.segment import Segment
from textual._compositor import ChopsUpdate, LayoutUpdate
from textual.geometry import Region
from textual.strip import Strip

from kongcuo_tui.widgets.line_diff import LineMemory

WIDTH = 10
console = Console(width=WIDTH, color_system="standard", force_terminal=True)


def padded(text: str) -> str:
    return text + " " * (WIDTH - cell_len(text))  # a line is the screen's width in cells


def full(*texts: str) -> LayoutUpdate:
    return LayoutUpdate([[Strip([Segment(padded(t))])] for t in texts], Region(0, 0, WIDTH, len(texts)))


def sent(memory: LineMemory, update) -> str:
    return memory.changed(update, console, WIDTH).render_segments(console)


def test_a_repaint_of_the_same_screen_sends_nothing_but_the_cursor():
    memory = LineMemory()
    first = sent(memory, full("台账", "第二行", "第三行"))
    assert "台账" in first and "第三行" in first
    assert sent(memory, full("台账", "第二行", "第三行")) == ""


def test_only_the_changed_line_is_sent_at_its_row():
    memory = LineMemory()
    sent(memory, full("台账", "第二行", "第三行"))
    out = sent(memory, full("台账", "表单", "第三行"))
    assert "表单" in out and out.startswith("\x1b[2;1H") and "台账" not in out and "第三行" not in out


def test_on_a_changed_line_only_the_changed_segments_are_sent_at_their_column():
    memory = LineMemory()

    def line(middle: str) -> LayoutUpdate:
        segments = [Segment("序号"), Segment(middle), Segment(padded("姓名")[:WIDTH - 6])]
        return LayoutUpdate([[Strip(segments)]], Region(0, 0, WIDTH, 1))

    sent(memory, line("甲"))
    out = sent(memory, line("乙"))
    assert out.startswith("\x1b[1;5H") and "乙" in out and "序号" not in out and "姓名" not in out


def test_a_partial_update_is_followed_so_the_next_repaint_sends_only_real_changes():
    memory = LineMemory()
    sent(memory, full("台账", "第二行", "第三行"))
    # Textual paints "光标" over columns 0-3 of the second line, then repaints the screen.
    partial = ChopsUpdate([{}, {0: Strip([Segment("光标")])}, {}], [(1, 0, WIDTH)], [[], [4], []])
    assert sent(memory, partial) == "\x1b[2;1H光标"
    assert sent(memory, partial) == ""  # a widget repainted as it was: nothing to send
    assert sent(memory, full("台账", "光标行", "第三行")) == ""  # the terminal shows that already
    out = sent(memory, full("台账", "第二行", "第三行"))
    assert "第二" in out and "台账" not in out and "第三行" not in out


def test_a_partial_update_on_a_line_not_known_is_sent_as_textual_made_it():
    memory = LineMemory()
    partial = ChopsUpdate([{0: Strip([Segment("光标")])}], [(0, 0, WIDTH)], [[4]])
    assert memory.changed(partial, console, WIDTH) is partial


def test_after_a_resize_every_line_is_sent():
    memory = LineMemory()
    sent(memory, full("台账", "第二行"))
    memory.forget()
    out = sent(memory, full("台账", "第二行"))
    assert "台账" in out and "第二行" in out
