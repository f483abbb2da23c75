"""B-class review: a city flags, the county re-submits; scope, roles, locking, history, audit."""

from __future__ import annotations

from datetime import date

import pytest

from kongcuo_tui.db.models import AuditLog, Entry, EvidenceItem, Review
from kongcuo_tui.domain.codes import Action
from kongcuo_tui.domain.review import ReviewState
from kongcuo_tui.domain.rules import Classification
from kongcuo_tui.services import accounts, classify, ledger, review
from kongcuo_tui.services.errors import PermissionDenied, ServiceError
from kongcuo_tui.services.types import LedgerQuery
from support import TODAY

B1 = Classification(
    action=Action.DROPOUT, code="B1", proof_person="派出所赵警官", proof_date=date(2026, 11, 20),
    notes="户籍重复，已注销", evidence=frozenset({"police_proof", "village_proof"}),
)
B2 = Classification(
    action=Action.ENROLLED, code="B2", proof_person="王老师", proof_date=date(2026, 11, 20),
    notes="已在源潭镇中心小学就读", study_region="411328", study_school="源潭镇中心小学",
    evidence=frozenset({"registry_card"}),
)
NOTE = "派出所证明未盖章，请补充"


def b_row(registrar, make_entry, c=B1, **kw) -> int:
    eid = make_entry(**kw)
    assert classify.classify(registrar, {eid: 1}, c, today=TODAY).ok
    return eid


def version(eid: int) -> int:
    return Entry.get_by_id(eid).version


def test_a_city_lists_its_b_results_with_their_evidence(registrar, city, make_entry):
    eid = b_row(registrar, make_entry, name="王小明")
    make_entry(name="未处理")  # pending rows are not B results
    rows = list(review.b_results(city))
    assert [(r.entry_id, r.name, r.code, r.county_name) for r in rows] == [(eid, "王小明", "B1", "唐河县")]
    assert sorted(rows[0].evidence) == ["村（居）委会证明", "辖区派出所证明"]
    assert rows[0].proof_person == "派出所赵警官" and rows[0].review_label == ""


def test_a_city_flags_a_b_result_and_the_county_sees_it(registrar, city, make_entry):
    eid = b_row(registrar, make_entry)
    assert review.flag(city, {eid: 2}, f"  {NOTE} ") == [eid]
    e = Entry.get_by_id(eid)
    assert (e.review_state, e.review_note, e.review_by, e.version) == ("flagged", NOTE, "nanyang", 3)
    assert ledger.count(registrar, LedgerQuery(status="processed", review="flagged")) == 1
    assert review.flagged_count(registrar) == 1
    steps = ledger.detail(registrar, eid).reviews
    assert [(s.label, s.note, s.by, s.version) for s in steps] == [("标记需复核", NOTE, "nanyang", 3)]
    log = AuditLog.get((AuditLog.verb == "review") & (AuditLog.target == f"entry:{eid}"))
    assert log.login == "nanyang" and "flag" in log.detail and NOTE in log.detail


def test_province_accounts_flag_too(admin, registrar, make_entry):
    province = accounts.add(admin, "henan", "省督导", "province", "410000")
    eid = b_row(registrar, make_entry)
    assert review.flag(province, {eid: 2}, NOTE) == [eid]


def test_county_and_school_accounts_cannot_flag_and_the_refusal_is_audited(admin, registrar, make_entry):
    from kongcuo_tui.db.models import School

    school = School.create(name="源潭镇中心小学", county="411328")
    teacher = accounts.add(admin, "yt", "源潭小学", "school", "411328", school=school.name)
    eid = b_row(registrar, make_entry, school=school.id)
    for who in (registrar, teacher):
        with pytest.raises(PermissionDenied, match="只有市级、省级账号"):
            review.flag(who, {eid: 2}, NOTE)
    assert Entry.get_by_id(eid).review_state == "" and Review.select().count() == 0
    assert AuditLog.select().where((AuditLog.verb == "denied") & (AuditLog.target == "review")).count() == 2


def test_another_citys_rows_cannot_be_flagged(admin, registrar, city, make_entry):
    zhengzhou = accounts.add(admin, "zz", "郑州县级", "county", "410102")
    other = b_row(zhengzhou, make_entry, region="410102")
    mine = b_row(registrar, make_entry)
    with pytest.raises(PermissionDenied, match="1 条记录不存在或不在您的管辖范围内"):
        review.flag(city, {mine: 2, other: 2}, NOTE)
    assert [e.review_state for e in Entry.select().order_by(Entry.id)] == ["", ""]  # all or nothing
    assert [r.entry_id for r in review.b_results(city)] == [mine]


def test_only_b_results_are_flagged_and_a_note_is_required(registrar, city, make_entry):
    eid = b_row(registrar, make_entry)
    pending = make_entry(name="待处理")
    with pytest.raises(ServiceError, match="待处理 不是 B 类结果"):
        review.flag(city, {eid: 2, pending: 1}, NOTE)
    with pytest.raises(ServiceError, match="请填写需复核的原因"):
        review.flag(city, {eid: 2}, "   ")
    assert Entry.get_by_id(eid).review_state == ""


def test_a_flag_on_a_row_changed_since_it_was_shown_is_refused(registrar, city, make_entry):
    eid = b_row(registrar, make_entry)
    assert classify.classify(registrar, {eid: 2}, B2, today=TODAY).ok  # re-classified meanwhile
    with pytest.raises(review.ReviewConflict, match="已被 tanghe"):
        review.flag(city, {eid: 2}, NOTE)
    assert Entry.get_by_id(eid).review_state == ""


def test_reclassifying_a_flagged_row_resubmits_it_in_the_same_save(registrar, city, make_entry):
    eid = b_row(registrar, make_entry)
    review.flag(city, {eid: 2}, NOTE)
    r = classify.classify(registrar, {eid: 3}, B2, today=TODAY)
    assert r.ok
    e = Entry.get_by_id(eid)
    assert (e.review_state, e.version, e.code) == ("resubmitted", 4, "B2")
    assert review.flagged_count(registrar) == 0
    d = ledger.detail(registrar, eid)
    assert [(s.label, s.by, s.version) for s in d.reviews] == [
        ("标记需复核", "nanyang", 3), ("重新提交（重新处理）", "tanghe", 4)]
    assert [h.code for h in d.history] == ["B1", "B2"]
    steps = [a.detail for a in AuditLog.select().where(AuditLog.verb == "review").order_by(AuditLog.id)]
    assert "flag" in steps[0] and "reclassify" in steps[1]


def test_a_county_form_opened_before_the_flag_cannot_save_over_it(registrar, city, make_entry):
    eid = b_row(registrar, make_entry)
    review.flag(city, {eid: 2}, NOTE)
    r = classify.classify(registrar, {eid: 2}, B2, today=TODAY)
    assert not r.applied and "nanyang" in r.conflicts[0].message
    assert Entry.get_by_id(eid).review_state == "flagged"


def test_the_county_resubmits_with_added_evidence(registrar, city, make_entry):
    eid = b_row(registrar, make_entry, c=B2)
    review.flag(city, {eid: 2}, "学籍卡复印件不清楚")
    with pytest.raises(PermissionDenied, match="只有县级学籍管理员"):
        review.resubmit(city, eid, 3, "已补充")
    with pytest.raises(ServiceError, match="请填写重新提交的说明"):
        review.resubmit(registrar, eid, 3, "")
    with pytest.raises(ServiceError, match="B2 不需要这些材料：辖区派出所证明"):
        review.resubmit(registrar, eid, 3, "已补充", frozenset({"police_proof"}))
    with pytest.raises(review.ReviewConflict):
        review.resubmit(registrar, eid, 2, "已补充")
    assert review.resubmit(registrar, eid, 3, "已重新扫描学籍卡", frozenset({"registry_card"}), today=TODAY) == 4
    e = Entry.get_by_id(eid)
    assert (e.review_state, e.code, e.version) == ("resubmitted", "B2", 4)
    assert EvidenceItem.select().where(EvidenceItem.entry == eid).count() == 1  # on file already: not twice
    steps = ledger.detail(registrar, eid).reviews
    assert [(s.label, s.note) for s in steps][-1] == ("重新提交（补充材料）", "已重新扫描学籍卡")
    with pytest.raises(ServiceError, match="没有被标记为需复核"):
        review.resubmit(registrar, eid, 4, "再交一次")


def test_review_counts_per_county_for_the_roll_up(admin, registrar, city, make_entry):
    flagged, again, _quiet = (b_row(registrar, make_entry) for _ in range(3))
    review.flag(city, {flagged: 2, again: 2}, NOTE)
    assert classify.classify(registrar, {again: 3}, B2, today=TODAY).ok
    counts = review.review_counts(city)
    assert list(counts) == ["411328"]
    c = counts["411328"]
    assert (c.name, c.b_results, c.flagged, c.resubmitted) == ("唐河县", 3, 1, 1)
    assert [r.entry_id for r in review.b_results(city, state=ReviewState.FLAGGED)] == [flagged]


def test_a_note_keeps_no_terminal_controls(registrar, city, make_entry):
    eid = b_row(registrar, make_entry)
    review.flag(city, {eid: 2}, "请核实\x1b[2J\u202e证明")
    assert Entry.get_by_id(eid).review_note == "请核实证明"
