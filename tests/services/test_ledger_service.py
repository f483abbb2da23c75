"""Reading the ledger: who sees which rows, filters, search, sort and paging (both engines)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from playhouse.test_utils import assert_query_count

from kongcuo_tui.db.models import School
from kongcuo_tui.services import accounts, ledger
from kongcuo_tui.services.errors import NotFound
from kongcuo_tui.services.types import LedgerQuery

ALL = LedgerQuery(status=None)


def names(rows):
    return sorted(r.name for r in rows)


@pytest.fixture
def spread(make_entry):
    """Rows in three counties of Henan and one in Jiangsu."""
    return {
        "tanghe": make_entry(name="唐河甲"),
        "tanghe2": make_entry(name="唐河乙"),
        "tongbai": make_entry(name="桐柏甲", region="411330"),
        "jiyuan": make_entry(name="济源甲", region="419001"),
        "xuzhou": make_entry(name="徐州甲", region="320303"),
    }


def account(admin, role, region, **kw):
    return accounts.add(admin, f"{role}{region}", f"{role}", role, region, **kw)


def test_county_sees_only_its_county(registrar, spread):
    assert names(ledger.page(registrar, ALL, 0, 100)) == ["唐河乙", "唐河甲"]
    assert ledger.count(registrar, ALL) == 2


def test_city_sees_its_counties_but_not_a_province_managed_county(admin, spread):
    nanyang = account(admin, "city", "411300")
    assert names(ledger.page(nanyang, ALL, 0, 100)) == ["唐河乙", "唐河甲", "桐柏甲"]


def test_province_sees_all_of_henan_only(admin, spread):
    henan = account(admin, "province", "410000")
    assert names(ledger.page(henan, ALL, 0, 100)) == ["唐河乙", "唐河甲", "桐柏甲", "济源甲"]


def test_school_account_sees_only_its_school(admin, make_entry):
    a = School.create(name="源潭镇中心小学", county="411328")
    b = School.create(name="张店镇中心小学", county="411328")
    make_entry(name="甲校生", school=a.id)
    make_entry(name="乙校生", school=b.id)
    make_entry(name="无学校")
    staff = account(admin, "school", "411328", school="源潭镇中心小学")
    assert names(ledger.page(staff, ALL, 0, 100)) == ["甲校生"]


def test_detail_of_a_row_outside_scope_is_not_found(registrar, spread):
    assert ledger.detail(registrar, spread["tanghe"]).row.name == "唐河甲"
    with pytest.raises(NotFound) as e:
        ledger.detail(registrar, spread["tongbai"])
    assert str(spread["tongbai"]) in str(e.value)


def test_pending_and_processed_tabs(registrar, make_entry):
    make_entry(name="待办")
    make_entry(name="已办", status="processed", code="B2")
    assert names(ledger.page(registrar, LedgerQuery(status="pending"), 0, 10)) == ["待办"]
    assert names(ledger.page(registrar, LedgerQuery(status="processed"), 0, 10)) == ["已办"]
    assert ledger.tab_counts(registrar, LedgerQuery(search="已")) == {"pending": 0, "processed": 1}
    assert ledger.tab_counts(registrar, LedgerQuery()) == {"pending": 1, "processed": 1}


def test_search_by_name_prefix_not_infix(registrar, make_entry):
    make_entry(name="王小明")
    make_entry(name="王芳")
    make_entry(name="李王")
    assert names(ledger.page(registrar, replace(ALL, search="王"), 0, 10)) == ["王小明", "王芳"]
    assert names(ledger.page(registrar, replace(ALL, search=" 王小 "), 0, 10)) == ["王小明"]


def test_search_by_id_prefix_with_lowercase_x(registrar, make_entry):
    make_entry(name="甲", id_number="41132820130501002X")
    make_entry(name="乙", id_number="411328201305010038")
    make_entry(name="丙", id_number="411328201406010011")
    assert names(ledger.page(registrar, replace(ALL, search="4113282013"), 0, 10)) == ["乙", "甲"]
    assert names(ledger.page(registrar, replace(ALL, search="41132820130501002x"), 0, 10)) == ["甲"]


def test_filters_by_code_class_source_bad_id_township(registrar, make_entry):
    make_entry(name="A1生", status="processed", code="A1", township="411328100")
    make_entry(name="B2生", status="processed", code="B2", source="poverty")
    make_entry(name="B10生", status="processed", code="B10", id_ok=False)
    make_entry(name="未确认", status="processed", code="99", source="no_record", township="411328100")

    def q(**kw):
        return names(ledger.page(registrar, replace(ALL, **kw), 0, 10))

    assert q(code="B2") == ["B2生"]
    assert q(code_class="A") == ["A1生"]
    assert q(code_class="B") == ["B10生", "B2生"]
    assert q(code_class="99") == ["未确认"]
    assert q(source="poverty") == ["B2生"]
    assert q(bad_id=True) == ["B10生"]
    assert len(q(bad_id=False)) == 3
    assert q(township="411328100") == ["A1生", "未确认"]
    assert q(township="411328100", code_class="A") == ["A1生"]


@pytest.mark.parametrize("sort, key", [("seq", "seq"), ("name", "name"), ("id_number", "id_number")])
def test_sort_orders_with_id_as_tie_breaker(registrar, make_entry, sort, key):
    for seq, name, idn in [(3, "乙", "411328201305010011"), (1, "丙", "411328201305010003"),
                           (2, "甲", "411328201305010020"), (2, "甲", "411328201305010038")]:
        make_entry(seq=seq, name=name, id_number=idn)
    rows = ledger.page(registrar, replace(ALL, sort=sort), 0, 10)
    got = [(getattr(r, key), r.id) for r in rows]
    assert got == sorted(got)
    assert ledger.ids(registrar, replace(ALL, sort=sort)) == [r.id for r in rows]


@pytest.mark.parametrize("sort", ["seq", "name", "id_number"])
def test_page_after_walks_every_row_once_and_agrees_with_page(registrar, make_entry, sort):
    for n in range(53):
        # Many equal names and seqs so ties must be broken by id.
        make_entry(seq=n // 4, name=f"学生{n % 7}")
    make_entry(name="外县", region="411330")
    q = replace(ALL, sort=sort)
    walked, after = [], None
    while True:
        chunk = ledger.page_after(registrar, q, after, 10)
        if not chunk:
            break
        assert chunk == ledger.page(registrar, q, len(walked), 10)
        walked += chunk
        after = chunk[-1]
    assert len(walked) == 53
    assert len({r.id for r in walked}) == 53


def test_detail_shows_guardians_and_readable_facts(registrar, make_entry):
    from kongcuo_tui.db.models import Guardian

    eid = make_entry(name="张三", source="poverty", township="411328100", sex="男")
    Guardian.create(entry=eid, ordinal=2, name="李四", relation="母亲", phone="13800000000")
    Guardian.create(entry=eid, ordinal=1, name="张五", relation="父亲", phone="13900000000")
    d = ledger.detail(registrar, eid)
    assert [g.name for g in d.guardians] == ["张五", "李四"]
    assert d.facts["乡镇"] == "河南省南阳市唐河县源潭镇"
    assert d.facts["台账来源"] == "建档立卡未入两库"
    assert d.facts["是否残疾"] == "否"


def test_page_of_50_rows_is_one_query(registrar, make_entry):
    for n in range(60):
        make_entry()
    # The account row (scope comes from it, never from the Actor handed in), then the page.
    with assert_query_count(2):
        rows = ledger.page(registrar, LedgerQuery(), 0, 50)
    assert len(rows) == 50
    with assert_query_count(2):
        assert len(ledger.page_after(registrar, LedgerQuery(), rows[-1], 5)) == 5
    # Past the county's last row the counties after it are asked once (none here).
    with assert_query_count(3):
        assert len(ledger.page_after(registrar, LedgerQuery(), rows[-1], 50)) == 10


@pytest.mark.parametrize("sort", ["seq", "name", "id_number"])
def test_windows_near_the_end_read_backwards_give_the_same_rows(registrar, make_entry, sort):
    for i in range(23):
        make_entry(name="甲乙丙"[i % 3] + str(i % 5), seq=(i * 7) % 11)
    q = LedgerQuery(status=None, sort=sort)
    forward = [r.id for r in ledger.page(registrar, q, 0, 100)]
    total = len(forward)
    for offset in (12, 15, 20, 22):
        got = [r.id for r in ledger.page(registrar, q, offset, 5, total)]
        assert got == forward[offset:offset + 5], offset
    assert ledger.page(registrar, q, total, 5, total) == []
