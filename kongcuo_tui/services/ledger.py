"""Scoped reading of the ledger: counts, pages, search and one entry's full record."""

from __future__ import annotations

from dataclasses import replace

import json

from peewee import SQL

from ..db.connection import is_sqlite
from ..db.models import Entry, EvidenceItem, Guardian, History, IdVerificationRecord, Persuasion, School
from ..domain.codes import CODES, EVIDENCE, SOURCE_LABELS, Status, codes_in
from ..domain.persuasion import parse_units, unit_labels
from ..domain.regions import region_name
from . import review
from .errors import NotFound
from .keyset import first_rows, order_for, prefix, values_of
from .scope import entry_scope
from .types import (
    Actor, EntryDetail, EntryRow, EvidenceInfo, GuardianInfo, HistoryInfo, IdVerificationInfo, LedgerQuery,
    PersuasionInfo,
)

SORTS = {"seq": Entry.seq, "name": Entry.name, "id_number": Entry.id_number}

ROW_FIELDS = (
    Entry.id, Entry.seq, Entry.name, Entry.birth_date, Entry.id_number, Entry.hukou,
    Entry.address, Entry.enrolled, Entry.national_no, Entry.prov_school, Entry.prov_no,
    Entry.prov_status, Entry.id_ok, Entry.id_issue, Entry.status, Entry.action, Entry.code,
    Entry.proof_person, Entry.proof_date, Entry.version, Entry.source, Entry.township, Entry.region,
    Entry.review_state,
    Entry.verified_id,
)


def _is_id_like(text: str) -> bool:
    return bool(text) and text[:-1].isdigit() and (text[-1].isdigit() or text[-1] in "xX")


def _where(actor: Actor, q: LedgerQuery):
    cond = entry_scope(actor)
    if q.status:
        cond &= Entry.status == q.status
    field, text = _searched(q)
    if field is not None:
        match = prefix(field, text)
        if field is Entry.id_number and len(text) == 18:
            match |= Entry.verified_id == text  # a child found by the 核实证件号码 typed in full
        cond &= match
    if q.code:
        cond &= Entry.code == q.code
    if q.code_class:
        codes = codes_in(q.code_class)
        # One code (99) as an equality: the (status, code, region, seq, id) index then gives the page order.
        cond &= Entry.code == codes[0] if len(codes) == 1 else Entry.code.in_(codes)
    if q.source:
        cond &= Entry.source == q.source
    if q.township:
        cond &= Entry.township == q.township
    if q.school_id:
        cond &= Entry.school == q.school_id
    if q.bad_id is not None:
        cond &= Entry.id_ok == (not q.bad_id)
    if q.region:
        cond &= Entry.region == q.region
    if q.review:
        cond &= Entry.review_state == q.review
    if q.entry_ids is not None:
        cond &= id_among(frozenset(q.entry_ids))
    if q.verified is not None:
        cond &= (Entry.verified_id != "") if q.verified else (Entry.verified_id == "")
    if q.overdue_ids is not None:
        cond &= id_among(q.overdue_ids)
    return cond


def id_among(entry_ids: frozenset[int]):
    """Entry.id in a set of any size as ONE bound parameter (a JSON list on SQLite, an array on
    PostgreSQL): a long IN (?, ?, …) list would run into the engine's limit on parameters."""
    ids = sorted(entry_ids)
    if is_sqlite():
        return Entry.id.in_(SQL("(SELECT value FROM json_each(?))", (json.dumps(ids),)))
    return Entry.id == SQL("ANY(%s)", (ids,))


def _searched(q: LedgerQuery):
    """(the field a prefix search looks in, the prefix), or (None, "") without a search."""
    s = q.search.strip()
    if not s:
        return None, ""
    return (Entry.id_number, s.upper()) if _is_id_like(s) else (Entry.name, s)


def _order(q: LedgerQuery) -> tuple:
    """The page order (services/keyset.py): by county and 序号, or by the searched field."""
    field = _searched(q)[0]
    if field is None and q.sort in ("name", "id_number"):
        field = SORTS[q.sort]
    return order_for(field)


def _row(d: dict) -> EntryRow:
    code = CODES.get(d["code"]) if d["code"] else None
    return EntryRow(code_name=code.name if code else "", **d)


def count(actor: Actor, q: LedgerQuery) -> int:
    return Entry.select().where(_where(actor, q)).count()


def tab_counts(actor: Actor, q: LedgerQuery, shown: int | None = None) -> dict[str, int]:
    """Rows per status under the query's other filters (for the tab labels).

    ``shown``: the count of q's own tab, already known (the table counted it), not counted again.
    """
    # One count per tab, not one GROUP BY: each is a range of a status-led index (the
    # tab's page index) and needs no table row, at a province's million rows too.
    return {s.value: shown if shown is not None and s.value == q.status else count(actor, replace(q, status=s.value))
            for s in Status}


def page(actor: Actor, q: LedgerQuery, offset: int, limit: int, total: int | None = None) -> list[EntryRow]:
    """Rows [offset, offset+limit) in the query's order.

    Given the row count, a window in the second half is read backwards from the end, so
    End on a 100,000-row ledger costs as little as Home instead of skipping 99,900 rows.
    """
    order = _order(q)
    query = Entry.select(*ROW_FIELDS).where(_where(actor, q))
    if total is not None and offset > total // 2:
        from_end = max(total - offset - limit, 0)
        n = min(limit, total - offset)
        if n <= 0:
            return []
        rows = query.order_by(*(f.desc() for f in order)).offset(from_end).limit(n).dicts()
        return [_row(d) for d in reversed(list(rows))]
    rows = query.order_by(*order).offset(offset).limit(limit).dicts()
    return [_row(d) for d in rows]


def page_after(actor: Actor, q: LedgerQuery, after: EntryRow | None, limit: int) -> list[EntryRow]:
    """Keyset paging: the `limit` rows that follow `after` (None = from the start)."""
    order, cond = _order(q), _where(actor, q)

    def fetch(extra, n):
        # The keyset condition first: SQLite starts an index range at the first bound it reads.
        where = cond if extra is None else extra & cond
        return [_row(d) for d in Entry.select(*ROW_FIELDS).where(where).order_by(*order).limit(n).dicts()]

    return first_rows(fetch, order, limit, None if after is None else values_of(order, after))


def ids(actor: Actor, q: LedgerQuery) -> list[int]:
    """Every matching id (for 'mark all matching'); ids only, so it stays small."""
    return [r[0] for r in Entry.select(Entry.id).where(_where(actor, q)).order_by(*_order(q)).tuples()]


def rows_by_id(actor: Actor, entry_ids: list[int]) -> list[EntryRow]:
    out: list[EntryRow] = []
    for i in range(0, len(entry_ids), 500):
        chunk = entry_ids[i:i + 500]
        query = Entry.select(*ROW_FIELDS).where(entry_scope(actor) & Entry.id.in_(chunk)).dicts()
        out += [_row(d) for d in query]
    return out


def _scoped_entry(actor: Actor, entry_id: int) -> Entry:
    entry = Entry.select().where(entry_scope(actor) & (Entry.id == entry_id)).first()
    if entry is None:
        raise NotFound(f"找不到记录 {entry_id}，或不在您的管辖范围内")
    return entry


def detail(actor: Actor, entry_id: int) -> EntryDetail:
    e = _scoped_entry(actor, entry_id)
    row = rows_by_id(actor, [entry_id])[0]
    school = School.get_or_none(School.id == e.school_id) if e.school_id else None
    facts = {
        "性别": e.sex, "民族": e.ethnicity, "学段": e.stage, "年级班级": e.grade_class,
        "学校": school.name if school else e.prov_school, "乡镇": region_name(e.township),
        "实际居住地": e.residence, "学籍所在地": e.registry_place,
        "是否残疾": e.disability or "否", "健康情况": e.health,
        "重点监测群体": e.watch_groups, "家庭情况简述": e.family_summary,
        "疑似辍学原因": e.dropout_reason, "台账来源": SOURCE_LABELS.get(e.source, e.source),
    }
    return EntryDetail(
        row=row, facts=facts, region=e.region, study_region=e.study_region,
        study_place=e.study_place, study_school=e.study_school, notes=e.notes, graduation=e.graduation,
        handled_by=e.handled_by, handled_at=e.handled_at, updated_at=e.updated_at,
        id_issue_code=e.id_issue_code, id_raw=e.id_raw, review_note=e.review_note, reviews=review.history(e.id),
        guardians=[
            GuardianInfo(g.name, g.id_number, g.relation, g.phone)
            for g in Guardian.select().where(Guardian.entry == e).order_by(Guardian.ordinal)
        ],
        evidence=[
            EvidenceInfo(v.kind, EVIDENCE.get(v.kind, v.kind), v.note, v.received_on, v.recorded_by)
            for v in EvidenceItem.select().where(EvidenceItem.entry == e).order_by(EvidenceItem.id)
        ],
        history=[
            HistoryInfo(
                h.version, h.action, h.code, CODES[h.code].name if h.code in CODES else "",
                h.proof_person, h.proof_date, h.notes, h.by, h.at,
                region_name(h.study_region) if h.study_region else "", h.study_school,
            )
            for h in History.select().where(History.entry == e).order_by(History.id)
        ],
        persuasions=[
            PersuasionInfo(p.kind, p.round, p.on, p.party or unit_labels(parse_units(p.units)), p.method,
                           p.process_result, p.signer, p.phone)
            for p in Persuasion.select().where(Persuasion.entry == e).order_by(Persuasion.on, Persuasion.id)
        ],
        verifications=[
            IdVerificationInfo(v.version, v.upstream_id, v.verified_id, v.proof_person, v.proof_date, v.by, v.at)
            for v in IdVerificationRecord.select().where(IdVerificationRecord.entry == e)
            .order_by(IdVerificationRecord.id)
        ],
    )
