"""What the three printed forms share: a grid laid out before it is written, and its pages.

A form is planned as rows of cells first: every row's height comes from its text
(layout.line_count), a merged cell spanning rows makes its last row taller when its rows
are too short for it. With the heights known, the form decides its own page breaks between
blocks that must stay together (one persuasion round), so that a page never ends inside a
round and LibreOffice, WPS and Excel break the pages in the same places.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date

from ..layout import (BODY_SIZE, PAGE_BODY_PT, PAGE_WIDTH_PT, PRINT_UNIT_PT, ROW_PADDING, TITLE_SIZE, UNIT_PT,
                      OpenpyxlCells, column_points, line_count, line_height, openpyxl_page)

MIN_SCALE = 60  # smaller than this a printed form is hard to read: it takes another page instead
_SHEET_ILLEGAL = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_MAX = 31


def day(d: date | None, blank: str = "    年    月    日") -> str:
    """A date as forms print it (2026年11月29日); ``blank`` to fill in by hand when unknown."""
    return f"{d.year}年{d.month}月{d.day}日" if d else blank


def sheet_names(names: list[str]) -> list[str]:
    """Legal, unique sheet names (≤31 characters, none of []:*?/\\) in the order given."""
    out: list[str] = []
    taken: set[str] = set()
    for raw in names:
        base = _SHEET_ILLEGAL.sub("_", raw).strip().strip("'") or "学生"
        name, n = base[:SHEET_NAME_MAX], 1
        while name.lower() in taken:
            n += 1
            suffix = f"({n})"
            name = base[:SHEET_NAME_MAX - len(suffix)] + suffix
        taken.add(name.lower())
        out.append(name)
    return out


@dataclass
class _Cell:
    row: int
    col: int
    text: str
    style: str
    rows: int
    cols: int


@dataclass
class Grid:
    """A sheet planned row by row. Columns are 1-based, as openpyxl counts them."""

    widths: tuple[float, ...]
    size: float = BODY_SIZE  # the body text's points
    padding: float = ROW_PADDING  # points of air a row keeps around its lines
    cells: list[_Cell] = field(default_factory=list)
    heights: dict[int, float] = field(default_factory=dict)  # fixed heights (spacer rows)
    blocks: list[tuple[int, int]] = field(default_factory=list)  # rows kept on one page
    sections: list[tuple[str, int, int]] = field(default_factory=list)  # column-A labels
    last: int = 0

    def row(self, *cells: tuple, height: float | None = None) -> int:
        """A new row of ``(col, text, style[, cols[, rows]])`` cells; returns its number."""
        self.last += 1
        for c in cells:
            self.put(self.last, *c)
        if height is not None:
            self.heights[self.last] = height
        return self.last

    def put(self, row: int, col: int, text: str, style: str = "cell", cols: int = 1, rows: int = 1) -> None:
        self.cells.append(_Cell(row, col, text or "", style, rows, cols))

    def block(self, first: int, last: int | None = None) -> None:
        self.blocks.append((first, self.last if last is None else last))

    def section(self, label: str, first: int, last: int | None = None) -> None:
        self.sections.append((label, first, self.last if last is None else last))

    def span_width(self, col: int, cols: int) -> float:
        """A merged range's width in column units (the gaps between columns count too)."""
        widths = self.widths[col - 1:col - 1 + cols]
        return sum(widths) + (sum(column_points(w) for w in widths) - column_points(sum(widths))) / UNIT_PT

    def row_heights(self) -> dict[int, float]:
        one = line_height(1, self.size, self.padding)
        h = {r: self.heights.get(r, one) for r in range(1, self.last + 1)}
        tall = []
        for c in self.cells:
            size = TITLE_SIZE if c.style == "title" else self.size
            lines = line_count(c.text, self.span_width(c.col, c.cols), size) if c.text else 1
            need = line_height(lines, size, self.padding)
            if c.rows == 1:
                if c.row not in self.heights:
                    h[c.row] = max(h[c.row], need)
            else:
                tall.append((c, need))
        for label, first, last in self.sections:  # column A's label over the section's rows
            need = line_height(line_count(label, self.widths[0], self.size), self.size, self.padding)
            tall.append((_Cell(first, 1, label, "label", last - first + 1, 1), need))
        for c, need in tall:  # spread over rows: the last one grows when the rows are short
            have = sum(h[r] for r in range(c.row, c.row + c.rows))
            if need > have:
                h[c.row + c.rows - 1] += round(need - have + 0.5, 1)
        return h

    def height(self) -> float:
        return sum(self.row_heights().values())

    def breaks(self, scale: int, title_rows: int) -> list[int]:
        """Rows after which a page ends, at ``scale`` percent, the first ``title_rows`` on each page."""
        h = self.row_heights()
        room = PAGE_BODY_PT * 100 / scale
        top = sum(h[r] for r in range(1, title_rows + 1))
        used, out = top, []
        for first, last in self.blocks:
            need = sum(h[r] for r in range(first, last + 1))
            if used + need > room and used > top:
                out.append(first - 1)
                used = top
            used += need
        return out

    def write(self, ws, scale: int, title_rows: int = 0) -> int:
        """Write the planned grid on ``ws`` (A4 portrait at ``scale``); returns its page count."""
        from openpyxl.utils import get_column_letter

        cells = OpenpyxlCells(self.size)
        breaks = self.breaks(scale, title_rows) if self.blocks else []
        for i, w in enumerate(self.widths, 1):
            ws.column_dimensions[get_column_letter(i)].width = w
        for r, height in self.row_heights().items():
            ws.row_dimensions[r].height = height
        for c in self.cells:
            cells.put(ws, c.row, c.col, c.text, c.style, c.rows, c.cols)
        for label, first, last in self.sections:  # one label on each page the section reaches
            edges = [first - 1] + [b for b in breaks if first <= b < last] + [last]
            for a, b in zip(edges, edges[1:]):
                cells.put(ws, a + 1, 1, label, "label", rows=b - a)
        end = get_column_letter(len(self.widths))
        openpyxl_page(ws, landscape=False, title_rows=f"1:{title_rows}" if title_rows else None,
                      area=f"A1:{end}{self.last}", scale=scale, breaks=breaks)
        return len(breaks) + 1


def fit_scale(height: float, widths: tuple[float, ...]) -> int:
    """The print scale (percent) at which ``height`` points fill no more than one page, and
    columns ``widths`` wide fit across it."""
    across = PAGE_WIDTH_PT * 100 / (sum(widths) * PRINT_UNIT_PT)
    return max(MIN_SCALE, min(100, math.floor(across), math.floor(PAGE_BODY_PT * 100 / height)))
