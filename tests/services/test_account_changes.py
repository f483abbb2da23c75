"""Account changes by administrators, refusals in the audit, and services that trust only the
account row, never an Actor a caller built (both engines)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest

from kongcuo_tui.db.models import AuditLog, School
from kongcuo_tui.domain.codes import Action
from kongcuo_tui.domain.rules import Classification
from kongcuo_tui.exports.ledger import export_ledger
from kongcuo_tui.imports.upstream import resolve_region
from kongcuo_tui.services import accounts, classify, ledger, reports
from kongcuo_tui.services.errors import PermissionDenied
from kongcuo_tui.services.types import LedgerQuery

ALL = LedgerQuery(status=None)
UNCONFIRMED = Classification(
    action=Action.UNCONFIRMED, code="99", proof_person="张丽", proof_date=date(2026, 11, 10),
    notes="正在联系监护人核实就读情况",
)


def _log(verb: str) -> list[tuple]:
    q = AuditLog.select().where(AuditLog.verb == verb).order_by(AuditLog.id)
    return [(a.login, a.target, json.loads(a.detail) if a.detail else {}) for a in q]


def test_without_an_administrator_only_the_first_account_can_be_added(admin):
    with pytest.raises(PermissionDenied):
        accounts.add(None, "mallory", "x", "admin", "410000")
    assert [a.login for a in accounts.list_all(admin)] == ["admin"]


def test_admin_disables_enables_and_changes_roles_and_each_change_is_audited(admin, registrar):
    accounts.disable(admin, "tanghe")
    with pytest.raises(PermissionDenied) as e:
        accounts.resolve("tanghe")
    assert "已停用" in str(e.value) and "user add" not in str(e.value)
    assert [(a.login, a.active) for a in accounts.list_all(admin)] == [("admin", True), ("tanghe", False)]
    accounts.enable(admin, "tanghe")
    assert accounts.resolve("tanghe").role == "county"
    city = accounts.set_role(admin, "tanghe", "city", "411300")
    assert (city.role, city.region, city.region_name) == ("city", "411300", "河南省南阳市")
    assert _log("account")[-3:] == [
        ("admin", "account:tanghe", {"action": "disable"}),
        ("admin", "account:tanghe", {"action": "enable"}),
        ("admin", "account:tanghe", {"action": "set-role", "role": "city", "region": "411300"}),
    ]


def test_only_admins_change_accounts_and_every_refusal_is_audited(admin, registrar):
    attempts = [
        lambda: accounts.disable(registrar, "admin"),
        lambda: accounts.enable(registrar, "tanghe"),
        lambda: accounts.set_role(registrar, "tanghe", "admin", "410000"),
        lambda: accounts.add(registrar, "x", "x", "county", "411328"),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    assert accounts.resolve("tanghe").role == "county" and accounts.resolve("admin").role == "admin"
    assert [(who, target) for who, target, _ in _log("denied")] == [
        ("tanghe", "account:admin"), ("tanghe", "account:tanghe"), ("tanghe", "account:tanghe"),
        ("tanghe", "account:x"),
    ]


def test_an_admin_cannot_disable_or_demote_themself(admin):
    with pytest.raises(PermissionDenied):
        accounts.disable(admin, "admin")
    with pytest.raises(PermissionDenied):
        accounts.set_role(admin, "admin", "county", "411328")
    assert accounts.resolve("admin").role == "admin"


def test_a_forged_actor_gets_the_scope_and_rights_of_its_account(admin, registrar, make_entry):
    eid = make_entry()
    make_entry(region="411330")
    forged = replace(registrar, role="admin", region="410000", region_name="河南省")
    assert ledger.count(forged, ALL) == 1
    assert {r["区划"] for r in reports.summary(forged)} == {"411328 河南省南阳市唐河县", "总计"}
    accounts.set_role(admin, "tanghe", "city", "411300")
    with pytest.raises(PermissionDenied):  # the Actor still says county; the account does not
        classify.classify(registrar, {eid: 1}, UNCONFIRMED, today=date(2026, 11, 29))
    accounts.disable(admin, "tanghe")
    with pytest.raises(PermissionDenied) as e:
        ledger.count(registrar, ALL)
    assert "已停用" in str(e.value)


def test_refused_exports_and_classifications_are_audited(admin, registrar, make_entry, tmp_path):
    other = make_entry(region="411330")
    with pytest.raises(PermissionDenied):
        export_ledger(registrar, tmp_path / "o.xlsx", region="411330")
    with pytest.raises(PermissionDenied):
        classify.classify(registrar, {other: 1}, UNCONFIRMED, today=date(2026, 11, 29))
    city = accounts.add(admin, "nanyang", "南阳", "city", "411300")
    with pytest.raises(PermissionDenied):
        classify.classify(city, {other: 1}, UNCONFIRMED, today=date(2026, 11, 29))
    with pytest.raises(PermissionDenied):
        resolve_region(city, "411328")  # a city account may not import
    denied = _log("denied")
    assert [(who, target) for who, target, _ in denied] == [
        ("tanghe", "export"), ("tanghe", "classify"), ("nanyang", "classify"), ("nanyang", "import")]
    assert all(d["reason"] for _, _, d in denied)
    assert not _log("export") and not _log("classify")


def test_a_school_account_whose_school_is_gone_sees_nothing(admin, make_entry):
    school = School.create(name="源潭镇中心小学", county="411328")
    s = accounts.add(admin, "s", "s", "school", "411328", school="源潭镇中心小学")
    make_entry(school=school.id)
    for region in ("411328", "411330", "419001"):
        make_entry(region=region)  # rows with no school
    assert ledger.count(s, ALL) == 1
    school.delete_instance()
    for actor in (s, accounts.resolve("s")):  # the one held since login, and a fresh one
        assert actor.login == "s" and ledger.count(actor, ALL) == 0
        assert reports.summary(actor) == []


def test_an_over_long_name_is_refused_in_chinese_on_both_engines(admin):
    import pytest

    from kongcuo_tui.services import accounts
    from kongcuo_tui.services.errors import ServiceError

    with pytest.raises(ServiceError, match="姓名.*最多 64 个字"):
        accounts.add(admin, "longname", "张" * 65, "county", "411328")
    with pytest.raises(ServiceError, match="登录名.*最多 64 个字"):
        accounts.add(admin, "u" * 65, "张三", "county", "411328")
