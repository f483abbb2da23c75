"""Normalise and validate one upstream row: what is stored, what is refused, what is flagged.

Rejected rows are not applied; warnings are stored (a bad ID is kept with id_ok=False and
its reason, so the platform's own rows never vanish). Reason codes are listed in README.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..domain.codes import SOURCE_LABELS, Source
from ..domain.dates import DateParseError, age_at, parse_date, stage_of
from ..domain.ids import IdCheck, birth_date_mismatch, check_id
from ..domain.text import compact
from ..domain.lengths import LENGTHS
from ..domain.terminal import has_controls, strip_controls
from ..services.idfields import id_columns
from .headers import BY_FIELD, HeaderMap
from .report import Issue

# ID problems that lose the number itself: such rows cannot be stored at all.
ID_REJECT = {"id_blank", "id_excel_number"}
AGE_MIN, AGE_MAX = 3, 18  # far outside 6–15: almost surely a wrong 出生日期 or ID
_EXCEL_DIGITS = 15
_SOURCES = {**{v: k.value for k, v in SOURCE_LABELS.items()}, **{s.value: s.value for s in Source}}
_ENROLLED = {"是", "否", ""}

FIXES = {
    "name_blank": "按户口簿补填姓名后重新导入该行",
    "name_whitespace": "无需处理；如与户口簿不符请更正",
    "name_control": "核对整理后的姓名；请上级平台更正原数据",
    "id_control": "核对整理后的证件号码；请上级平台更正原数据",
    "text_control": "核对整理后的内容；请上级平台更正原数据",
    "birth_unreadable": "改为 2014-03-05 这样的日期后重新导入",
    "birth_future": "按户口簿更正出生日期后重新导入",
    "birth_blank": "按户口簿补填出生日期",
    "age_out_of_range": "核对出生日期和证件号码",
    "id_blank": "按户口簿填写 18 位身份证号后重新导入该行",
    "id_excel_number": "把证件号码列设为“文本”格式，按户口簿重新录入完整号码后重新导入",
    "dup_id": "删除重复的行，或核对其中一行的证件号码",
    "dup_id_other_name": "核对两行的姓名与证件号码，更正错误的一行后重新导入",
    "db_id_other_name": "核对姓名与证件号码；如确为同一人改名，请先在台账中核实",
    "number_digits_lost": "把该列设为“文本”格式，重新录入完整号码",
    "value_too_long": "缩短该单元格内容",
    "sex_mismatch": "核对性别与证件号码第 17 位",
    "enrolled_value": "填写“是”或“否”",
    "seq_invalid": "填写整数序号",
    "source_unknown": "填写：" + "、".join(SOURCE_LABELS.values()),
    "column_ignored": "无需处理（该列不会导入）",
    "column_missing": "如需导入该列，请在表头补上",
}
ID_FIX = "按户口簿核对证件号码，在上级平台更正后重新下发"


def fix_for(code: str) -> str:
    return FIXES.get(code, ID_FIX if code.startswith("id_") else "")


@dataclass
class RowResult:
    fields: dict = field(default_factory=dict)
    rejected: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    row: int = 0
    name: str = field(default="", compare=False)  # as the file has it, until fields has the clean one

    def reject(self, column: str, value: object, code: str, reason: str) -> None:
        self.rejected.append(self._issue(column, value, code, reason))

    def warn(self, column: str, value: object, code: str, reason: str) -> None:
        self.warnings.append(self._issue(column, value, code, reason))

    def _issue(self, column: str, value: object, code: str, reason: str) -> Issue:
        name = self.fields.get("name") or self.name
        return Issue(self.row, column, _shown(value), code, reason, fix_for(code), name)


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 10**_EXCEL_DIGITS:
        return str(int(value))
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def is_blank(cells: list) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _text(r: RowResult, label: str, value: object) -> str:
    """A text column. Numbers keep their digits; a number past 15 digits has lost some."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 10**_EXCEL_DIGITS:
            return str(int(value))
        if value.is_integer():
            r.reject(label, value, "number_digits_lost",
                     f"“{label}”的值 {value:.0f} 是被 Excel 当作数字保存的超过 15 位的号码，末尾几位已丢失")
            return ""
        return repr(value)
    if isinstance(value, date):
        return value.isoformat()
    # Kept as given (a leading = + - @ included): it is data, never a formula.
    return _without_controls(r, label, str(value).strip(), "text_control")


_CONTROL_WHAT = {"name_control": "姓名", "id_control": "证件号码", "text_control": "该单元格"}


def _without_controls(r: RowResult, label: str, text: str, code: str) -> str:
    """Escape sequences and control characters would act on the registrar's terminal: dropped, with a reason."""
    if not has_controls(text):
        return text
    clean = strip_controls(text)
    r.warn(label, text, code, f"{_CONTROL_WHAT[code]}含控制字符、终端转义序列或文字方向控制符，已删除；"
                              f"整理后为「{clean}」")
    return clean


def _name(r: RowResult, value: object) -> str:
    raw = _without_controls(r, "姓名", "" if value is None else str(value), "name_control")
    name = compact(raw)
    if not name:
        r.reject("姓名", raw, "name_blank", "姓名为空，该行无法导入")
    elif name != raw:
        r.warn("姓名", raw, "name_whitespace", f"姓名「{raw}」含多余的空格或不可见字符，已整理为「{name}」")
    return name


def _birth(r: RowResult, value: object, today: date, cutoff: date) -> date | None:
    try:
        birth = parse_date(value)
    except DateParseError as e:
        r.reject("出生日期", value, "birth_unreadable", f"出生日期无法识别：{e}")
        return None
    if birth is None:
        r.warn("出生日期", value, "birth_blank", "出生日期为空")
    elif birth > today:
        r.reject("出生日期", value, "birth_future", f"出生日期 {birth.isoformat()} 晚于今天，不可能")
        return None
    elif birth <= cutoff and not AGE_MIN <= age_at(birth, cutoff) <= AGE_MAX:
        age = age_at(birth, cutoff)
        r.warn("出生日期", value, "age_out_of_range",
               f"按出生日期 {birth.isoformat()} 计算，截至 {cutoff.isoformat()} 为 {age} 周岁，"
               f"远超出义务教育年龄（6–15 周岁）")
    return birth


def _id(r: RowResult, value: object, birth: date | None, today: date) -> IdCheck:
    c = check_id(value, today)
    label = "证件号码"
    for issue in c.errors:
        if issue.code in ID_REJECT:
            r.reject(label, value, issue.code, issue.message)
            return c
    for issue in c.errors:
        r.warn(label, value, issue.code, issue.message + "（已导入并标记为问题号码）")
    mismatch = birth_date_mismatch(c, birth) if c.ok else None
    if mismatch:
        r.warn(label, value, mismatch.code, mismatch.message)
    for issue in c.warnings:
        r.warn(label, value, issue.code, issue.message)
    return c


def _optional(r: RowResult, get, check: IdCheck, header: HeaderMap) -> None:
    f = r.fields
    pos = header.positions
    if "seq" in pos:
        raw = get("seq")
        try:
            f["seq"] = int(float(str(raw).strip())) if str(raw or "").strip() else 0
        except ValueError:
            r.warn("序号", raw, "seq_invalid", f"序号「{raw}」不是整数，已记为 0")
            f["seq"] = 0
    if "enrolled" in pos and f.get("enrolled", "") not in _ENROLLED:
        r.warn("是否在读", f["enrolled"], "enrolled_value", f"是否在读应为“是”或“否”，实际为「{f['enrolled']}」，已原样保存")
    if "sex" in pos and f.get("sex") and check.ok and check.sex and f["sex"] != check.sex:
        r.warn("性别", f["sex"], "sex_mismatch",
               f"性别「{f['sex']}」与证件号码第 17 位（{check.sex}）不一致；系统不会自动修改")
    if "source" in pos:
        label = f.pop("source")
        if label in _SOURCES:
            f["source"] = _SOURCES[label]
        elif label:
            r.warn("台账来源", label, "source_unknown", f"台账来源「{label}」无法识别，已按全国学籍号判断")
    if "source" not in f and "national_no" in pos:
        f["source"] = Source.REGISTRY.value if f.get("national_no") else Source.NO_RECORD.value


_TEXT_FIELDS = ("hukou", "address", "enrolled", "national_no", "prov_school", "prov_no",
                "prov_status", "sex", "ethnicity", "grade_class", "source")


_LIMITS = {key.split(".", 1)[1]: n for key, n in LENGTHS.items() if key.startswith("entry.")}


def _too_long(r: RowResult) -> None:
    for name, value in r.fields.items():
        limit = _LIMITS.get(name)
        if limit and isinstance(value, str) and len(value) > limit:
            label = BY_FIELD[name].label if name in BY_FIELD else name
            r.reject(label, value, "value_too_long", f"“{label}”最多 {limit} 个字，实际 {len(value)} 个字")


def read_row(cells: list, header: HeaderMap, row: int, today: date, cutoff: date) -> RowResult:
    """Validate one data row (``row`` is its Excel row number)."""
    pos = header.positions
    width = len(cells)

    def get(name: str):
        i = pos.get(name)
        return cells[i] if i is not None and i < width else None

    r = RowResult(row=row, name=_shown(get("name")).strip())
    name = _name(r, get("name"))
    birth = _birth(r, get("birth_date"), today, cutoff)
    id_value = get("id_number")
    if isinstance(id_value, str):
        id_value = _without_controls(r, "证件号码", id_value, "id_control")
    check = _id(r, id_value, birth, today)
    if r.rejected:
        return r
    f = r.fields
    f["name"] = name
    f["birth_date"] = birth
    for key in _TEXT_FIELDS:
        if key in pos:
            f[key] = _text(r, BY_FIELD[key].label, get(key))
    _optional(r, get, check, header)
    f.update(id_columns(id_value, birth, check))
    f["stage"] = stage_of(f.get("grade_class"), birth, cutoff)
    _too_long(r)
    return r
