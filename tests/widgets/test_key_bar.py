"""Keys are named the way a registrar reads them on the bottom line and in help."""

from textual.binding import Binding

from kongcuo_tui.widgets.key_bar import key_label


def test_keys_read_as_on_the_keyboard():
    assert key_label(Binding("ctrl+s", "save")) == "Ctrl+S"
    assert key_label(Binding("shift+tab", "x")) == "Shift+Tab"
    assert key_label(Binding("escape", "x")) == "Esc"
    assert key_label(Binding("f1", "x")) == "F1"
    assert key_label(Binding("question_mark", "x")) == "?"
    assert key_label(Binding("j", "x")) == "j"  # a plain letter is typed lower-case
    assert key_label(Binding("space", "x", key_display="空格")) == "空格"
