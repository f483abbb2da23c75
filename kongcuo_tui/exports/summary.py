"""附件1 疑似辍学学生信息汇总表, print-ready, in the seed's layout.

Rows: children still suspected or out of school in the account's scope — every pending
row, plus processed rows coded A (must be persuaded back) or 99 (not yet confirmed).

Streamed like the ledger export: keyset pages in (region, 序号, id) order — an index range
scan at any scope, see the (region, seq, id) index — guardians and schools fetched per page,
rows written in order into an xlsxwriter constant_memory workbook with shared formats, each
row's height set as it is written. Memory stays flat from a county to a province.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import xlsxwriter

from ..db.models import Entry, Guardian, School
from ..domain.codes import CodeClass, Status, codes_in
from ..services import audit
from ..services.keyset import REGION_ORDER, pages
from ..services.types import Actor
from ..services.outputs import Output
from ..services.scope import narrowed_scope
from .layout import (BODY_FONT, BODY_SIZE, TITLE_FONT, TITLE_SIZE, XLSXWRITER_OPTIONS, looks_like_formula,
                     row_height, xlsxwriter_page, xlsxwriter_row)

HEADERS = ("序号", "姓名", "性别", "民族", "学校名称", "年级班级", "身份证号", "实际\n居住地",
           "户口\n所在地", "是否残疾（具体到残疾类型）", "监护人姓名\n及身份证号", "联系电话", "疑似（辍学）原因")
WIDTHS = (5, 8, 5, 6, 18, 11, 19, 22, 22, 12, 27, 14, 16)
NOTE = (
    "填报说明：1、疑似辍学学生信息应和全国学籍系统内学生基本信息保持一致。若监护人信息有改动，按照改动之后的填写；"
    "学生户口所在地要具体到**市*县*镇*村*号；年级班级信息格式为：20**级*班。"
    "2、此表由中心校和市直学校统一汇总，与本辖区各校控辍保学跟踪材料（含文字、图片等材料）盖章后一并上报县级教育行政部门。"
)
HEADER_ROW = 3  # 0-based: the fourth row, repeated on every printed page
PAGE = 2000
_FIELDS = (Entry.id, Entry.region, Entry.seq, Entry.name, Entry.sex, Entry.ethnicity, Entry.school,
           Entry.prov_school, Entry.grade_class, Entry.id_number, Entry.residence, Entry.address, Entry.hukou,
           Entry.disability, Entry.dropout_reason)


@dataclass(frozen=True)
class SummaryResult:
    rows: int
    path: str


def term_title(today: date) -> str:
    """'2026年秋学段…' from August on, '2026年春学段…' before."""
    term = "秋" if today.month >= 8 else "春"
    return f"{today.year}年{term}学段疑似辍学学生信息汇总表"


def selection(cond):
    """Still suspected or out of school: pending, or classified A* / 99."""
    still = (Entry.status == Status.PENDING.value) | Entry.code.in_(codes_in(CodeClass.PERSUADE, CodeClass.UNCONFIRMED))
    return cond & still


def page_query(cond, extra=None, page: int = PAGE):
    """Up to ``page`` entries in (region, 序号, id) order that also match ``extra``.

    ``extra`` is a keyset bound from services/keyset.rows_after (None: from the first row):
    an index range that starts where the last page ended.
    """
    where = selection(cond) if extra is None else extra & selection(cond)
    return Entry.select(*_FIELDS).where(where).order_by(*REGION_ORDER).limit(page)


def _pages(cond):
    """Entry tuples in (region, 序号, id) order, one keyset page at a time."""
    return pages(lambda extra, n: _fetch(page_query(cond, extra, n)), REGION_ORDER,
                 lambda row: (row[1], row[2], row[0]), PAGE)


def _fetch(query) -> list[tuple]:
    """The driver's own row tuples: every column here is text or a number as stored."""
    return Entry._meta.database.execute(query).fetchall()


def _records(cond):
    """The 13 printed cells of each row; guardians and school names looked up once a page."""
    for rows in _pages(cond):
        ids = [r[0] for r in rows]
        guardians: dict[int, list[tuple]] = {}
        for entry_id, name, id_number, phone in _fetch(
                Guardian.select(Guardian.entry, Guardian.name, Guardian.id_number, Guardian.phone)
                .where(Guardian.entry.in_(ids)).order_by(Guardian.entry, Guardian.ordinal)):
            guardians.setdefault(entry_id, []).append((name, id_number, phone))
        school_ids = list({r[6] for r in rows if r[6]})
        schools = dict(_fetch(School.select(School.id, School.name).where(School.id.in_(school_ids)))) \
            if school_ids else {}
        for (entry_id, _, _, name, sex, ethnicity, school_id, prov_school, grade_class, id_number, residence,
             address, hukou, disability, reason) in rows:
            gs = guardians.get(entry_id, ())
            yield (name, sex, ethnicity, schools.get(school_id) or prov_school, grade_class, id_number,
                   residence or address, hukou, disability or "否",
                   "\n".join(f"{g} {i}".strip() for g, i, _ in gs), "\n".join(p for _, _, p in gs if p), reason)


def _formats(wb) -> dict:
    body = {"font_name": BODY_FONT, "font_size": BODY_SIZE}
    cell = {**body, "border": 1, "text_wrap": True, "valign": "vcenter"}
    return {
        "plain": wb.add_format(body),
        "right": wb.add_format({**body, "align": "right"}),
        "title": wb.add_format({"font_name": TITLE_FONT, "font_size": TITLE_SIZE, "align": "center",
                                "valign": "vcenter"}),
        "head": wb.add_format({**cell, "bold": True, "align": "center"}),
        "cell": wb.add_format(cell),
        # quote_prefix keeps '=…' text when a registrar later edits the cell in Excel or WPS.
        "text": wb.add_format({**cell, "quote_prefix": True}),
        "note": wb.add_format({**body, "text_wrap": True, "valign": "top"}),
    }


def _top(ws, fmt: dict, actor: Actor, today: date) -> None:
    last = len(HEADERS) - 1
    for c, w in enumerate(WIDTHS):
        ws.set_column(c, c, w)
    ws.write_string(0, 0, "附件1", fmt["plain"])
    ws.set_row(1, row_height([("标题", 10)], TITLE_SIZE))
    ws.merge_range(1, 0, 1, last, term_title(today), fmt["title"])
    ws.merge_range(2, 0, 2, 7, f"{actor.region_name}（盖章）", fmt["plain"])
    ws.merge_range(2, 8, 2, last, f"时间：{today.year}年{today.month}月{today.day}日", fmt["right"])
    ws.set_row(HEADER_ROW, row_height(zip(HEADERS, WIDTHS)))
    for c, h in enumerate(HEADERS):
        ws.write_string(HEADER_ROW, c, h, fmt["head"])


def write_summary(actor: Actor, cond, path: str | Path, today: date) -> int:
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, **XLSXWRITER_OPTIONS})
    ws = wb.add_worksheet("疑似辍学学生信息汇总表")
    fmt = _formats(wb)
    cell, text = fmt["cell"], fmt["text"]
    _top(ws, fmt, actor, today)
    r = HEADER_ROW
    n = 0
    for n, rec in enumerate(_records(cond), 1):
        r = HEADER_ROW + n
        # A row is final once the next one is started: its height must be set before that.
        xlsxwriter_row(ws, r, row_height(zip(rec, WIDTHS[1:])))
        ws.write_number(r, 0, n, cell)
        for c, v in enumerate(rec, 1):
            ws.write_string(r, c, v or "", text if v and looks_like_formula(v) else cell)
    note_row = r + 1
    ws.set_row(note_row, row_height([(NOTE, sum(WIDTHS))]))
    ws.merge_range(note_row, 0, note_row, len(HEADERS) - 1, NOTE, fmt["note"])
    ws.freeze_panes(HEADER_ROW + 1, 0)
    xlsxwriter_page(ws, landscape=True, header_row=HEADER_ROW)
    ws.hide_gridlines(1)  # every table cell has its border; a printed grid would cross the title and note
    ws.print_area(0, 0, note_row, len(HEADERS) - 1)
    wb.close()
    return n


@audit.audits_denials("export")
def export_summary(actor: Actor, path: str | Path, region: str | None = None, today: date | None = None,
                   output_name: str | None = None) -> SummaryResult:
    """Write 附件1 for the account's scope and record the export in the audit log."""
    with Output(str(path)) as out:
        n = write_summary(actor, narrowed_scope(actor, region), out.path, today or date.today())
        shown = output_name or (out.shown if out.to_stdout else Path(path).name)
        out.deliver(lambda: audit.record(actor.login, "export", "summary", rows=n,
                                         region=region or actor.region, output=shown))
    return SummaryResult(n, shown)
