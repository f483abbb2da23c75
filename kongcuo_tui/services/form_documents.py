"""What the three persuasion documents print, read once for a batch of children.

登记表 (附件2), 劝返通知书 (附件3) and 控辍保学的函 (附件4) all come from the same facts: the
child's row, its guardians and its case records. One read per table for the whole batch,
scoped; a row outside the account's scope refuses the whole batch (nothing is written).
Dates the documents print (the return deadline, the age-out date) come from the domain's
rules and the county's working-day calendar, never from the export code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..db.models import Entry, FollowUp, Guardian, Persuasion, School
from ..domain import persuasion as P
from ..domain.dates import age_at, school_year_cutoff
from ..domain.ids import normalize_id_text
from ..domain.regions import Region as Place
from ..domain.regions import county_in_address, region_index, region_name
from ..domain.roles import Role
from ..domain.workdays import WorkCalendar
from . import accounts, audit
from .errors import PermissionDenied, ServiceError
from .persuasion import DEFAULT_CUTOFF, NOT_IN_SCOPE
from .persuasion import _records as case_records  # the one place stored rows become CaseRecords
from .scope import entry_scope, narrowed_scope
from .types import Actor, GuardianInfo

MAX_STUDENTS = 500  # one sheet each: a workbook a registrar can still open and print
_CHUNK = 500  # 证件号码 looked up this many at a time


@dataclass(frozen=True)
class FormData:
    """One child's facts and case, as the 登记表, 通知书 and 函 print them."""

    entry_id: int
    name: str
    sex: str
    ethnicity: str
    birth_date: date | None
    age: int | None  # 周岁 at the school-year cutoff
    id_number: str
    national_no: str
    hukou: str  # 户籍所在地
    registry_place: str  # 学籍所在地
    residence: str  # 现居住地 (实际居住地, else 家庭住址)
    school: str
    grade_class: str
    health: str
    disability: str
    family_summary: str
    dropout_reason: str
    guardians: tuple[GuardianInfo, ...]
    records: P.CaseRecords
    age_out_on: date | None  # 超龄销号: the closing record's date, else when the child turns 16
    sender: str  # the school (a school account) or the county bureau
    suspected_on: date | None  # 疑似辍学 since: the absence record, else the first school attempt
    notice_on: date  # the notice's date: the recorded one, else today
    return_by: date  # 5 working days after the notice (附件6 二)
    letter_to: str  # the receiving bureau: the letter record, else the 户籍 county's, else ""
    letter_on: date  # the letter's date: the recorded one, else today
    letter_place: Place | None  # the receiving bureau's county, when known
    cross_province: bool | None  # the receiving bureau is in another province (None: not known)
    letter_province: str  # that province's name (河南省), "" when not known
    county_name: str  # the row's county: 唐河县
    county_full: str  # 河南省南阳市唐河县
    today: date


@audit.audits_denials("export")
def ids_for_numbers(actor: Actor, numbers: list[str]) -> list[int]:
    """Entry ids for 证件号码 values, in the order given; any unknown one refuses them all."""
    wanted: list[str] = []
    for raw in numbers:
        n = normalize_id_text(raw)
        if not n:
            continue
        if len(n) not in (15, 18):
            raise ServiceError(f"“{raw}”不是有效的证件号码（应为 18 位或 15 位）；未导出任何文件，请核对后重试")
        if n not in wanted:
            wanted.append(n)
    if not wanted:
        raise ServiceError("没有给出证件号码；请用 --ids 号码1,号码2 列出要打印的学生")
    found: dict[str, list[int]] = {}
    for i in range(0, len(wanted), _CHUNK):
        q = (Entry.select(Entry.id_number, Entry.id)
             .where(entry_scope(actor) & Entry.id_number.in_(wanted[i:i + _CHUNK])).order_by(Entry.id).tuples())
        for number, eid in q:
            found.setdefault(number, []).append(eid)
    missing = [n for n in wanted if n not in found]
    if missing:
        raise PermissionDenied(f"证件号码 {'、'.join(missing)}：{NOT_IN_SCOPE}；未导出任何文件，请核对号码")
    return [eid for n in wanted for eid in found[n]]


def ids_for_filter(actor: Actor, status: str | None = None, region: str | None = None) -> list[int]:
    """Entry ids the ledger export's filters select (--status, --region), in 序号 order."""
    cond = narrowed_scope(actor, region)
    if status not in (None, "all"):
        cond &= Entry.status == status
    n = Entry.select().where(cond).count()
    if n > MAX_STUDENTS:
        raise ServiceError(f"符合条件的学生有 {n} 名，一次最多打印 {MAX_STUDENTS} 名（每人一张工作表）；"
                           "请用 --region 缩小范围，或用 --ids 列出证件号码")
    ids = [r[0] for r in Entry.select(Entry.id).where(cond).order_by(Entry.seq, Entry.id).tuples()]
    if not ids:
        raise ServiceError("没有符合条件的学生，未导出任何文件；请检查 --status 和 --region")
    return ids


def _sender(actor: Actor, e: Entry, schools: dict[int, str]) -> str:
    if actor.role is Role.SCHOOL and actor.school_id in schools:
        return schools[actor.school_id]
    return f"{region_name(e.region)}教育局"


def _age_out(e: Entry, recs: P.CaseRecords, cutoff: tuple[int, int] | None) -> date | None:
    if recs.closed is not None and recs.closed.kind == "超龄销号":
        return recs.closed.on
    return P.age_out_date(e.birth_date, cutoff) if e.birth_date else None


def _letter(e: Entry, recs: P.CaseRecords, today: date) -> tuple[str, date, Place | None]:
    """To whom and when: the latest letter record, else the bureau of the 户籍 county."""
    if recs.letters:
        last = recs.letters[-1]
        place = region_index().get(last.to_region) if last.to_region else None
        return last.to_county, last.on, place or county_in_address(last.to_county)
    county = county_in_address(e.hukou)
    return (f"{county.full_name}教育局" if county else ""), today, county


def _province_name(place: Place | None) -> str:
    province = region_index().get(place.code[:2] + "0000") if place else None
    return province.name if province else ""


def _by_entry(rows) -> dict[int, list]:
    out: dict[int, list] = {}
    for r in rows:
        out.setdefault(r.entry_id, []).append(r)
    return out


def documents_data(actor: Actor, entry_ids: list[int], today: date, calendar: WorkCalendar | None = None,
                   cutoff: tuple[int, int] | None = DEFAULT_CUTOFF) -> list[FormData]:
    """The documents' data for ``entry_ids`` in that order; refuses all if one is out of scope.

    ``cutoff`` is the province's (month, day) ages count at (settings); None counts at birthdays.
    One query per table, however many students.
    """
    actor = accounts.current(actor)
    ids = list(dict.fromkeys(entry_ids))
    if not ids:
        raise ServiceError("没有选中学生：请先标记要打印的行，或给出证件号码")
    if len(ids) > MAX_STUDENTS:
        raise ServiceError(f"一次最多打印 {MAX_STUDENTS} 名学生（每人一张工作表），选中了 {len(ids)} 名；请分批导出")
    entries = {e.id: e for e in Entry.select().where(entry_scope(actor) & Entry.id.in_(ids))}
    missing = [i for i in ids if i not in entries]
    if missing:
        raise PermissionDenied(f"{NOT_IN_SCOPE}（记录 {'、'.join(map(str, missing[:10]))}）；未导出任何文件")
    guardians = _by_entry(Guardian.select().where(Guardian.entry.in_(ids)).order_by(Guardian.entry, Guardian.ordinal))
    prows = _by_entry(Persuasion.select().where(Persuasion.entry.in_(ids)).order_by(Persuasion.on, Persuasion.id))
    frows = _by_entry(FollowUp.select().where(FollowUp.entry.in_(ids)).order_by(FollowUp.id))
    school_ids = {e.school_id for e in entries.values() if e.school_id} | ({actor.school_id} - {None})
    schools = dict(School.select(School.id, School.name).where(School.id.in_(list(school_ids))).tuples()) \
        if school_ids else {}
    at = _Context(actor, today, calendar or WorkCalendar(), cutoff,
                  school_year_cutoff(today, *(cutoff or (today.month, today.day))), schools)
    return [_form(entries[i], guardians.get(i, []), case_records(prows.get(i, []), frows.get(i, [])), at)
            for i in ids]


@dataclass(frozen=True)
class _Context:
    actor: Actor
    today: date
    calendar: WorkCalendar
    cutoff: tuple[int, int] | None
    cutoff_date: date  # ages count on this day
    schools: dict[int, str]


def _form(e: Entry, guardians: list[Guardian], recs: P.CaseRecords, at: _Context) -> FormData:
    notice_on = recs.notice_on or at.today
    letter_to, letter_on, place = _letter(e, recs, at.today)
    county = region_index().get(e.region)
    return FormData(
        entry_id=e.id, name=e.name, sex=e.sex, ethnicity=e.ethnicity, birth_date=e.birth_date,
        age=age_at(e.birth_date, at.cutoff_date) if e.birth_date and e.birth_date <= at.cutoff_date else None,
        id_number=e.id_number, national_no=e.national_no, hukou=e.hukou, registry_place=e.registry_place,
        residence=e.residence or e.address, school=at.schools.get(e.school_id) or e.prov_school,
        grade_class=e.grade_class, health=e.health, disability=e.disability,
        family_summary=e.family_summary, dropout_reason=e.dropout_reason,
        guardians=tuple(GuardianInfo(g.name, g.id_number, g.relation, g.phone) for g in guardians),
        records=recs, age_out_on=_age_out(e, recs, at.cutoff), sender=_sender(at.actor, e, at.schools),
        suspected_on=recs.absent_since or min((a.at.date() for a in recs.attempts), default=None),
        notice_on=notice_on, return_by=P.return_deadline(notice_on, at.calendar),
        letter_to=letter_to, letter_on=letter_on, letter_place=place,
        cross_province=None if place is None else place.code[:2] != e.region[:2],
        letter_province=_province_name(place),
        county_name=county.name if county else e.region, county_full=region_name(e.region), today=at.today,
    )
