"""The ledger sent back upstream: the platform's columns in its order, then the results.

Streams rows by key (seq, id) into an xlsxwriter workbook in constant_memory mode, so
memory stays flat from 100 to 100,000 rows. Text goes through write_string only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import xlsxwriter
from peewee import Case, fn

from ..db.models import Entry
from ..domain.codes import CODES
from ..domain.upstream import UPSTREAM_COLUMNS
from ..services import audit
from ..services.keyset import REGION_ORDER, pages
from ..services.types import Actor
from ..services.scope import narrowed_scope
from .layout import (XLSXWRITER_OPTIONS, line_height, row_height, xlsxwriter_formats, xlsxwriter_page,
                     xlsxwriter_row)
from ..services.outputs import Output

PAGE = 2000
UPSTREAM_HEADERS = tuple(label for label, _ in UPSTREAM_COLUMNS)
RESULT_HEADERS = ("处理类型", "核查结果代码", "核查结果名称", "就读省县", "就读学校", "证明人",
                  "证明日期", "处理说明", "处理人", "处理时间")
# Last, so the upstream and result columns keep their places: 通过 or why the upstream ID fails.
ID_HEADERS = ("证件号码核验", "核实证件号码")
ID_PASSED = "通过"
HEADERS = UPSTREAM_HEADERS + RESULT_HEADERS + ID_HEADERS
# The platform gets its own ID value back (a 15-digit one, full-width digits, spaces), not
# the number we checked and match on; id_raw is empty when the two are the same.
_RECEIVED = {"id_number": fn.COALESCE(fn.NULLIF(Entry.id_raw, ""), Entry.id_number)}
_FIELDS = (
    *(_RECEIVED.get(field, getattr(Entry, field)) for _, field in UPSTREAM_COLUMNS),
    Entry.action, Entry.code, Entry.code, Entry.study_place, Entry.study_school,
    Entry.proof_person, Entry.proof_date, Entry.notes, Entry.handled_by, Entry.handled_at,
    Case(None, [(Entry.id_ok == True, ID_PASSED)], Entry.id_issue),  # noqa: E712
    Entry.verified_id,
    Entry.region, Entry.seq, Entry.id,  # the order's keys, not written
)
_KEYS = len(REGION_ORDER)
_CODE_NAME = 13  # the second Entry.code: shown as the code's name
ONE_LINE = line_height()  # every row's height unless its text wraps (set once, not per row)
_WIDTHS = (6, 10, 12, 21, 24, 30, 8, 22, 22, 18, 12, 10, 8, 12, 16, 22, 10, 12, 40, 10, 18, 30, 21)


@dataclass(frozen=True)
class ExportResult:
    rows: int
    path: str


def _status_cond(status: str | None):
    return None if status in (None, "all") else Entry.status == status


def iter_rows(cond, page: int = PAGE):
    """Row tuples in (county, 序号, id) order, one keyset page (an index range) at a time."""
    def fetch(extra, n):
        where = cond if extra is None else extra & cond  # the keyset bound first (services/keyset.py)
        return list(Entry.select(*_FIELDS).where(where).order_by(*REGION_ORDER).limit(n).tuples())

    for rows in pages(fetch, REGION_ORDER, lambda row: row[-_KEYS:], page):
        yield from rows


def _writer(wb: xlsxwriter.Workbook):
    fmt = xlsxwriter_formats(wb)
    body, date_fmt, time_fmt = fmt["body"], fmt["date"], fmt["time"]

    def write(ws, r: int, row: tuple) -> None:
        texts = []
        for c, v in enumerate(row[:-_KEYS]):
            if c == _CODE_NAME:
                v = CODES[v].name if v in CODES else ""
            if v is None or v == "":
                continue
            if isinstance(v, datetime):
                ws.write_datetime(r, c, v, time_fmt)
            elif isinstance(v, date):
                ws.write_datetime(r, c, datetime(v.year, v.month, v.day), date_fmt)
            elif isinstance(v, bool) or not isinstance(v, int):
                # IDs, student numbers and all text: a string cell, never a formula.
                text = str(v)
                ws.write_string(r, c, text, body)
                texts.append((text, _WIDTHS[c]))
            else:
                ws.write_number(r, c, v, body)
        xlsxwriter_row(ws, r, row_height(texts), ONE_LINE)

    return write


def write_ledger(cond, path: str | Path, progress: Callable[[int], None] | None = None) -> int:
    """Write the rows matching ``cond`` to ``path``; returns the number of rows."""
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, **XLSXWRITER_OPTIONS})
    ws = wb.add_worksheet("台账")
    head = xlsxwriter_formats(wb)["head"]
    for c, (h, w) in enumerate(zip(HEADERS, _WIDTHS)):
        ws.set_column(c, c, w)
        ws.write_string(0, c, h, head)
    ws.set_default_row(ONE_LINE)
    ws.set_row(0, row_height(zip(HEADERS, _WIDTHS)))
    ws.freeze_panes(1, 2)
    xlsxwriter_page(ws, landscape=True, header_row=0)
    write = _writer(wb)
    n = 0
    for n, row in enumerate(iter_rows(cond), 1):
        write(ws, n, row)
        if progress and n % PAGE == 0:
            progress(n)
    ws.autofilter(0, 0, max(n, 1), len(HEADERS) - 1)
    wb.close()
    return n


@audit.audits_denials("export")
def export_ledger(actor: Actor, path: str | Path, status: str = "all", region: str | None = None,
                  progress: Callable[[int], None] | None = None, output_name: str | None = None) -> ExportResult:
    """Export the account's rows (never outside its region) and record it in the audit log."""
    cond = narrowed_scope(actor, region)
    extra = _status_cond(status)
    if extra is not None:
        cond &= extra
    # Audited when delivered: a failed write or delivery leaves neither a file nor a record.
    with Output(str(path)) as out:
        n = write_ledger(cond, out.path, progress)
        shown = output_name or (out.shown if out.to_stdout else Path(path).name)
        out.deliver(lambda: audit.record(actor.login, "export", "ledger", rows=n, status=status,
                                         region=region or actor.region, output=shown))
    return ExportResult(n, shown)
