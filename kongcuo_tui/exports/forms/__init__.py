"""The persuasion documents printed from a child's record: 登记表, 劝返通知书, 控辍保学的函.

One workbook per export, one sheet per student named after them; the data comes from one
scoped service read (services/form_documents.documents_data), the file through
services/outputs.Output (whole or not at all, the export audited when delivered).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ...domain.workdays import WorkCalendar
from ...services import audit
from ...services.form_documents import documents_data
from ...services.outputs import Output
from ...services.persuasion import DEFAULT_CUTOFF
from ...services.types import Actor
from . import letter, notice, register
from .common import sheet_names

KINDS = {
    "register": ("辍学学生登记表", register.write),
    "notice": ("劝返通知书", notice.write),
    "letter": ("控辍保学的函", letter.write),
}


@dataclass(frozen=True)
class FormsResult:
    kind: str
    students: int
    pages: tuple[int, ...]  # printed pages of each student's sheet, in order
    path: str

    @property
    def label(self) -> str:
        return KINDS[self.kind][0]


@audit.audits_denials("export")
def export_forms(actor: Actor, kind: str, entry_ids: list[int], path: str | Path, *, today: date | None = None,
                 calendar: WorkCalendar | None = None, cutoff: tuple[int, int] | None = DEFAULT_CUTOFF,
                 output_name: str | None = None) -> FormsResult:
    """Write ``kind``'s document for each of ``entry_ids`` (all in scope, or nothing is written)."""
    from openpyxl import Workbook

    from ...services.errors import ServiceError

    if kind not in KINDS:
        raise ServiceError(f"“{kind}”不是可打印的表格；请选择 register（登记表）、notice（劝返通知书）或 letter（控辍保学的函）")
    label, write = KINDS[kind]
    data = documents_data(actor, entry_ids, today or date.today(), calendar, cutoff)
    with Output(str(path)) as out:
        wb = Workbook()
        wb.remove(wb.active)
        pages = tuple(write(wb.create_sheet(name), d) for name, d in zip(sheet_names([d.name for d in data]), data))
        wb.save(out.path)
        shown = output_name or (out.shown if out.to_stdout else Path(path).name)
        out.deliver(lambda: audit.record(actor.login, "export", f"forms:{kind}", rows=len(data),
                                         entries=[d.entry_id for d in data], output=shown))
    return FormsResult(kind, len(data), pages, shown)
