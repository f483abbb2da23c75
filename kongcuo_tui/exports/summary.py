"""附件1 疑似辍学学生信息汇总表, print-ready, in the seed's layout.

Rows: children still suspected or out of school in the account's scope — every pending
row, plus processed rows coded A (must be persuaded back) or 99 (not yet confirmed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from ..db.models import Entry, Guardian, School
from ..domain.codes import CodeClass, Status, codes_in
from ..services import audit
from ..services.types import Actor
from ..services.outputs import Output
from ..services.scope import narrowed_scope
from .layout import BODY_FONT, BODY_SIZE, TITLE_FONT, TITLE_SIZE, openpyxl_page, openpyxl_text, row_height

HEADERS = ("序号", "姓名", "性别", "民族", "学校名称", "年级班级", "身份证号", "实际\n居住地",
           "户口\n所在地", "是否残疾（具体到残疾类型）", "监护人姓名\n及身份证号", "联系电话", "疑似（辍学）原因")
WIDTHS = (5, 8, 5, 6, 18, 11, 19, 22, 22, 12, 27, 14, 16)
NOTE = (
    "填报说明：1、疑似辍学学生信息应和全国学籍系统内学生基本信息保持一致。若监护人信息有改动，按照改动之后的填写；"
    "学生户口所在地要具体到**市*县*镇*村*号；年级班级信息格式为：20**级*班。"
    "2、此表由中心校和市直学校统一汇总，与本辖区各校控辍保学跟踪材料（含文字、图片等材料）盖章后一并上报县级教育行政部门。"
)
HEADER_ROW = 4
_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="center")
_CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")
_BODY = Font(name=BODY_FONT, size=BODY_SIZE)
_BOLD = Font(name=BODY_FONT, size=BODY_SIZE, bold=True)


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


def _guardians(ids: list[int]) -> dict[int, list[Guardian]]:
    out: dict[int, list[Guardian]] = {}
    for i in range(0, len(ids), 500):
        q = Guardian.select().where(Guardian.entry.in_(ids[i:i + 500])).order_by(Guardian.ordinal)
        for g in q:
            out.setdefault(g.entry_id, []).append(g)
    return out


def _records(cond) -> list[tuple]:
    entries = list(Entry.select().where(selection(cond)).order_by(Entry.region, Entry.seq, Entry.id))
    guardians = _guardians([e.id for e in entries])
    school_ids = list({e.school_id for e in entries if e.school_id})
    schools = dict(School.select(School.id, School.name).where(School.id.in_(school_ids)).tuples()) if school_ids else {}
    out = []
    for n, e in enumerate(entries, 1):
        gs = guardians.get(e.id, [])
        out.append((
            n, e.name, e.sex, e.ethnicity, schools.get(e.school_id) or e.prov_school, e.grade_class, e.id_number,
            e.residence or e.address, e.hukou, e.disability or "否",
            "\n".join(f"{g.name} {g.id_number}".strip() for g in gs),
            "\n".join(g.phone for g in gs if g.phone), e.dropout_reason,
        ))
    return out


def _top(ws, actor: Actor, today: date) -> None:
    last = get_column_letter(len(HEADERS))
    ws["A1"] = "附件1"
    ws.merge_cells(f"A2:{last}2")
    ws["A2"] = term_title(today)
    ws["A2"].font = Font(name=TITLE_FONT, size=TITLE_SIZE)
    ws["A2"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[2].height = row_height([("标题", 10)], TITLE_SIZE)
    ws.merge_cells("A3:H3")
    ws.merge_cells(f"I3:{last}3")
    ws["A3"] = f"{actor.region_name}（盖章）"
    ws["I3"] = f"时间：{today.year}年{today.month}月{today.day}日"
    ws["I3"].alignment = Alignment(horizontal="right")
    for ref in ("A1", "A3", "I3"):
        ws[ref].font = _BODY
    for c, (h, w) in enumerate(zip(HEADERS, WIDTHS), 1):
        cell = ws.cell(HEADER_ROW, c, h)
        cell.font, cell.alignment, cell.border = _BOLD, _CENTER, _BORDER
        ws.column_dimensions[get_column_letter(c)].width = w
    ws.row_dimensions[HEADER_ROW].height = row_height(zip(HEADERS, WIDTHS))


def write_summary(actor: Actor, cond, path: str | Path, today: date) -> int:
    wb = Workbook()
    ws = wb.active
    ws.title = "疑似辍学学生信息汇总表"
    _top(ws, actor, today)
    records = _records(cond)
    r = HEADER_ROW
    for r, rec in enumerate(records, HEADER_ROW + 1):
        for c, v in enumerate(rec, 1):
            cell = ws.cell(r, c)
            if isinstance(v, int):
                cell.value = v
            else:
                openpyxl_text(cell, v or "")
            cell.font, cell.border, cell.alignment = _BODY, _BORDER, _WRAP
        ws.row_dimensions[r].height = row_height((str(v or ""), w) for v, w in zip(rec, WIDTHS))
    note_row = r + 1
    ws.merge_cells(start_row=note_row, start_column=1, end_row=note_row, end_column=len(HEADERS))
    note = ws.cell(note_row, 1, NOTE)
    note.font, note.alignment = _BODY, Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[note_row].height = row_height([(NOTE, sum(WIDTHS))])
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    last = get_column_letter(len(HEADERS))
    openpyxl_page(ws, landscape=True, title_rows=f"{HEADER_ROW}:{HEADER_ROW}", area=f"A1:{last}{note_row}")
    wb.save(str(path))
    return len(records)


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
