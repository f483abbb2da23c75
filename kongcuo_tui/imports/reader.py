"""Read the first worksheet of an .xlsx, .xls or .ods file with calamine (fast, read-only)."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from python_calamine import CalamineError, CalamineWorkbook

from ..services.errors import ServiceError
from .extent import MAX_CELLS, MAX_TEXT_BYTES, Extent, ods_extent, xlsx_extent

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
    if path.is_dir():
        raise ServiceError(f"“{path}”是文件夹，不是台账文件；请选择其中的 .xlsx、.xls 或 .ods 文件")
    if not path.is_file():
        raise ServiceError(f"找不到文件：{path}")
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            _check_xlsx(path)
        elif path.suffix.lower() == ".ods" and (extent := ods_extent(path)) is not None:
            _refuse_if_absurd(path, extent)
        wb = CalamineWorkbook.from_path(str(path))
        sheet = wb.get_sheet_by_index(0)
    except PermissionError:
        raise ServiceError(f"没有权限读取“{path}”；请让管理员放开该文件的读权限，或把文件复制到自己的目录后再导入") from None
    except (CalamineError, OSError, ValueError, zipfile.BadZipFile, ElementTree.ParseError) as e:
        raise ServiceError(
            f"无法读取“{path.name}”：文件已损坏、加了密码或并非真正的 {path.suffix} 文件（{e}）；"
            "请用 Excel/WPS 打开后另存为 .xlsx 再导入"
        ) from None
    start, end = sheet.start, sheet.end
    if start and end:  # .xls is only measured once read: refuse before rows become Python objects
        _refuse_if_absurd(path, Extent(start[0] + 1, start[1] + 1, end[0] + 1, end[1] + 1))
    first = (start[0] if start else 0) + 1
    return Sheet(sheet.name, first, sheet.height, sheet.iter_rows())


def _check_xlsx(path: Path) -> None:
    extent, text_bytes = xlsx_extent(path)
    if extent is not None:
        _refuse_if_absurd(path, extent)
    if text_bytes > MAX_TEXT_BYTES:
        raise ServiceError(
            f"“{path.name}”中的文字共 {text_bytes >> 20} MB，远超一份台账（上限 {MAX_TEXT_BYTES >> 20} MB）；"
            "请确认选择的是上级下发的台账文件"
        )


def _refuse_if_absurd(path: Path, extent: Extent) -> None:
    if extent.cells > MAX_CELLS:
        raise ServiceError(
            f"“{path.name}”的第一个工作表占用范围 {extent}（{extent.rows} 行 × {extent.cols} 列），"
            f"超出可导入的上限（{MAX_CELLS // 10_000} 万个单元格），已停止，未写入任何数据；"
            "多半是表格下方或右侧有多余的内容或格式，请在 Excel/WPS 中删除这些行列后另存为 .xlsx 再导入"
        )
