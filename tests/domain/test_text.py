"""One text-cleaning helper: every invisible character and odd space, wherever text comes in."""

from __future__ import annotations

from datetime import date

import pytest

from kongcuo_tui.domain.dates import parse_date, parse_form_date
from kongcuo_tui.domain.ids import check_id, normalize_id_text
from kongcuo_tui.domain.text import INVISIBLE, compact, drop_invisible, has_space_or_invisible
from kongcuo_tui.imports.fastpath import RowReader
from kongcuo_tui.imports.headers import find_header
from kongcuo_tui.imports.rows import read_row
from imports.upstream_xlsx import HEADERS, make_id

# Soft hyphen, zero-width space / non-joiner / joiner, word joiner, byte-order mark.
HIDDEN = ["\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
SPACES = ["\u3000", "\u00a0", " ", "\t"]  # full-width space, no-break space, ASCII
ID = make_id("411328", date(2014, 3, 5), 12)


def test_the_invisible_set_is_exactly_these():
    assert sorted(INVISIBLE) == sorted(HIDDEN)


@pytest.mark.parametrize("ch", HIDDEN, ids=[f"U+{ord(c):04X}" for c in HIDDEN])
def test_each_invisible_character_is_dropped(ch):
    assert drop_invisible(f"{ch}王{ch}小明{ch}") == "王小明"
    assert compact(f"王{ch}小 明") == "王小明"
    assert has_space_or_invisible(f"王{ch}明") and not has_space_or_invisible("王明")


@pytest.mark.parametrize("ch", SPACES, ids=[f"U+{ord(c):04X}" for c in SPACES])
def test_every_kind_of_space_is_squeezed_out_by_compact(ch):
    assert compact(f"{ch}王{ch}小明{ch}") == "王小明"
    assert drop_invisible(f"王{ch}明") == f"王{ch}明"
    assert has_space_or_invisible(f"王{ch}明")


@pytest.mark.parametrize("ch", HIDDEN + SPACES[:2], ids=[f"U+{ord(c):04X}" for c in HIDDEN + SPACES[:2]])
def test_ids_dates_and_names_all_clean_the_same_characters(ch):
    assert normalize_id_text(ID[:6] + ch + ID[6:]) == ID
    assert check_id(ID[:6] + ch + ID[6:]).normalized == ID
    assert parse_date(f"{ch}2014-03-05{ch}") == date(2014, 3, 5)
    if ch in HIDDEN:  # a space inside a date is a typo to report, not something to hide
        assert parse_date(f"2014-03{ch}-05") == date(2014, 3, 5)
        assert parse_form_date(f"2014{ch}-3-5", date(2026, 11, 29)) == date(2014, 3, 5)
    header = find_header([list(HEADERS)], 1)
    cells = [1, f"王{ch}小明", date(2014, 3, 5), ID, "", "", "否", "", "", "", ""]
    slow = read_row(cells, header, 2, date(2026, 11, 29), date(2026, 8, 31))
    fast = RowReader(header, date(2026, 11, 29), date(2026, 8, 31)).read(cells, 2)
    assert slow.fields["name"] == fast.fields["name"] == "王小明"
    assert "name_whitespace" in {i.reason_code for i in slow.warnings}
