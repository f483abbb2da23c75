"""The clean-row fast path gives exactly what read_row gives, on any mix of cells."""

from __future__ import annotations

import random
from datetime import date, datetime

import pytest

from kongcuo_tui.domain.codes import SOURCE_LABELS
from kongcuo_tui.domain.text import has_space_or_invisible
from kongcuo_tui.imports.fastpath import RowReader
from kongcuo_tui.imports.headers import find_header
from kongcuo_tui.imports.rows import is_blank, read_row
from imports.upstream_xlsx import HEADERS, make_id

TODAY = date(2026, 11, 29)
CUTOFF = date(2026, 8, 31)
EXTRA = ("性别", "民族", "年级班级", "台账来源")
LAYOUTS = {
    "upstream": HEADERS,
    "extra columns": HEADERS + EXTRA,
    "shuffled, no 序号 or 全国学籍号": ("证件号码", "姓名", "台账来源", "户籍地", "出生日期", "性别", "省内学籍号"),
}
TEXT = ["河南省南阳市唐河县", " 唐河县 ", "", None, 411328000000001.0, 1.5, 1e16, True,
        date(2014, 3, 5), "=1+1", "长" * 200, "\u200b唐河"]


def _id_cells(rng: random.Random, birth: date) -> list:
    good = make_id(rng.choice(("411328", "110101")), birth, rng.randint(0, 999))
    bad_check = good[:17] + ("0" if good[17] != "0" else "1")
    return [good, good, good, good.lower(), f" {good} ", "'" + good, bad_check, float(good[:15]),
            "999999" + good[6:], good[:15], "", None, good[:6] + "20991301" + good[14:]]


def _row(rng: random.Random, labels: tuple) -> list:
    birth = date(rng.randint(2006, 2022), rng.randint(1, 12), rng.randint(1, 28))
    ident = rng.choice(_id_cells(rng, birth)) if rng.random() < 0.3 else _id_cells(rng, birth)[0]
    clean = {
        "序号": float(rng.randint(1, 9999)), "姓名": "王小明", "出生日期": birth, "证件号码": ident,
        "户籍地": "河南省南阳市唐河县", "家庭住址": "源潭镇1组", "是否在读": "否", "全国学籍号": f"G{ident}",
        "省内学校名称": "源潭镇中心小学", "省内学籍号": "41132800001", "省内学生状态": "疑似辍学",
        "性别": "", "民族": "汉族", "年级班级": "2020级1班", "台账来源": "",
    }
    odd = {
        "序号": [2, "3", " 4 ", "", None, 2.5, "abc", True, "１", 1e20, float("nan"), "1" * 20, 0.0],
        "姓名": [" 王小明", "王 小明", "", None, "王\u200b明", "张" * 70, 123.0, "王\u3000明"],
        "出生日期": [datetime(birth.year, birth.month, birth.day), birth.isoformat(), f"{birth:%Y/%m/%d}",
                 float(f"{birth:%Y%m%d}"), None, "", "bad", date(2030, 1, 1), date(1990, 1, 1), date(2014, 3, 5)],
        "是否在读": ["是", "", "Y", None, 1.0],
        "年级班级": ["2024级3班", "七年级2班", "初二3班", "2010级1班", "", None, "三年级", 2020.0],
        "性别": ["男", "女", "X", None],
        "台账来源": [*SOURCE_LABELS.values(), "registry", "poverty", "不明", None, 1.0],
    }
    cells = []
    for label in labels:
        value = clean[label]
        if rng.random() < 0.12:
            value = rng.choice(odd.get(label, TEXT))
        cells.append(value)
    if rng.random() < 0.03:
        cells = [None] * len(labels) if rng.random() < 0.5 else cells[: len(labels) // 2]
    return cells


@pytest.mark.parametrize("layout", LAYOUTS)
def test_fast_path_gives_what_read_row_gives(layout):
    labels = LAYOUTS[layout]
    header = find_header([list(labels)])
    reader = RowReader(header, TODAY, CUTOFF)
    rng = random.Random(layout)
    fast = 0
    for n in range(3000):
        cells = _row(rng, labels)
        expected = None if is_blank(cells) else read_row(cells, header, n + 2, TODAY, CUTOFF)
        got = reader.read(cells, n + 2)
        assert got == expected, cells
        if got is not None:
            assert list(got.fields) == list(expected.fields), cells  # the audit log keeps this order
        fast += len(cells) >= reader._width and reader._fast(cells) is not None
    assert 300 < fast < 2700  # both paths were taken


@pytest.mark.parametrize("labels", [HEADERS + EXTRA, HEADERS], ids=["with 年级班级", "without"])
def test_stage_comes_from_the_grade_else_from_the_age_on_both_paths(labels):
    header = find_header([list(labels)])
    reader = RowReader(header, TODAY, CUTOFF)
    # (年级班级, birth, 学段 with the column, 学段 without it: from the age at 2026-08-31)
    cases = [("2020级1班", date(2016, 5, 1), "初中", "小学"), ("三年级2班", date(2012, 1, 1), "小学", "初中"),
             ("", date(2016, 5, 1), "小学", "小学"), ("", date(2012, 1, 1), "初中", "初中"),
             ("", date(2008, 1, 1), "", "")]
    for n, (grade, birth, with_grade, without) in enumerate(cases):
        cells = {"序号": float(n + 1), "姓名": "王小明", "出生日期": birth, "证件号码": make_id("411328", birth, n),
                 "户籍地": "河南省南阳市唐河县", "家庭住址": "源潭镇1组", "是否在读": "否", "全国学籍号": "",
                 "省内学校名称": "", "省内学籍号": "", "省内学生状态": "", "性别": "", "民族": "汉族",
                 "年级班级": grade, "台账来源": ""}
        row = [cells[label] for label in labels]
        slow = read_row(row, header, n + 2, TODAY, CUTOFF)
        fast = reader.read(row, n + 2)
        expected = with_grade if "年级班级" in labels else without
        assert fast.fields["stage"] == slow.fields["stage"] == expected, (grade, birth)


def test_a_printable_name_without_an_ascii_space_is_one_compact_leaves_alone():
    # The fast path's name test: every character compact() would remove, in all of Unicode,
    # is either the ASCII space or not printable.
    removed = [c for c in map(chr, range(0x110000)) if has_space_or_invisible(c)]
    assert " " in removed and "\u3000" in removed and "\u200b" in removed
    assert [c for c in removed if c.isprintable()] == [" "]
