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

    def as_json(self) -> dict:
        return {k: v for k, v in asdict(self).items() if k != "fix"}


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


HEADERS = ("行号", "列", "值", "原因", "建议处理")


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


def write_errors(report: ImportReport, path: str | Path) -> None:
    """Every rejected row and warning in an .xlsx: row, column, value, reason, suggested fix."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("问题清单")
    bold = wb.add_format({"bold": True, "bg_color": "#DDDDDD", "border": 1})
    heads = ("行号", "列", "值", "类别", "原因代码", "原因", "建议处理")
    for c, h in enumerate(heads):
        ws.write_string(0, c, h, bold)
    ws.set_column(0, 0, 6)
    ws.set_column(1, 2, 22)
    ws.set_column(3, 4, 14)
    ws.set_column(5, 6, 60)
    r = 1
    for kind, issues in (("拒收", report.rejected), ("提示", report.warnings)):
        for i in issues:
            ws.write_number(r, 0, i.row)
            # Values come from the user's file: write_string so none becomes a formula.
            for c, v in enumerate((i.column, i.value, kind, i.reason_code, i.reason, i.fix), 1):
                ws.write_string(r, c, v)
            r += 1
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(r - 1, 1), len(heads) - 1)
    wb.close()
