"""Roles are one enum in domain/: labels, permissions and scope live there and nowhere else."""

from __future__ import annotations

from support import package_lines_matching

import re

from kongcuo_tui.domain.roles import Role


def test_five_roles_with_chinese_labels():
    assert [r.value for r in Role] == ["admin", "province", "city", "county", "school"]
    assert Role.ADMIN.label == "管理员（省级范围，可处理）"
    assert Role.COUNTY.label == "县级学籍管理员（处理、导出）"
    assert all(re.search(r"[\u4e00-\u9fff]", r.label) for r in Role)


def test_what_each_role_may_do():
    assert {r for r in Role if r.can_classify} == {Role.ADMIN, Role.COUNTY}
    assert {r for r in Role if r.can_record_persuasion} == {Role.ADMIN, Role.COUNTY, Role.SCHOOL}
    assert {r for r in Role if r.can_manage_accounts} == {Role.ADMIN}


def test_scope_and_region_level():
    from kongcuo_tui.domain.regions import CITY, COUNTY, PROVINCE

    assert (PROVINCE, CITY, COUNTY) == ("province", "city", "county")
    assert {r: r.scope_digits for r in Role} == {
        Role.ADMIN: 2, Role.PROVINCE: 2, Role.CITY: 4, Role.COUNTY: 6, Role.SCHOOL: None,
    }
    assert {r: r.region_level for r in Role} == {
        Role.ADMIN: "province", Role.PROVINCE: "province", Role.CITY: "city", Role.COUNTY: "county",
        Role.SCHOOL: None,
    }


# A role compared with a string, passed as one, or keyed by one (region levels share the names).
_ROLE_LITERAL = re.compile(
    r"""role\s*(==|!=|in|not in)\s*[("']|\badd\([^)]*["'](admin|province|city|county|school)["']"""
    r"""|["'](admin|school)["']\s*:\s*["']|choices=\[["']admin"""
)


def test_no_module_spells_out_roles_as_strings():
    assert package_lines_matching(_ROLE_LITERAL, "domain/roles.py") == []
