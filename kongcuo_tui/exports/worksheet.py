"""`kongcuo export worksheet`: one sheet per school with the rows to verify, for the schools to fill.

Identifying columns are locked (sheet protection without a password: it prevents slips,
not intent), result columns are open, 核查结果 has a drop-down of the codes, and a hidden
行键 column carries each row's id and version. A 填表说明 sheet lists every code and what
it needs, in the words of the rules the import applies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import xlsxwriter
from peewee import JOIN

from ..db.models import Entry, School
from ..domain.codes import CODE_LIST, CODES, EVIDENCE, Status
from ..domain.regions import region_index
from ..domain.rules import MIN_CROSS_PROVINCE_NOTES, requirements
from ..services import audit
from ..services.errors import ServiceError
from ..services.outputs import Output
from ..services.scope import narrowed_scope
from ..services.types import Actor
from .layout import XLSXWRITER_OPTIONS, row_height, xlsxwriter_formats, xlsxwriter_page
from .worksheet_layout import (
    HEADERS, IDENTIFYING, INSTRUCTIONS_SHEET, KEY_HEADER, WIDTHS, row_key,
)

NO_SCHOOL = "未分学校"
CODE_CHOICES = tuple(c.label for c in CODE_LIST)  # "A1 打工务农" …: the import reads the code in front
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\']")
_FIELDS = (Entry.id, Entry.version, Entry.seq, Entry.name, Entry.birth_date, Entry.id_number, Entry.id_ok,
           Entry.id_issue, Entry.hukou, Entry.address, Entry.prov_school, Entry.code, Entry.verified_id,
           School.name.alias("school_name"))


@dataclass(frozen=True)
class WorksheetResult:
    rows: int
    sheets: int
    path: str


def _cond(actor: Actor, status: str, school: str | None, township: str | None):
    cond = narrowed_scope(actor, None)
    if status != "all":
        cond &= Entry.status == status
    if school:
        ids = [s for (s,) in School.select(School.id).where(School.name == school.strip()).tuples()]
        if not ids:
            raise ServiceError(f"找不到学校“{school}”；请写学校全称（与台账界面筛选中的名称一致）")
        cond &= Entry.school.in_(ids)
    if township:
        code = _township_code(township.strip())
        cond &= Entry.township == code
    return cond


def _township_code(text: str) -> str:
    towns = [r for r in region_index().values() if r.level == "township" and text in (r.code, r.name, r.full_name)]
    if len(towns) != 1:
        raise ServiceError(f"找不到乡镇“{text}”" if not towns else f"“{text}”有多个同名乡镇，请写 9 位以上的乡镇代码")
    return towns[0].code


def _rows(cond) -> dict[str, list[dict]]:
    q = (Entry.select(*_FIELDS).join(School, on=(Entry.school == School.id), join_type=JOIN.LEFT_OUTER)
         .where(cond).order_by(Entry.seq, Entry.id).dicts())
    by_school: dict[str, list[dict]] = {}
    for d in q:
        by_school.setdefault(d["school_name"] or d["prov_school"] or NO_SCHOOL, []).append(d)
    return dict(sorted(by_school.items()))


def _sheet_names(schools: list[str]) -> dict[str, str]:
    out, used = {}, {INSTRUCTIONS_SHEET}
    for s in schools:
        base = _SHEET_NAME_BAD.sub("_", s)[:28] or NO_SCHOOL
        name, n = base, 2
        while name in used:
            name, n = f"{base[:26]}({n})", n + 1
        used.add(name)
        out[s] = name
    return out


def _cells(d: dict) -> list:
    code = CODES.get(d["code"])
    check = "通过" if d["id_ok"] else d["id_issue"]
    if d["verified_id"]:
        check = f"已核实：{d['verified_id']}" + ("" if d["id_ok"] else f"（上游号码：{d['id_issue']}）")
    return [d["seq"], d["name"], d["birth_date"], d["id_number"], check, d["hukou"], d["address"],
            d["school_name"] or d["prov_school"], code.label if code else "待处理"]


class _Book:
    def __init__(self, path: str):
        self.wb = xlsxwriter.Workbook(path, XLSXWRITER_OPTIONS)
        f = xlsxwriter_formats(self.wb)
        self.head, self.body, self.date = f["head"], f["body"], f["date"]
        locked = {"font_name": "宋体", "font_size": 10, "text_wrap": True, "valign": "top"}
        self.fill = self.wb.add_format({**locked, "locked": False, "bg_color": "#FFF9DB"})
        self.fill_date = self.wb.add_format({**locked, "locked": False, "bg_color": "#FFF9DB",
                                             "num_format": "yyyy-mm-dd"})
        self.fill_head = self.wb.add_format({**locked, "bold": True, "bg_color": "#FFE699", "border": 1,
                                             "align": "center", "valign": "vcenter"})
        self.title = self.wb.add_format({"font_name": "黑体", "font_size": 14, "bold": True})
        # The key is data for the import, never drawn: LibreOffice would print it down the edge
        # of the hidden column, a character a line.
        self.key = self.wb.add_format({"font_name": "宋体", "font_size": 10, "num_format": ";;;"})

    def school_sheet(self, name: str, school: str, rows: list[dict], made: str) -> None:
        ws = self.wb.add_worksheet(name)
        first_result = len(IDENTIFYING)
        for c, w in enumerate(WIDTHS):
            fmt = self.fill_date if HEADERS[c] == "证明日期" else self.fill if c >= first_result else None
            ws.set_column(c, c, w, fmt, {"hidden": HEADERS[c] == KEY_HEADER})
        ws.write_string(0, 0, f"{school} 核查工作表（{made} 导出；黄色列填写，灰色列请勿修改）", self.title)
        ws.set_row(0, 22)
        for c, h in enumerate(HEADERS):
            ws.write_string(1, c, h, self.fill_head if first_result <= c < len(HEADERS) - 1 else self.head)
        ws.set_row(1, row_height(zip(HEADERS, WIDTHS)))
        for r, d in enumerate(rows, 2):
            cells = _cells(d)
            texts = []
            for c, v in enumerate(cells):
                if isinstance(v, date):
                    ws.write_datetime(r, c, datetime(v.year, v.month, v.day), self.date)
                elif isinstance(v, int):
                    ws.write_number(r, c, v, self.body)
                elif v:
                    ws.write_string(r, c, str(v), self.body)  # never a formula, whatever it starts with
                    texts.append((str(v), WIDTHS[c]))
            for c in range(first_result, len(HEADERS) - 1):  # cells of their own: every program sees them open
                ws.write_blank(r, c, None, self.fill_date if HEADERS[c] == "证明日期" else self.fill)
            ws.write_string(r, len(HEADERS) - 1, row_key(d["id"], d["version"]), self.key)
            ws.set_row(r, max(row_height(texts), 28.0))
        last = len(rows) + 1
        code_col = first_result
        ws.data_validation(2, code_col, max(last, 2), code_col, {
            "validate": "list", "source": list(CODE_CHOICES), "error_type": "stop",
            "input_title": "核查结果", "input_message": "从列表中选择代码（见“填表说明”）",
            "error_title": "核查结果", "error_message": "请从下拉列表中选择核查结果代码",
        })
        ws.freeze_panes(2, 2)
        ws.autofilter(1, 0, max(last, 2), len(HEADERS) - 2)
        ws.protect("", {"autofilter": True, "sort": True, "format_columns": True, "format_rows": True,
                        "select_locked_cells": True, "select_unlocked_cells": True})
        xlsxwriter_page(ws, landscape=True, header_row=1)
        ws.print_area(0, 0, max(last, 2), len(HEADERS) - 2)  # LibreOffice would print the hidden key squeezed

    def instructions(self, made: str) -> None:
        ws = self.wb.add_worksheet(INSTRUCTIONS_SHEET)
        widths = (8, 16, 12, 44, 50)
        for c, w in enumerate(widths):
            ws.set_column(c, c, w)
        ws.write_string(0, 0, f"核查工作表 填表说明（{made}）", self.title)
        lines = [
            "1. 每个学校一个工作表。黄色列由学校填写，灰色列是台账信息，已锁定，请勿修改；不要删除或修改隐藏的“行键”列。",
            "2. 核查结果：从下拉列表选择（如“B2 在校有学籍”）。不填核查结果的行视为未核查，导入时跳过。",
            "3. 证明材料：写下表所列的材料名称，多个用“、”分隔；证明人写出具证明或报告情况的人（本人核查写本人姓名）。",
            "4. 证明日期写成 2026-11-20 的格式；处理说明如实写明具体情况。户籍地或就读地在外省的（跨省情形），"
            f"处理说明至少 {MIN_CROSS_PROVINCE_NOTES} 字，写明户籍地、就读地、转学或联系情况。",
            "5. 核实证件号码：台账证件号码有误、已按户口簿或派出所证明核实时，填写正确的 18 位号码（同样须填证明人和证明日期）。",
        ]
        for r, text in enumerate(lines, 2):
            ws.merge_range(r, 0, r, len(widths) - 1, text, self.body)
            ws.set_row(r, row_height([(text, sum(widths))]))
        top = len(lines) + 3
        head = ("代码", "名称", "处理类型", "须留存的证明材料（写入“证明材料”列）", "其他要求")
        for c, h in enumerate(head):
            ws.write_string(top, c, h, self.head)
        for r, code in enumerate(CODE_LIST, top + 1):
            docs, other = requirements(code)
            cells = (code.code, code.name, str(code.action), docs, other)
            for c, v in enumerate(cells):
                ws.write_string(r, c, v, self.body)
            ws.set_row(r, row_height(zip(cells, widths)))
        r = top + len(CODE_LIST) + 2
        ws.write_string(r, 0, "证明材料名称（照此填写）：", self.body)
        names = "、".join(EVIDENCE.values())
        ws.merge_range(r + 1, 0, r + 1, len(widths) - 1, names, self.body)
        ws.set_row(r + 1, row_height([(names, sum(widths))]))
        xlsxwriter_page(ws, landscape=True, header_row=top)

    def close(self) -> None:
        self.wb.close()


def write_worksheet(cond, path: str | Path, today: date) -> tuple[int, int]:
    """Write the rows matching ``cond``; returns (rows, school sheets)."""
    groups = _rows(cond)
    book = _Book(str(path))
    made = f"{today:%Y-%m-%d}"
    book.instructions(made)
    names = _sheet_names(list(groups))
    for school, rows in groups.items():
        book.school_sheet(names[school], school, rows, made)
    book.close()
    return sum(map(len, groups.values())), len(groups)


@audit.audits_denials("export")
def export_worksheet(actor: Actor, path: str | Path, status: str = Status.PENDING.value, school: str | None = None,
                     township: str | None = None, today: date | None = None,
                     output_name: str | None = None) -> WorksheetResult:
    """Export the account's rows (never outside its region) as worksheets; recorded in the audit log."""
    if school and township:
        raise ServiceError("--school 与 --township 只能选一个")
    cond = _cond(actor, status, school, township)
    with Output(str(path)) as out:
        n, sheets = write_worksheet(cond, out.path, today or date.today())
        shown = output_name or (out.shown if out.to_stdout else Path(path).name)
        out.deliver(lambda: audit.record(actor.login, "export", "worksheet", rows=n, sheets=sheets, status=status,
                                         school=school or "", township=township or "", output=shown))
    return WorksheetResult(n, sheets, shown)
