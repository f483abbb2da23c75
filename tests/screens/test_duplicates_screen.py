"""The 疑似重复 screen (ledger key d): a registrar links one pair through the real app."""

from __future__ import annotations

from datetime import date

from stdnum.cn import ric

from kongcuo_tui.app import KongcuoApp
from kongcuo_tui.config import Settings
from kongcuo_tui.db.models import DuplicateDecision, Entry, History
from kongcuo_tui.screens.duplicates import DuplicatesScreen
from kongcuo_tui.screens.ledger import LedgerScreen
from support import TODAY, settle


def _pairs(make_entry) -> tuple[int, int]:
    body = "41132820120304031"
    good = body + ric.calc_check_digit(body + "0")
    keep = make_entry(name="张伟", birth_date=date(2012, 3, 4), id_number=good)
    other = make_entry(name="张伟", birth_date=date(2012, 3, 4), id_number=good[:15] + good[16] + good[15] + good[17], id_ok=False)
    make_entry(name="王丽", birth_date=date(2013, 5, 1), id_number="411328201305010120")
    make_entry(name="王丽", birth_date=date(2013, 5, 1), id_number="411328201305019999", id_ok=False)
    return keep, other


def test_a_registrar_links_a_pair_and_it_leaves_the_list(play, make_entry, no_delays):
    keep, other = _pairs(make_entry)

    async def script(ui):
        await ui.press("d")
        assert isinstance(ui.screen, DuplicatesScreen)
        text = ui.text()
        assert "共 2 组" in text and "相邻两位颠倒" in text and "姓名和出生日期相同、证件号码不同" in text
        await ui.press("1")  # the first group is the transposition (张伟): keep ①
        await ui.press("ctrl+s")  # no evidence ticked yet: refused, the dialog stays
        assert "辖区派出所证明" in ui.text() and Entry.get_by_id(other).status == "pending"
        await ui.press("space", "down", "space", "ctrl+s")
        assert isinstance(ui.screen, DuplicatesScreen)
        assert "共 1 组" in ui.text() and "已确认同一人" in ui.messages()
        await ui.press("escape")
        assert isinstance(ui.screen, LedgerScreen)

    play(script, size=(80, 24))
    row = Entry.get_by_id(other)
    assert (row.code, row.proof_person) == ("B1", "张丽") and f"#{keep}" in row.notes
    assert History.select().where(History.entry == other).count() == 1
    assert DuplicateDecision.get().decision == "linked"


def test_different_children_are_recorded_after_asking(play, make_entry):
    _pairs(make_entry)

    async def script(ui):
        await ui.press("d", "down", "n")
        assert "这是两个不同的孩子" in ui.text()
        await ui.press("enter")
        assert "共 1 组" in ui.text() and "王丽" not in ui.text()

    play(script, size=(80, 24))
    assert DuplicateDecision.get().decision == "different"


def test_a_city_account_may_only_look(play, make_entry, admin):
    from kongcuo_tui.services import accounts

    _pairs(make_entry)
    city = accounts.add(admin, "nanyang", "南阳市", "city", "411300")

    async def script(ui):
        await ui.press("d")
        assert "只能查看" in ui.text()
        await ui.press("1")
        assert isinstance(ui.screen, DuplicatesScreen) and "只能查看" in ui.messages()

    play(script, size=(80, 24), actor=city)


def test_duplicates_screen_80x24(snap_compare, registrar, make_entry):
    _pairs(make_entry)

    async def open_list(pilot) -> None:
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)

    assert snap_compare(KongcuoApp(registrar, Settings(), today=TODAY), terminal_size=(80, 24), run_before=open_list)
