"""The ledger's columns, in the upstream platform's order, and how one cell is drawn.

Widths are terminal cells, not characters: a Chinese character takes two cells, so cells
are measured with rich.cells and cut with an ellipsis instead of wrapping.

The scrolling part shows whole columns only (see `window`): a column cut at the right edge
reads like a value ("2026-" for a date), and a header cut mid-character no longer lines up
with its cells.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
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
    # A wide character that does not fit leaves a padding space: the "…" goes before it,
    # right after the text, so the cut reads as one word.
    cut = set_cell_size(text, width - 1).rstrip(" ")
    return set_cell_size(cut + ELLIPSIS, width)


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

# What was found, by whom and when fit whole beside the key columns at 80 columns;
# 处理类型 follows from the code, so it is the one left for a scroll to the right.
PROCESSED_COLUMNS: tuple[Column, ...] = (
    Column("核查结果", 17, lambda r: f"{r.code} {r.code_name}".strip()),
    Column("证明人", 12, lambda r: r.proof_person),
    Column("证明日期", 10, lambda r: _date(r.proof_date)),
    Column("处理类型", 10, lambda r: r.action),
)


def scrolling_columns(status: str | None) -> tuple[Column, ...]:
    """Columns right of the frozen ones; the processed tab adds the classification."""
    if status == "pending":
        return UPSTREAM_COLUMNS
    return PROCESSED_COLUMNS + UPSTREAM_COLUMNS


@lru_cache(maxsize=64)  # asked once per drawn line, with the same few arguments
def window(columns: tuple[Column, ...], first: int, room: int) -> tuple[Column, ...]:
    """The columns from `first` on that fit whole into `room` cells; the last one shown
    takes the cells left over (but one for the header's ">" when more columns follow).

    Only the last: every cell of text shown is sent again on each cursor move and page,
    and widening all the place columns cost 10 bytes a row (≈250 bytes a page) over SSH.

    When not even one fits (a very narrow terminal), that one is cut to the room.
    """
    shown: list[Column] = []
    used = 0
    for column in columns[first:]:
        if used + column.width + 1 > room:
            break
        shown.append(column)
        used += column.width + 1
    if not shown:
        return (replace(columns[first], width=room - 1),) if first < len(columns) and room > 1 else ()
    more = first + len(shown) < len(columns)
    shown[-1] = replace(shown[-1], width=shown[-1].width + max(0, room - used - more))
    return tuple(shown)


def join_cells(columns: tuple[Column, ...], values: list[str]) -> str:
    return "".join(" " + fit(v, c.width) for c, v in zip(columns, values))


def row_text(columns: tuple[Column, ...], row: EntryRow) -> str:
    return join_cells(columns, [c.value(row) for c in columns])


def header_text(columns: tuple[Column, ...]) -> str:
    return join_cells(columns, [c.title for c in columns])


def total_width(columns: tuple[Column, ...]) -> int:
    return sum(c.width + 1 for c in columns)
