"""附件1 疑似辍学学生信息汇总表: the seed's layout, print-ready, the right rows."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest

from kongcuo_tui.db.models import Guardian
from kongcuo_tui.exports.summary import HEADERS, export_summary
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
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows == "$4:$4"
    assert ws["B5"].border.left.style == "thin"
    assert (ws["B5"].data_type, ws["B5"].value) == ("s", "=cmd|' /C calc'!A0")


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
