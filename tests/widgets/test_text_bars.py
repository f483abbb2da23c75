"""Text bars and sparklines: widths in terminal cells, ASCII in low-bandwidth mode."""

from __future__ import annotations

from rich.cells import cell_len

from kongcuo_tui.widgets.text_bars import bar, fit, percent, sparkline


def test_bars_fill_their_share_and_a_small_share_still_shows():
    assert bar(3, 10, 10) == "███░░░░░░░"
    assert bar(1, 1000, 10, ascii=True) == "#........."
    assert bar(0, 10, 4, ascii=True) == "...." and bar(5, 0, 4) == ""
    assert percent(1, 3) == "33%" and percent(1, 0) == ""


def test_sparkline_scales_to_the_busiest_day_and_keeps_zero_lowest():
    assert sparkline([0, 1, 2, 5, 10, 0]) == "▁▂▂▅█▁"
    assert sparkline([0, 1, 10], ascii=True) == "_.#" and sparkline([0, 0]) == "▁▁"
    assert all(ord(c) < 128 for c in sparkline(list(range(30)), ascii=True))


def test_fit_cuts_and_pads_to_exact_cells_with_chinese():
    for text in ("唐河县源潭镇第一初级中学附属小学", "源潭镇", "abcdefg", "B类（不需要劝返）"):
        assert cell_len(fit(text, 16)) == 16
    assert fit("唐河县源潭镇第一初级中学", 12) == "唐河县源潭… "
