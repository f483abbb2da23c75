"""`kongcuo report summary|monthly|quarterly|rollup`: on the terminal (tabulate), as JSON, or as xlsx.

`--rows 返校` lists the rows behind a figure instead (optionally of one --area and --stage).
"""

from __future__ import annotations

import json
import sys
from datetime import date

from ..domain.periods import PeriodError, default_month, default_quarter, parse_month, parse_quarter
from ..domain.terminal import terminal_safe
from ..services.errors import ServiceError
from ..services.types import Actor

TERMINAL = ("疑似辍学", "辍学", "返校", "新发现", "本期处理", "未确认99", "劝返逾期", "超龄销号")
BY_STAGE = ("台账总数", "已处理", "疑似辍学", "待处理", "未确认99", "辍学", "B类", "劝返逾期", "新发现", "返校",
            "超龄销号", "本期处理", "本期处理A类", "本期处理B类", "本期处理99")


def _table(rows, headers) -> str:
    from tabulate import tabulate

    safe = [[terminal_safe(str(c)) for c in row] for row in rows]
    return tabulate(safe, headers=[terminal_safe(h) for h in headers], tablefmt="simple", disable_numparse=True)


def _period(args, today: date):
    try:
        if args.kind == "quarterly" or getattr(args, "quarter", None):
            return parse_quarter(args.quarter, today) if args.quarter else default_quarter(today)
        return parse_month(args.month, today) if args.month else default_month(today)
    except PeriodError as e:
        raise ServiceError(str(e)) from None


def run_report(args, actor: Actor) -> int:
    today = date.today()
    if args.kind == "summary":
        return _summary(args, actor)
    period = _period(args, today)
    if args.rows:
        return _rows(args, actor, period, today)
    if args.kind == "rollup":
        return _rollup(args, actor, period, today)
    from ..services import figures  # as rollup and figure_rows: the summary needs none of them

    r = figures.report(actor, period, region=args.region, today=today)
    if args.output:
        from .reports import export_report

        shown = "标准输出" if args.output == "-" else args.output
        n = export_report(actor, r, args.output, today=today, output_name=shown).rows
        what = "月报表" if period.kind == "month" else "季度排查整改工作情况统计表"
        print(f"已导出{period.label}{what}（{n} 行）到 {terminal_safe(shown)}", file=sys.stderr)
        return 0
    if args.json:
        print(json.dumps({
            "period": period.key, "start": period.start.isoformat(), "last_day": period.last_day.isoformat(),
            "as_of": r.as_of.isoformat(), "deadline": period.deadline.isoformat(), "scope": r.scope_name,
            "rows": [{"key": a.key, "level": a.level, "name": a.name, "counts": a.counts} for a in r.rows],
        }, ensure_ascii=False))
        return 0
    what = "控辍保学月报表" if period.kind == "month" else "季度控辍保学排查整改工作情况统计"
    print(terminal_safe(f"{r.scope_name} {period.label}{what}（{period.span}，统计至 {r.as_of:%Y-%m-%d}，"
                        f"上报截止 {period.deadline:%Y-%m-%d}）"))
    # tabulate strips leading spaces, so a school is marked under its township by dashes.
    indent = dict(county="", township="", school="- ", total="")
    body = [[indent[a.level] + (a.name if a.level != "total" else "合计"), a.key or "—",
             *(a.n(f) for f in TERMINAL)] for a in r.printed_rows()]
    print(_table(body, ("区域", "区域代码", *TERMINAL)))
    print()
    print("按学段（全部区域）：")
    print(_table([[f, *(r.total.n(f, s) for s in (*figures.STAGES, figures.OTHER_STAGE, figures.TOTAL))]
                  for f in BY_STAGE], ("统计项", *figures.STAGES, "学段不详", "合计")))
    print("展开某个数字：kongcuo report " + args.kind + " --rows 统计项 [--area 区域代码] [--stage 小学|初中]")
    return 0


def _rows(args, actor, period, today) -> int:
    from ..services import figures

    rows = figures.figure_rows(actor, period, args.rows, area=args.area, stage=args.stage, region=args.region,
                               today=today)
    if args.json:
        print(json.dumps([{"id": x.entry_id, "seq": x.seq, "name": x.name, "id_number": x.id_number,
                           "stage": x.stage, "township": x.township, "school": x.school, "code": x.code,
                           "status": x.status} for x in rows], ensure_ascii=False))
        return 0
    where = "".join(f"，{v}" for v in (args.area, args.stage) if v)
    print(terminal_safe(f"{period.label}“{args.rows}”{where}：共 {len(rows)} 行"))
    if rows:
        print(_table([(x.entry_id, x.seq, x.name, x.id_number, x.stage, x.township, x.school, x.code or "—",
                       x.status) for x in rows],
                     ("ID", "序号", "姓名", "证件号码", "学段", "乡镇", "学校", "期末代码", "期末状态")))
    return 0


def _rollup(args, actor, period, today) -> int:
    from ..services import rollup
    from .reports import ROLLUP_HEAD, export_rollup, rollup_cells

    rows = rollup.rollup(actor, period, by=args.by, region=args.region, today=today)
    if args.output:
        shown = "标准输出" if args.output == "-" else args.output
        n = export_rollup(actor, period, rows, args.output, today=today, output_name=shown).rows
        print(f"已导出{period.label}进度汇总表（{n} 行）到 {terminal_safe(shown)}", file=sys.stderr)
        return 0
    if args.json:
        print(json.dumps([{"key": x.key, "name": x.name, "total": x.total, "processed": x.processed,
                           "progress": x.progress, "b_class": x.b_class, "b_share": x.b_share,
                           "unconfirmed": x.unconfirmed, "share_99": x.share_99, "overdue": x.overdue,
                           "returned": x.returned} for x in rows], ensure_ascii=False))
        return 0
    print(terminal_safe(f"{actor.region_name} {period.label}进度汇总（{period.span}）"))
    print(_table([rollup_cells(x) for x in rows], ROLLUP_HEAD))
    return 0


def _summary(args, actor: Actor) -> int:
    from ..services import reports

    rows = reports.summary(actor)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return 0
    if not rows:
        print("没有台账记录")
        return 0
    print(f"{terminal_safe(actor.region_name)} 台账汇总（{date.today():%Y-%m-%d}）")
    keys = list(rows[0])
    print(_table([[r.get(k, "") for k in keys] for r in rows], keys))
    return 0
