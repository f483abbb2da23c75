"""The one read behind the printed documents: facts, case, dates from the domain rules, scope (both engines)."""

from __future__ import annotations

from datetime import date

import pytest
from playhouse.test_utils import count_queries

from form_cases import TODAY, full_case, school
from kongcuo_tui.db.models import Entry
from kongcuo_tui.domain.persuasion import Closing
from kongcuo_tui.domain.workdays import WorkCalendar
from kongcuo_tui.services import accounts
from kongcuo_tui.services import persuasion as svc
from kongcuo_tui.services.errors import PermissionDenied, ServiceError
from kongcuo_tui.services.form_documents import documents_data, ids_for_filter, ids_for_numbers


def test_a_full_case_reads_every_fact_the_documents_print(registrar, make_entry):
    eid = full_case(registrar, make_entry, school().id, attempts=4, continued=2)
    [d] = documents_data(registrar, [eid], TODAY, WorkCalendar(extra_holidays=[date(2026, 10, 8)]))
    assert (d.name, d.sex, d.ethnicity, d.age, d.national_no) == ("王小明", "男", "汉族", 15, "G411328201103150011")
    assert d.school == "源潭镇第一初级中学" and d.grade_class == "2023级2班"
    assert d.residence == "河南省南阳市唐河县源潭镇东王庄村5组" and d.registry_place.endswith("第一初级中学")
    assert [(g.name, g.relation, g.phone) for g in d.guardians] == [("王大军", "父亲", "13812345678"),
                                                                  ("李秀英", "母亲", "15038765432")]
    r = d.records
    assert (len(r.attempts), len([x for x in r.rounds if not x.continued]), len(r.procedures)) == (4, 3, 1)
    assert len([x for x in r.rounds if x.continued]) == 2
    assert (d.suspected_on, d.notice_on, d.return_by) == (date(2026, 9, 7), date(2026, 9, 23), date(2026, 10, 9))
    assert d.age_out_on == date(2027, 8, 31)  # 16 at the first 31 August on or after the birthday
    assert d.sender == "河南省南阳市唐河县教育局" and (d.county_name, d.county_full) == ("唐河县", "河南省南阳市唐河县")
    assert (d.letter_to, d.letter_on, d.letter_place.code) == ("江苏省徐州市云龙区教育局", date(2026, 11, 20), "320303")
    assert (d.cross_province, d.letter_province) == (True, "江苏省")


def test_without_records_the_documents_get_today_and_the_hukou_county(registrar, make_entry):
    eid = make_entry(name="新生", hukou="河南省南阳市桐柏县城关镇")
    [d] = documents_data(registrar, [eid], TODAY, WorkCalendar())
    assert d.suspected_on is None and d.notice_on == TODAY and d.return_by == date(2026, 12, 7)
    assert (d.letter_to, d.letter_on, d.cross_province) == ("河南省南阳市桐柏县教育局", TODAY, False)
    assert d.guardians == () and d.records.attempts == ()


def test_an_aged_out_case_prints_its_closing_date(registrar, make_entry):
    eid = full_case(registrar, make_entry, school().id, birth_date=date(2010, 3, 1), letter=False)
    v = Entry.get_by_id(eid).version
    svc.close_case(registrar, eid, v, Closing("超龄销号", date(2026, 11, 25), ""), today=TODAY)
    [d] = documents_data(registrar, [eid], TODAY)
    assert d.age_out_on == date(2026, 11, 25) and d.records.closed.kind == "超龄销号"


def test_a_school_sends_in_its_own_name(admin, registrar, make_entry):
    s = school()
    eid = full_case(registrar, make_entry, s.id, letter=False)
    mine = accounts.add(admin, "yt1", "源潭一中", "school", "411328", school=s.name)
    assert documents_data(mine, [eid], TODAY)[0].sender == "源潭镇第一初级中学"


def test_scope_refuses_the_whole_batch(admin, registrar, make_entry):
    s = school()
    mine = full_case(registrar, make_entry, s.id, letter=False)
    other = accounts.add(admin, "yt2", "源潭二中", "school", "411328", school=school(name="源潭镇第二初级中学").name)
    tongbai = accounts.add(admin, "tongbai", "桐柏县", "county", "411330")
    for actor in (other, tongbai):
        with pytest.raises(PermissionDenied, match=f"该记录不存在或不在您的管辖范围内（记录 {mine}）"):
            documents_data(actor, [mine], TODAY)
    with pytest.raises(ServiceError, match="没有选中学生"):
        documents_data(registrar, [], TODAY)


def test_one_query_per_table_however_many_students(registrar, make_entry):
    sid = school().id
    ids = [full_case(registrar, make_entry, sid, name=f"学生{k}", letter=False) for k in range(4)]
    with count_queries() as one:
        documents_data(registrar, ids[:1], TODAY)
    with count_queries() as four:
        out = documents_data(registrar, ids, TODAY)
    assert one.count == four.count and [d.entry_id for d in out] == ids


def test_ids_for_numbers_and_for_the_ledger_filters(admin, registrar, make_entry):
    a = make_entry(name="甲", id_number="41132820130501001X")
    b = make_entry(name="乙", status="processed", code="A2")
    number_b = Entry.get_by_id(b).id_number
    assert ids_for_numbers(registrar, [number_b, " 41132820130501001x ", number_b]) == [b, a]
    with pytest.raises(PermissionDenied, match="证件号码 411328201305019999：该记录不存在或不在您的管辖范围内"):
        ids_for_numbers(registrar, [number_b, "411328201305019999"])
    with pytest.raises(ServiceError, match="“4113” 不是有效的证件号码|“4113”不是有效的证件号码"):
        ids_for_numbers(registrar, ["4113"])
    assert ids_for_filter(registrar, "processed") == [b] and ids_for_filter(registrar, "all") == [a, b]
    with pytest.raises(PermissionDenied, match="不在您的管辖范围"):
        ids_for_filter(registrar, None, "411330")
