"""`kongcuo import FILE`: the terminal side of imports.upstream.import_file."""

from __future__ import annotations

import sys
from contextlib import ExitStack

from ..domain.terminal import json_safe, terminal_safe
from ..services.outputs import Output
from ..services.types import Actor
from .report import table, write_errors
from .upstream import import_file


def _progress_bar():
    """A one-line bar on stderr; silent when stderr is not a terminal (pipes, cron, --json)."""
    stream = sys.stderr
    if not stream.isatty():
        return None

    def show(done: int, total: int) -> None:
        total = max(total, 1)
        filled = int(30 * min(done, total) / total)
        stream.write(f"\r导入中 [{'#' * filled}{'.' * (30 - filled)}] {min(done, total)}/{total} 行")
        if done >= total:
            stream.write("\n")
        stream.flush()

    return show


def run_import(args, actor: Actor) -> int:
    """Exit 0 when every row was accepted, 1 when some were rejected (the rest applied)."""
    with ExitStack() as stack:
        # The problem list's folder is checked before the import, and the list is delivered
        # before the commit: an import never ends applied with its list lost to a bad path.
        errors = stack.enter_context(Output(args.errors)) if args.errors else None

        def deliver_errors(report) -> None:
            write_errors(report, errors.path)
            errors.deliver()

        report = import_file(actor, args.file, region=args.region, dry_run=args.dry_run,
                             progress=_progress_bar(), before_commit=deliver_errors if errors else None,
                             settings=args.settings)
    print_report(args, report, table)
    return 1 if report.rejected else 0


def print_report(args, report, table) -> None:
    """An import's outcome: JSON, or ``table(report)`` and what was written where (an upstream
    ledger and a results sheet alike). Values come from someone else's file: nothing in
    them may act on the terminal. The table is only made when shown (tabulate is an import)."""
    if args.json:
        print(json_safe(report.to_json()))
        return
    print(terminal_safe(table(report), keep_newlines=True))
    if args.errors:
        print(f"完整问题清单已写入 {terminal_safe(args.errors)}")
    if args.dry_run:
        print("这是试运行（--dry-run），数据库没有任何改动")
