"""What an import found: counts, rejected rows and warnings, as a table, JSON or .xlsx."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

REJECTED, WARNING = "rejected", "warning"


@dataclass(frozen=True)
class Issue:
    row: int  # Excel row number the user sees
    column: str  # header name, "" for the whole row
    value: str
    reason_code: str
    reason: str
    fix: str = ""
    name: str = ""  # the row's 姓名, so the problem can be found without the file

    def as_json(self) -> dict:
        return {k: v for k, v in asdict(self).items() if k not in ("fix", "name")}


@dataclass
class ImportReport:
    file: str
    region: str = ""
    dry_run: bool = False
    rows: int = 0
    accepted: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    batch_id: int | None = None

    @property
    def rejected_rows(self) -> int:
        return len({i.row for i in self.rejected})

    def as_json(self) -> dict:
        return {
            "file": self.file, "rows": self.rows, "accepted": self.accepted,
            "inserted": self.inserted, "updated": self.updated, "unchanged": self.unchanged,
            "rejected": [i.as_json() for i in self.rejected],
            "warnings": [i.as_json() for i in self.warnings],
        }

    def to_json(self) -> str:
        return json.dumps(self.as_json(), ensure_ascii=False)

    def summary(self) -> str:
        """One Chinese line for the status bar or the end of a CLI run."""
        verb = "检查完成（未写入）" if self.dry_run else "导入完成"
        return (
            f"{verb}：共 {self.rows} 行，接受 {self.accepted} 行（新增 {self.inserted}、"
            f"更新 {self.updated}、无变化 {self.unchanged}），拒收 {self.rejected_rows} 行，"
            f"提示 {len(self.warnings)} 条"
        )


def _cells(issue: Issue, kind: str) -> tuple:
    return (issue.row, issue.column, issue.value, kind, issue.reason_code, issue.reason, issue.fix)


def table(report: ImportReport, limit: int = 50) -> str:
    """The terminal table (tabulate); long lists are cut with a note."""
    from tabulate import tabulate

    rows = [_cells(i, "拒收") for i in report.rejected] + [_cells(i, "提示") for i in report.warnings]
    shown = [(r[0], r[1], _short(r[2]), r[3], r[4], _short(r[5], 60)) for r in rows[:limit]]
    out = [report.summary()]
    if shown:
        out.append(tabulate(shown, headers=("行号", "列", "值", "类别", "代码", "原因"), disable_numparse=True))
    if len(rows) > limit:
        out.append(f"……另有 {len(rows) - limit} 条未显示；加 --errors 问题清单.xlsx 可得到完整清单")
    return "\n".join(out)


def _short(text: str, width: int = 24) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


ERROR_HEADERS = ("行号", "姓名", "列", "值", "类别", "原因代码", "原因", "建议处理")
ERROR_WIDTHS = (6, 10, 14, 22, 6, 18, 50, 36)


def write_errors(report: ImportReport, path: str | Path) -> None:
    """Every rejected row and warning in an .xlsx that prints: row, name, column, value, reason, fix."""
    import xlsxwriter

    from ..exports.layout import XLSXWRITER_OPTIONS, row_height, xlsxwriter_formats, xlsxwriter_page

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, **XLSXWRITER_OPTIONS})
    ws = wb.add_worksheet("问题清单")
    fmt = xlsxwriter_formats(wb)
    for c, (h, w) in enumerate(zip(ERROR_HEADERS, ERROR_WIDTHS)):
        ws.set_column(c, c, w)
        ws.write_string(0, c, h, fmt["head"])
    ws.set_row(0, row_height(zip(ERROR_HEADERS, ERROR_WIDTHS)))
    xlsxwriter_page(ws, landscape=True, header_row=0)
    r = 1
    for kind, issues in (("拒收", report.rejected), ("提示", report.warnings)):
        for i in issues:
            texts = (i.name, i.column, i.value, kind, i.reason_code, i.reason, i.fix)
            ws.write_number(r, 0, i.row, fmt["body"])
            # Values come from the user's file: write_string so none becomes a formula.
            for c, v in enumerate(texts, 1):
                ws.write_string(r, c, v, fmt["body"])
            ws.set_row(r, row_height(zip(texts, ERROR_WIDTHS[1:])))
            r += 1
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(r - 1, 1), len(ERROR_HEADERS) - 1)
    wb.close()
