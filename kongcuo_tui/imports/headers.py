"""The upstream ledger's columns and how to find them in a sheet someone has edited.

The header row is found under title rows (a merged title, an "导出时间" line); columns are
matched by name in any order, ignoring spaces, full-width spaces and a trailing colon.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..domain.upstream import REQUIRED_FIELDS, UPSTREAM_COLUMNS


@dataclass(frozen=True)
class Column:
    label: str  # the platform's header text
    field: str  # Entry field (or a pseudo field for 台账来源)
    required: bool = False
    upstream: bool = True  # one of the platform's 11 columns, exported back in this order


COLUMNS: tuple[Column, ...] = (
    *(Column(label, field, required=field in REQUIRED_FIELDS) for label, field in UPSTREAM_COLUMNS),
    Column("性别", "sex", upstream=False),
    Column("民族", "ethnicity", upstream=False),
    Column("年级班级", "grade_class", upstream=False),
    Column("台账来源", "source", upstream=False),
)
UPSTREAM: tuple[Column, ...] = tuple(c for c in COLUMNS if c.upstream)
BY_FIELD = {c.field: c for c in COLUMNS}

# Other spellings seen in files edited by hand.
_ALIASES = {"身份证号": "证件号码", "身份证号码": "证件号码", "证件号": "证件号码", "学籍号": "全国学籍号"}
_BY_LABEL = {c.label: c for c in COLUMNS}
_HEADER_SCAN_ROWS = 30
_MIN_MATCHES = 3


class HeaderError(ValueError):
    """No usable header row; the message is for the user."""


def clean_label(value: object) -> str:
    """'证件号码：', ' 姓　名 ', '*姓名' → the bare label."""
    text = unicodedata.normalize("NFKC", str(value or ""))
    text = re.sub(r"\s+", "", text).lstrip("*")
    return text.rstrip(":")


def column_for(value: object) -> Column | None:
    label = clean_label(value)
    return _BY_LABEL.get(_ALIASES.get(label, label))


@dataclass(frozen=True)
class HeaderMap:
    row_index: int  # 0-based index into the rows handed to find_header
    positions: dict[str, int]  # field → column index
    ignored: list[tuple[int, str]]  # (column index, header text) of unknown columns
    missing: list[Column]  # optional upstream columns that are absent


def _map_row(cells: list) -> tuple[dict[str, int], list[tuple[int, str]]]:
    positions: dict[str, int] = {}
    ignored = []
    for i, cell in enumerate(cells):
        col = column_for(cell)
        if col is not None and col.field not in positions:
            positions[col.field] = i
        elif str(cell or "").strip():
            ignored.append((i, str(cell).strip()))
    return positions, ignored


def find_header(rows: list[list], first_row: int = 1, *, required: frozenset[str] | None = None,
                min_matches: int = _MIN_MATCHES, what: str = "上级下发的台账文件",
                stopped: str = "已停止导入，未写入任何数据", again: str = "重新导入") -> HeaderMap:
    """Locate the header among the first rows; raises HeaderError with a Chinese message.

    ``first_row`` is the Excel row number of ``rows[0]`` (used in messages). Another list
    read by ID (a poverty list, a school roster) names its own ``required`` fields, how
    many known columns make a header row, what the file should be and what stopping means.
    """
    best: tuple[int, dict, list] | None = None
    for i, cells in enumerate(rows[:_HEADER_SCAN_ROWS]):
        positions, ignored = _map_row(cells)
        if len(positions) >= min_matches and (best is None or len(positions) > len(best[1])):
            best = (i, positions, ignored)
            if len(positions) == len(COLUMNS):
                break
    if best is None:
        names = "、".join(c.label for c in (UPSTREAM if required is None else
                                             [c for c in COLUMNS if c.field in required]))
        raise HeaderError(
            f"在前 {_HEADER_SCAN_ROWS} 行中没有找到表头行；表头应包含以下列名：{names}。"
            f"请确认选择的是{what}，且第一个工作表就是{'台账' if required is None else '名单'}"
        )
    i, positions, ignored = best
    needed = (lambda c: c.required) if required is None else (lambda c: c.field in required)
    absent = [c for c in COLUMNS if needed(c) and c.field not in positions]
    if absent:
        names = "、".join(f"“{c.label}”" for c in absent)
        raise HeaderError(
            f"第 {first_row + i} 行的表头缺少必需的列 {names}，{stopped}；"
            f"请在 Excel 中补上这些列（列名须与上级台账一致）后{again}"
        )
    missing = [c for c in UPSTREAM if c.field not in positions]
    return HeaderMap(i, positions, ignored, missing)
