"""Classifying rows: what is saved, what is refused, and that batches are all-or-nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from playhouse.test_utils import assert_query_count

from kongcuo_tui.db.models import AuditLog, Entry, EvidenceItem, History, School
from kongcuo_tui.domain.codes import Action
from kongcuo_tui.domain.rules import Classification
from kongcuo_tui.services import accounts, classify, ledger
from kongcuo_tui.services.errors import PermissionDenied, ServiceError

TODAY = date(2026, 11, 29)  # the same day as tests/conftest.py

B2 = Classification(
    action=Action.ENROLLED, code="B2", proof_person="源潭镇中心小学 王老师", proof_date=date(2026, 11, 20),
    notes="已在源潭镇中心小学就读并注册学籍", study_region="411328", study_school="源潭镇中心小学",
    evidence=frozenset({"registry_card"}),
)
UNCONFIRMED = Classification(
    action=Action.UNCONFIRMED, code="99", proof_person="张丽", proof_date=date(2026, 11, 10),
    notes="正在联系监护人核实就读情况",
)
B6 = Classification(
    action=Action.DROPOUT, code="B6", proof_person="派出所赵警官", proof_date=date(2026, 11, 20),
    notes="已离校", evidence=frozenset({"household_proof"}),
)


def run(actor, versions, c, **kw):
    return classify.classify(actor, versions, c, today=TODAY, **kw)


def test_classifying_one_row_saves_everything_a_registrar_entered(registrar, make_entry):
    eid = make_entry(name="王小明")
    r = run(registrar, {eid: 1}, B2)
    assert r.ok and r.applied == [eid]
    e = Entry.get_by_id(eid)
    assert (e.status, e.action, e.code, e.version) == ("processed", "实际就读", "B2", 2)
    assert (e.proof_person, e.proof_date, e.study_school) == ("源潭镇中心小学 王老师", date(2026, 11, 20), "源潭镇中心小学")
    assert e.study_place == "河南省南阳市唐河县" and e.handled_by == "tanghe"
    h = History.get(History.entry == eid)
    assert (h.version, h.code, h.evidence, h.by) == (2, "B2", "registry_card", "tanghe")
    ev = EvidenceItem.get(EvidenceItem.entry == eid)
    assert (ev.kind, ev.received_on, ev.recorded_by) == ("registry_card", date(2026, 11, 20), "tanghe")
    log = AuditLog.get((AuditLog.verb == "classify") & (AuditLog.target == f"entry:{eid}"))
    assert log.login == "tanghe" and "B2" in log.detail and "pending" in log.detail
    assert ledger.count(registrar, ledger.LedgerQuery(status="processed")) == 1


def test_b6_graduation_destination_is_saved_on_the_row_and_in_history(registrar, make_entry):
    eid = make_entry(birth_date=date(2011, 3, 1))  # 15 at the cutoff
    refused = run(registrar, {eid: 1}, replace(B6, notes="已毕业"))
    assert [e.field for f in refused.failures for e in f.errors] == ["graduation"]
    r = run(registrar, {eid: 1}, replace(B6, graduation=" 初中毕业后在家务农 "))
    assert r.ok and r.applied == [eid]
    assert Entry.get_by_id(eid).graduation == "初中毕业后在家务农"
    assert History.get(History.entry == eid).graduation == "初中毕业后在家务农"
    assert ledger.detail(registrar, eid).graduation == "初中毕业后在家务农"


def test_graduation_destination_is_kept_only_for_b6(registrar, make_entry):
    eid = make_entry()
    run(registrar, {eid: 1}, replace(UNCONFIRMED, graduation="升入高中"))
    assert Entry.get_by_id(eid).graduation == "" and History.get(History.entry == eid).graduation == ""


def test_school_must_be_on_the_study_countys_list(registrar, make_entry):
    School.create(name="源潭镇中心小学", county="411328")
    eid = make_entry()
    r = run(registrar, {eid: 1}, replace(B2, study_school="不存在小学"))
    assert not r.applied
    assert "“不存在小学”不在本县学校名单中" in r.failures[0].errors[0].message
    assert run(registrar, {eid: 1}, B2).applied == [eid]


def test_reclassifying_99_to_b2_keeps_both_results_in_history(registrar, make_entry):
    eid = make_entry()
    run(registrar, {eid: 1}, UNCONFIRMED)
    r = run(registrar, {eid: 2}, B2)
    assert r.ok
    d = ledger.detail(registrar, eid)
    assert [(h.version, h.code, h.code_name) for h in d.history] == [(2, "99", "未确认完成"), (3, "B2", "在校有学籍")]
    assert d.history[1].study_place == "河南省南阳市唐河县"
    assert d.row.code == "B2" and d.row.version == 3


def test_evidence_already_on_file_counts_and_is_not_recorded_twice(registrar, make_entry):
    eid = make_entry()
    EvidenceItem.create(entry=eid, kind="registry_card", recorded_by="someone")
    r = run(registrar, {eid: 1}, replace(B2, evidence=frozenset()))
    assert r.ok
    assert EvidenceItem.select().where(EvidenceItem.entry == eid).count() == 1
    assert History.get(History.entry == eid).evidence == "registry_card"


def test_lowercase_code_is_saved_as_the_table_spells_it(registrar, make_entry):
    eid = make_entry()
    assert run(registrar, {eid: 1}, replace(B2, code="b2")).ok
    assert Entry.get_by_id(eid).code == "B2"


def test_one_invalid_row_stops_the_whole_batch(registrar, make_entry):
    old = [make_entry(birth_date=date(2009, 3, 1)) for _ in range(4)]
    young = make_entry(name="李小红", birth_date=date(2013, 5, 1))
    versions = {i: 1 for i in old + [young]}
    r = run(registrar, versions, B6)
    assert r.applied == []
    assert [(f.entry_id, f.name) for f in r.failures] == [(young, "李小红")]
    assert "13 周岁" in r.failures[0].errors[0].message
    assert Entry.select().where(Entry.status == "processed").count() == 0
    assert History.select().count() == 0 and EvidenceItem.select().count() == 0


def test_partial_batch_applies_the_valid_rows_and_lists_the_others(registrar, make_entry):
    old = [make_entry(birth_date=date(2009, 3, 1)) for _ in range(3)]
    young = make_entry(birth_date=date(2013, 5, 1))
    r = run(registrar, {i: 1 for i in old + [young]}, B6, partial=True)
    assert sorted(r.applied) == sorted(old)
    assert [f.entry_id for f in r.failures] == [young] and not r.ok
    assert Entry.get_by_id(young).status == "pending"
    assert History.select().count() == 3


def test_check_validates_without_saving(registrar, make_entry):
    eid = make_entry()
    r = classify.check(registrar, {eid: 1}, replace(B2, proof_person=""), today=TODAY)
    assert r.failures and r.failures[0].errors[0].field == "proof_person"
    assert classify.check(registrar, {eid: 1}, B2, today=TODAY).ok
    assert Entry.get_by_id(eid).status == "pending"


def test_stale_version_is_a_conflict_naming_who_and_when(registrar, admin, make_entry):
    eid = make_entry(name="王小明")
    run(admin, {eid: 1}, UNCONFIRMED)  # someone else saved first
    before = Entry.get_by_id(eid)
    r = run(registrar, {eid: 1}, B2)
    assert r.applied == [] and len(r.conflicts) == 1
    c = r.conflicts[0]
    assert (c.entry_id, c.name, c.changed_by) == (eid, "王小明", "admin")
    assert c.changed_at == before.updated_at
    assert "admin" in c.message and f"{before.updated_at:%Y-%m-%d %H:%M}" in c.message
    after = Entry.get_by_id(eid)
    assert (after.code, after.version) == ("99", 2)


def test_a_conflict_in_a_batch_stops_the_batch_unless_partial(registrar, admin, make_entry):
    a, b = make_entry(), make_entry()
    run(admin, {a: 1}, UNCONFIRMED)
    assert run(registrar, {a: 1, b: 1}, B2).applied == []
    assert Entry.get_by_id(b).status == "pending"
    r = run(registrar, {a: 1, b: 1}, B2, partial=True)
    assert r.applied == [b] and [c.entry_id for c in r.conflicts] == [a]
    assert Entry.get_by_id(a).code == "99"


@pytest.mark.parametrize("role, region", [("city", "411300"), ("province", "410000"), ("school", "411328")])
def test_read_only_accounts_cannot_classify(admin, make_entry, role, region):
    School.create(name="源潭镇中心小学", county="411328")
    actor = accounts.add(admin, "viewer", "观察员", role, region, school="源潭镇中心小学")
    eid = make_entry()
    with pytest.raises(PermissionDenied):
        run(actor, {eid: 1}, B2)
    assert Entry.get_by_id(eid).status == "pending"


def test_rows_outside_the_county_are_refused(registrar, make_entry):
    mine = make_entry()
    theirs = make_entry(region="411330")
    with pytest.raises(PermissionDenied) as e:
        run(registrar, {mine: 1, theirs: 1}, B2)
    assert "1 条" in str(e.value)
    assert Entry.select().where(Entry.status == "processed").count() == 0


def test_empty_selection_is_refused(registrar):
    with pytest.raises(ServiceError):
        run(registrar, {}, B2)


def test_classifying_50_rows_takes_a_fixed_number_of_queries(registrar, make_entry):
    ids = [make_entry() for _ in range(50)]
    # The account twice (its rights, then its scope), entries, evidence, update, history,
    # evidence, audit, account.
    with assert_query_count(9):
        r = run(registrar, {i: 1 for i in ids}, B2)
    assert sorted(r.applied) == sorted(ids)
    assert History.select().count() == 50 and EvidenceItem.select().count() == 50
    assert AuditLog.select().where(AuditLog.verb == "classify").count() == 50


def test_rows_shown_at_different_versions_are_saved_together(registrar, make_entry):
    fresh, redone = make_entry(), make_entry()
    run(registrar, {redone: 1}, UNCONFIRMED)
    r = run(registrar, {fresh: 1, redone: 2}, B2)
    assert sorted(r.applied) == sorted([fresh, redone])
    assert Entry.get_by_id(fresh).version == 2 and Entry.get_by_id(redone).version == 3
    assert [h.version for h in History.select().where(History.entry == redone).order_by(History.id)] == [2, 3]


def _race(monkeypatch, victim: int) -> None:
    """Another registrar saves `victim` after our rows were read but before they are written."""
    real = classify._existing_evidence

    def sneaky(ids):
        Entry.update(version=Entry.version + 1, handled_by="lisi").where(Entry.id == victim).execute()
        return real(ids)

    monkeypatch.setattr(classify, "_existing_evidence", sneaky)


def test_a_row_lost_to_a_concurrent_save_stops_the_batch(registrar, make_entry, monkeypatch):
    a, b = make_entry(), make_entry(name="被抢先")
    _race(monkeypatch, b)
    r = run(registrar, {a: 1, b: 1}, B2)
    assert r.applied == [] and [(c.entry_id, c.changed_by) for c in r.conflicts] == [(b, "lisi")]
    assert Entry.get_by_id(a).status == "pending" and History.select().count() == 0


def test_a_row_lost_to_a_concurrent_save_is_reported_in_a_partial_batch(registrar, make_entry, monkeypatch):
    a, b = make_entry(), make_entry()
    _race(monkeypatch, b)
    r = run(registrar, {a: 1, b: 1}, B2, partial=True)
    assert r.applied == [a] and [c.entry_id for c in r.conflicts] == [b]
    assert Entry.get_by_id(b).status == "pending"
