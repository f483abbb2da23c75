"""The 三统一 comparison as a workbook: one row per finding, A4 landscape, every cell text-safe."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from .layout import BODY_FONT, BODY_SIZE, TITLE_FONT, line_height, openpyxl_page, openpyxl_text, row_height

HEADERS = ("类别", "名单行号", "姓名（名单）", "出生日期（名单）", "证件号码", "台账记录号", "所属县", "序号",
           "姓名（台账）", "出生日期（台账）", "说明")
WIDTHS = (24, 6, 9, 11, 20, 7, 14, 6, 9, 11, 34)
HEADER_ROW = 3


def cells(item) -> list[str]:
    """One finding as the row's texts (shared with the terminal table)."""
    r, m = item.listed, item.ledger
    return [
        item.finding.label,
        str(r.row) if r else "", r.name if r else "", f"{r.birth_date:%Y-%m-%d}" if r and r.birth_date else "",
        (r.id_number if r else m.id_number), str(m.id) if m else "", m.region_name if m else "",
        str(m.seq) if m else "", m.name if m else "", f"{m.birth_date:%Y-%m-%d}" if m and m.birth_date else "",
        item.note,
    ]


def summary_line(report) -> str:
    parts = [f"名单 {report.list_rows} 行", f"与台账对上 {report.matched} 人"]
    parts += [f"{f.label.split('（')[0]} {len(report.of(f))} 条" for f in report.kind.findings]
    if report.adults:
        parts.append(f"不在义务教育年龄、未核对 {report.adults} 人")
    return "；".join(parts)


def write_reconcile(report, path: str | Path, today: date) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "核对结果"
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    body = Font(name=BODY_FONT, size=BODY_SIZE)
    wrap = Alignment(wrap_text=True, vertical="top")
    for i, w in enumerate(WIDTHS, 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    last = get_column_letter(len(HEADERS))
    title = f"{report.kind.label}与台账核对结果（{report.file}，{today:%Y-%m-%d}）"
    openpyxl_text(ws.cell(1, 1), title)
    ws.cell(1, 1).font = Font(name=TITLE_FONT, size=14)
    ws.merge_cells(f"A1:{last}1")
    ws.row_dimensions[1].height = line_height(1, 14)
    line = summary_line(report)
    openpyxl_text(ws.cell(2, 1), line)
    ws.cell(2, 1).font, ws.cell(2, 1).alignment = body, wrap
    ws.merge_cells(f"A2:{last}2")
    ws.row_dimensions[2].height = row_height([(line, sum(WIDTHS))])
    fill = PatternFill("solid", fgColor="DDEBF7")
    for col, text in enumerate(HEADERS, 1):
        c = ws.cell(HEADER_ROW, col)
        openpyxl_text(c, text)
        c.font, c.fill, c.border = Font(name=BODY_FONT, size=BODY_SIZE, bold=True), fill, border
        c.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    ws.row_dimensions[HEADER_ROW].height = row_height(zip(HEADERS, WIDTHS))
    for n, item in enumerate(report.items, HEADER_ROW + 1):
        texts = cells(item)
        for col, text in enumerate(texts, 1):
            c = ws.cell(n, col)
            openpyxl_text(c, text)
            c.font, c.alignment, c.border = body, wrap, border
        ws.row_dimensions[n].height = row_height(zip(texts, WIDTHS))
    end = HEADER_ROW + max(len(report.items), 1)
    openpyxl_page(ws, landscape=True, title_rows=f"{HEADER_ROW}:{HEADER_ROW}", area=f"A1:{last}{end}")
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 1)
    wb.save(path)
