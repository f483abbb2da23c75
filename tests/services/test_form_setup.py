"""What a classification form starts with (services.form_setup.prepare), on both engines."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from kongcuo_tui.db.models import School
from kongcuo_tui.domain.codes import Action
from kongcuo_tui.domain.rules import Classification
from kongcuo_tui.services import accounts, classify, form_setup
from kongcuo_tui.services.errors import PermissionDenied

TODAY = date(2026, 11, 29)
NOTE = Classification(Action.UNCONFIRMED, "99", "张丽", date(2026, 11, 10), "正在核实")


def save(actor, eid, person: str) -> None:
    version = form_setup.prepare(actor, Action.UNCONFIRMED, [eid], TODAY).targets[eid]
    assert classify.classify(actor, {eid: version}, replace(NOTE, proof_person=person), today=TODAY).ok


def test_proof_person_starts_as_the_registrar_not_the_last_one_typed(registrar, make_entry):
    done, fresh = make_entry(), make_entry()
    save(registrar, done, "派出所赵警官")
    setup = form_setup.prepare(registrar, Action.UNCONFIRMED, [fresh], TODAY)
    assert setup.proof_person == "张丽"
    assert setup.person_choices == ("张丽", "派出所赵警官")


def test_recent_proof_people_are_this_accounts_last_five_newest_first(admin, registrar, make_entry):
    other = accounts.add(admin, "tanghe2", "王强", "county", "411328")
    for person in ["甲", "乙", "丙", "丁", "戊", "己", "乙"]:
        save(registrar, make_entry(), person)
    save(other, make_entry(), "别人的证明人")
    setup = form_setup.prepare(registrar, Action.UNCONFIRMED, [make_entry()], TODAY)
    assert setup.person_choices == ("张丽", "乙", "己", "戊", "丁", "丙")


def test_reclassifying_one_row_starts_from_its_current_result(registrar, make_entry):
    eid = make_entry()
    save(registrar, eid, "赵老师")
    same = form_setup.prepare(registrar, Action.UNCONFIRMED, [eid], TODAY)
    assert (same.proof_person, same.notes, same.proof_date) == ("赵老师", "正在核实", date(2026, 11, 10))
    other = form_setup.prepare(registrar, Action.ENROLLED, [eid], TODAY)
    assert (other.proof_person, other.notes, other.proof_date) == ("赵老师", "", TODAY)


def test_county_registrar_starts_enrolled_form_in_own_county_with_its_schools(registrar, admin, make_entry):
    School.create(name="源潭镇中心小学", county="411328", stage="小学")
    School.create(name="新野县第一小学", county="411329", stage="小学")
    eid = make_entry()
    setup = form_setup.prepare(registrar, Action.ENROLLED, [eid], TODAY)
    assert setup.study_region == "411328"
    assert [s.name for s in setup.schools] == ["源潭镇中心小学"]
    assert form_setup.prepare(admin, Action.ENROLLED, [eid], TODAY).study_region is None


def test_batch_lists_names_in_row_order_and_versions(registrar, make_entry):
    ids = [make_entry(name=n) for n in ("甲", "乙", "丙")]
    setup = form_setup.prepare(registrar, Action.UNCONFIRMED, list(reversed(ids)), TODAY)
    assert setup.names == ["甲", "乙", "丙"] and setup.targets == {i: 1 for i in ids}


@pytest.mark.parametrize("role, region", [("city", "411300"), ("province", "410000")])
def test_read_only_accounts_get_the_reason_before_any_form(admin, make_entry, role, region):
    viewer = accounts.add(admin, "viewer", "观察员", role, region)
    with pytest.raises(PermissionDenied) as e:
        form_setup.prepare(viewer, Action.DROPOUT, [make_entry()], TODAY)
    assert "不能处理台账" in str(e.value)
