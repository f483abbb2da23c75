"""Create or upgrade a database and its reference data (`kongcuo init`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..db.connection import db
from ..db.migrations import LATEST, SchemaRefused, current_version, upgrade
from ..db.models import ALL_MODELS, Account, Region
from ..db.transactions import write_transaction
from ..domain.regions import all_regions
from ..domain.roles import Role
from ..domain.workdays import WorkCalendar
from . import accounts, audit, pgroles
from .errors import ServiceError


@dataclass(frozen=True)
class InitResult:
    from_version: int
    to_version: int
    regions_added: int
    admin_created: str | None


def initialize(login: str, province: str = "410000", postgres_roles: bool = False,
               cutoff: date | None = None, calendar: WorkCalendar | None = None) -> InitResult:
    """Idempotent: creates what is missing, changes nothing that exists.

    `postgres_roles`: also (re)install the roles, row-level security and append-only audit
    of services/pgroles.py. `cutoff`, `calendar`: the configured school-year cutoff and work
    calendar, by which an upgrade fills 学段 and case deadlines into older rows.
    """
    _refuse_unknown_schema()
    try:
        before, after = upgrade(cutoff, calendar)
    except SchemaRefused as e:
        raise ServiceError(str(e)) from None
    _refuse_missing_columns(after)
    added = _load_regions()
    admin = None
    with write_transaction():
        if Account.select().count() == 0:
            accounts.add(None, login, login, Role.ADMIN, province)
            admin = login
        if before != after or added:
            audit.record(login, "init", "", schema=f"{before}->{after}", regions_added=added)
    if postgres_roles:
        pgroles.install()
        audit.record(login, "init", "postgres-roles")
    return InitResult(before, after, added, admin)


def _refuse_unknown_schema() -> None:
    version = current_version()
    if version > LATEST:
        raise ServiceError(
            f"数据库结构版本为 {version}，比本程序支持的版本 {LATEST} 新；未做任何改动。"
            "请先把 kongcuo-tui 升级到与数据库相同的版本再使用"
        )
    if version == 0:
        ours = [m._meta.table_name for m in ALL_MODELS if db.table_exists(m._meta.table_name)]
        if ours:
            raise ServiceError(
                f"数据库中已有表 {'、'.join(ours)}，却没有结构版本记录，不是本程序建立的；未做任何改动。"
                "请换一个空数据库，或请管理员核实这个数据库的来历"
            )


def _refuse_missing_columns(version: int) -> None:
    missing = []
    for model in ALL_MODELS:
        table = model._meta.table_name
        have = {c.name for c in db.get_columns(table)}
        missing += [f"{table}.{f.column_name}" for f in model._meta.sorted_fields if f.column_name not in have]
    if missing:
        raise ServiceError(
            f"数据库结构标为版本 {version}，却缺少列 {'、'.join(missing)}：结构被改动过，无法识别；"
            "未写入任何数据。请从备份恢复，或请管理员核实"
        )


def _load_regions() -> int:
    have = {r[0] for r in Region.select(Region.code).tuples()}
    rows = [
        {"code": r.code, "name": r.name, "level": r.level, "parent": r.parent, "full_name": r.full_name}
        for r in all_regions() if r.code not in have
    ]
    with write_transaction():
        for i in range(0, len(rows), 500):
            Region.insert_many(rows[i:i + 500]).execute()
    return len(rows)
