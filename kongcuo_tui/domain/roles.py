"""Account roles: what each may do and how far its region reaches.

The one place roles are named; accounts, scope, imports and screens ask a `Role`.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"
    SCHOOL = "school"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def can_classify(self) -> bool:
        """Process ledger rows and import the platform's files."""
        return self in (Role.ADMIN, Role.COUNTY)

    @property
    def can_record_persuasion(self) -> bool:
        return self in (Role.ADMIN, Role.COUNTY, Role.SCHOOL)

    @property
    def can_flag_review(self) -> bool:
        """Flag a county's B-class result 需复核 (supervision from above)."""
        return self in (Role.ADMIN, Role.PROVINCE, Role.CITY)

    @property
    def within_one_county(self) -> bool:
        """Its rows lie in one county (its progress is by township and school, not by county)."""
        return self in (Role.COUNTY, Role.SCHOOL)

    @property
    def can_manage_accounts(self) -> bool:
        return self is Role.ADMIN

    @property
    def region_level(self) -> str | None:
        """The level of region an account of this role belongs to (None: a school's county)."""
        return _LEVELS.get(self)

    @property
    def scope_digits(self) -> int | None:
        """Leading digits of the account's region code its rows share (None: scoped by school)."""
        return _DIGITS.get(self)


_LABELS = {
    Role.ADMIN: "管理员（省级范围，可处理）",
    Role.PROVINCE: "省级（查看、导出）",
    Role.CITY: "市级（查看、导出、督导）",
    Role.COUNTY: "县级学籍管理员（处理、导出）",
    Role.SCHOOL: "学校/中心校（录入劝返记录）",
}
# regions.PROVINCE etc.; spelt out because the CLI parser needs roles without loading the region table.
_LEVELS = {Role.ADMIN: "province", Role.PROVINCE: "province", Role.CITY: "city", Role.COUNTY: "county"}
_DIGITS = {Role.ADMIN: 2, Role.PROVINCE: 2, Role.CITY: 4, Role.COUNTY: 6}
