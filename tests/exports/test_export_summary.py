"""附件1 疑似辍学学生信息汇总表: the seed's layout, print-ready, the right rows."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest

from kongcuo_tui.db.connection import db
from kongcuo_tui.db.models import Entry, Guardian
from kongcuo_tui.exports import summary
from kongcuo_tui.exports.summary import HEADERS, export_summary, page_query
from kongcuo_tui.services.keyset import REGION_ORDER, rows_after
from kongcuo_tui.services import accounts
from kongcuo_tui.services.scope import narrowed_scope
from print_check import printed


def test_summary_layout_and_rows(tmp_path, registrar, make_entry):
    pending = make_entry(name="待查", sex="男", ethnicity="汉族", grade_class="2019级3班",
                         dropout_reason="厌学", residence="唐河县源潭镇东王庄村3组")
    Guardian.create(entry=pending, ordinal=1, name="王大", id_number="411328198001010011", phone="13812345678")
    make_entry(name="劝返中", status="processed", code="A2", action="辍学处理")
    make_entry(name="未确认", status="processed", code="99", action="未确认完成")
    make_entry(name="在校", status="processed", code="B2", action="实际就读")
    make_entry(name="外县", region="411330")
    out = tmp_path / "s.xlsx"
    assert export_summary(registrar, out, today=date(2026, 11, 29)).rows == 3
    ws = openpyxl.load_workbook(out).active
    assert ws["A2"].value == "2026年秋学段疑似辍学学生信息汇总表"
    assert "（盖章）" in ws["A3"].value and ws["I3"].value == "时间：2026年11月29日"
    assert tuple(c.value for c in ws[4]) == HEADERS
    assert [ws.cell(r, 2).value for r in (5, 6, 7)] == ["待查", "劝返中", "未确认"]
    first = [c.value for c in ws[5]]
    assert first[:4] == [1, "待查", "男", "汉族"] and first[5] == "2019级3班"
    assert first[10] == "王大 411328198001010011" and first[11] == "13812345678"
    assert ws.cell(8, 1).value.startswith("填报说明：1、疑似辍学学生信息应和全国学籍系统")


def test_summary_is_print_ready(tmp_path, registrar, make_entry):
    make_entry(name="=cmd|' /C calc'!A0")
    out = tmp_path / "s.xlsx"
    export_summary(registrar, out)
    ws = openpyxl.load_workbook(out).active
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    # One page wide; an absent fitToWidth is 1 (the OOXML default, which xlsxwriter leaves out).
    assert ws.sheet_properties.pageSetUpPr.fitToPage and (ws.page_setup.fitToWidth or 1) == 1
    assert ws.page_setup.fitToHeight == 0  # as many pages tall as the rows need
    assert ws.print_title_rows == "$4:$4"
    assert ws["B5"].border.left.style == "thin"
    assert (ws["B5"].data_type, ws["B5"].value) == ("s", "=cmd|' /C calc'!A0")
    assert ws["B5"].quotePrefix  # and stays text when someone edits the cell in Excel or WPS


def test_a_province_summary_reads_every_county_in_order_page_by_page(tmp_path, admin, make_entry, monkeypatch):
    henan = accounts.add(admin, "henan", "河南省教育厅", "province", "410000")
    monkeypatch.setattr(summary, "PAGE", 2)  # page ends fall inside a county, between two, on a tie
    for region, seq, name in [("411330", 1, "桐柏甲"), ("411328", 2, "唐河乙"), ("411328", 1, "唐河甲"),
                              ("411330", 1, "桐柏乙"), ("411328", 3, "唐河丙"), ("420102", 1, "湖北"),
                              ("411381", 4, "邓州甲"), ("411381", 5, "邓州乙")]:
        e = make_entry(region=region, seq=seq, name=name)
        Guardian.create(entry=e, ordinal=2, name=f"{name}母", id_number="", phone="15038765432")
        Guardian.create(entry=e, ordinal=1, name=f"{name}父", id_number="", phone="")
    out = tmp_path / "s.xlsx"
    assert export_summary(henan, out, today=date(2026, 11, 29)).rows == 7
    ws = openpyxl.load_workbook(out).active
    rows = [[c.value for c in ws[r]] for r in range(5, 12)]
    assert [r[1] for r in rows] == ["唐河甲", "唐河乙", "唐河丙", "桐柏甲", "桐柏乙", "邓州甲", "邓州乙"]
    assert [r[0] for r in rows] == [1, 2, 3, 4, 5, 6, 7]
    assert all(r[10] == f"{r[1]}父\n{r[1]}母" and r[11] == "15038765432" for r in rows)
    assert ws.cell(12, 1).value.startswith("填报说明")


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_a_province_summary_page_is_an_index_range_scan_not_a_sort(admin):
    henan = accounts.add(admin, "henan", "河南省教育厅", "province", "410000")

    def plan(after):
        extra = rows_after(REGION_ORDER, after)[0] if len(after or ()) == 3 else \
            (Entry.region > after[0] if after else None)
        sql, params = page_query(narrowed_scope(henan, None), extra).sql()
        return " | ".join(row[-1] for row in db.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall())

    for after in (None, ("411328",)):
        assert "USING INDEX entry_region_seq_id (region>? AND region<?)" in plan(after) and "TEMP" not in plan(after)
    # Inside a county the page starts at the last row, not at the county's first.
    assert "USING INDEX entry_region_seq_id (region=? AND seq>?)" in plan(("411328", 120, 7))
    assert "TEMP" not in plan(("411328", 120, 7))


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # a layout test: one engine is enough
def test_summary_prints_on_a4_landscape_with_no_text_over_another(tmp_path, registrar, make_entry):
    for n in range(40):
        e = make_entry(name=f"学生{n}", sex="女", ethnicity="汉族", prov_school="唐河县源潭镇第一初级中学",
                       grade_class="2019级3班", residence=f"河南省南阳市唐河县源潭镇东王庄村{n}组{n}号",
                       hukou="河南省南阳市唐河县源潭镇东王庄村3组", disability="肢体残疾（二级）" if n % 3 else "",
                       dropout_reason="随父母外出务工，长期无人照管，厌学" if n % 2 else "厌学")
        Guardian.create(entry=e, ordinal=1, name="王大明", id_number="411328198001010011", phone="13812345678")
        if n % 2:
            Guardian.create(entry=e, ordinal=2, name="李秀英", id_number="41132819820202002X", phone="15038765432")
    out = tmp_path / "附件1.xlsx"
    export_summary(registrar, out, today=date(2026, 11, 29))
    pages = printed(out, landscape=True)
    assert len(pages) >= 2
    for page in pages:
        assert "疑似（辍学）原因" in page.text  # the header row is printed on every page
    text = "".join(p.text for p in pages)
    for n in range(40):
        assert f"河南省南阳市唐河县源潭镇东王庄村{n}组{n}号" in text
    assert text.count("41132819820202002X") == 20 and text.count("15038765432") == 20
    assert "学生户口所在地要具体到" in pages[-1].text
