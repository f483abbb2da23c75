"""Accounts and roles. An account belongs to a region; its role says what it may do there."""

from __future__ import annotations

from ..db.models import Account, Region, School
from ..domain.regions import LEVEL_LABELS
from ..domain.roles import Role
from . import audit
from .errors import NotFound, PermissionDenied, ServiceError
from .types import Actor


def _actor(a: Account) -> Actor:
    region = Region.get_or_none(Region.code == a.region)
    return Actor(
        login=a.login, display_name=a.display_name, role=a.role, region=a.region,
        region_name=region.full_name if region else a.region,
        school_id=a.school_id, last_proof_person=a.last_proof_person,
    )


def resolve(login: str) -> Actor:
    a = Account.get_or_none((Account.login == login) & (Account.active == True))  # noqa: E712
    if a is None:
        raise NotFound(
            f"登录名“{login}”没有账号。请管理员运行：kongcuo user add {login} --role county --region 县级代码"
        )
    return _actor(a)


def count() -> int:
    return Account.select().count()


def add(by: Actor | None, login: str, display_name: str, role: str, region: str,
        school: str | None = None) -> Actor:
    """Create an account; only an administrator may (or anyone on an empty database)."""
    if by is not None and not by.role.can_manage_accounts:
        raise PermissionDenied("只有管理员可以添加账号")
    if role not in tuple(Role):
        raise ServiceError(f"未知角色“{role}”，可用：{'、'.join(Role)}")
    role = Role(role)
    r = Region.get_or_none(Region.code == region)
    if r is None:
        raise ServiceError(f"区划代码“{region}”不存在（请先运行 kongcuo init）")
    want = role.region_level
    if want and r.level != want:
        raise ServiceError(
            f"角色 {role} 需要{LEVEL_LABELS[want]}区划，{region} {r.name} 是{LEVEL_LABELS[r.level]}"
        )
    school_id = None
    if role is Role.SCHOOL:
        if not school:
            raise ServiceError("学校账号须指定 --school 学校名称")
        s = School.get_or_none((School.county == region) & (School.name == school))
        if s is None:
            raise ServiceError(f"{r.name} 没有名为“{school}”的学校")
        school_id = s.id
    if Account.get_or_none(Account.login == login):
        raise ServiceError(f"账号“{login}”已存在")
    a = Account.create(login=login, display_name=display_name or login, role=role,
                       region=region, school=school_id)
    audit.record(by.login if by else login, "account", f"account:{login}", role=role, region=region)
    return _actor(a)


def list_all() -> list[Actor]:
    return [_actor(a) for a in Account.select().order_by(Account.login)]
