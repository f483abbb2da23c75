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
