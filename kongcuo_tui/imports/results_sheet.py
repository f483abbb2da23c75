"""Reading a filled worksheet: every school sheet's filled rows, as typed, with Excel row numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook

from ..domain.terminal import strip_controls
from ..exports.worksheet_layout import INSTRUCTIONS_SHEET, KEY_HEADER, RESULT_HEADERS, parse_key
from ..services.errors import ServiceError
from .reader import SUFFIXES, _check_xlsx

_HEAD_ROWS = 10


@dataclass
class FilledRow:
    sheet: str
    row: int  # the Excel row number the user sees
    name: str
    id_cell: object
    key: tuple[int, int] | None  # (entry id, version) from 行键
    results: dict[str, object] = field(default_factory=dict)  # result header → cell


@dataclass
class SheetProblem:
    sheet: str
    row: int
    reason: str


def _header(text: object) -> str:
    return "".join(str(text).split()).rstrip(":：") if text is not None else ""


def _blank(v: object) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _clean(v: object) -> object:
    return strip_controls(v).strip() if isinstance(v, str) else v


def read_filled(path: str | Path) -> tuple[list[FilledRow], list[SheetProblem], int]:
    """The rows with anything in a result column, problems with whole sheets, and the blank rows skipped."""
    path = Path(path)
    if path.suffix.lower() not in SUFFIXES:
        raise ServiceError(f"不支持的文件类型“{path.suffix or '无扩展名'}”（{path.name}）；请选择导出的核查工作表 .xlsx")
    if not path.is_file():
        raise ServiceError(f"找不到文件：{path}")
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            _check_xlsx(path)
        wb = CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as e:
        raise ServiceError(f"无法读取“{path.name}”：文件已损坏、加了密码或不是 Excel 文件（{e}）；"
                           "请用 Excel/WPS 打开后另存为 .xlsx 再导入") from None
    rows: list[FilledRow] = []
    problems: list[SheetProblem] = []
    blank = 0
    for name in wb.sheet_names:
        if name == INSTRUCTIONS_SHEET:
            continue
        sheet = wb.get_sheet_by_name(name)
        first = (sheet.start[0] if sheet.start else 0) + 1
        data = sheet.to_python(skip_empty_area=False)
        found = _find_header(data)
        if found is None:
            problems.append(SheetProblem(name, first, f"工作表“{name}”中找不到核查工作表的表头（姓名、核查结果、行键），已跳过；"
                                         "请使用 kongcuo export worksheet 导出的文件，不要删除表头行"))
            continue
        at, cols = found
        for i, cells in enumerate(data[at + 1:], at + 1):
            def cell(h: str) -> object:
                c = cols.get(h)
                return _clean(cells[c]) if c is not None and c < len(cells) else None
            results = {h: cell(h) for h in RESULT_HEADERS}
            if all(_blank(v) for v in results.values()):
                blank += not all(_blank(v) for v in cells)
                continue
            rows.append(FilledRow(name, first + i, str(cell("姓名") or ""), cell("证件号码"),
                                  parse_key(cell(KEY_HEADER)), results))
    return rows, problems, blank


def _find_header(data: list[list]) -> tuple[int, dict[str, int]] | None:
    for i, cells in enumerate(data[:_HEAD_ROWS]):
        names = {_header(v): c for c, v in enumerate(cells) if not _blank(v)}
        if "姓名" in names and "核查结果" in names:
            return i, names
    return None
