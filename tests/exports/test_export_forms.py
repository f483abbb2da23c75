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
from kongcuo_tui.services.errors import PermissionDenied
from print_check import printed

sqlite_only = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # the service read: tests/services


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


@sqlite_only
def test_more_rounds_continue_on_a_second_page_under_the_same_heading(tmp_path, registrar, make_entry):
    sid = school().id
    short = full_case(registrar, make_entry, sid, name="王小明")
    long = full_case(registrar, make_entry, sid, name="李四", attempts=5, rounds=5, continued=4)
    out = tmp_path / "r.xlsx"
    r = export_forms(registrar, "register", [short, long], out, today=TODAY)
    assert r.pages == (1, 2)
    ws = openpyxl.load_workbook(out)["李四"]
    t = texts(ws)
    assert "第五次劝返" in t and "第五次联合劝返" in t and t.count("继续劝返，学生表示考虑") == 4
    assert len(ws.row_breaks.brk) == 1 and ws.print_title_rows == "$1:$3"
    pages = printed(out, landscape=False)
    assert len(pages) == 3  # 王小明 on one page, 李四 on two
    for page in pages:
        assert "唐河县义务教育阶段辍学学生登记表" in page.text and "中心校、市直学校（盖章）" in page.text
    assert "学生：王小明" in pages[0].text and all("学生：李四" in p.text for p in pages[1:])
    starts = [{w.text[:2] for w in p.words} for p in pages]  # column A's labels wrap a few characters a line
    assert "基本" in starts[1] and "基本" not in starts[2]
    assert "超龄销号时间" in pages[2].text


@sqlite_only
def test_notice_is_filled_and_prints_two_copies_on_one_page(tmp_path, registrar, make_entry):
    eid = full_case(registrar, make_entry, school().id)
    out = tmp_path / "n.xlsx"
    # 2026-09-23 + 5 working days: 24th, 28th–30th, then the National Day week; the county
    # has also declared the 8th a holiday, so the 9th.
    calendar = WorkCalendar(extra_holidays=[date(2026, 10, 8)])
    r = export_forms(registrar, "notice", [eid], out, today=TODAY, calendar=calendar)
    assert r.pages == (1,)
    ws = openpyxl.load_workbook(out)["王小明"]
    t = texts(ws)
    assert t.count("辍学（疑似辍学）学生劝返通知书") == 2 and t.count("王大军、李秀英：") == 2
    body = [x for x in t if x.startswith("　　你们的被监护人")]
    assert len(body) == 2 and body[0] == body[1]
    assert body[0].startswith("　　你们的被监护人王小明于2026年9月7日疑似辍学，按照《中华人民共和国义务教育法》第五条、十一条")
    assert body[0].endswith("请你们在接到劝学通知书5日内（5个工作日，即2026年10月9日前），送被监护人复学。")
    assert t.count("发送单位（盖章）：河南省南阳市唐河县教育局") == 2 and t.count("2026年9月23日") == 2
    assert t.count("监护人签名：") == 2 and ["第一联：学校存根", "第二联：监护人收执"] == [x for x in t if "联：" in x]
    assert any("沿此线剪开" in x for x in t)
    [page] = printed(out, landscape=False)
    assert page.text.count("辍学（疑似辍学）学生劝返通知书") == 2
    cut = next(w for w in page.words if "沿此线剪开" in w.text)
    titles = [w for w in page.words if "劝返通知书" in w.text]
    assert titles[0].y0 < cut.y0 < titles[1].y0 and 300 < cut.y0 < 540  # near the middle of the page


@sqlite_only
def test_letter_goes_to_the_recorded_bureau_with_every_fact(tmp_path, registrar, make_entry):
    eid = full_case(registrar, make_entry, school().id)
    out = tmp_path / "l.xlsx"
    r = export_forms(registrar, "letter", [eid], out, today=TODAY)
    assert r.pages == (1,)
    t = texts(openpyxl.load_workbook(out)["王小明"])
    assert t[0] == "关于学生王小明控辍保学的函" and "江苏省徐州市云龙区教育局：" in t
    first, second, third = [x for x in t if x.startswith("　　") and len(x) > 20]
    assert first == ("　　经全国学籍系统查询，贵区户籍学生王小明，学籍注册在河南省南阳市唐河县源潭镇第一初级中学2023级2班，"
                     "从2026年9月至2026年11月，未到校就读，处于疑似辍学状态。")
    assert "该生户口在江苏省徐州市云龙区大郭庄街道金山村3组12号，身份证号：411328" in second
    assert "学籍号：G411328201103150011。" in second
    assert "学生监护人（父亲）姓名：王大军，身份证号：320303198001010011，联系电话：13812345678" in second
    assert "学生监护人（母亲）姓名：李秀英，身份证号：320303198203020022，联系电话：15038765432" in second
    assert "或在江苏省建系统重新注册学籍" in third and "跨省学籍接续手续" in third and "依法做好王小明控辍保学工作" in third
    assert "河南省南阳市唐河县教育局（盖章）" in t and "2026年11月20日" in t
    [page] = printed(out, landscape=False)
    assert "关于学生王小明控辍保学的函" in page.text


@sqlite_only
def test_letter_without_a_record_goes_to_the_hukou_county_or_leaves_a_line(tmp_path, registrar, make_entry):
    sid = school().id
    known = full_case(registrar, make_entry, sid, name="甲", letter=False, hukou="河南省南阳市桐柏县城关镇")
    unknown = full_case(registrar, make_entry, sid, name="乙", letter=False, hukou="本地")
    out = tmp_path / "l.xlsx"
    export_forms(registrar, "letter", [known, unknown], out, today=TODAY)
    wb = openpyxl.load_workbook(out)
    a, b = texts(wb["甲"]), texts(wb["乙"])
    assert "河南省南阳市桐柏县教育局：" in a and any("贵县户籍学生甲" in x for x in a)
    assert not any("跨省" in x for x in a) and any("或在当地建系统" in x for x in a)
    assert "________________________教育局：" in b and any("贵地户籍学生乙" in x for x in b)
    assert "2026年11月30日" in a  # no letter recorded: dated the day it is printed


@sqlite_only
def test_register_prints_on_one_a4_portrait_page(tmp_path, registrar, make_entry):
    eid = full_case(registrar, make_entry, school().id, name="=HYPERLINK(\"x\")")
    out = tmp_path / "r.xlsx"
    export_forms(registrar, "register", [eid], out, today=TODAY)
    ws = openpyxl.load_workbook(out).active
    assert ws.title == '=HYPERLINK("x")'
    assert any(c.data_type == "s" and c.value == "=HYPERLINK(\"x\")" for row in ws.iter_rows() for c in row)
    [page] = printed(out, landscape=False)
    for words in ("第三次劝返", "第三次联合劝返", "继续劝返工作情况", "超龄销号时间", "2027年8月31日（满16周岁）"):
        assert words in page.text


def test_sheet_names_are_legal_unique_and_short():
    names = sheet_names(["王小明", "王小明", "a/b:c*d?[e]\\f", "长" * 40, "长" * 40, "", "ABC", "abc"])
    assert names == ["王小明", "王小明(2)", "a_b_c_d__e__f", "长" * 31, "长" * 28 + "(2)", "学生", "ABC", "abc(2)"]


@sqlite_only
def test_out_of_scope_rows_refuse_the_whole_batch(tmp_path, registrar, make_entry):
    mine = full_case(registrar, make_entry, school().id)
    theirs = make_entry(region="411330", name="桐柏")
    out = tmp_path / "r.xlsx"
    with pytest.raises(PermissionDenied, match="该记录不存在或不在您的管辖范围内"):
        export_forms(registrar, "register", [mine, theirs], out, today=TODAY)
    assert not out.exists() and list(tmp_path.iterdir()) == []
    assert AuditLog.select().where(AuditLog.verb == "denied").count() == 1
