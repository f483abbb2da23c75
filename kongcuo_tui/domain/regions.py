"""Administrative regions (行政区划代码).

Provinces, cities and counties come from python-stdnum's region table (the one its ID
check uses), so the list the registrar picks 就读省县 from and the list IDs are checked
against never disagree. Townships are not in it; the few the demo needs are listed here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

PROVINCE, CITY, COUNTY, TOWNSHIP = "province", "city", "county", "township"
LEVEL_LABELS = {PROVINCE: "省级", CITY: "市级", COUNTY: "县级", TOWNSHIP: "乡镇"}

_YEARS = re.compile(r"^\[(\d{4})?-(\d{4})?\]")


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    level: str
    parent: str | None
    full_name: str  # e.g. 河南省南阳市唐河县


def _current_name(raw: str) -> str | None:
    """Pick the name in use today from stdnum's '[1986-1989]义马市,[1997-]济源市'."""
    for part in reversed(raw.split(",")):
        m = _YEARS.match(part)
        if m is None:
            return part
        if m.group(2) is None:
            return part[m.end():]
    return None


def _parse_loc() -> list[tuple[str, str]]:
    """Read stdnum's loc.dat directly: its numdb lookup has no iterator and probing every
    code through it takes seconds."""
    from importlib import resources  # 5 ms to import: paid when the table is first read

    text = (resources.files("stdnum") / "cn" / "loc.dat").read_text(encoding="utf-8")
    out: list[tuple[str, str]] = []
    prov = ""
    for line in text.splitlines():
        m = _LINE.match(line)
        if not m:
            continue
        indent, code, key, raw = m.groups()
        if not indent and key == "province":
            prov = code
            out.append((prov + "0000", raw))
        elif indent and key == "county" and prov:
            name = _current_name(raw)
            if name and name not in ("市辖区", "县") and "直辖" not in name and code != "0000":
                out.append((prov + code, name))
    return out


_LINE = re.compile(r'^(\s*)(\d+) (\w+)="(.*)"')


# Townships of 唐河县 and 济源市 (demo data and the default county). Codes are 9 digits.
TOWNSHIPS: dict[str, tuple[tuple[str, str], ...]] = {
    "411328": (
        ("411328001", "滨河街道"), ("411328002", "文峰街道"), ("411328003", "东兴街道"),
        ("411328004", "兴唐街道"), ("411328100", "源潭镇"), ("411328101", "张店镇"),
        ("411328102", "郭滩镇"), ("411328103", "湖阳镇"), ("411328104", "黑龙镇"),
        ("411328105", "大河屯镇"), ("411328106", "龙潭镇"), ("411328107", "桐寨铺镇"),
        ("411328108", "苍台镇"), ("411328109", "上屯镇"), ("411328110", "毕店镇"),
        ("411328111", "少拜寺镇"), ("411328200", "古城乡"), ("411328201", "东王集乡"),
        ("411328202", "马振抚乡"), ("411328203", "祁仪乡"), ("411328204", "昝岗乡"),
    ),
    "419001": (
        ("419001001", "沁园街道"), ("419001002", "济水街道"), ("419001003", "北海街道"),
        ("419001004", "天坛街道"), ("419001005", "玉泉街道"), ("419001100", "克井镇"),
        ("419001101", "五龙口镇"), ("419001102", "轵城镇"), ("419001103", "承留镇"),
        ("419001104", "邵原镇"), ("419001105", "坡头镇"), ("419001106", "梨林镇"),
        ("419001107", "大峪镇"), ("419001108", "思礼镇"), ("419001109", "王屋镇"),
        ("419001110", "下冶镇"),
    ),
    "411330": (
        ("411330001", "城郊乡"), ("411330100", "月河镇"), ("411330101", "吴城镇"),
        ("411330102", "固县镇"), ("411330103", "毛集镇"),
    ),
}


@lru_cache(maxsize=1)
def all_regions() -> tuple[Region, ...]:
    """Every current province, city, county, plus the listed townships, parents first."""
    names: dict[str, str] = {}
    for code, name in _parse_loc():
        names[code] = name
    regions: list[Region] = []
    for code, name in names.items():
        level, parent = _level_and_parent(code, names)
        regions.append(Region(code, name, level, parent, _full_name(code, names)))
    for county, towns in TOWNSHIPS.items():
        for code, name in towns:
            regions.append(Region(code, name, TOWNSHIP, county, _full_name(county, names) + name))
    order = {PROVINCE: 0, CITY: 1, COUNTY: 2, TOWNSHIP: 3}
    regions.sort(key=lambda r: (order[r.level], r.code))
    return tuple(regions)


def _level_and_parent(code: str, names: dict[str, str]) -> tuple[str, str | None]:
    if code.endswith("0000"):
        return PROVINCE, None
    if code.endswith("00"):
        return CITY, code[:2] + "0000"
    city = code[:4] + "00"
    # Counties directly under a province (济源市 419001) have no city above them.
    return COUNTY, city if city in names else code[:2] + "0000"


def _full_name(code: str, names: dict[str, str]) -> str:
    parts = [names.get(code[:2] + "0000", "")]
    if not code.endswith("0000"):
        city = code[:4] + "00"
        if city != code and city in names:
            parts.append(names[city])
        parts.append(names.get(code, ""))
    return "".join(parts)


@lru_cache(maxsize=1)
def region_index() -> dict[str, Region]:
    return {r.code: r for r in all_regions()}


def region_name(code: str | None) -> str:
    if not code:
        return ""
    r = region_index().get(code)
    return r.full_name if r else code


def province_of(code: str | None) -> str | None:
    """Two-digit province prefix of any region code (or ID number)."""
    return code[:2] if code and len(code) >= 2 and code[:2].isdigit() else None


@lru_cache(maxsize=1)
def places_for_typeahead() -> tuple[Region, ...]:
    """The 就读省县 choices: provinces and counties, plus cities that have no counties
    (东莞市, 中山市 …) where children study just the same. Never townships."""
    regions = all_regions()
    parents = {r.parent for r in regions if r.level == COUNTY}
    return tuple(sorted(
        (r for r in regions
         if r.level in (PROVINCE, COUNTY) or (r.level == CITY and r.code not in parents)),
        key=lambda r: r.code,
    ))


@lru_cache(maxsize=1)
def _counties_by_name() -> dict[str, Region]:
    """Counties by the names an address starts with: 河南省南阳市唐河县, 南阳市唐河县."""
    out: dict[str, Region] = {}
    index = region_index()
    for r in all_regions():
        if r.level != COUNTY:
            continue
        out.setdefault(r.full_name, r)
        province = index.get(r.code[:2] + "0000")
        if province and r.full_name.startswith(province.name) and len(r.full_name) > len(province.name) + len(r.name):
            out.setdefault(r.full_name[len(province.name):], r)  # the city and the county
    return out


def county_in_address(text: str) -> Region | None:
    """The county an address such as 户籍地 names at its start, or None when it names none.

    Only full names count (河南省南阳市唐河县…, 南阳市唐河县…): a county name alone is ambiguous.
    """
    names = _counties_by_name()
    text = "".join(text.split())
    for n in range(min(len(text), 24), 3, -1):
        found = names.get(text[:n])
        if found is not None:
            return found
    return None


def _places_by_name() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for r in places_for_typeahead():
        for key in {r.full_name, r.name}:
            out.setdefault(key, []).append(r.code)
    return {k: tuple(v) for k, v in out.items()}


def find_place(text: str) -> tuple[str | None, str | None]:
    """A typed 就读省县 (code, full name or name) as (region code, None), or (None, why not)."""
    text = "".join(text.split())
    if not text:
        return None, None
    if text.isdigit():
        r = region_index().get(text)
        return (text, None) if r and r in places_for_typeahead() else (None, f"“{text}”不是省或县级区划代码")
    codes = _places_by_name().get(text, ())
    if len(codes) == 1:
        return codes[0], None
    if len(codes) > 1:
        return None, f"“{text}”有 {len(codes)} 处同名，请写全称（如 河南省南阳市宛城区）或 6 位区划代码"
    return None, f"找不到省县“{text}”，请写全称（如 河南省南阳市宛城区）、外省可只写省名，或写 6 位区划代码"
