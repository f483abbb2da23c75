"""Read the first worksheet of an .xlsx, .xls or .ods file with calamine (fast, read-only)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook

from ..services.errors import ServiceError

SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")


@dataclass
class Sheet:
    name: str
    first_row: int  # Excel row number of the first row that rows() yields
    height: int
    rows: Iterator[list]


def open_sheet(path: str | Path) -> Sheet:
    """The first worksheet; raises ServiceError (Chinese) for a wrong or damaged file."""
    path = Path(path)
    if path.suffix.lower() not in SUFFIXES:
        raise ServiceError(
            f"不支持的文件类型“{path.suffix or '无扩展名'}”（{path.name}）；"
            "请选择 .xlsx、.xls 或 .ods 文件（WPS 可另存为 .xlsx）"
        )
    if not path.is_file():
        raise ServiceError(f"找不到文件：{path}")
    try:
        wb = CalamineWorkbook.from_path(str(path))
        sheet = wb.get_sheet_by_index(0)
    except (CalamineError, OSError, ValueError) as e:
        raise ServiceError(
            f"无法读取“{path.name}”：文件已损坏、加了密码或并非真正的 {path.suffix} 文件（{e}）；"
            "请用 Excel/WPS 打开后另存为 .xlsx 再导入"
        ) from None
    start = sheet.start
    first = (start[0] if start else 0) + 1
    return Sheet(sheet.name, first, sheet.height, sheet.iter_rows())
