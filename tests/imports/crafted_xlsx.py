"""Minimal .xlsx files written part by part with zipfile, for sheets no real program would save."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

_NS = "http://schemas.openxmlformats.org"
_PARTS = {
    "[Content_Types].xml": (
        f'<Types xmlns="{_NS}/package/2006/content-types">'
        f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'),
    "_rels/.rels": (
        f'<Relationships xmlns="{_NS}/package/2006/relationships"><Relationship Id="rId1" '
        f'Type="{_NS}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    "xl/workbook.xml": (
        f'<workbook xmlns="{_NS}/spreadsheetml/2006/main" xmlns:r="{_NS}/officeDocument/2006/relationships">'
        '<sheets><sheet name="台账" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    "xl/_rels/workbook.xml.rels": (
        f'<Relationships xmlns="{_NS}/package/2006/relationships"><Relationship Id="rId1" '
        f'Type="{_NS}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
}


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        name = chr(65 + rem) + name
    return name


def crafted_xlsx(path: Path, rows: list[list], extra: dict[str, str] = {}, dimension: str | None = None) -> Path:
    """``rows`` from A1 down as inline strings, plus ``extra`` cells by reference ('XFD1048576': 'x')."""
    cells: dict[int, list[str]] = {}
    for r, row in enumerate(rows, 1):
        cells[r] = [f'<c r="{_column(c)}{r}" t="inlineStr"><is><t>{v}</t></is></c>' for c, v in enumerate(row)]
    for ref, v in extra.items():
        r = int(re.search(r"\d+", ref).group())
        cells.setdefault(r, []).append(f'<c r="{ref}" t="inlineStr"><is><t>{v}</t></is></c>')
    data = "".join(f'<row r="{r}">{"".join(cs)}</row>' for r, cs in sorted(cells.items()))
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = f'<worksheet xmlns="{_NS}/spreadsheetml/2006/main">{dim}<sheetData>{data}</sheetData></worksheet>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, xml in _PARTS.items():
            z.writestr(name, '<?xml version="1.0" encoding="UTF-8"?>' + xml)
        z.writestr("xl/worksheets/sheet1.xml", '<?xml version="1.0" encoding="UTF-8"?>' + sheet)
    return path
