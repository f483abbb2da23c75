"""Accounts and roles. An account belongs to a region; its role says what it may do there.

Only administrators change accounts; every change and every refusal is audited. What an
account may do is always read from its row, never from an Actor a caller holds.
"""

from __future__ import annotations

from peewee import JOIN

from ..db.transactions import write_transaction
from ..db.models import Account, Region, School
from ..domain.regions import LEVEL_LABELS
from ..domain.lengths import too_long
from ..domain.roles import Role
from . import audit, pgroles
from .errors import NotFound, PermissionDenied, ServiceError
from .types import Actor


def _actor(a: Account, region_name: str | None = None) -> Actor:
    if region_name is None:
        region = Region.get_or_none(Region.code == a.region)
        region_name = region.full_name if region else a.region
    return Actor(
        login=a.login, display_name=a.display_name, role=Role(a.role), region=a.region,
        region_name=region_name, school_id=a.school_id, active=a.active,
    )


def disabled_message(login: str) -> str:
    return f"账号“{login}”已停用，不能使用台账；如需恢复，请联系本级管理员"


def resolve(login: str) -> Actor:
    a = Account.get_or_none(Account.login == login)
    if a is None:
        raise NotFound(
            f"登录名“{login}”没有账号。请管理员运行：kongcuo user add {login} --role county --region 县级代码"
        )
    if not a.active:
        raise PermissionDenied(disabled_message(login))
    return _actor(a)


def current(actor: Actor) -> Actor:
    """`actor` as its account stands now: role, region and school from the row (one query)."""
    a = (Account.select(Account, Region.full_name.alias("region_full"))
         .join(Region, JOIN.LEFT_OUTER, on=(Region.code == Account.region))
         .where(Account.login == actor.login).objects().first())
    if a is None or not a.active:
        raise PermissionDenied(disabled_message(actor.login))
    return _actor(a, a.region_full or a.region)


def act_as(operator: str, login: str, superuser: bool) -> None:
    """May the Unix account `operator` act as `login`? Only root or an active administrator."""
    if login == operator or superuser:
        return
    known = Account.table_exists()
    a = Account.get_or_none(Account.login == operator) if known else None
    if a is None or not a.active or a.role != Role.ADMIN:
        if known:
            audit.denied(operator, f"login:{login}", "--login needs an active admin account")
        raise PermissionDenied(
            f"只有管理员可以用 --login 以其他账号（{login}）操作；您的系统账号是 {operator}"
        )


def count() -> int:
    return Account.select().count()


def _admin(by: Actor | None, login: str) -> None:
    """Refuse (and audit) unless `by` is an active administrator, or this is the first account."""
    target = f"account:{login}"
    if by is None:
        if Account.select().exists():
            audit.denied("", target, "no acting administrator")
            raise PermissionDenied("只有管理员可以添加或更改账号（仅空数据库的第一个账号除外）")
        return
    try:
        live = current(by)
    except PermissionDenied as e:
        audit.denied(by.login, target, str(e))
        raise
    if not live.role.can_manage_accounts:
        audit.denied(by.login, target, f"role {live.role} is not admin")
        raise PermissionDenied("只有管理员可以添加或更改账号")


def _placed(role: str, region: str, school: str | None) -> int | None:
    """Check that `role` fits `region` (and `school`); the school's id for a school account."""
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
    if role is not Role.SCHOOL:
        return None
    if not school:
        raise ServiceError("学校账号须指定 --school 学校名称")
    s = School.get_or_none((School.county == region) & (School.name == school))
    if s is None:
        raise ServiceError(f"{r.name} 没有名为“{school}”的学校")
    return s.id


def add(by: Actor | None, login: str, display_name: str, role: str, region: str,
        school: str | None = None, db_role: bool = False) -> Actor:
    """Create an account; only an administrator may (or anyone on an empty database).

    `db_role`: also create its PostgreSQL role (see services/pgroles.py), in the same
    transaction, so a failure leaves neither.
    """
    _admin(by, login)
    for label, key, value in (("登录名", "account.login", login), ("姓名", "account.display_name", display_name)):
        if reason := too_long(label, key, value):
            raise ServiceError(reason)
    school_id = _placed(role, region, school)
    if Account.get_or_none(Account.login == login):
        raise ServiceError(f"账号“{login}”已存在")
    with write_transaction():
        a = Account.create(login=login, display_name=display_name or login, role=role,
                           region=region, school=school_id)
        if db_role:
            pgroles.create_role(login, admin=role == Role.ADMIN)
        audit.record(by.login if by else login, "account", f"account:{login}", role=role, region=region)
    return _actor(a)


def _existing(login: str) -> Account:
    a = Account.get_or_none(Account.login == login)
    if a is None:
        raise NotFound(f"没有登录名为“{login}”的账号")
    return a


def _not_self(by: Actor, login: str, what: str) -> None:
    if by.login == login:
        audit.denied(by.login, f"account:{login}", f"own account: {what}")
        raise PermissionDenied(f"不能{what}自己的账号；请由另一位管理员操作")


def disable(by: Actor, login: str) -> Actor:
    _admin(by, login)
    _not_self(by, login, "停用")
    return _set_active(by, _existing(login), False)


def enable(by: Actor, login: str) -> Actor:
    _admin(by, login)
    return _set_active(by, _existing(login), True)


def _set_active(by: Actor, a: Account, active: bool) -> Actor:
    with write_transaction():
        Account.update(active=active).where(Account.id == a.id).execute()
        pgroles.sync_role(a.login, admin=a.role == Role.ADMIN, active=active)
        audit.record(by.login, "account", f"account:{a.login}", action="enable" if active else "disable")
    return _actor(Account.get_by_id(a.id))


def set_role(by: Actor, login: str, role: str, region: str | None = None,
             school: str | None = None) -> Actor:
    _admin(by, login)
    a = _existing(login)
    if role != Role.ADMIN:
        _not_self(by, login, "降级")
    region = region or a.region
    school_id = _placed(role, region, school)
    with write_transaction():
        Account.update(role=role, region=region, school=school_id).where(Account.id == a.id).execute()
        pgroles.sync_role(login, admin=role == Role.ADMIN, active=a.active)
        audit.record(by.login, "account", f"account:{login}", action="set-role", role=role, region=region)
    return _actor(Account.get_by_id(a.id))


def list_all(by: Actor) -> list[Actor]:
    """Accounts `by` may see: all for the province, those of one's own area otherwise."""
    me = current(by)
    q = Account.select().order_by(Account.login)
    if me.role is Role.SCHOOL:
        q = q.where(Account.login == me.login)
    elif me.role not in {Role.ADMIN, Role.PROVINCE}:
        q = q.where(Account.region.startswith(me.region[:me.role.scope_digits]))
    return [_actor(a) for a in q]
