"""Upstream ledger files built by the tests themselves (openpyxl; odfpy for .ods)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import openpyxl
from stdnum.cn import ric

HEADERS = ("序号", "姓名", "出生日期", "证件号码", "户籍地", "家庭住址", "是否在读",
           "全国学籍号", "省内学校名称", "省内学籍号", "省内学生状态")
SURNAMES = "王李张刘陈杨赵黄周吴"
GIVEN = "子梓浩宇轩涵欣怡雨泽博文佳俊杰"


def make_id(region: str, birth: date, n: int) -> str:
    body = f"{region}{birth:%Y%m%d}{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def valid_row(n: int, region: str = "411328") -> list:
    """Row ``n`` of a clean upstream ledger (every value the platform would send)."""
    birth = date(2010 + n % 6, 1 + n % 12, 1 + n % 28)
    ident = make_id(region, birth, n)
    registry = n % 3 != 0
    return [
        n, SURNAMES[n % 10] + GIVEN[n % 15] + GIVEN[(n // 15) % 15], birth, ident,
        "河南省南阳市唐河县", f"河南省南阳市唐河县源潭镇{n % 20}组{n}号", "否" if n % 4 else "是",
        f"G{ident}" if registry else "", "唐河县源潭镇中心小学" if registry else "",
        f"41132800{n:07d}" if registry else "", "疑似辍学" if registry else "",
    ]


# openpyxl refuses these; OOXML spells them _x001B_, which readers turn back into the character.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _cell(value):
    if isinstance(value, str):
        return _XML_ILLEGAL.sub(lambda m: f"_x{ord(m.group()):04X}_", value)
    return value


def write_xlsx(path: Path, rows: list[list], headers=HEADERS, above: list[list] = ()) -> Path:
    """Rows under ``headers``; ``above`` are title lines put over the header. IDs as text."""
    wb = openpyxl.Workbook()
    ws = wb.active
    for line in above:
        ws.append(list(line))
    ws.append(list(headers))
    for row in rows:
        ws.append([_cell(v) for v in row])
    for r in ws.iter_rows(min_row=len(above) + 2):
        for cell in r:
            if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
                cell.data_type = "s"  # a text cell, as Excel stores a typed '=…
            elif isinstance(cell.value, date):
                cell.number_format = "yyyy-mm-dd"
    wb.save(path)
    return path


def write_ods(path: Path, rows: list[list], headers=HEADERS) -> Path:
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    doc = OpenDocumentSpreadsheet()
    table = Table(name="台账")
    for values in [list(headers), *rows]:
        tr = TableRow()
        for v in values:
            if isinstance(v, date):
                cell = TableCell(valuetype="date", datevalue=v.isoformat())
            elif isinstance(v, (int, float)):
                cell = TableCell(valuetype="float", value=v)
            else:
                cell = TableCell(valuetype="string")
            cell.addElement(P(text="" if v is None else str(v)))
            tr.addElement(cell)
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    doc.save(str(path))
    return path
