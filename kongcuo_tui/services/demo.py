"""A realistic demo ledger: one city, several counties, townships and schools, every code.

Deterministic for a given seed. Writes in large batches inside one transaction, a chunk of
rows at a time (memory stays flat), and into an empty ledger builds the entry indexes once
at the end (db/bulk.py bulk_load), so that 100,000 rows take seconds, not minutes.
"""

from __future__ import annotations

import random
from itertools import accumulate
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from peewee import fn
from stdnum.cn import ric

from ..db import case_deadlines
from ..db.bulk import bulk_insert, bulk_load, refresh_statistics, vacuum
from ..db.connection import db
from ..db.models import (Account, CaseDeadline, Entry, ImportBatch, EvidenceItem, FollowUp, Guardian, History, Persuasion,
                         School)
from ..db.transactions import write_transaction
from ..domain.codes import CODE_LIST, UNCONFIRMED_CODE, Source
from ..domain.dates import school_year_cutoff
from ..domain.regions import TOWNSHIPS, region_name
from ..domain.roles import Role
from . import audit
from .demo_cases import Cases
from .demo_twins import add_twins
from .idfields import CLEAN_ID, id_columns

COUNTIES = (("411328", 0.7), ("411330", 0.2), ("419001", 0.1))
AGES = range(4, 19)
AGE_WEIGHTS = (1, 3, 6, 6, 6, 6, 6, 7, 8, 9, 10, 9, 5, 3, 2)
SOURCES = ((Source.REGISTRY, 6), (Source.NO_RECORD, 3), (Source.POVERTY, 1))
MIGRANT_REGIONS = ("320321", "510722", "441302", "420683", "340321", "130633")
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "子梓浩宇轩涵欣怡雨泽博文佳俊杰思琪嘉豪晨阳诗语若萱一诺明辉建国秀英志强丽娟海燕婷婷凯瑞昊然梦瑶紫涵鑫磊鹏飞晓东春花桂兰金凤玉梅德华振宇"
ETHNIC = ("汉族",) * 18 + ("回族", "蒙古族")
REASONS = ("厌学", "随父母外出务工", "家庭经济困难", "身体原因", "学习困难", "父母离异无人照管", "早婚", "信教")
WATCH = ("留守", "随迁", "残疾", "孤儿", "困境", "建档立卡", "服刑人员子女")
METHODS = ("电话沟通", "微信联络", "入户劝导")
SCHOOL_ROLES = ("班主任", "年级组长", "副校长", "校长")
# Rows are found (imported) over the last four months and classified, some first as 99 and
# later re-classified, at dates after that: every monthly report has several periods to show.
HISTORY_DAYS = 120
RECLASSIFIED = 0.2


@dataclass(frozen=True)
class DemoResult:
    rows: int
    seconds: float


def _name(rng: random.Random) -> str:
    n = rng.choice((1, 2, 2, 2))
    surname = rng.choice(SURNAMES)
    return surname + rng.choice(GIVEN) if n == 1 else surname + rng.choice(GIVEN) + rng.choice(GIVEN)


def _id_for(rng: random.Random, region: str, birth: date, male: bool) -> str:
    return _id_with(rng, region, birth.isoformat().replace("-", ""), male)  # isoformat: a third of strftime's cost


def _id_with(rng: random.Random, region: str, birth_digits: str, male: bool) -> str:
    """A valid ID: a current region code, a past birth date (YYYYMMDD), its check digit."""
    seq = rng.randrange(0, 500) * 2 + (1 if male else 0)
    body = f"{region}{birth_digits}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")


def _valid_columns(good: str) -> dict:
    """id_columns(good, birth) of an ID _id_with built from that birth date: nothing to report.

    Valid by construction (tests/services/test_demo_rows.py checks every row against the
    checker), so the checker's work is not paid once per row.
    """
    return {"id_number": good, **CLEAN_ID}


def _next_id(good: str) -> str:
    """The same child's ID with the next free sequence number (same sex digit parity)."""
    body = f"{good[:14]}{(int(good[14:17]) + 2) % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def _phone(rng: random.Random) -> str:
    return rng.choice(("138", "139", "150", "151", "186", "187", "135")) + f"{rng.randrange(10**8):08d}"


def _spoil(rng: random.Random, good: str, birth: date) -> tuple[object, date]:
    """Damage an ID the way upstream data really is damaged."""
    kind = rng.randrange(5)
    if kind == 0:  # wrong check digit
        wrong = "0123456789X".replace(good[-1], "")
        return good[:-1] + rng.choice(wrong), birth
    if kind == 1:  # went through Excel as a number
        return f"{int(good[:15]) / 10**14:.14f}E+17".replace("0E+17", "E+17"), birth
    if kind == 2:  # birth date disagrees with 出生日期
        return good, birth + timedelta(days=rng.choice((-1, 1, 31, 365)))
    if kind == 3:  # typing error in the body
        i = rng.randrange(14, 17)
        return good[:i] + str((int(good[i]) + 1) % 10) + good[i + 1:], birth
    return good[:17] + ("x" if good.endswith("X") else good[-1]), birth  # harmless form


def _schools(rng: random.Random) -> dict[str, list[tuple[int, str, str]]]:
    """Create township schools; returns township → [(school id, name, stage)]."""
    by_town: dict[str, list[tuple[int, str, str]]] = {}
    rows = []
    for county, towns in TOWNSHIPS.items():
        cname = region_name(county)[-3:]
        for code, tname in towns:
            short = tname[:-2] if tname.endswith("街道") else tname[:-1]
            for name, stage in ((f"{short}中心小学", "小学"), (f"{short}第二小学", "小学"), (f"{short}初级中学", "初中")):
                rows.append({"name": name, "county": county, "township": code, "stage": stage})
        rows.append({"name": f"{cname}职业中等专业学校", "county": county, "township": None, "stage": "中职", "kind": "中职"})
        rows.append({"name": f"{cname}特殊教育学校", "county": county, "township": None, "stage": "九年一贯制", "kind": "特殊教育"})
    with write_transaction():
        for r in rows:
            School.insert(**r).on_conflict_ignore().execute()
    for s in School.select().where(School.county.in_(list(TOWNSHIPS))):
        if s.township:
            by_town.setdefault(s.township, []).append((s.id, s.name, s.stage))
    return by_town


def generate(rows: int = 2000, seed: int = 2026, login: str = "demo", today: date | None = None,
             progress=None) -> DemoResult:
    """Add `rows` demo ledger rows (and their guardians, evidence, history, persuasion)."""
    import time

    start = time.perf_counter()
    today = today or date.today()
    rng = random.Random(seed)
    cutoff = school_year_cutoff(today)
    schools = _schools(rng)
    base_seq = (Entry.select().order_by(Entry.seq.desc()).first() or Entry(seq=0)).seq
    # When rows were found and re-classified comes from a second stream: a seed's rows stay as they were.
    story = random.Random(f"kongcuo-demo-history-{seed}")
    chunk = 2000
    at = _clock()
    # History's index on `at` and the case deadlines' on `recorded_at` are in random order:
    # rebuilt at the end too.
    with write_transaction(), bulk_load(Entry), bulk_load(History), bulk_load(CaseDeadline):
        taken = set(Entry.select(Entry.region, Entry.id_number).tuples())  # one row per ID in a county
        batch = ImportBatch.create(file_name="演示数据", file_sha256="", region="", login=login, rows=rows)
        last_id = Entry.select(fn.MAX(Entry.id)).scalar() or 0
        cases = Cases(seed, today, login, at)
        for lo in range(0, rows, chunk):
            last_id = _chunk(rng, lo, min(chunk, rows - lo), base_seq, cutoff, today, schools, login, batch.id,
                             taken, story, last_id, at, cases)
            if progress:
                progress(min(lo + chunk, rows), rows)
        twins = add_twins(seed, batch.id, rows, taken)
        audit.record(login, "demo", "", rows=rows, seed=seed)
    refresh_statistics(rows)
    vacuum(Entry)  # a fresh table: counts become index-only scans
    if not Account.get_or_none(Account.login == login):
        from . import accounts

        accounts.add(None, login, login, Role.COUNTY, "411328")
    return DemoResult(rows + twins, time.perf_counter() - start)


def _chunk(rng, lo, n, base_seq, cutoff, today, schools, login, batch_id, taken, story, last_id, at, cases) -> int:
    """Write `n` rows, their records and cases; returns the last row's id."""
    entries = []
    extras = []  # per entry: (guardians, processed?, code)
    for i in range(n):
        county = rng.choices(_COUNTY_CODES, cum_weights=_COUNTY_CUM)[0]
        town_code, town_name = rng.choice(TOWNSHIPS[county])
        age = rng.choices(AGES, cum_weights=_AGE_CUM)[0]
        birth = cutoff - timedelta(days=365 * age + rng.randrange(0, 365))
        male = rng.random() < 0.55
        migrant = rng.random() < 0.08
        hukou_code = rng.choice(MIGRANT_REGIONS) if migrant else county
        good = _id_for(rng, hukou_code, birth, male)
        raw, birth_shown = (_spoil(rng, good, birth) if rng.random() < 0.04 else (good, birth))
        source = rng.choices(_SOURCE_VALUES, cum_weights=_SOURCE_CUM)[0]
        school_id, school_name, stage = rng.choice(schools[town_code])
        village = rng.choice("东西南北前后上下") + rng.choice("王李张刘陈杨赵黄") + "庄村"
        addr = f"{region_name(county)}{town_name}{village}{rng.randrange(1, 12)}组{rng.randrange(1, 80)}号"
        hukou = region_name(hukou_code) + (f"{town_name}{village}" if not migrant else "")
        entry_year = cutoff.year - max(age - 6, 0)
        grade = f"{entry_year}级{rng.randrange(1, 6)}班"
        reg = source == Source.REGISTRY
        e = {
            "region": county, "township": town_code, "school": school_id if reg else None,
            "source": source.value, "batch": batch_id, "seq": base_seq + lo + i + 1, "name": _name(rng),
            "birth_date": birth_shown, "hukou": hukou, "address": addr,
            "enrolled": "否" if rng.random() < 0.85 else "是",
            "national_no": f"G{good}" if reg else "", "prov_school": school_name if reg else "",
            "prov_no": f"{county}{rng.randrange(10**9):09d}" if reg else "",
            "prov_status": rng.choice(("疑似辍学", "辍学", "休学", "毕业")) if reg else "",
            "sex": "男" if male else "女", "ethnicity": rng.choice(ETHNIC),
            "grade_class": grade if reg else "", "stage": "小学" if age < 12 else "初中",
            "residence": addr, "registry_place": region_name(county) if reg else "",
            "disability": rng.choice(("", "", "", "", "", "", "", "", "肢体残疾", "智力残疾")),
            "health": rng.choice(("健康", "健康", "健康", "良好", "患病")),
            "family_summary": rng.choice(("父母在外务工，与祖父母生活", "单亲家庭，母亲务农", "家庭经济困难，脱贫户", "父母在家务农")),
            "dropout_reason": rng.choice(REASONS),
            "watch_groups": ",".join(sorted(set(rng.sample(WATCH, rng.choice((0, 0, 1, 1, 2)))))),
            **(_valid_columns(good) if raw == good and birth_shown == birth else id_columns(raw, birth_shown)),
        }
        while (county, e["id_number"]) in taken:  # no rng draw: the other rows stay as they were
            good = _next_id(good)
            e.update(_valid_columns(good) if birth_shown == birth else id_columns(good, birth_shown))
        taken.add((county, e["id_number"]))
        processed = rng.random() < 0.45
        code = None
        if processed:
            code = _plausible_code(rng, age)
            e.update(_classified(rng, code, county, school_name, today, login))
        found, first_99 = _found(story, today, e.get("proof_date"), code)
        e["created_at"] = e["updated_at"] = at(found, 8)
        if first_99 is not None:
            e["version"] = 3
        entries.append(e)
        guardians = [("父亲", e["name"][0] + rng.choice(GIVEN) + rng.choice(GIVEN)), ("母亲", _name(rng))]
        extras.append((guardians, code, hukou_code, first_99))
    guardians, evidence, history, attempts = _children(rng, entries, extras, login, at)
    persuasion, steps, deadlines = cases.add(entries, attempts)  # sets the rows' overdue_after, closed_on
    bulk_insert(Entry, entries)
    ids = _inserted_ids(batch_id, entries[0]["seq"], entries[-1]["seq"], last_id)
    # The records name their row by its index until its id is known; the demo's own school
    # attempts go in before the cases' records (ids in the order the records were made).
    for model, rows in ((Guardian, guardians), (EvidenceItem, evidence), (History, history), (Persuasion, attempts),
                        (Persuasion, persuasion), (FollowUp, steps)):
        for r in rows:
            r["entry"] = ids[r["entry"]]
        bulk_insert(model, rows)
    case_deadlines.store((ids[i], history) for i, history in deadlines)
    return ids[-1]


def _inserted_ids(batch_id: int, first_seq: int, last_seq: int, after: int) -> list[int]:
    # The demo batch and its seq range identify the rows just inserted, even when someone
    # else writes to the ledger at the same time; they all come after the previous chunk's
    # last id, a primary-key range whatever indexes the load has dropped.
    q = (Entry.select(Entry.id)
         .where((Entry.id > after) & (Entry.batch == batch_id) & Entry.seq.between(first_seq, last_seq))
         .order_by(Entry.seq))
    return [r[0] for r in db.execute(q).fetchall()]


# random.choices sums its weights on every call; summed once here, the draws are the same.
_COUNTY_CODES, _COUNTY_CUM = [c for c, _ in COUNTIES], list(accumulate(w for _, w in COUNTIES))
_AGE_CUM = list(accumulate(AGE_WEIGHTS))
_SOURCE_VALUES, _SOURCE_CUM = [s for s, _ in SOURCES], list(accumulate(w for _, w in SOURCES))
_BY_CODE = {c.code: c for c in CODE_LIST}
_CODE_POOL = [c for c in CODE_LIST if c.code not in ("B5", "B6")]
_CODE_CUM = list(accumulate(8 if c.code == "B2" or c.is_unconfirmed else 4 if c.code in ("B3", "A1", "A2") else 1
                            for c in _CODE_POOL))


def _plausible_code(rng, age):
    if age >= 16:
        return _BY_CODE["B6"]
    if age < 6:
        return _BY_CODE["B5"]
    return rng.choices(_CODE_POOL, cum_weights=_CODE_CUM)[0]


def _clock():
    """``at(day, hour)``: a recording time on ``day``, never in the future (the run's start).

    The demo's records fall on a few hundred (day, hour) pairs: each is computed once.
    """
    now = datetime.now().replace(microsecond=0)
    known: dict[tuple[date, int], datetime] = {}

    def at(day: date, hour: int) -> datetime:
        moment = known.get((day, hour))
        if moment is None:
            moment = known[day, hour] = min(datetime.combine(day, time(hour)), now)
        return moment

    return at


def _found(story: random.Random, today: date, proof_date: date | None, code) -> tuple[date, date | None]:
    """The day the row was found (imported), up to a month before it was classified, and the
    day it was first left at 99 when it was re-classified later (None: classified once)."""
    if proof_date is None:
        return today - timedelta(days=story.randrange(HISTORY_DAYS)), None
    found = proof_date - timedelta(days=story.randrange(HISTORY_DAYS - 89))
    span = (proof_date - found).days
    if code.is_unconfirmed or span < 2 or story.random() >= RECLASSIFIED:
        return found, None
    return found, found + timedelta(days=story.randrange(1, span))


def _classified(rng, code, county, school_name, today, login):
    proof_date = today - timedelta(days=rng.randrange(1, 90))
    notes = {
        "A8": "目前在家闲居，家庭情况：父母离异，随母亲生活，母亲电话13812345678",
        "B4": "随父母在江苏省徐州市务工地就读，已发函户籍地与就读地教育局办理学籍接续",
        UNCONFIRMED_CODE.code: "正在联系监护人核实就读情况",
        "B6": "已满16周岁，超龄离校",
    }.get(code.code, f"经核查，{code.description}")
    out = {
        "status": "processed", "action": code.action.value, "code": code.code,
        "proof_person": rng.choice(("李明", "王芳", "张伟", "村委会刘主任", "派出所赵警官")),
        "proof_date": proof_date, "notes": notes, "handled_by": login,
        "handled_at": datetime.combine(proof_date, datetime.min.time()) + timedelta(hours=10),
        "version": 2,
    }
    if code.needs_place:
        region = "320303" if code.place_scope == "out_of_province" else county
        school = "徐州市云龙区第一中学" if code.place_scope == "out_of_province" else school_name
        if code.code == "B8":
            school = region_name(county)[-3:] + "职业中等专业学校"
        out.update(study_region=region, study_place=region_name(region), study_school=school)
    return out


def _children(rng, entries, extras, login, at) -> tuple[list[dict], list[dict], list[dict], list[dict]]:
    """The rows' guardians, evidence, history and school attempts ("entry": the row's index)."""
    guardians, evidence, history, persuasion = [], [], [], []
    for eid, (e, (gs, code, hukou_code, first_99)) in enumerate(zip(entries, extras)):
        for k, (rel, name) in enumerate(gs, 1):
            # The digits of date(y, m, d), drawn in the same order: no date object per guardian.
            y, m, d = rng.randrange(1975, 1992), rng.randrange(1, 13), rng.randrange(1, 28)
            gid = _id_with(rng, hukou_code, f"{y}{m:02d}{d:02d}", k == 1)
            guardians.append({"entry": eid, "ordinal": k, "name": name, "id_number": gid,
                              "relation": rel, "phone": _phone(rng)})
        if code is None:
            continue
        for group in code.required_evidence:
            evidence.append({"entry": eid, "kind": group[0], "received_on": e["proof_date"], "recorded_by": login})
        if first_99 is not None:  # first not yet confirmed, re-classified when the facts were in
            history.append({
                "entry": eid, "version": 2, "action": UNCONFIRMED_CODE.action.value, "code": UNCONFIRMED_CODE.code,
                "proof_person": e["proof_person"], "proof_date": first_99, "notes": "正在联系监护人核实就读情况",
                "evidence": "", "by": login, "at": at(first_99, 10),
            })
        history.append({
            "entry": eid, "version": e["version"], "action": e["action"], "code": code.code,
            "study_region": e.get("study_region", ""), "study_school": e.get("study_school", ""),
            "proof_person": e["proof_person"], "proof_date": e["proof_date"], "notes": e["notes"],
            "evidence": ",".join(g[0] for g in code.required_evidence), "by": login, "at": e["handled_at"],
        })
        if code.needs_persuasion:
            for r in range(1, rng.randrange(2, 5)):
                persuasion.append({
                    "entry": eid, "kind": "school", "round": r,
                    "on": e["proof_date"] - timedelta(days=12 - 3 * r),
                    "party": SCHOOL_ROLES[(r - 1) % 4], "method": rng.choice(METHODS),
                    "process_result": "家长表示会做孩子工作，学生暂未返校", "signer": rng.choice(("李老师", "王老师")),
                    "phone": _phone(rng), "recorded_by": login,
                    "recorded_at": at(e["proof_date"] - timedelta(days=12 - 3 * r), 17),
                })
    return guardians, evidence, history, persuasion
