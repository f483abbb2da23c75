"""How big a sheet really is, found before anything reads it.

calamine holds a sheet as one dense rectangle from its first used cell to its last: a
6 KB .xlsx with one cell at XFD1048576 asks for 512 GB and aborts the process, one at
Z1048576 takes 900 MB. The cell references are scanned straight from the zipped sheet
XML (a regex over streamed chunks, no parsing), so an absurd sheet is refused at the
cost of reading the file once. The <dimension> element is only a claim: calamine
ignores it, and so do we when the cells themselves fit.

An .ods says "this row 1,048,575 times" in one attribute (1 KB asks for gigabytes);
repeated rows and cells only count when they hold something, as LibreOffice pads every
sheet with empty ones.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree

# A province's ledger fits: 1.2 million rows of the platform's 11 columns, or a sheet full to
# Excel's last row (1,048,576) of all 15 columns the import knows. An empty range this large
# is ~530 MB in calamine (32 B a cell), a range inflated to column Z or XFD is refused.
MAX_CELLS = 16_500_000
MAX_TEXT_BYTES = 128 << 20  # shared strings are loaded whole
_CHUNK = 1 << 20
_OVERLAP = 64  # longer than any reference attribute, so none is lost at a chunk border
_CELL = re.compile(rb"""<(?:\w+:)?c\s[^>]*?\br\s*=\s*["']([A-Za-z]{1,3})([0-9]{1,7})["']""")
# Two boxes a ledger's used range is known to fit in without the exact scan, which costs as
# much as calamine's own read (1.6 s for 100,000 rows × 11 columns): a province's, A1:O1099999
# (15 columns), and a county's, A1:Z149999 (26 columns: room for columns of its own). Each
# pattern finds, loosely (any r= attribute anywhere, no <c required), every reference the
# exact pattern could read as outside its box: for the province two or three letters, a letter
# after O, or a row number of 1,100,000 or more (seven digits from 11 or 2 on); for the county
# two or three letters or a row number of 150,000 or more. Their search runs at the speed of a
# literal scan, and a box holds at most MAX_CELLS cells.
_BOXES = (
    (15, 1_100_000, re.compile(rb"""r\s*=\s*["'](?:[A-Za-z]{2,3}[0-9]|[P-Zp-z][0-9]|[A-Za-z](?:1[1-9]|[2-9][0-9])[0-9]{5})""")),
    (26, 150_000, re.compile(rb"""r\s*=\s*["'](?:[A-Za-z]{2,3}[0-9]|[A-Za-z](?:[0-9]{7}|1[5-9][0-9]{4}|[2-9][0-9]{5}))""")),
)
assert all(cols * (rows - 1) <= MAX_CELLS for cols, rows, _ in _BOXES)
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


@dataclass(frozen=True)
class Extent:
    first_row: int
    first_col: int
    last_row: int
    last_col: int

    @property
    def rows(self) -> int:
        return self.last_row - self.first_row + 1

    @property
    def cols(self) -> int:
        return self.last_col - self.first_col + 1

    @property
    def cells(self) -> int:
        return self.rows * self.cols

    def __str__(self) -> str:
        return f"{column_name(self.first_col)}{self.first_row}:{column_name(self.last_col)}{self.last_row}"


def column_name(index: int) -> str:
    """1 → A, 26 → Z, 16384 → XFD."""
    name = ""
    while index:
        index, rem = divmod(index - 1, 26)
        name = chr(65 + rem) + name
    return name


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _first_sheet(z: zipfile.ZipFile) -> list[str]:
    """The part holding the workbook's first sheet; every worksheet part when that cannot be told."""
    everything = [n for n in z.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
    try:
        book = ElementTree.fromstring(z.read("xl/workbook.xml"))
        first = next(e for e in book.iter() if e.tag.endswith("}sheet"))
        rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        target = next(e.get("Target") for e in rels.iter(_REL) if e.get("Id") == first.get(_R))
    except (KeyError, StopIteration, ElementTree.ParseError):
        return everything
    part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    return [part] if part in z.namelist() else everything


def _scan(stream) -> Extent | None:
    rows, cols = [], []
    tail = b""
    while block := stream.read(_CHUNK):
        text = tail + block
        found = _CELL.findall(text)
        if found:
            letters = {c.upper() for c, _ in found}
            numbers = [int(r) for _, r in found]
            cols += [_column_number(c) for c in letters]
            rows += [min(numbers), max(numbers)]
            rows, cols = [min(rows), max(rows)], [min(cols), max(cols)]
        tail = text[-_OVERLAP:]
    if not rows:
        return None
    return Extent(rows[0], cols[0], rows[1], cols[1])


def _within(z: zipfile.ZipFile, part: str, far: re.Pattern) -> bool:
    """Whether no cell reference of ``part`` matches ``far`` (of _BOXES: lies outside its box)."""
    tail = b""
    with z.open(part) as stream:
        while block := stream.read(_CHUNK):
            text = tail + block
            if far.search(text):
                return False
            tail = text[-_OVERLAP:]
    return True


def xlsx_extent(path) -> tuple[Extent | None, int]:
    """(used range of the first sheet, uncompressed bytes of its shared strings).

    The range is None when the sheet is empty or, without an exact scan, known to hold
    fewer than MAX_CELLS cells. Raises zipfile.BadZipFile for a file that is not a zip,
    like calamine would.
    """
    with zipfile.ZipFile(path) as z:
        extent = None
        for part in _first_sheet(z):
            if any(_within(z, part, far) for _, _, far in _BOXES):
                continue
            with z.open(part) as stream:
                found = _scan(stream)
            if found and (extent is None or found.cells > extent.cells):
                extent = found
        text = sum(i.file_size for i in z.infolist() if i.filename.lower().endswith("sharedstrings.xml"))
    return extent, text


def ods_extent(path) -> Extent | None:
    """Used range of the first table of an .ods, read as a stream (rows are dropped once counted)."""
    with zipfile.ZipFile(path) as z, z.open("content.xml") as stream:
        row = last_row = last_col = tables = 0
        for event, el in ElementTree.iterparse(stream, events=("start", "end")):
            if el.tag == _TABLE + "table" and event == "start":
                tables += 1
                if tables > 1:
                    break
            elif el.tag == _TABLE + "table-row" and event == "end":
                repeat = int(el.get(_TABLE + "number-rows-repeated", 1))
                col = used = 0
                for cell in el:
                    col += int(cell.get(_TABLE + "number-columns-repeated", 1))
                    if cell.get(_OFFICE + "value-type") or len(cell):
                        used = col
                if used:
                    last_row, last_col = row + repeat, max(last_col, used)
                row += repeat
                el.clear()
    return Extent(1, 1, last_row, last_col) if last_row else None
