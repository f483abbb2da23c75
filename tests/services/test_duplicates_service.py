"""疑似重复 on generated ledgers (both engines): each kind of typo, the shared-name negative,
link (B1 with a reference, history, audit) and different (the pair does not come back), scope."""

from __future__ import annotations

from datetime import date

import pytest
from stdnum.cn import ric

from kongcuo_tui.db.models import AuditLog, DuplicateDecision, Entry, History
from kongcuo_tui.domain.duplicates import Reason
from kongcuo_tui.services import accounts, duplicates
from kongcuo_tui.services.errors import PermissionDenied, ServiceError
from support import TODAY

EVIDENCE = frozenset({"police_proof", "village_proof"})


def valid(body17: str) -> str:
    return body17 + ric.calc_check_digit(body17 + "0")


def wrong_check(good: str) -> str:
    return good[:17] + ("0" if good[17] != "0" else "1")


@pytest.fixture
def ledger(make_entry):
    """Background children (several share names), plus one pair of each kind."""
    made = {}
    for i in range(40):  # 40 children, 8 names: shared names, different births and IDs
        birth = date(2010 + i % 5, 1 + i % 12, 1 + i % 27)
        make_entry(name="李" + "子梓浩宇轩涵欣怡"[i % 8], birth_date=birth,
                   id_number=valid(f"411328{birth:%Y%m%d}{100 + i * 7:03d}"))
    birth = date(2013, 5, 1)
    good = valid(f"411328{birth:%Y%m%d}012")
    made["name_birth"] = (make_entry(name="王丽", birth_date=birth, id_number=good),
                          make_entry(name="王 丽", birth_date=birth, id_number="411328201305019998", id_ok=False))
    good2 = valid("41132820120304031")
    made["one_digit"] = (make_entry(name="张伟", birth_date=date(2012, 3, 4), id_number=good2),
                         make_entry(name="张伟", birth_date=date(2012, 4, 3), id_ok=False,
                                    id_number=good2[:9] + ("5" if good2[9] != "5" else "6") + good2[10:]))
    good3 = valid("41132820110708053")
    made["transposed"] = (make_entry(name="刘洋", birth_date=date(2011, 7, 8), id_number=good3),
                          make_entry(name="刘洋", birth_date=date(2011, 8, 7), id_ok=False,
                                     id_number=good3[:14] + good3[15] + good3[14] + good3[16:]))
    good4 = valid("41133020140909064")
    made["same_id"] = (make_entry(name="陈静", region="411330", birth_date=date(2014, 9, 9), id_number=good4),
                       make_entry(name="陈静", region="411328", birth_date=date(2014, 9, 9), id_number=good4))
    # Two real children named 赵敏: other birth dates, IDs far apart.
    make_entry(name="赵敏", birth_date=date(2012, 1, 1), id_number=valid("41132820120101071"))
    make_entry(name="赵敏", birth_date=date(2013, 6, 2), id_number=valid("41132820130602082"))
    return made


def _pairs(actor):
    return {(p.a.id, p.b.id): p.reason for p in duplicates.find(actor)}


def test_each_kind_of_typo_is_found_and_shared_names_are_not(ledger, admin):
    found = _pairs(admin)
    assert found == {
        ledger["name_birth"]: Reason.SAME_NAME_BIRTH,
        ledger["one_digit"]: Reason.ONE_DIGIT,
        ledger["transposed"]: Reason.TRANSPOSED,
        ledger["same_id"]: Reason.SAME_ID_ACROSS_COUNTIES,
    }
    labels = {p.reason_label for p in duplicates.find(admin)}
    assert labels == {"姓名和出生日期相同、证件号码不同", "证件号码仅一位不同", "相邻两位颠倒", "跨县同一证件号码"}


def test_a_county_sees_its_own_pairs_and_a_city_sees_across_counties(ledger, admin, registrar):
    county = _pairs(registrar)
    assert ledger["same_id"] not in county and ledger["one_digit"] in county
    city = accounts.add(admin, "nanyang", "南阳市", "city", "411300")
    assert _pairs(city)[ledger["same_id"]] is Reason.SAME_ID_ACROSS_COUNTIES
    pair = next(p for p in duplicates.find(city) if p.cross_county)
    with pytest.raises(PermissionDenied, match="市级、省级账号只能查看"):
        duplicates.link(city, pair.a.id, pair.b.id, proof_person="王", proof_date=TODAY, evidence=EVIDENCE)
    assert AuditLog.select().where(AuditLog.verb == "denied").count() == 1
    with pytest.raises(ServiceError, match="不在您的管辖范围内"):
        duplicates.mark_different(registrar, *ledger["same_id"])


def test_link_classifies_the_other_row_b1_with_a_reference_and_the_pair_is_gone(ledger, registrar):
    keep, other = ledger["one_digit"]
    result = duplicates.link(registrar, keep, other, proof_person="张丽", proof_date=TODAY,
                             evidence=EVIDENCE, notes="派出所核实", today=TODAY)
    assert result.applied == [other]
    row = Entry.get_by_id(other)
    assert (row.status, row.code, row.version) == ("processed", "B1", 2)
    assert f"#{keep}" in row.notes and "户籍重复" in row.notes and "派出所核实" in row.notes
    assert Entry.get_by_id(keep).status == "pending"
    history = History.get(History.entry == other)
    assert (history.code, history.by) == ("B1", "tanghe") and f"#{keep}" in history.notes
    verbs = {a.verb for a in AuditLog.select()}
    assert {"classify", "duplicate_link"} <= verbs
    assert ledger["one_digit"] not in _pairs(registrar)
    with pytest.raises(ServiceError, match="已由 tanghe"):
        duplicates.link(registrar, keep, other, proof_person="张丽", proof_date=TODAY, evidence=EVIDENCE)


def test_a_link_that_fails_the_b1_rules_changes_nothing(ledger, registrar):
    keep, other = ledger["transposed"]
    result = duplicates.link(registrar, keep, other, proof_person="张丽", proof_date=TODAY, today=TODAY)
    assert not result.ok and "辖区派出所证明" in result.failures[0].errors[0].message
    assert Entry.get_by_id(other).status == "pending"
    assert DuplicateDecision.select().count() == 0
    assert ledger["transposed"] in _pairs(registrar)


def test_a_stale_version_is_a_conflict_not_an_overwrite(ledger, registrar):
    keep, other = ledger["name_birth"]
    result = duplicates.link(registrar, keep, other, proof_person="张丽", proof_date=TODAY,
                             evidence=EVIDENCE, version=0, today=TODAY)
    assert result.conflicts and not result.applied
    assert DuplicateDecision.select().count() == 0


def test_different_children_are_recorded_and_the_pair_does_not_come_back(ledger, registrar):
    a, b = ledger["name_birth"]
    duplicates.mark_different(registrar, b, a)
    assert ledger["name_birth"] not in _pairs(registrar)
    d = DuplicateDecision.get()
    assert (d.entry_a_id, d.entry_b_id, d.decision, d.by) == (a, b, "different", "tanghe")
    assert AuditLog.select().where(AuditLog.verb == "duplicate_different").count() == 1
    with pytest.raises(ServiceError, match="不是同一人"):
        duplicates.mark_different(registrar, a, b)


def test_a_demo_ledger_has_children_entered_twice_to_try(admin):
    from kongcuo_tui.services import demo

    demo.generate(rows=1200, seed=5, login=admin.login, today=TODAY)
    pairs = duplicates.find(admin)
    assert len(pairs) >= 2
    assert {p.reason for p in pairs} <= {Reason.ONE_DIGIT, Reason.TRANSPOSED}
    assert all(p.a.name == p.b.name and not p.b.id_ok for p in pairs)


def test_an_answer_recorded_meanwhile_refuses_the_second_in_chinese(ledger, registrar):
    """What the unique index does when two registrars answer one pair at once on PostgreSQL."""
    a, b = ledger["name_birth"]
    duplicates.mark_different(registrar, a, b)
    with pytest.raises(ServiceError, match="刚刚已由他人处理"):
        duplicates._decide(b, a, "linked", "other")
    assert DuplicateDecision.select().count() == 1
