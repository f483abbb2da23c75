"""`kongcuo reconcile FILE --kind poverty|roster [-o 结果.xlsx] [--tag]`: the terminal side."""

from __future__ import annotations

import sys
from contextlib import ExitStack
from datetime import date

from ..db.transactions import write_transaction
from ..domain.terminal import terminal_safe
from ..exports.reconcile import HEADERS, cells, summary_line, write_reconcile
from ..services import audit
from ..services.outputs import Output
from ..services.types import Actor
from .reconcile import ReconcileReport, reconcile

SHOWN = 50  # findings of one kind printed on the terminal; the workbook has them all


def _terminal(report: ReconcileReport) -> str:
    from tabulate import tabulate

    out = [terminal_safe(f"{report.kind.label}「{report.file}」与台账核对：{summary_line(report)}")]
    for finding in report.kind.findings:
        items = report.of(finding)
        if not items:
            continue
        out.append(f"\n{finding.label}（{len(items)} 条）")
        rows = [[terminal_safe(t) for t in cells(i)[1:]] for i in items[:SHOWN]]
        out.append(tabulate(rows, headers=HEADERS[1:], tablefmt="simple", disable_numparse=True))
        if len(items) > SHOWN:
            out.append(f"……另有 {len(items) - SHOWN} 条，见 -o 写出的 Excel")
    t = report.tagged
    if t is not None:
        out.append(f"\n已加上“{report.kind.watch_group}”：{len(t.tagged)} 行；原已有：{t.already} 行"
                   + (f"；{len(t.changed_meanwhile)} 行刚被他人修改，未改动，请重新核对" if t.changed_meanwhile else ""))
    return "\n".join(out)


def run_reconcile(args, actor: Actor) -> int:
    today = date.today()
    with ExitStack() as stack:
        out = stack.enter_context(Output(args.output)) if args.output else None
        # The tags and the delivered file together, or neither. An account that may not tag
        # is refused outside it, so the refusal's audit record is kept.
        if args.tag and actor.can_classify:
            stack.enter_context(write_transaction())
        report = reconcile(actor, args.file, args.kind, tag=args.tag, today=today, settings=args.settings)
        if out is not None:
            write_reconcile(report, out.path, today)
            out.deliver(lambda: audit.record(actor.login, "export", "reconcile", file=report.file,
                                             kind=report.kind.key, rows=len(report.items), output=out.shown))
    # With -o - stdout carries the workbook itself: the report goes to stderr.
    stream = sys.stderr if args.output == "-" else sys.stdout
    print(_terminal(report), file=stream)
    if out is not None:
        print(f"全部 {len(report.items)} 条核对结果已写入 {terminal_safe(out.shown)}", file=stream)
    return 0
