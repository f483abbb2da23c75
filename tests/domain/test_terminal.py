"""What reaches a terminal from a cell holds no control, escape or bidi character."""

from __future__ import annotations

import pytest

from kongcuo_tui.domain.terminal import BIDI, has_controls, strip_controls, terminal_safe

TITLE = "\x1b]0;已被接管\x07"
RED = "\x1b[31m王\x1b[0m"


@pytest.mark.parametrize("text", [TITLE + "王小明", RED, "abc\u202edcba", "\x9b31m", "a\x7fb", "x\x00y\u2066z\u2069"])
def test_terminal_safe_leaves_nothing_a_terminal_obeys(text):
    shown = terminal_safe(text)
    assert shown.isprintable()
    assert not set(shown) & set(BIDI + "\x1b\x07\x9b\x7f")
    assert terminal_safe(shown) == shown  # escaping twice changes nothing


def test_terminal_safe_shows_what_was_there():
    assert terminal_safe(TITLE + "王") == "\\x1b]0;已被接管\\x07王"
    assert terminal_safe("a\u202eb") == "a\\u202eb"
    assert terminal_safe("两行\n文字", keep_newlines=True) == "两行\n文字"
    assert terminal_safe("两行\n文字") == "两行\\x0a文字"
    assert terminal_safe("张丽 河南省　唐河县") == "张丽 河南省　唐河县"


def test_strip_controls_removes_whole_sequences():
    assert strip_controls(TITLE + "王小明") == "王小明"
    assert strip_controls(RED) == "王"
    assert strip_controls("李\u202e四") == "李四"
    assert strip_controls("地址\n第二行\t") == "地址\n第二行\t"
    assert has_controls(TITLE) and has_controls("\u200f") and not has_controls("普通\n文字")
