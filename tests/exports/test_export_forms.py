"""登记表 / 劝返通知书 / 控辍保学的函: filled from a full case, print-ready (LibreOffice), one sheet each."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest

from form_cases import TODAY, full_case, school
from kongcuo_tui.db.models import AuditLog
from kongcuo_tui.domain.workdays import WorkCalendar
from kongcuo_tui.exports.forms import export_forms
from kongcuo_tui.exports.forms.common import sheet_names
from kongcuo_tui.services import accounts
from kongcuo_tui.services.errors import PermissionDenied
from print_check import printed

sqlite_only = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


def texts(ws) -> list[str]:
    return [str(c.value) for row in ws.iter_rows() for c in row if c.value not in (None, "")]


def cell_after(ws, label: str, offset: int = 1):
    for row in ws.iter_rows():
        for c in row:
            if c.value == label:
                target = ws.cell(c.row, c.column + offset)
                return target.value
    raise AssertionError(f"{label} not on the sheet")


@sqlite_only
def test_register_is_filled_from_the_case(tmp_path, registrar, make_entry):
    eid = full_case(registrar, make_entry, school().id)
    out = tmp_path / "r.xlsx"
    r = export_forms(registrar, "register", [eid], out, today=TODAY)
    assert (r.students, r.pages) == (1, (1,))
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["王小明"]
    ws = wb["王小明"]
    assert ws["A2"].value == "唐河县义务教育阶段辍学学生登记表"
    assert ws["A3"].value == "中心校、市直学校（盖章）：源潭镇第一初级中学" and ws["G3"].value == "时间：2026年9月22日"
    assert cell_after(ws, "姓名") == "王小明" and cell_after(ws, "性别") == "男"
    assert cell_after(ws, "身份证号码").startswith("411328") and cell_after(ws, "全国学籍号") == "G411328201103150011"
    assert cell_after(ws, "年龄") == "15" and cell_after(ws, "民族") == "汉族"
    assert cell_after(ws, "监护人1") == "王大军" and cell_after(ws, "监护人2") == "李秀英"
    assert cell_after(ws, "户籍所在地") == "江苏省徐州市云龙区大郭庄街道金山村3组12号"
    assert cell_after(ws, "学籍所在地") == "河南省南阳市唐河县源潭镇第一初级中学"
    assert cell_after(ws, "现居住地") == "河南省南阳市唐河县源潭镇东王庄村5组"
    assert cell_after(ws, "家庭情况简述").startswith("父母在外务工")
    assert cell_after(ws, "健康情况") == "健康" and cell_after(ws, "辍学原因") == "厌学，沉迷网络游戏"
    t = texts(ws)
    for k, label in enumerate(("第一次劝返", "第二次劝返", "第三次劝返")):
        assert label in t
    # Each attempt fills its role's row: time, role, method, process, signature, phone.
    rows = [[c.value for c in row] for row in ws.iter_rows(min_col=3, max_col=8)]
    assert ["2026-09-08 09:30", "班主任", "入户劝导"] == rows[[r[1] for r in rows].index("班主任")][:3]
    assert any(r[:2] == ["2026-09-10 11:30", "副校长"] and r[4] == "李老师3" and r[5] == "13900000002" for r in rows)
    assert [x for x in t if x.endswith("联合劝返")] == ["第一次联合劝返", "第二次联合劝返", "第三次联合劝返", "继续劝返"][:3]
    assert "公安" in t and "王股长、赵主任、孙警官" in t and "第3轮：联合劝返组入户，监护人同意配合，学生仍拒绝返校" in t
    assert any("2026年11月2日 办理休学，审批单位：县级人民政府" in x for x in t)
    assert "继续劝返工作情况" in t and "继续劝返，学生表示考虑" in t and "2026-11-16" in t
    assert cell_after(ws, "超龄销号时间", 2) == "2027年8月31日（满16周岁）"
    assert ws.page_setup.orientation == "portrait" and int(ws.page_setup.paperSize) == 9
    assert ws.print_title_rows == "$1:$3"
