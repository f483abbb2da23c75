"""The region table: hierarchy, full names, townships and the 就读省县 picker."""

from __future__ import annotations

from kongcuo_tui.domain.regions import (
    CITY, COUNTY, PROVINCE, TOWNSHIP, all_regions, county_in_address, places_for_typeahead, province_of, region_index,
    region_name,
)


def r(code):
    return region_index()[code]


def test_tanghe_sits_under_nanyang_under_henan():
    assert (r("411328").name, r("411328").level, r("411328").parent) == ("唐河县", COUNTY, "411300")
    assert (r("411300").name, r("411300").level, r("411300").parent) == ("南阳市", CITY, "410000")
    assert (r("410000").name, r("410000").level, r("410000").parent) == ("河南省", PROVINCE, None)


def test_jiyuan_is_a_county_directly_under_the_province():
    jiyuan = r("419001")
    assert (jiyuan.name, jiyuan.level, jiyuan.parent) == ("济源市", COUNTY, "410000")
    assert jiyuan.full_name == "河南省济源市"


def test_full_names_join_province_city_county():
    assert region_name("411328") == "河南省南阳市唐河县"
    assert region_name("411300") == "河南省南阳市"
    assert region_name("410000") == "河南省"
    assert region_name("320303") == "江苏省徐州市云龙区"
    assert region_name("") == ""
    assert region_name("999999") == "999999"  # unknown codes are shown as they are


def test_townships_belong_to_their_county():
    town = r("411328100")
    assert (town.name, town.level, town.parent, town.full_name) == ("源潭镇", TOWNSHIP, "411328", "河南省南阳市唐河县源潭镇")
    tanghe_towns = [x for x in all_regions() if x.parent == "411328"]
    assert len(tanghe_towns) == 21
    assert all(x.level == TOWNSHIP and len(x.code) == 9 for x in tanghe_towns)


def test_historic_names_are_replaced_by_current_ones():
    # stdnum lists 419001 as 义马市 (1986–1989) before 济源市; no region keeps a '[' history tag.
    assert all("[" not in x.name for x in all_regions())


def test_parents_come_before_children_and_exist():
    seen = set()
    for x in all_regions():
        assert x.parent is None or x.parent in seen, x
        seen.add(x.code)


def test_typeahead_offers_provinces_and_counties_only():
    places = places_for_typeahead()
    codes = {p.code for p in places}
    assert {"410000", "411328", "419001", "320303"} <= codes
    # Cities with counties are reached through the counties; townships never appear.
    assert "411300" not in codes and "411328100" not in codes
    assert TOWNSHIP not in {p.level for p in places}
    # Cities without counties (东莞市, 中山市) are places children study in.
    assert {"441900", "442000"} <= codes
    assert {p.level for p in places if p.code in ("441900", "442000")} == {CITY}
    assert len(codes) > 2800  # the whole country, not just Henan


def test_province_of_any_code_or_id():
    assert province_of("411328") == "41"
    assert province_of("41132820130501001X") == "41"
    assert province_of("") is None and province_of(None) is None and province_of("x1") is None


def test_the_county_an_address_starts_with():
    def code(text):
        found = county_in_address(text)
        return found.code if found else None

    assert code("河南省南阳市唐河县源潭镇东王庄村3组") == "411328"
    assert code("南阳市唐河县城郊乡") == "411328"  # without the province
    assert code("江苏省徐州市云龙区教育局") == "320303"
    assert code("河南省 济源市 坡头镇") == "419001"  # a county under the province itself; spaces ignored
    assert code("唐河县源潭镇") is None  # a county name alone could be several counties
    assert code("") is None and code("本地") is None
