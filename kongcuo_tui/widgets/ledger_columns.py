"""The ledger's columns, in the upstream platform's order, and how one cell is drawn.

Widths are terminal cells, not characters: a Chinese character takes two cells, so cells
are measured with rich.cells and cut with an ellipsis instead of wrapping.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable

from rich.cells import cell_len, set_cell_size

from ..domain.terminal import terminal_safe
from ..services.types import EntryRow

ELLIPSIS = "…"


@dataclass(frozen=True)
class Column:
    title: str
    width: int
    value: Callable[[EntryRow], str]


def _date(d: date | None) -> str:
    return f"{d:%Y-%m-%d}" if d else ""


def fit(text: str, width: int) -> str:
    """`text` padded or cut to exactly `width` cells; a cut ends with "…"."""
    # Cells come from other people's files: a control character must show, not act.
    text = terminal_safe(" ".join(str(text).split())) if text else ""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, width - 1) + ELLIPSIS


# Frozen on the left so that at 80 columns the registrar always sees who the row is.
KEY_COLUMNS: tuple[Column, ...] = (
    Column("序号", 6, lambda r: str(r.seq)),
    Column("姓名", 8, lambda r: r.name),
    Column("证件号码", 18, lambda r: r.id_number),
)

UPSTREAM_COLUMNS: tuple[Column, ...] = (
    Column("出生日期", 10, lambda r: _date(r.birth_date)),
    Column("户籍地", 20, lambda r: r.hukou),
    Column("家庭住址", 24, lambda r: r.address),
    Column("是否在读", 8, lambda r: r.enrolled),
    Column("全国学籍号", 20, lambda r: r.national_no),
    Column("省内学校名称", 20, lambda r: r.prov_school),
    Column("省内学籍号", 20, lambda r: r.prov_no),
    Column("省内学生状态", 12, lambda r: r.prov_status),
)

PROCESSED_COLUMNS: tuple[Column, ...] = (
    Column("处理类型", 10, lambda r: r.action),
    Column("核查结果", 16, lambda r: f"{r.code} {r.code_name}".strip()),
    Column("证明人", 8, lambda r: r.proof_person),
    Column("证明日期", 10, lambda r: _date(r.proof_date)),
)


def scrolling_columns(status: str | None) -> tuple[Column, ...]:
    """Columns right of the frozen ones; the processed tab adds the classification."""
    if status == "pending":
        return UPSTREAM_COLUMNS
    return PROCESSED_COLUMNS + UPSTREAM_COLUMNS


def join_cells(columns: tuple[Column, ...], values: list[str]) -> str:
    return "".join(" " + fit(v, c.width) for c, v in zip(columns, values))


def row_text(columns: tuple[Column, ...], row: EntryRow) -> str:
    return join_cells(columns, [c.value(row) for c in columns])


def header_text(columns: tuple[Column, ...]) -> str:
    return join_cells(columns, [c.title for c in columns])


def total_width(columns: tuple[Column, ...]) -> int:
    return sum(c.width + 1 for c in columns)
