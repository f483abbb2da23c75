"""附件1 疑似辍学学生信息汇总表: the seed's layout, print-ready, the right rows."""

from __future__ import annotations

from datetime import date

import openpyxl

from kongcuo_tui.db.models import Guardian
from kongcuo_tui.exports.summary import HEADERS, export_summary


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
