"""Resident ID numbers (居民身份证号码, GB 11643-1999).

The checksum and the region table come from ``stdnum.cn.ric`` / ``stdnum``'s ``cn/loc``
data; this module adds what upstream data needs: cleaning, Excel damage detection,
legacy 15-digit upgrades and Chinese reasons. Nothing is ever silently fixed: every
change to the input is reported as a warning.

Reason codes (stable; other modules and the README rely on them):

errors (``ok`` is False)
  id_blank         nothing given
  id_excel_number  the ID went through Excel as a number: an int/float with more than
                   15 digits, scientific notation ('4.11328E+17'), or a float text. Excel
                   keeps only 15 significant digits, so the rest are lost: refuse.
  id_chars         characters other than digits, or 'X' anywhere but the last place
  id_length        not 18 (or legacy 15) characters
  id_birth_date    the 8 birth-date digits are an impossible date, before 1900 or in the
                   future
  id_region        the first 6 digits are not a region code, current or abolished
  id_checksum      wrong check character; the message shows the expected one. If the
                   text ends in '000' the message also says it was probably an Excel
                   number (we keep id_checksum there: the text itself arrived intact,
                   only the re-entry advice differs)
warnings (``ok`` stays True)
  id_normalized        cleaning changed the value (full-width characters, lowercase x,
                       inner spaces, invisible characters, given as a number). Trimming
                       outer spaces and a leading Excel apostrophe are not reported.
  id_upgraded_15       a legacy 15-digit ID was upgraded to 18 digits
  id_region_abolished  the region code exists only historically
  id_birth_mismatch    (from birth_date_mismatch) the ID's birth date differs from 出生日期

Unlike ``stdnum.cn.ric.validate`` we accept a region code created after the birth year:
IDs issued on re-registration carry the newer code.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from stdnum import numdb
from stdnum.cn import ric

from .text import drop_invisible

ERROR, WARNING = "error", "warning"

_APOSTROPHES = "'\u2018\u2019"
# Scientific notation, or a decimal point: what Excel/pandas make of a long number.
_EXCEL_TEXT = re.compile(r"^\d+(\.\d*)?E[+-]?\d+$|^\d+\.\d*$", re.IGNORECASE)
_YEARS = re.compile(r"^\[(\d{4})?-(\d{4})?\]")
_EXCEL_DIGITS = 15  # Excel stores 15 significant digits


@dataclass(frozen=True)
class IdIssue:
    code: str
    message: str
    severity: str  # ERROR or WARNING


@dataclass(frozen=True)
class IdCheck:
    raw: str
    normalized: str
    ok: bool
    issues: tuple[IdIssue, ...]
    birth_date: date | None = None
    sex: str | None = None  # '男' / '女'
    region_code: str | None = None

    @property
    def errors(self) -> tuple[IdIssue, ...]:
        return tuple(i for i in self.issues if i.severity == ERROR)

    @property
    def warnings(self) -> tuple[IdIssue, ...]:
        return tuple(i for i in self.issues if i.severity == WARNING)

    @property
    def first_issue(self) -> IdIssue | None:
        """The first error, else the first warning, else None."""
        return (self.errors or self.warnings or (None,))[0]

    @property
    def reason_code(self) -> str | None:
        issue = self.first_issue
        return issue.code if issue else None

    @property
    def reason(self) -> str | None:
        issue = self.first_issue
        return issue.message if issue else None


def _clean(text: str) -> tuple[str, list[str]]:
    """Return the cleaned text and a Chinese note for each reportable change."""
    notes = []
    text = text.strip().lstrip(_APOSTROPHES).strip()
    stripped = drop_invisible(text)
    if stripped != text:
        notes.append("去除了不可见字符（零宽空格等）")
    # NFKC maps full-width digits/letters to ASCII and NBSP/ideographic space to ' '.
    folded = unicodedata.normalize("NFKC", stripped)
    if folded != stripped:
        notes.append("全角字符已转为半角")
    no_space = re.sub(r"\s+", "", folded)
    if no_space != folded:
        notes.append("去除了中间的空格")
    upper = no_space.replace("x", "X")
    if upper != no_space:
        notes.append("小写 x 已改为大写 X")
    return upper, notes


def _number_text(value: int | float) -> tuple[str, bool]:
    """Digits of a numeric cell and whether all of them can be trusted."""
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer():
            return str(value), False
        if abs(value) >= 10**_EXCEL_DIGITS:
            return str(value), False  # e.g. '4.11328201403051e+17': digits lost
        value = int(value)
    digits = str(value)
    return digits, len(digits.lstrip("-")) <= _EXCEL_DIGITS


def normalize_id_text(value: object) -> str:
    """Trim, fold full-width to ASCII, drop spaces/invisible chars/leading apostrophe, x → X."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _number_text(value)[0]
    return _clean(str(value))[0]


@lru_cache(maxsize=4096)
def _region(code: str) -> tuple[str, int | None] | None:
    """(name, abolished-after year or None if current) for a 6-digit code, or None."""
    info = {k: v for _, props in numdb.get("cn/loc").info(code) for k, v in props.items()}
    if "county" not in info:
        return None
    last_end, name = None, ""
    for part in info["county"].split(","):
        m = _YEARS.match(part)
        name = part[m.end():] if m else part
        if m is None or m.group(2) is None:
            return name, None  # still in use
        last_end = max(last_end or 0, int(m.group(2)))
    return name, last_end


def preload() -> None:
    """Read the region table now (about 0.1 s) rather than when the first ID is checked."""
    numdb.get("cn/loc")


def _issue(code: str, message: str, severity: str = ERROR) -> IdIssue:
    return IdIssue(code, message, severity)


def _excel_issue(shown: str) -> IdIssue:
    return _issue(
        "id_excel_number",
        f"证件号码「{shown}」是被 Excel 当作数字保存的（科学计数法或超过 15 位的数字），"
        "末尾几位已经丢失，无法还原；请把该列设为“文本”格式，按户口簿重新录入完整号码",
    )


def _structure_issues(s: str) -> list[IdIssue]:
    bad = sorted({c for i, c in enumerate(s) if not (c.isdigit() or (c == "X" and i == 17))})
    issues = []
    if bad:
        shown = "、".join(f"“{c}”" for c in bad)
        issues.append(_issue(
            "id_chars",
            f"证件号码「{s}」含有非法字符 {shown}；只能是数字，18 位号码的最后一位可以是 X",
        ))
    if len(s) not in (15, 18):
        issues.append(_issue(
            "id_length",
            f"证件号码「{s}」有 {len(s)} 位，应为 18 位（旧版为 15 位）；请核对是否漏输或多输",
        ))
    return issues


def _content_issues(id18: str, today: date) -> tuple[list[IdIssue], date | None]:
    issues = []
    birth = None
    digits = id18[6:14]
    try:
        # Same as ric.get_birth_date without its per-call cleaning: the import hot path.
        birth = date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        issues.append(_issue(
            "id_birth_date",
            f"证件号码「{id18}」中的出生日期 {digits} 不是有效日期；请核对第 7–14 位",
        ))
    if birth is not None and not (_MIN_BIRTH <= birth <= today):
        issues.append(_issue(
            "id_birth_date",
            f"证件号码「{id18}」中的出生日期 {birth.isoformat()} 不可能"
            f"（{'晚于今天' if birth > today else '早于 1900 年'}）；请核对第 7–14 位",
        ))
        birth = None
    region = _region(id18[:6])
    if region is None:
        issues.append(_issue(
            "id_region",
            f"证件号码「{id18}」的前 6 位 {id18[:6]} 不是已知的行政区划代码（含已撤销的）；"
            "请核对前 6 位",
        ))
    elif region[1] is not None:
        name, end = region
        note = f"，而号码中的出生年份是 {birth.year} 年" if birth and birth.year > end else ""
        issues.append(_issue(
            "id_region_abolished",
            f"证件号码「{id18}」的地区码 {id18[:6]}（{name}）只使用到 {end} 年，现已撤销{note}；"
            "老号码仍然有效，但请与户口簿核对",
            WARNING,
        ))
    return issues, birth


_CHECK_CHARS = frozenset("0123456789X")
_SEX = "女男女男女男女男女男"  # by the 17th digit's value: odd is male
_MIN_BIRTH = date(1900, 1, 1)


@lru_cache(maxsize=65536)
def _birth_digits(digits: str) -> date | None:
    try:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None


@lru_cache(maxsize=4096)
def _region_current(code: str) -> bool:
    region = _region(code)
    return region is not None and region[1] is None


def clean_id_facts(value: object, today: date) -> tuple[date, str] | None:
    """(birth date, sex) when ``check_id(value, today)`` would find nothing to report and
    ``value`` is exactly the normalized number; None means "ask check_id".

    The fast path for the common case: 18 ASCII characters, so no cleaning work.
    """
    # 17 ASCII digits and a digit or X (str methods: several times quicker than a regex here).
    if (type(value) is not str or len(value) != 18 or not value.isascii() or not value[:17].isdigit()
            or value[17] not in _CHECK_CHARS):
        return None
    birth = _birth_digits(value[6:14])
    if (birth is None or not _MIN_BIRTH <= birth <= today or not _region_current(value[:6])
            or ric.calc_check_digit(value) != value[17]):
        return None
    return birth, _SEX[int(value[16])]


def check_id(value: object, today: date | None = None) -> IdCheck:
    """Check one resident ID. ``today`` bounds the birth date (defaults to date.today())."""
    today = today or date.today()
    facts = clean_id_facts(value, today)
    if facts is not None:
        return IdCheck(value, value, True, (), facts[0], facts[1], value[:6])
    return _check_full(value, today)


def _check_full(value: object, today: date) -> IdCheck:
    raw = "" if value is None else str(value)
    issues: list[IdIssue] = []
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        s, trusted = _number_text(value)
        if not trusted or len(s) > _EXCEL_DIGITS:
            return IdCheck(raw, s, False, (_excel_issue(raw),))
        issues.append(_issue(
            "id_normalized",
            f"证件号码 {s} 是以数字形式给出的（应为文本）；请把该列设为“文本”格式",
            WARNING,
        ))
    else:
        s, notes = _clean(raw)
        if notes:
            issues.append(_issue(
                "id_normalized",
                f"证件号码「{raw.strip()}」已整理为「{s}」：{'；'.join(notes)}",
                WARNING,
            ))
    if not s:
        return IdCheck(raw, s, False, (_issue("id_blank", "证件号码为空；请按户口簿填写 18 位身份证号"),))
    if _EXCEL_TEXT.match(s):
        return IdCheck(raw, s, False, (_excel_issue(s), *issues))

    structural = _structure_issues(s)
    if structural:
        return IdCheck(raw, s, False, (*structural, *issues))

    if len(s) == 15:
        body = s[:6] + "19" + s[6:]
        id18 = body + ric.calc_check_digit(body + "0")  # the arg carries a dummy check digit
        issues.append(_issue(
            "id_upgraded_15",
            f"旧版 15 位证件号码「{s}」已按国家标准升级为 18 位「{id18}」；请与户口簿核对",
            WARNING,
        ))
    else:
        id18 = s
    content, birth = _content_issues(id18, today)
    issues.extend(content)
    expected = ric.calc_check_digit(id18)
    if id18[-1] != expected:
        hint = (
            "。号码末尾是 000，很可能曾被 Excel 当作数字保存而丢失了末几位；"
            "请把该列设为“文本”格式后按户口簿重新录入"
            if id18.endswith("000") else "；请按户口簿核对全部 18 位后重新录入"
        )
        issues.append(_issue(
            "id_checksum",
            f"证件号码「{id18}」的校验位应为 {expected}，实际为 {id18[-1]}{hint}",
        ))
    errors = [i for i in issues if i.severity == ERROR]
    warnings = [i for i in issues if i.severity == WARNING]
    return IdCheck(
        raw=raw,
        normalized=id18,
        ok=not errors,
        issues=(*errors, *warnings),
        birth_date=birth,
        sex="男" if int(id18[16]) % 2 else "女",
        region_code=id18[:6],
    )


def birth_date_mismatch(check: IdCheck, birth: date | None) -> IdIssue | None:
    """A warning when the ID's birth date disagrees with the recorded 出生日期."""
    if check.birth_date is None or birth is None or check.birth_date == birth:
        return None
    return _issue(
        "id_birth_mismatch",
        f"证件号码「{check.normalized}」中的出生日期为 {check.birth_date.isoformat()}，"
        f"与填报的出生日期 {birth.isoformat()} 不一致；请按户口簿核对，更正其中一项（系统不会自动修改）",
        WARNING,
    )
