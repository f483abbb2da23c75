"""What every workbook we write shares so that it prints: fonts, row heights, A4 pages, text cells.

Spreadsheet programs do not grow a row to fit wrapped text when they open a file (LibreOffice
and WPS keep the height the file states, Excel keeps the default 15 pt), so a wrapped cell
prints over the rows below it. Row heights are therefore computed here from the text and the
column widths: a CJK character is two columns wide (wcwidth), as it is in 宋体.

Cells from other people's spreadsheets are data: a value like '=HYPERLINK(…)' or
'+8613800000000' must reach Excel and WPS as the same text, never as a formula.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from wcwidth import wcwidth

# Names Excel and WPS resolve on a Chinese Windows (SimSun, SimHei) and LibreOffice resolves
# through fontconfig's zh-cn rules to the installed CJK font (Noto Serif/Sans CJK SC).
BODY_FONT = "宋体"
TITLE_FONT = "黑体"
BODY_SIZE = 10
TITLE_SIZE = 16

# A column width unit is one digit of the workbook's default font (Calibri 11: 5.25 pt); in
# SimSun a half-width character is half the font size and a CJK one the full size. Excel and
# WPS keep ~5 px of the column for the cell's margins. LibreOffice's fallback glyphs are
# narrower, so it wraps no more than Excel does.
UNIT_PT = 5.25
CELL_MARGIN = 1.0
# LibreOffice's line for Noto CJK is ~1.45 em (SimSun's is ~1.15 em: Excel gets some air).
LINE_EM = 1.45
ROW_PADDING = 4.0  # points above and below the text block

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSXWRITER_OPTIONS = {"strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False}

_TOKEN = re.compile(r"[!-~]+|.", re.S)  # a run of printable ASCII breaks only at its edges
_ASCII_RUN = re.compile(r"[!-~]+")


def text_width(text: str) -> int:
    """Columns ``text`` takes on one line: CJK and full-width characters count two."""
    if text.isascii():
        return len(text)
    return sum(max(wcwidth(ch), 0) for ch in text)


def line_count(text: str, width: float, size: float = BODY_SIZE) -> int:
    """Lines ``text`` in a ``size`` pt font wraps to in a column ``width`` units wide.

    Wraps like Excel: CJK text may break between any two characters, a run of ASCII
    (an ID number, a phone number) only where it meets a space or CJK text.
    """
    room = _room(width, size)
    return sum(_lines(para.rstrip(" "), room) for para in text.split("\n"))


def _room(width: float, size: float) -> float:
    """Half-width characters of a ``size`` pt font that fit in a column ``width`` units wide."""
    return max(width - CELL_MARGIN, 1.0) * UNIT_PT * 2 / size


def _lines(para: str, room: float) -> int:
    # The ledger measures every cell of 100,000 rows, so settle most cells without
    # walking their characters: GB18030 spends one byte on ASCII, two on Chinese and
    # never fewer than the display width, so its length is a bound computed in C.
    total = len(para.encode("gb18030", "replace"))
    if total <= room:
        return 1
    # Greedy wrapping leaves less than the widest unbreakable piece free on each line: if
    # that bound already gives the fewest lines possible, it is the answer. The widest piece
    # is the longest ASCII run (an address's "3组12号" has two short ones), or a CJK character.
    fewest = math.ceil(total / room)
    ascii_chars = len(para.encode("ascii", "ignore"))
    if ascii_chars > 2:
        ascii_chars = max(map(len, _ASCII_RUN.findall(para)), default=0)
    widest = max(ascii_chars, 1 if ascii_chars == len(para) else 2)
    if room > widest and int(total // (room - widest)) + 1 == fewest:
        return fewest
    return _wrapped(para, room)


def _wrapped(para: str, room: float) -> int:
    lines, used = 1, 0
    for token in _TOKEN.findall(para):
        w = text_width(token)
        if used + w <= room:
            used += w
        elif token == " ":
            continue  # a space at a break is not drawn
        elif w <= room:
            lines, used = lines + 1, w
        else:  # a word longer than the column is cut anywhere
            if used:
                lines += 1
            full, rest = divmod(w, room)
            lines += int(full) - (0 if rest else 1)
            used = rest or room
    return lines


def row_height(cells: Iterable[tuple[str, float]], size: float = BODY_SIZE) -> float:
    """Points a row needs so that every ``(text, column width)`` cell shows all its lines."""
    lines, scale = 1, UNIT_PT * 2 / size
    for text, width in cells:
        if not text:
            continue
        # Settle the commonest cells inline (short text, or an ID that fits): no call per cell.
        n, room = len(text), (width - CELL_MARGIN) * scale
        if (n * 2 <= room or (n <= room and text.isascii())) and "\n" not in text:
            continue
        lines = max(lines, line_count(text, width, size))
    return line_height(lines, size)


def line_height(lines: int = 1, size: float = BODY_SIZE, padding: float = ROW_PADDING) -> float:
    """Points a row of ``lines`` lines of ``size`` pt text takes (``padding``: the air around them)."""
    return round(lines * size * LINE_EM + padding, 1)


def looks_like_formula(value: str) -> bool:
    return value.startswith(FORMULA_START)


def openpyxl_text(cell, value: str) -> None:
    """Put ``value`` into an openpyxl cell as text, whatever it starts with.

    openpyxl turns a str starting with '=' into a formula on assignment; forcing the data
    type back to 's' stores a shared string, and quotePrefix keeps it text when a user
    later edits the cell in Excel or WPS.
    """
    cell.value = value
    cell.data_type = "s"
    if looks_like_formula(value):
        cell.quotePrefix = True


def openpyxl_page(ws, *, landscape: bool, title_rows: str | None, area: str, scale: int | None = None,
                  breaks: Iterable[int] = ()) -> None:
    """A4, ``title_rows`` (e.g. "4:4") repeated on every page.

    Without ``scale``: fit to one page wide, as many pages tall as needed. With it: printed at
    that percentage, with a page break after each row in ``breaks`` (the document has laid
    its own pages out, see ``PAGE_BODY_PT``), and page numbers that start again on each sheet.
    """
    from openpyxl.worksheet.pagebreak import Break

    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    if scale is None:
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0  # as many pages tall as needed
        ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    else:
        ws.page_setup.scale = scale
        ws.page_setup.firstPageNumber = 1
        ws.page_setup.useFirstPageNumber = True
        for row in breaks:
            ws.row_breaks.append(Break(id=row))
        ws.oddFooter.center.text = "第 &P 页"  # &N would count every sheet of the workbook
    if title_rows:
        ws.print_title_rows = title_rows
    ws.print_area = area
    ws.page_margins.left = ws.page_margins.right = MARGIN_SIDE_IN
    ws.page_margins.top, ws.page_margins.bottom = MARGIN_TOP_IN, MARGIN_BOTTOM_IN
    ws.page_margins.header, ws.page_margins.footer = 0.2, 0.3
    ws.print_options.horizontalCentered = True


def column_points(width: float) -> float:
    """Printed points of a column ``width`` units wide (Excel: 7 px a unit plus 5 px, 96 dpi)."""
    return round((width * 7 + 5) * 0.75, 2)


def openpyxl_styles(size: float = BODY_SIZE) -> dict:
    """The cell styles of the printed forms (登记表, 通知书, 函): 宋体 body, 黑体 title, thin grid."""
    from openpyxl.styles import Alignment, Border, Font, Side

    thin = Side(style="thin")
    grid = Border(left=thin, right=thin, top=thin, bottom=thin)
    body, bold = Font(name=BODY_FONT, size=size), Font(name=BODY_FONT, size=size, bold=True)

    def align(h: str, v: str = "center") -> Alignment:
        return Alignment(horizontal=h, vertical=v, wrap_text=True)

    return {
        "title": (Font(name=TITLE_FONT, size=TITLE_SIZE), align("center"), Border()),
        "plain": (body, align("left"), Border()),
        "right": (body, align("right"), Border()),
        "center": (body, align("center"), Border()),
        "para": (body, align("left", "top"), Border()),
        "head": (bold, align("center"), grid),
        "label": (body, align("center"), grid),
        "cell": (body, align("left"), grid),
        "cut": (Font(name=BODY_FONT, size=size - 1), align("center", "bottom"),
                Border(bottom=Side(style="dashed"))),
    }


class OpenpyxlCells:
    """Writes text cells and merged ranges in the forms' named styles (openpyxl_styles).

    openpyxl hashes a Font, Alignment and Border on every assignment to find the workbook's
    copy, ~2 ms a cell: each style is resolved once and its index array copied afterwards.
    A merged range gets the style on every cell (so its outer edges draw the grid, as the
    spreadsheet programs draw a merged border from its edge cells) instead of openpyxl's
    format(), which rebuilds each edge cell's Border object.
    """

    def __init__(self, size: float = BODY_SIZE) -> None:
        self.styles = openpyxl_styles(size)
        self._arrays: dict[str, object] = {}

    def _style(self, cell, name: str) -> None:
        from copy import copy

        array = self._arrays.get(name)
        if array is None:
            cell.font, cell.alignment, cell.border = self.styles[name]
            self._arrays[name] = copy(cell._style)
        else:
            cell._style = copy(array)

    def put(self, ws, row: int, col: int, text: str, style: str, rows: int = 1, cols: int = 1) -> None:
        """``text`` (as text, never a formula) in a cell or a merged range of ``style``."""
        from openpyxl.cell.cell import MergedCell
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet.merge import MergedCellRange

        cell = ws.cell(row, col)
        openpyxl_text(cell, text)
        self._style(cell, style)
        if rows == 1 and cols == 1:
            return
        merged = MergedCellRange(ws, f"{cell.coordinate}:{get_column_letter(col + cols - 1)}{row + rows - 1}")
        ws.merged_cells.add(merged)
        for r in range(row, row + rows):
            for c in range(col, col + cols):
                if (r, c) != (row, col):
                    ws._cells[r, c] = part = MergedCell(ws, r, c)
                    self._style(part, style)


# The page the printed forms lay out themselves (openpyxl_page with a scale): A4 portrait less
# the margins, and a little room for LibreOffice's rounding, so it never breaks a page early.
MARGIN_SIDE_IN, MARGIN_TOP_IN, MARGIN_BOTTOM_IN = 0.4, 0.5, 0.6
PAGE_BODY_PT = (842 - (MARGIN_TOP_IN + MARGIN_BOTTOM_IN) * 72) * 0.96
PAGE_WIDTH_PT = 595 - 2 * MARGIN_SIDE_IN * 72
# A column unit as LibreOffice prints it when the workbook's Calibri is not installed and it
# measures the unit with its fallback font's digits (~7 pt, DejaVu Sans 11): wider than
# Excel's 5.25 pt. A page laid out for the wider one fits in both.
PRINT_UNIT_PT = 7.0


def xlsxwriter_page(ws, *, landscape: bool = True, header_row: int = 0) -> None:
    """The same page for an xlsxwriter sheet; ``header_row`` (0-based) repeats on every page."""
    ws.set_paper(9)  # A4
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(header_row)
    ws.set_margins(left=0.4, right=0.4)
    ws.center_horizontally()
    ws.hide_gridlines(0)  # the grid is printed, so empty cells need no bordered blank of their own
    ws.set_footer("&C第 &P 页，共 &N 页")


def xlsxwriter_row(ws, row: int, height: float, default: float | None = None) -> None:
    """Set ``row``'s height in a constant_memory sheet whose rows are written in order.

    With ``default`` (the sheet's default row height) a row no taller is left alone.
    xlsxwriter keeps every set_row for the file's lifetime (row_info, and row_sizes for
    placing images): ~150 bytes a row, 150 MB at a million. Two rows back is already on
    disk and never read again, so its entries are dropped.
    """
    if default is None or height > default:
        ws.set_row(row, height)
    ws.row_info.pop(row - 2, None)
    ws.row_sizes.pop(row - 2, None)


def xlsxwriter_formats(wb) -> dict:
    """Head, body, date and time formats in the body font, wrapped (the grid is printed)."""
    base = {"font_name": BODY_FONT, "font_size": BODY_SIZE, "text_wrap": True, "valign": "top"}
    return {
        "head": wb.add_format({**base, "bold": True, "bg_color": "#DDEBF7", "border": 1, "valign": "vcenter",
                               "align": "center"}),
        "body": wb.add_format(base),
        "date": wb.add_format({**base, "num_format": "yyyy-mm-dd"}),
        "time": wb.add_format({**base, "num_format": "yyyy-mm-dd hh:mm"}),
    }
