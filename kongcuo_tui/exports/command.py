"""`kongcuo export ledger|summary -o FILE` (``-o -`` streams the workbook to stdout)."""

from __future__ import annotations

import sys

from ..domain.terminal import terminal_safe
from ..services.types import Actor


def _progress():
    if not sys.stderr.isatty():
        return None
    return lambda n: print(f"\r已导出 {n} 行", end="", file=sys.stderr, flush=True)


def run_forms(args, actor: Actor, shown: str) -> int:
    """`kongcuo export forms --kind register|notice|letter (--ids ID,… | --status/--region) -o FILE`."""
    from ..services import form_documents
    from ..services.errors import ServiceError
    from .forms import export_forms

    if not args.form:
        raise ServiceError("请用 --kind 指定要打印的表格：register（登记表）、notice（劝返通知书）或 letter（控辍保学的函）")
    if args.ids is not None:
        ids = form_documents.ids_for_numbers(actor, args.ids.replace("，", ",").split(","))
    else:
        ids = form_documents.ids_for_filter(actor, args.status, args.region)
    r = export_forms(actor, args.form, ids, args.output, calendar=args.settings.calendar(),
                     cutoff=(args.settings.cutoff_month, args.settings.cutoff_day), output_name=shown)
    print(f"已导出{r.label} {r.students} 名学生（{r.students} 张工作表，共 {sum(r.pages)} 页）到 {terminal_safe(shown)}",
          file=sys.stderr)
    return 0


def run_export(args, actor: Actor) -> int:
    shown = "标准输出" if args.output == "-" else args.output
    if args.kind == "forms":
        return run_forms(args, actor, shown)
    if args.form or args.ids is not None:
        from ..services.errors import ServiceError

        raise ServiceError("--kind 和 --ids 只用于打印表格：kongcuo export forms --kind register --ids 证件号码 -o 文件")
    # Each kind loads only its own spreadsheet library (openpyxl or xlsxwriter).
    if args.kind != "worksheet" and (getattr(args, "school", None) or getattr(args, "township", None)):
        from ..services.errors import ServiceError

        raise ServiceError("--school 和 --township 只用于 kongcuo export worksheet")
    if args.kind == "worksheet":
        from .worksheet import export_worksheet

        r = export_worksheet(actor, args.output, status=args.status or "pending", school=args.school,
                             township=args.township, output_name=shown)
        n, what = r.rows, f"核查工作表（{r.sheets} 所学校）"
    elif args.kind == "summary":
        from .summary import export_summary

        n = export_summary(actor, args.output, region=args.region, output_name=shown).rows
        what = "附件1 疑似辍学学生信息汇总表"
    else:
        from .ledger import export_ledger

        n = export_ledger(actor, args.output, status=args.status or "all", region=args.region,
                          progress=_progress(), output_name=shown).rows
        what = "台账"
    # stdout may carry the workbook itself: messages go to stderr.
    print(f"\r已导出{what} {n} 行到 {terminal_safe(shown)}", file=sys.stderr)
    return 0
