"""A full repaint sends only the terminal lines that changed (widgets/line_diff.py)."""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
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


def wide_line(*segments: Segment, width: int = 40) -> LayoutUpdate:
    strip = Strip(list(segments)).adjust_cell_length(width)
    return LayoutUpdate([[strip]], Region(0, 0, width, 1))


def wide_sent(memory: LineMemory, update, width: int = 40) -> str:
    return memory.changed(update, console, width).render_segments(console)


def test_what_the_terminal_cannot_show_is_no_change():
    """Textual's mouse offsets (meta), default colours spelled out, and the colour of the
    text on a blank: a form put over the ledger changes them on lines it does not cover."""
    memory = LineMemory()
    plain, bold = Style(), Style(bold=True)
    wide_sent(memory, wide_line(Segment("台账", bold), Segment("  ", plain), Segment("第二栏", plain)))
    again = wide_line(Segment("台账", bold + Style(meta={"offset": (0, 0)})),
                      Segment("  ", Style(color="red", bold=True)),
                      Segment("第二栏", Style(color="default", bgcolor="default")))
    assert wide_sent(memory, again) == ""
    # A blank's background shows, and so does a reversed blank's colour.
    assert wide_sent(memory, wide_line(Segment("台账", bold), Segment("  ", Style(bgcolor="blue")),
                                       Segment("第二栏"))) == "\x1b[1;5H\x1b[44m  \x1b[0m"


def test_an_unchanged_stretch_between_two_changes_is_jumped_over():
    memory = LineMemory()
    middle = "河南省南阳市唐河县"  # 27 bytes the terminal already shows
    wide_sent(memory, wide_line(Segment("甲 " + middle + " 否")))
    out = wide_sent(memory, wide_line(Segment("乙 " + middle + " 是")))
    assert out == "\x1b[1;1H乙\x1b[1;23H是" and middle not in out
    # A short unchanged stretch costs less than a cursor move: sent within one run.
    assert wide_sent(memory, wide_line(Segment("丙 " + middle + " 否"))) == "\x1b[1;1H丙\x1b[1;23H否"
    wide_sent(memory, wide_line(Segment("甲1乙")))
    assert wide_sent(memory, wide_line(Segment("丙1丁"))) == "\x1b[1;1H丙1丁"


def test_colours_are_set_once_for_a_run_and_blanks_to_the_line_end_are_one_erase():
    memory = LineMemory()
    key, text = Style(bold=True, color="default"), Style(color="default", bgcolor="default")
    out = wide_sent(memory, wide_line(Segment("?", key + Style(meta={"offset": (0, 0)})), Segment(" 帮助  ", text),
                                      Segment("/", key + Style(meta={"offset": (6, 0)})), Segment(" 搜索", text)))
    assert out == "\x1b[1;1H\x1b[1m?\x1b[0m 帮助  \x1b[1m/\x1b[0m 搜索\x1b[K"
    # Blanks with a background are drawn: an erase would clear them to the terminal's own.
    out = wide_sent(memory, wide_line(Segment("台账", Style(bgcolor="blue")), Segment(" " * 36, Style(bgcolor="blue"))))
    assert out == "\x1b[1;1H\x1b[44m" + "台账" + " " * 36 + "\x1b[0m"
