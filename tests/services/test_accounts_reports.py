"""Accounts and roles, the summary report, and the audit trail they leave."""

from __future__ import annotations

import json

import pytest

from kongcuo_tui.db.models import AuditLog, School
from kongcuo_tui.services import accounts, reports
from kongcuo_tui.services.errors import NotFound, PermissionDenied, ServiceError
from kongcuo_tui.services.scope import region_in_scope


def test_admin_adds_accounts_and_the_addition_is_audited(admin):
    a = accounts.add(admin, "nanyang", "南阳市教育局", "city", "411300")
    assert (a.role, a.region, a.region_name) == ("city", "411300", "河南省南阳市")
    log = AuditLog.get(AuditLog.target == "account:nanyang")
    assert log.login == "admin" and json.loads(log.detail) == {"role": "city", "region": "411300"}
    assert [x.login for x in accounts.list_all(admin)] == ["admin", "nanyang"]


def test_only_admins_add_accounts(registrar):
    with pytest.raises(PermissionDenied):
        accounts.add(registrar, "x", "x", "county", "411328")


@pytest.mark.parametrize("role, region, words", [
    ("county", "411300", ["县级", "411300", "市级"]),
    ("city", "411328", ["市级", "唐河县"]),
    ("province", "411300", ["省级"]),
    ("county", "999999", ["999999", "不存在"]),
    ("boss", "411328", ["boss"]),
])
def test_role_must_match_the_region_level(admin, role, region, words):
    with pytest.raises(ServiceError) as e:
        accounts.add(admin, "x", "x", role, region)
    assert all(w in str(e.value) for w in words), str(e.value)


def test_jiyuan_can_have_a_county_account(admin):
    assert accounts.add(admin, "jiyuan", "济源", "county", "419001").region_name == "河南省济源市"


def test_school_accounts_need_an_existing_school_of_that_county(admin):
    School.create(name="源潭镇中心小学", county="411328")
    with pytest.raises(ServiceError):
        accounts.add(admin, "s", "s", "school", "411328")
    with pytest.raises(ServiceError) as e:
        accounts.add(admin, "s", "s", "school", "411330", school="源潭镇中心小学")
    assert "源潭镇中心小学" in str(e.value)
    s = accounts.add(admin, "s", "s", "school", "411328", school="源潭镇中心小学")
    assert s.school_id is not None and not s.can_classify and s.can_record_persuasion


def test_duplicate_login_is_refused(admin):
    with pytest.raises(ServiceError) as e:
        accounts.add(admin, "admin", "again", "admin", "410000")
    assert "admin" in str(e.value)


def test_resolve_unknown_or_inactive_login(registrar):
    from kongcuo_tui.db.models import Account

    assert accounts.resolve("tanghe").region_name == "河南省南阳市唐河县"
    with pytest.raises(NotFound) as e:
        accounts.resolve("nobody")
    assert "kongcuo user add nobody" in str(e.value)
    Account.update(active=False).where(Account.login == "tanghe").execute()
    with pytest.raises(PermissionDenied) as e:
        accounts.resolve("tanghe")
    # Adding the account again would fail (it exists): the way back is an administrator.
    assert "已停用" in str(e.value) and "user add" not in str(e.value)


def test_region_in_scope_by_role(admin, registrar):
    city = accounts.add(admin, "nanyang", "南阳", "city", "411300")
    assert region_in_scope(registrar, "411328") and not region_in_scope(registrar, "411330")
    assert region_in_scope(city, "411330") and not region_in_scope(city, "419001")
    assert region_in_scope(admin, "419001") and not region_in_scope(admin, "320303")


def test_summary_counts_by_county_status_and_class(admin, make_entry):
    for code in ("A1", "A8", "B2", "99"):
        make_entry(status="processed", code=code)
    make_entry(id_ok=False)
    make_entry(region="411330")
    make_entry(region="419001", status="processed", code="B6", id_ok=False)
    make_entry(region="320303")  # another province: not in Henan's report
    city = accounts.add(admin, "nanyang", "南阳", "city", "411300")

    rows = {(r["区划"], r["状态"]): r for r in reports.summary(admin)}
    done = rows[("411328 河南省南阳市唐河县", "已处理")]
    assert (done["合计"], done["A类"], done["B类"], done["未确认(99)"], done["坏证件号"]) == (4, 2, 1, 1, 0)
    assert rows[("411328 河南省南阳市唐河县", "待本级处理")]["坏证件号"] == 1
    total = rows[("总计", "")]
    assert (total["合计"], total["坏证件号"]) == (7, 2)
    city_regions = {r["区划"] for r in reports.summary(city)}
    assert city_regions == {"411328 河南省南阳市唐河县", "411330 河南省南阳市桐柏县", "总计"}


def test_summary_of_an_empty_ledger_is_empty(registrar):
    assert reports.summary(registrar) == []
