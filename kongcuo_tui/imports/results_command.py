"""`kongcuo import results FILE`: the terminal side of imports.results.import_results."""

from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path

from ..services.outputs import Output
from ..services.types import Actor
from .command import print_report
from .results import import_results
from .results_report import ResultsReport

ERROR_HEADERS = ("工作表", "行号", "姓名", "列", "值", "类别", "原因", "建议处理")
ERROR_WIDTHS = (14, 6, 10, 12, 20, 6, 50, 36)


def table(report: ResultsReport, limit: int = 50) -> str:
    from tabulate import tabulate

    issues = report.conflicts + report.rejected
    rows = [(i.sheet, i.row, i.name, i.column, _short(i.value), i.kind, _short(i.reason, 60)) for i in issues[:limit]]
    out = [report.summary()]
    if rows:
        out.append(tabulate(rows, headers=("工作表", "行号", "姓名", "列", "值", "类别", "原因"), disable_numparse=True))
    if len(issues) > limit:
        out.append(f"……另有 {len(issues) - limit} 条未显示；加 --errors 问题清单.xlsx 可得到完整清单")
    return "\n".join(out)


def _short(text: str, width: int = 20) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def write_errors(report: ResultsReport, path: str | Path) -> None:
    """Every conflict and rejected row in an .xlsx that prints: sheet, row, column, value, why, what to do."""
    import xlsxwriter

    from ..exports.layout import XLSXWRITER_OPTIONS, row_height, xlsxwriter_formats, xlsxwriter_page

    wb = xlsxwriter.Workbook(str(path), XLSXWRITER_OPTIONS)
    ws = wb.add_worksheet("问题清单")
    fmt = xlsxwriter_formats(wb)
    for c, (h, w) in enumerate(zip(ERROR_HEADERS, ERROR_WIDTHS)):
        ws.set_column(c, c, w)
        ws.write_string(0, c, h, fmt["head"])
    xlsxwriter_page(ws, landscape=True, header_row=0)
    for r, i in enumerate(report.conflicts + report.rejected, 1):
        texts = (i.sheet, str(i.row), i.name, i.column, i.value, i.kind, i.reason, i.fix)
        for c, v in enumerate(texts):
            if c == 1:
                ws.write_number(r, c, i.row, fmt["body"])
            else:
                ws.write_string(r, c, v, fmt["body"])  # values come from the user's file: never a formula
        ws.set_row(r, row_height(zip(texts, ERROR_WIDTHS)))
    ws.freeze_panes(1, 0)
    wb.close()


def run_import_results(args, actor: Actor) -> int:
    """Exit 0 when every filled row went in (or was unchanged), 1 when some were rejected or conflict."""
    with ExitStack() as stack:
        errors = stack.enter_context(Output(args.errors)) if args.errors else None

        def deliver_errors(report: ResultsReport) -> None:
            write_errors(report, errors.path)
            errors.deliver()

        report = import_results(actor, args.results_file, dry_run=args.dry_run, settings=args.settings,
                                before_commit=deliver_errors if errors else None)
    print_report(args, report, table)
    return 1 if report.rejected or report.conflicts else 0
