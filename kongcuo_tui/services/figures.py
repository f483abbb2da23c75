"""The report figures: each one a named condition over ledger rows at a point in time.

A figure is counted and listed by the same condition (a peewee expression over Entry and the
point-in-time joins of its period, services.point_in_time; 劝返逾期 by the stored case
deadlines, db.case_deadlines), so a number in a report and the rows behind it cannot disagree:
`report()` counts them grouped by county, township, school and 学段 in one query;
`figure_rows()` lists the rows of one figure. Always scoped to the account's region.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from peewee import SQL, NodeList, Value, fn

from ..db.models import Entry, Region, School
from ..domain.codes import CODE_LIST
from ..domain.periods import Period
from ..domain.watch import DISABILITY_GROUP, WATCH_GROUPS
from .errors import ServiceError
from .point_in_time import A_CODES, B_CODES, CODE_99, AsStored, AtPeriodEnd
from .scope import narrowed_scope
from .types import Actor

STAGES = ("小学", "初中")
TOTAL = "合计"
OTHER_STAGE = "其他"  # no 学段 recorded (age outside 6–15 and no grade)
STAGE_KEYS = (*STAGES, OTHER_STAGE)


@dataclass(frozen=True)
class Figure:
    name: str  # what the CLI's --rows and a report's heading call it
    group: str  # 期末 (standing at the period's end) / 本期 (in the period) / 本期处理 / 重点监测群体
    help: str
    where: Callable[[AtPeriodEnd], object]


def _in_period(name: str, help: str, codes: tuple[str, ...] | None = None) -> Figure:
    return Figure(name, "本期处理", help, lambda at: at.classified_in_period(codes))


def _lists(column, key: str):
    """``column`` (comma-separated keys) lists ``key``. LIKE, not peewee's contains(): that is
    ILIKE on PostgreSQL, which case-folds every value (the keys are Chinese: nothing to fold)
    and took half a province report's time; on SQLite both are LIKE."""
    return NodeList((column, SQL("LIKE"), Value(f"%{key}%")), parens=True)


def _watch(key: str) -> Callable[[AtPeriodEnd], object]:
    def where(at: AtPeriodEnd):
        cond = _lists(Entry.watch_groups, key)
        if key == DISABILITY_GROUP:
            cond = cond | (Entry.disability != "")
        return cond & at.open
    return where


FIGURES: tuple[Figure, ...] = (
    Figure("台账总数", "期末", "期末台账中的全部行（含已处理、已销号）", lambda at: at.exists),
    Figure("已处理", "期末", "期末已分类（A类、B类或99）的行", lambda at: at.classified),
    Figure("疑似辍学", "期末", "期末待处理或未确认（99）且未销号的行", lambda at: ~at.closed & (~at.classified | (at.code == CODE_99))),
    Figure("待处理", "期末", "期末尚未分类且未销号的行", lambda at: ~at.closed & ~at.classified),
    Figure("未确认99", "期末", "期末分类为 99（未确认完成）且未销号的行", lambda at: ~at.closed & (at.code == CODE_99)),
    Figure("辍学", "期末", "期末分类为 A 类（需要劝返）且未销号的行", lambda at: ~at.closed & at.code.in_(A_CODES)),
    Figure("B类", "期末", "期末分类为 B 类（不需要劝返）的行", lambda at: at.code.in_(B_CODES)),
    Figure("劝返逾期", "期末", "期末（或今天）劝返期限已过仍未完成的案件（按劝返记录和工作日历）", lambda at: at.overdue),
    Figure("新发现", "本期", "本期导入台账的新行", lambda at: at.found),
    Figure("返校", "本期", "本期登记复学的行（劝返记录中的复学）", lambda at: at.returned),
    Figure("超龄销号", "本期", "本期超龄销号的行", lambda at: at.aged_out),
    _in_period("本期处理", "本期内分类或重新分类过的行"),
    _in_period("本期处理A类", "本期最后一次分类为 A 类的行", A_CODES),
    _in_period("本期处理B类", "本期最后一次分类为 B 类的行", B_CODES),
    _in_period("本期处理99", "本期最后一次分类为 99 的行", (CODE_99,)),
    *(_in_period(f"本期处理{c.code}", f"本期最后一次分类为 {c.label} 的行", (c.code,))
      for c in CODE_LIST if not c.is_unconfirmed),
    *(Figure(key, "重点监测群体", f"期末疑似辍学或辍学的{label}", _watch(key)) for key, label in WATCH_GROUPS.items()),
)
BY_NAME = {f.name: f for f in FIGURES}
OVERDUE = "劝返逾期"


def figure(name: str) -> Figure:
    found = BY_NAME.get((name or "").strip())
    if found is None:
        raise ServiceError(f"没有名为“{name}”的统计项；可用：{'、'.join(BY_NAME)}")
    return found


# ---- areas ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class AreaRow:
    """One line of a report: an area and, per figure, its count per 学段 and in total."""

    key: str  # for figure_rows(area=…): "411328", "411328/411328100", "411328/411328100/12" ("-": none)
    level: str  # total / county / township / school
    name: str
    cells: dict[str, list[int]] = field(default_factory=dict)  # 学段 / 合计 → counts, in `index` order
    index: dict[str, int] = field(default_factory=dict)  # figure name → its place in `cells`' lists

    def n(self, figure_name: str, stage: str = TOTAL) -> int:
        i = self.index.get(figure_name)
        return 0 if i is None or stage not in self.cells else self.cells[stage][i]

    @property
    def counts(self) -> dict[str, dict[str, int]]:
        """figure → {小学, 初中, 其他, 合计} (made when asked: a province report has hundreds of areas)."""
        return {name: {s: self.cells[s][i] for s in (*STAGE_KEYS, TOTAL)} for name, i in self.index.items()}


@dataclass(frozen=True)
class Report:
    period: Period
    as_of: date
    scope_name: str
    rows: list[AreaRow]  # total first, then each county with its townships and their schools

    @property
    def total(self) -> AreaRow:
        return self.rows[0]

    def level(self, level: str) -> list[AreaRow]:
        return [r for r in self.rows if r.level == level]

    def printed_rows(self) -> list[AreaRow]:
        """What a report shows: one county's townships and schools, or for a city or province
        its counties; the total last."""
        counties = self.level("county")
        if len(counties) == 1:
            rows = [r for r in self.rows if r.level in ("township", "school")]
        else:
            rows = counties
        return [*rows, self.total]


def _stage(value: str | None) -> str:
    return value if value in STAGES else OTHER_STAGE


def _area_cond(area: str | None):
    """An AreaRow.key: "411328" (or a city/province prefix), "411328/411328100", "411328/-/12" …"""
    if not area:
        return None
    parts = area.strip().split("/")
    place = parts[0]
    if not place.isdigit() or len(parts) > 3:
        raise ServiceError(f"无法识别的区域“{area}”；请使用报表“区域代码”一列的代码，如 411328 或 411328/411328100")
    if len(place) > 6:  # a township code on its own
        parts = [place[:6], place, *parts[1:]]
    cond = Entry.region == parts[0] if len(parts[0]) == 6 else Entry.region.startswith(parts[0])
    for column, value in zip((Entry.township, Entry.school), parts[1:]):
        if value == "-":
            cond &= column.is_null() | (column == "") if column is Entry.township else column.is_null()
        elif value.isdigit():
            cond &= column == (value if column is Entry.township else int(value))
        else:
            raise ServiceError(f"无法识别的区域“{area}”")
    return cond


def _stage_cond(stage: str | None):
    if not stage or stage == TOTAL:
        return None
    if stage in STAGES:
        return Entry.stage == stage
    if stage == OTHER_STAGE:
        return Entry.stage.not_in(STAGES)
    raise ServiceError(f"学段应为 小学、初中 或 其他，而不是“{stage}”")


# ---- counting -------------------------------------------------------------------------------

Key = tuple[str, str, int | None, str]  # county, township, school id, 学段


def _grouped(scope, at: AtPeriodEnd, figures: tuple[Figure, ...]) -> list[tuple[Key, list[int]]]:
    # COUNT(*) FILTER: the aggregate runs only on the rows that meet the figure (SQLite ≥ 3.30).
    sums = [fn.COUNT(SQL("*")).filter(f.where(at)) for f in figures]
    group = (Entry.region, Entry.township, Entry.school, Entry.stage)
    q = at.select(*group, *sums).where(scope & at.exists).group_by(*group).tuples()
    return [((region, township or "", school, _stage(stage)), [int(v or 0) for v in values])
            for region, township, school, stage, *values in q]


# Past this many rows changed since a period's end (a month long ago), the whole report is
# counted as at the end, rather than two lists of their ids sent along.
LOOK_BACK_MAX = 50_000


def _counts(scope, period: Period, today: date, figures: tuple[Figure, ...]) -> list[tuple[Key, list[int]]]:
    """Per group, each figure's count in the order of ``figures``. A key may come more than
    once (学段 and township values that read alike, and the two parts below): _Sums adds them.

    The rows not changed since the period's end are counted as stored (AsStored: plain
    columns); the changed ones — none for this month, days of writes for the last — as they
    stood at the end. Their ids go to the database as a list: as a subquery, the planner
    scans the whole ledger to join them."""
    at = AtPeriodEnd(period, today)
    changed = sorted({eid for (eid,) in at.changed_since().tuples()})
    if len(changed) > LOOK_BACK_MAX:
        return _grouped(scope, at, figures)
    counts = _grouped(scope, AsStored(period, today, without=changed), figures)
    if changed:
        counts += _grouped(scope, AtPeriodEnd(period, today, only=changed), figures)
    return counts


def names_of(codes: set[str]) -> dict[str, str]:
    if not codes:
        return {}
    return dict(Region.select(Region.code, Region.name).where(Region.code.in_(list(codes))).tuples())


def _school_names(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(School.select(School.id, School.name).where(School.id.in_(list(ids))).tuples())


class _Sums:
    """Per area, per 学段, the figures' counts as one list each (added list by list)."""

    def __init__(self, n: int):
        self.zero = [0] * n
        self.areas: dict[object, dict[str, list[int]]] = {}

    def add(self, area, stage: str, values: list[int]) -> None:
        per = self.areas.setdefault(area, {})
        had = per.get(stage)
        per[stage] = list(values) if had is None else [a + b for a, b in zip(had, values)]

    def cells(self, area) -> dict[str, list[int]]:
        per = self.areas.get(area, {})
        out = {s: per.get(s, self.zero) for s in STAGE_KEYS}
        out[TOTAL] = [sum(c) for c in zip(*out.values())]
        return out


def _rows(counts: list[tuple[Key, list[int]]], scope_name: str, figures: tuple[Figure, ...]) -> list[AreaRow]:
    """Total, then each county, its townships, and under each township its schools."""
    index = {f.name: i for i, f in enumerate(figures)}
    sums = _Sums(len(figures))
    for (county, town, school, stage), values in counts:
        for area in ("", county, (county, town), (county, town, school)):
            sums.add(area, stage, values)
    keys = [k for k, _ in counts]
    counties = sorted({k[0] for k in keys})
    towns = sorted({k[:2] for k in keys})
    schools = {k[:3] for k in keys}
    region_names = names_of(set(counties) | {t for _, t in towns if t})
    school_names = _school_names({s for *_, s in schools if s is not None})
    out = [AreaRow("", "total", scope_name, sums.cells(""), index)]
    for county in counties:
        out.append(AreaRow(county, "county", region_names.get(county, county), sums.cells(county), index))
        for c, town in (k for k in towns if k[0] == county):
            tkey = f"{county}/{town or '-'}"
            out.append(AreaRow(tkey, "township", region_names.get(town, town) if town else "未分乡镇",
                               sums.cells((c, town)), index))
            for _, _, school in sorted((k for k in schools if k[:2] == (c, town)),
                                       key=lambda k: (k[2] is None, k[2] or 0)):
                name = school_names.get(school, "（学校已删除）") if school is not None else "无学校（适龄无学籍等）"
                out.append(AreaRow(f"{tkey}/{school if school is not None else '-'}", "school", name,
                                   sums.cells((c, town, school)), index))
    return out


def _scope_name(actor: Actor, region: str | None) -> str:
    if not region:
        return actor.region_name
    return Region.get(Region.code == region).full_name


def report(actor: Actor, period: Period, *, region: str | None = None, today: date | None = None,
           figures: tuple[Figure, ...] = FIGURES) -> Report:
    """Every figure of ``period`` for the actor's scope (within it ``region``), by county,
    township, school and 学段."""
    scope = narrowed_scope(actor, region)
    today = today or date.today()
    counts = _counts(scope, period, today, figures)
    name = _scope_name(actor, region)
    return Report(period, period.as_of(today), name, _rows(counts, name, figures))


# ---- listing --------------------------------------------------------------------------------

@dataclass(frozen=True)
class FigureRow:
    entry_id: int
    seq: int
    name: str
    id_number: str
    stage: str
    township: str
    school: str
    code: str  # the code at the period's end ("" not yet classified)
    status: str  # 待处理 / 已处理 / 已销号, at the period's end


def _figure_select(actor: Actor, period: Period, figure_name: str, area: str | None, stage: str | None,
                   region: str | None, today: date | None, *columns) -> list[tuple]:
    """(columns…) of the rows behind one figure: the condition report() counts by."""
    f = figure(figure_name)
    at = AtPeriodEnd(period, today or date.today())
    scope = narrowed_scope(actor, region)
    cond = scope & at.exists
    for extra in (_area_cond(area), _stage_cond(stage)):
        if extra is not None:
            cond &= extra
    columns = tuple(c(at) if callable(c) else c for c in columns)
    cond &= f.where(at)  # before select(): the condition adds the joins it needs
    return list(at.select(*columns).where(cond).tuples())


def figure_ids(actor: Actor, period: Period, figure_name: str, area: str | None = None,
               stage: str | None = None, *, region: str | None = None,
               today: date | None = None) -> tuple[int, ...]:
    """The ids of figure_rows(), sorted, and nothing else: what the ledger is filtered to
    (a province's figure can be hundreds of thousands of rows; no names are read)."""
    rows = _figure_select(actor, period, figure_name, area, stage, region, today, Entry.id)
    return tuple(sorted(r[0] for r in rows))


def figure_rows(actor: Actor, period: Period, figure_name: str, area: str | None = None,
                stage: str | None = None, *, region: str | None = None,
                today: date | None = None) -> list[FigureRow]:
    """The rows behind one figure (optionally of one area — an AreaRow.key — and one 学段).

    Their number is the figure's count in report() for the same period, area and 学段.
    """
    columns = (Entry.region, Entry.id, Entry.seq, Entry.name, Entry.id_number, Entry.stage, Entry.township,
               Entry.school, Entry.prov_school, lambda at: at.code, lambda at: at.closed)
    rows = _figure_select(actor, period, figure_name, area, stage, region, today, *columns)
    rows = [r[1:] for r in sorted(rows, key=lambda r: (r[0], r[2], r[1]))]
    towns = names_of({r[5] for r in rows if r[5]})
    schools = _school_names({r[6] for r in rows if r[6]})
    return [FigureRow(eid, seq, name, idn, _stage(stg), towns.get(town, ""), schools.get(school) or prov or "",
                      c or "", "已销号" if cl else "已处理" if c else "待处理")
            for eid, seq, name, idn, stg, town, school, prov, c, cl in rows]
