"""The words a worksheet gives for each code, and typed 就读省县 read back as region codes."""

from __future__ import annotations

from kongcuo_tui.domain.codes import CODES
from kongcuo_tui.domain.regions import find_place
from kongcuo_tui.domain.rules import MIN_A8_NOTES, requirements


def test_requirements_name_every_document_the_rules_ask_for():
    assert requirements(CODES["B1"])[0] == "辖区派出所证明；村（居）委会证明"
    assert requirements(CODES["B5"])[0] == "幼儿园幼儿信息表（盖章）或因身体原因延缓入学审批"
    assert "（外省）" in requirements(CODES["B4"])[1] and "至少20字" in requirements(CODES["B4"])[1]
    assert f"至少{MIN_A8_NOTES}字" in requirements(CODES["A8"])[1]
    assert requirements(CODES["A1"]) == ("宜留存：劝返记录", "—")


def test_a_typed_place_is_a_code_a_full_name_or_an_unambiguous_name():
    assert find_place("411328") == ("411328", None)
    assert find_place("河南省 南阳市 宛城区") == ("411302", None)
    assert find_place("广东省") == ("440000", None)
    assert find_place("") == (None, None)
    code, why = find_place("朝阳区")  # Beijing and Changchun both have one
    assert code is None and "同名" in why
    assert "找不到" in find_place("火星")[1] and "不是省或县级" in find_place("999999")[1]
