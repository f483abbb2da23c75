"""Recording a verified ID (核实证件号码): the full check, the upstream value kept, history and audit."""

from __future__ import annotations

from datetime import date

import pytest
from stdnum.cn import ric

from kongcuo_tui.db.models import AuditLog, Entry, IdVerificationRecord
from kongcuo_tui.domain.verified_ids import IdVerification, id_reason
from kongcuo_tui.services import accounts, ledger, verified_ids
from kongcuo_tui.services.errors import PermissionDenied
from kongcuo_tui.services.types import LedgerQuery
from support import TODAY



def make_id(region: str, birth: date, n: int) -> str:
    body = f"{region}{birth:%Y%m%d}{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


GOOD = make_id("411328", date(2013, 5, 1), 77)
BAD = GOOD[:-1] + ("0" if GOOD[-1] != "0" else "1")  # a wrong check character: the typical typo


def proof(number=GOOD, person="城郊派出所 李警官", on=date(2026, 11, 20)):
    return IdVerification(number, person, on)


@pytest.fixture
def bad_row(make_entry):
    return make_entry(name="王小明", id_number=BAD, id_raw="", id_ok=False, id_issue_code="id_checksum",
                      id_issue="校验位错误")


def test_a_verified_id_is_saved_beside_the_upstream_one_with_history_and_audit(registrar, bad_row):
    r = verified_ids.record(registrar, bad_row, 1, proof(), today=TODAY)
    assert r.ok and r.applied == [bad_row]
    e = Entry.get_by_id(bad_row)
    assert (e.id_number, e.id_ok, e.verified_id, e.version) == (BAD, False, GOOD, 2)
    assert (e.verified_proof_person, e.verified_proof_date, e.verified_by) == ("城郊派出所 李警官", date(2026, 11, 20), "tanghe")
    rec = IdVerificationRecord.get(IdVerificationRecord.entry == bad_row)
    assert (rec.upstream_id, rec.verified_id, rec.version, rec.by) == (BAD, GOOD, 2, "tanghe")
    log = AuditLog.get(AuditLog.verb == "verify_id")
    assert log.target == f"entry:{bad_row}" and BAD in log.detail and GOOD in log.detail
    d = ledger.detail(registrar, bad_row)
    assert d.row.id_number == BAD and d.row.verified_id == GOOD
    assert [v.verified_id for v in d.verifications] == [GOOD]


@pytest.mark.parametrize("number, words", [
    (BAD, "校验位应为"),
    ("411328201302301234", "不是有效日期"),
    ("999999201305010017", "行政区划"),
    ("41132820130501", "有 14 位"),
    ("", "请填写核实后的证件号码"),
])
def test_a_number_failing_the_full_check_is_refused_with_its_reason(registrar, bad_row, number, words):
    r = verified_ids.record(registrar, bad_row, 1, proof(number), today=TODAY)
    assert not r.applied and words in r.failures[0].errors[0].message
    assert r.failures[0].errors[0].field == "verified_id"
    e = Entry.get_by_id(bad_row)
    assert (e.verified_id, e.version) == ("", 1) and not IdVerificationRecord.select().exists()


def test_proof_person_and_a_past_date_are_required(registrar, bad_row):
    r = verified_ids.record(registrar, bad_row, 1, proof(person=" ", on=date(2027, 1, 1)), today=TODAY)
    assert {e.field for e in r.failures[0].errors} == {"proof_person", "proof_date"}


def test_a_lowercase_x_is_accepted_and_stored_upper_case():
    number = next(make_id("411328", date(2013, 5, 1), n) for n in range(1000)
                  if make_id("411328", date(2013, 5, 1), n).endswith("X"))
    assert id_reason(number.lower(), TODAY) is None
    assert id_reason(number[:6] + number[8:17], TODAY).startswith("核实证件号码须为 18 位")


def test_a_stale_version_is_a_conflict_and_changes_nothing(registrar, bad_row):
    assert verified_ids.record(registrar, bad_row, 1, proof(), today=TODAY).ok
    r = verified_ids.record(registrar, bad_row, 1, proof(make_id("411328", date(2013, 5, 1), 78)), today=TODAY)
    assert not r.applied and r.conflicts[0].entry_id == bad_row and "tanghe" in r.conflicts[0].message
    assert Entry.get_by_id(bad_row).verified_id == GOOD


def test_a_number_already_on_another_row_of_the_county_is_refused(registrar, bad_row, make_entry):
    other = make_entry(name="王小明")
    number = Entry.get_by_id(other).id_number
    r = verified_ids.record(registrar, bad_row, 1, proof(number), today=TODAY)
    assert "疑似同一儿童重复" in r.failures[0].errors[0].message


def test_only_county_or_admin_accounts_in_scope_may_record(admin, registrar, bad_row, make_entry):
    city = accounts.add(admin, "nanyang", "市局", "city", "411300")
    with pytest.raises(PermissionDenied):
        verified_ids.record(city, bad_row, 1, proof(), today=TODAY)
    other_county = accounts.add(admin, "tongbai", "桐柏", "county", "411330")
    with pytest.raises(PermissionDenied):
        verified_ids.record(other_county, bad_row, 1, proof(), today=TODAY)
    assert AuditLog.select().where(AuditLog.verb == "denied").count() == 2
    assert Entry.get_by_id(bad_row).verified_id == ""


def test_the_id_filter_separates_unverified_wrong_ids_from_verified_ones(registrar, bad_row, make_entry):
    make_entry(name="李四", id_number=BAD[:-3] + "999", id_ok=False)
    make_entry(name="好号")
    verified_ids.record(registrar, bad_row, 1, proof(), today=TODAY)
    unverified = ledger.page(registrar, LedgerQuery(status=None, bad_id=True, verified=False), 0, 10)
    verified = ledger.page(registrar, LedgerQuery(status=None, verified=True), 0, 10)
    assert [r.name for r in unverified] == ["李四"] and [r.name for r in verified] == ["王小明"]
    assert [r.name for r in ledger.page(registrar, LedgerQuery(status=None, search=GOOD), 0, 10)] == ["王小明"]
