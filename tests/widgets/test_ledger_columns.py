"""Cells line up in terminal columns whatever mix of Chinese and ASCII they hold."""

from rich.cells import cell_len

from kongcuo_tui.widgets.ledger_columns import fit
from kongcuo_tui.widgets.page_cache import PageCache


def test_wide_text_is_cut_with_ellipsis_to_exact_width():
    cell = fit("河南省南阳市唐河县源潭镇东街村", 10)
    # The ellipsis follows the text; the cell a wide character could not fill pads the end.
    assert cell_len(cell) == 10 and cell == "河南省南… "
    assert fit("河南省南阳市唐河县源潭镇东街村", 11) == "河南省南阳…"


def test_short_text_is_padded_and_newlines_do_not_wrap():
    assert fit("王丽", 8) == "王丽    "
    assert fit("第一行\n第二行", 14) == "第一行 第二行 "


def test_page_cache_drops_oldest_pages():
    cache = PageCache(page_size=2, max_pages=2)
    for p in range(3):
        cache.put(p, [object(), object()])
    assert len(cache) == 2 and not cache.has(0) and cache.row(5) is not None


def test_window_shows_whole_columns_and_gives_spare_cells_to_the_last():
    from kongcuo_tui.widgets.ledger_columns import UPSTREAM_COLUMNS, total_width, window

    shown = window(UPSTREAM_COLUMNS, 0, 43)  # beside the key columns at 80 columns
    assert [c.title for c in shown] == ["出生日期", "户籍地"]
    assert shown[0].width == 10 and total_width(shown) == 42  # one cell left for ">"
    last = window(UPSTREAM_COLUMNS, len(UPSTREAM_COLUMNS) - 2, 43)
    assert [c.title for c in last] == ["省内学籍号", "省内学生状态"] and total_width(last) == 43


def test_window_cuts_the_one_column_when_none_fits():
    from kongcuo_tui.widgets.ledger_columns import UPSTREAM_COLUMNS, window

    (only,) = window(UPSTREAM_COLUMNS, 1, 9)
    assert only.title == "户籍地" and only.width == 8
