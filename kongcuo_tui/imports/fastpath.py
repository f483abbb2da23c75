"""Row checks for one sheet, with a fast path for the clean rows that make up most files.

A clean row is one on which ``rows.read_row`` would raise no issue at all. For such rows
the fast path builds the same fields in the same order with a fraction of the work; on
anything unusual (a warning, a number where text is expected, a value too long) it gives
up and the row goes through ``read_row``, so messages and stored values never differ.
"""

from __future__ import annotations

import sys
from datetime import date

from ..domain.codes import Source
from ..domain.dates import DateParseError, age_at, parse_date, stage_of
from ..domain.ids import clean_id_facts
from ..services.idfields import CLEAN_ID
from .headers import HeaderMap
from .rows import (_ENROLLED, _EXCEL_DIGITS, _LIMITS, _SOURCES, _TEXT_FIELDS, AGE_MAX, AGE_MIN, RowResult,
                   is_blank, read_row)

_NAME_MAX = _LIMITS["name"]
_SEQ_DIGITS = 15  # longer digit strings could round through float() in read_row
_REGISTRY, _NO_RECORD = Source.REGISTRY.value, Source.NO_RECORD.value


class RowReader:
    """``read_row`` for one sheet: the header's positions and limits are worked out once."""

    def __init__(self, header: HeaderMap, today: date, cutoff: date):
        self.header, self.today, self.cutoff = header, today, cutoff
        pos = header.positions
        self._name, self._birth, self._id = pos["name"], pos["birth_date"], pos["id_number"]
        self._seq = pos.get("seq")
        self._source = pos.get("source")
        self._registry_rule = "national_no" in pos
        self._texts = [(k, pos[k], _LIMITS.get(k, sys.maxsize)) for k in _TEXT_FIELDS if k in pos and k != "source"]
        self._width = max(pos.values()) + 1
        self._births: dict[object, date | None] = {}  # cell value → birth date, None if not clean
        self._stages: dict[date, str] = {}  # birth date → 学段 without a 年级班级

    def read(self, cells: list, row: int) -> RowResult | None:
        """None for a blank row, else the same result as ``read_row(cells, header, row, ...)``."""
        fields = self._fast(cells) if len(cells) >= self._width else None
        if fields is not None:
            return RowResult(fields=fields, row=row)
        if is_blank(cells):
            return None
        return read_row(cells, self.header, row, self.today, self.cutoff)

    def _fast(self, cells: list) -> dict | None:
        name = cells[self._name]
        # Printable text holds no control, invisible character or space other than the ASCII
        # space (test_import_fast_path.py): the same test as has_space_or_invisible, quicker.
        if type(name) is not str or not name or len(name) > _NAME_MAX or not name.isprintable() or " " in name:
            return None
        value = cells[self._birth]
        birth = self._births.get(value, False)
        if birth is False:
            birth = self._births[value] = self._clean_birth(value)
        id_number = cells[self._id]
        facts = clean_id_facts(id_number, self.today)
        if birth is None or facts is None or facts[0] != birth:
            return None
        f = {"name": name, "birth_date": birth}
        for key, i, limit in self._texts:
            text = cells[i]
            text = text.strip() if type(text) is str else _text(text)
            # Not printable: controls (read_row removes them with a reason) or unusual spaces.
            if text is None or len(text) > limit or not text.isprintable():
                return None
            f[key] = text
        if f.get("enrolled", "") not in _ENROLLED or f.get("sex", "") not in ("", facts[1]):
            return None
        if self._seq is not None:
            seq = _seq(cells[self._seq])
            if seq is None:
                return None
            f["seq"] = seq
        if not self._set_source(f, cells):
            return None
        f["id_number"] = id_number
        f.update(CLEAN_ID)
        grade = f.get("grade_class")
        if grade:
            f["stage"] = stage_of(grade, birth, self.cutoff)
        else:  # the upstream file has no 年级班级: 学段 from the age, once per birth date
            stage = self._stages.get(birth)
            if stage is None:
                stage = self._stages[birth] = stage_of(grade, birth, self.cutoff)
            f["stage"] = stage
        return f

    def _set_source(self, f: dict, cells: list) -> bool:
        if self._source is not None:
            label = _text(cells[self._source])
            if label and label not in _SOURCES or label is None:
                return False
            if label:
                f["source"] = _SOURCES[label]
        if "source" not in f and self._registry_rule:
            f["source"] = _REGISTRY if f.get("national_no") else _NO_RECORD
        return True

    def _clean_birth(self, value: object) -> date | None:
        """The birth date when read_row would accept it without a remark, else None."""
        if not isinstance(value, (date, str)):
            return None
        try:
            birth = parse_date(value)
        except DateParseError:
            return None
        if birth is None or birth > self.today:
            return None
        if birth <= self.cutoff and not AGE_MIN <= age_at(birth, self.cutoff) <= AGE_MAX:
            return None
        return birth


def _text(value: object) -> str | None:
    """rows._text for the cells it handles without a remark; None for the rest."""
    kind = type(value)
    if kind is str:
        return value.strip()
    if value is None:
        return ""
    if kind is float and value.is_integer() and abs(value) < 10**_EXCEL_DIGITS:
        return str(int(value))
    return None


def _seq(value: object) -> int | None:
    """rows._optional's 序号 for the cells it reads without a remark; None for the rest."""
    kind = type(value)
    if kind is float:
        return int(value) if value.is_integer() else None
    if value is None:
        return 0
    if kind is str:
        text = value.strip()
        if not text:
            return 0
        return int(text) if len(text) <= _SEQ_DIGITS and text.isascii() and text.isdigit() else None
    return None
