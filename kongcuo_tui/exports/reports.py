"""月报表 (Tanghe plan, 附件2), the quarterly 排查整改 statistics (附件6) and the city/province
roll-up as print-ready workbooks, from services.figures.

The monthly sheet has the seed's head: 单位名称（盖章）, the period, 填报日期 and 填报人签字
lines, then one row per area (a county's townships and schools; a city's or province's
counties) with the figures by 学段. Further sheets: 本期处理 by code class and code, and the
watched groups. Every sheet is A4 landscape, one page wide; rows are few (areas, not children).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import xlsxwriter

from ..domain.codes import CODE_LIST
from ..domain.periods import Period
from ..domain.watch import WATCH_GROUPS
from ..services import audit
from ..services.figures import STAGES, TOTAL, AreaRow, Report
from ..services.rollup import RollupRow
from ..services.outputs import Output
from ..services.types import Actor
from .layout import BODY_FONT, BODY_SIZE, TITLE_FONT, TITLE_SIZE, XLSXWRITER_OPTIONS, row_height, xlsxwriter_page

BY_STAGE = (*STAGES, TOTAL)
MONTHLY = (("疑似辍学", BY_STAGE), ("辍学", BY_STAGE), ("返校", BY_STAGE), ("新发现", BY_STAGE),
           ("本期处理", BY_STAGE), ("未确认99", BY_STAGE), ("劝返逾期", BY_STAGE), ("超龄销号", BY_STAGE))
QUARTERLY = (("台账总数", (TOTAL,)), ("新发现", BY_STAGE), ("本期处理", BY_STAGE), ("本期处理A类", (TOTAL,)),
             ("本期处理B类", (TOTAL,)), ("本期处理99", (TOTAL,)), ("返校", BY_STAGE), ("超龄销号", (TOTAL,)),
             ("疑似辍学", BY_STAGE), ("辍学", BY_STAGE), ("劝返逾期", (TOTAL,)))
BY_CODE = (("本期处理", (TOTAL,)), ("本期处理A类", (TOTAL,)), ("本期处理B类", (TOTAL,)), ("本期处理99", (TOTAL,)),
           *((f"本期处理{c.code}", (TOTAL,)) for c in CODE_LIST if not c.is_unconfirmed))
WATCHED = tuple((key, BY_STAGE) for key in WATCH_GROUPS)
HEADINGS = {"未确认99": "未确认(99)", "本期处理": "本期处理合计", "本期处理A类": "其中A类", "本期处理B类": "其中B类",
            "本期处理99": "其中99", **{f"本期处理{c.code}": c.code for c in CODE_LIST},
            **{k: v for k, v in WATCH_GROUPS.items()}}
AREA_WIDTH = 24
NOTE = ("说明：1、期末数为统计截止日台账状态（按当时的处理记录计算，以后的处理不改变本表）；本期数为统计时段内登记的事项。"
        "2、疑似辍学＝待处理＋未确认(99)；辍学＝A类（需要劝返）；返校＝劝返记录中登记复学；新发现＝本期导入台账的新行；"
        "劝返逾期＝按劝返流程期限已过仍未完成的案件。3、每个数字可用 kongcuo report monthly --rows 统计项 列出对应的学生。"
        "4、学段不详（年龄不在6–15周岁且无年级）只计入合计。")


@dataclass(frozen=True)
class DocResult:
    rows: int
    path: str


def term(d: date) -> str:
    """'2026年秋季学期' from August on, '2026年春季学期' before (the Tanghe title's term)."""
    return f"{d.year}年{'秋' if d.month >= 8 else '春'}季学期"


def _formats(wb) -> dict:
    body = {"font_name": BODY_FONT, "font_size": BODY_SIZE}
    cell = {**body, "border": 1, "text_wrap": True, "valign": "vcenter"}
    return {
        "plain": wb.add_format(body),
        "title": wb.add_format({"font_name": TITLE_FONT, "font_size": TITLE_SIZE, "align": "center",
                                "valign": "vcenter"}),
        "head": wb.add_format({**cell, "bold": True, "align": "center"}),
        "area": wb.add_format(cell),
        "bold": wb.add_format({**cell, "bold": True}),
        "sub": wb.add_format({**cell, "indent": 1}),
        "num": wb.add_format({**cell, "align": "center"}),
        "note": wb.add_format({**body, "text_wrap": True, "valign": "top"}),
    }


def _sheet(wb, fmt, name: str, title: str, head: list[str], columns, rows: list[AreaRow]) -> None:
    ws = wb.add_worksheet(name)
    cols = [(fig, s) for fig, stages in columns for s in stages]
    width = 5.5 if len(cols) > 12 else 8.0
    last = len(cols)
    ws.set_column(0, 0, AREA_WIDTH)
    ws.set_column(1, last, width)
    ws.set_row(0, row_height([("标题", 10)], TITLE_SIZE))
    ws.merge_range(0, 0, 0, last, title, fmt["title"])
    r = 1
    for line in head:
        ws.merge_range(r, 0, r, last, line, fmt["plain"])
        r += 1
    top, sub = r, r + 1
    ws.merge_range(top, 0, sub, 0, "单位（区域）", fmt["head"])
    c = 1
    tallest = 1
    for fig, stages in columns:
        label = HEADINGS.get(fig, fig)
        if len(stages) == 1:
            ws.merge_range(top, c, sub, c, label, fmt["head"])
        else:
            ws.merge_range(top, c, top, c + len(stages) - 1, label, fmt["head"])
            for k, s in enumerate(stages):
                ws.write_string(sub, c + k, s, fmt["head"])
        tallest = max(tallest, row_height([(label, width * len(stages))]))
        c += len(stages)
    ws.set_row(top, tallest)
    ws.set_row(sub, row_height([("合计", width)]))
    r = sub + 1
    for row in rows:
        label = "合计" if row.level == "total" else row.name
        ws.set_row(r, row_height([(label, AREA_WIDTH - 2)]))
        style = dict(school="sub", township="bold", total="bold").get(row.level, "area")
        ws.write_string(r, 0, label, fmt[style])
        for k, (fig, s) in enumerate(cols, 1):
            ws.write_number(r, k, row.n(fig, s), fmt["num"])
        r += 1
    ws.set_row(r, row_height([(NOTE, AREA_WIDTH + width * last)]))
    ws.merge_range(r, 0, r, last, NOTE, fmt["note"])
    xlsxwriter_page(ws, landscape=True, header_row=sub)
    ws.repeat_rows(top, sub)
    ws.hide_gridlines(2)
    ws.print_area(0, 0, r, last)


def _head(actor: Actor, r: Report, today: date) -> list[str]:
    return [f"单位名称（盖章）：{r.scope_name}　　统计时段：{r.period.span}（统计至 {r.as_of:%Y-%m-%d}）",
            f"填报日期：{today.year}年{today.month}月{today.day}日　　填报人签字：＿＿＿＿＿＿　　"
            f"上报截止：{r.period.deadline:%Y-%m-%d}"]


def write_report(actor: Actor, r: Report, path: str | Path, today: date) -> int:
    wb = xlsxwriter.Workbook(str(path), XLSXWRITER_OPTIONS)
    fmt = _formats(wb)
    rows = r.printed_rows()
    head = _head(actor, r, today)
    if r.period.kind == "month":
        title = f"{term(r.period.start)}控辍保学月报表（{r.period.start.month}月）"
        _sheet(wb, fmt, "月报表", title, head, MONTHLY, rows)
    else:
        title = f"{r.period.label}控辍保学排查整改工作情况统计表"
        _sheet(wb, fmt, "季度统计表", title, head, QUARTERLY, rows)
    _sheet(wb, fmt, "本期处理分代码", f"{r.period.label}本期处理结果（按核查结果代码）", head[:1], BY_CODE, rows)
    _sheet(wb, fmt, "重点监测群体", f"{r.period.label}重点监测群体疑似辍学及辍学情况", head[:1], WATCHED, rows)
    wb.close()
    return len(rows)


ROLLUP_HEAD = ("单位", "台账总数", "已处理", "进度%", "B类占比%", "99占比%", "劝返逾期", "本期返校")


def rollup_cells(x: RollupRow) -> tuple:
    return (x.name, x.total, x.processed, x.progress, x.b_share, x.share_99, x.overdue, x.returned)


def write_rollup(actor: Actor, period: Period, rows: list[RollupRow], path: str | Path, today: date) -> int:
    wb = xlsxwriter.Workbook(str(path), XLSXWRITER_OPTIONS)
    fmt = _formats(wb)
    ws = wb.add_worksheet("汇总")
    widths = (24, 10, 10, 9, 10, 9, 10, 10)
    last = len(widths) - 1
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    ws.set_row(0, row_height([("标题", 10)], TITLE_SIZE))
    ws.merge_range(0, 0, 0, last, f"{period.label}控辍保学工作进度汇总表", fmt["title"])
    ws.merge_range(1, 0, 1, last, f"单位名称（盖章）：{actor.region_name}　　统计时段：{period.span}", fmt["plain"])
    ws.merge_range(2, 0, 2, last, f"填报日期：{today.year}年{today.month}月{today.day}日　　填报人签字：＿＿＿＿＿＿",
                   fmt["plain"])
    ws.set_row(3, row_height(zip(ROLLUP_HEAD, widths)))
    for c, h in enumerate(ROLLUP_HEAD):
        ws.write_string(3, c, h, fmt["head"])
    r = 4
    for x in rows:
        cells = rollup_cells(x)
        ws.set_row(r, row_height([(cells[0], widths[0])]))
        ws.write_string(r, 0, cells[0], fmt["area"])
        for c, v in enumerate(cells[1:], 1):
            ws.write_number(r, c, v, fmt["num"])
        r += 1
    note = "说明：进度＝已处理÷台账总数；B类占比、99占比以已处理为分母；劝返逾期按统计截止日计算；本期返校为统计时段内登记复学的人数。"
    ws.set_row(r, row_height([(note, sum(widths))]))
    ws.merge_range(r, 0, r, last, note, fmt["note"])
    xlsxwriter_page(ws, landscape=True, header_row=3)
    ws.hide_gridlines(2)
    ws.print_area(0, 0, r, last)
    wb.close()
    return len(rows)


@audit.audits_denials("export")
def export_report(actor: Actor, r: Report, path: str | Path, today: date | None = None,
                  output_name: str | None = None) -> DocResult:
    """Write the monthly or quarterly workbook of ``r`` and record the export in the audit log."""
    today = today or date.today()
    with Output(str(path)) as out:
        n = write_report(actor, r, out.path, today)
        shown = output_name or (out.shown if out.to_stdout else Path(path).name)
        out.deliver(lambda: audit.record(actor.login, "export", r.period.kind, period=r.period.key, rows=n,
                                         output=shown))
    return DocResult(n, shown)


@audit.audits_denials("export")
def export_rollup(actor: Actor, period: Period, rows: list[RollupRow], path: str | Path, today: date | None = None,
                  output_name: str | None = None) -> DocResult:
    today = today or date.today()
    with Output(str(path)) as out:
        n = write_rollup(actor, period, rows, out.path, today)
        shown = output_name or (out.shown if out.to_stdout else Path(path).name)
        out.deliver(lambda: audit.record(actor.login, "export", "rollup", period=period.key, rows=n, output=shown))
    return DocResult(n, shown)

