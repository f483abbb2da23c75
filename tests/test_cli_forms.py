"""`kongcuo export forms` through the real entry point: the workbook, the outcome, bad ids and scope."""

from __future__ import annotations

import openpyxl
import pytest

from form_cases import full_case, school
from kongcuo_tui.cli import main
from kongcuo_tui.db.connection import open_database
from kongcuo_tui.db.models import AuditLog, Entry
from kongcuo_tui.services import accounts


def kongcuo(capsys, db_url, login, *argv):
    rc = main(["--db", db_url, "--login", login, *argv])
    out, err = capsys.readouterr()
    return rc, out, err


@pytest.fixture
def two_cases(registrar, make_entry):
    sid = school().id
    a = full_case(registrar, make_entry, sid, name="王小明")
    b = full_case(registrar, make_entry, sid, name="王小明", attempts=4, rounds=4)  # the same name twice
    return [Entry.get_by_id(i).id_number for i in (a, b)]


def test_register_for_two_ids_one_sheet_each(tmp_path, db_url, capsys, two_cases):
    out = tmp_path / "登记表.xlsx"
    rc, _, err = kongcuo(capsys, db_url, "tanghe", "export", "forms", "--kind", "register",
                         "--ids", ",".join(two_cases), "-o", str(out))
    assert rc == 0, err
    assert err.strip() == f"已导出辍学学生登记表 2 名学生（2 张工作表，共 3 页）到 {out}"
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["王小明", "王小明(2)"]
    assert [wb[n]["G4"].value for n in wb.sheetnames] == two_cases
    open_database(db_url)
    log = AuditLog.select().where(AuditLog.verb == "export").get()
    assert log.login.endswith("tanghe") and log.target == "forms:register" and '"rows": 2' in log.detail


@pytest.mark.parametrize("kind, label", [("notice", "劝返通知书"), ("letter", "控辍保学的函")])
def test_notice_and_letter_by_status(tmp_path, db_url, capsys, two_cases, kind, label):
    out = tmp_path / "o.xlsx"
    rc, _, err = kongcuo(capsys, db_url, "tanghe", "export", "forms", "--kind", kind, "--status", "processed",
                         "-o", str(out))
    assert rc == 0 and err.strip() == f"已导出{label} 2 名学生（2 张工作表，共 2 页）到 {out}"
    assert len(openpyxl.load_workbook(out).sheetnames) == 2


@pytest.mark.parametrize("ids, says", [
    ("411328201103159999", "证件号码 411328201103159999：该记录不存在或不在您的管辖范围内；未导出任何文件，请核对号码"),
    ("12345", "“12345”不是有效的证件号码（应为 18 位或 15 位）；未导出任何文件，请核对后重试"),
    (",", "没有给出证件号码；请用 --ids 号码1,号码2 列出要打印的学生"),
])
def test_bad_ids_are_one_line_and_write_nothing(tmp_path, db_url, capsys, two_cases, ids, says):
    out = tmp_path / "o.xlsx"
    rc, _, err = kongcuo(capsys, db_url, "tanghe", "export", "forms", "--kind", "notice",
                         "--ids", ids if ids == "," else f"{two_cases[0]},{ids}", "-o", str(out))
    assert (rc, err.strip()) == (2, f"kongcuo: {says}")
    assert list(tmp_path.iterdir()) == []


def test_a_missing_kind_is_told(tmp_path, db_url, capsys, two_cases):
    rc, _, err = kongcuo(capsys, db_url, "tanghe", "export", "forms", "--ids", two_cases[0], "-o",
                         str(tmp_path / "o.xlsx"))
    assert rc == 2 and "请用 --kind 指定要打印的表格" in err
    rc, _, err = kongcuo(capsys, db_url, "tanghe", "export", "ledger", "--ids", two_cases[0], "-o",
                         str(tmp_path / "o.xlsx"))
    assert rc == 2 and "--kind 和 --ids 只用于打印表格" in err
    assert list(tmp_path.iterdir()) == []


def test_other_schools_and_counties_are_refused(tmp_path, db_url, capsys, admin, two_cases):
    other = school(name="源潭镇第二初级中学")
    accounts.add(admin, "yt2", "源潭二中", "school", "411328", school=other.name)
    accounts.add(admin, "tongbai", "桐柏县", "county", "411330")
    out = tmp_path / "o.xlsx"
    for login in ("yt2", "tongbai"):
        rc, _, err = kongcuo(capsys, db_url, login, "export", "forms", "--kind", "register", "--ids", two_cases[0],
                             "-o", str(out))
        assert (rc, err.strip()) == (2, f"kongcuo: 证件号码 {two_cases[0]}：该记录不存在或不在您的管辖范围内；"
                                        "未导出任何文件，请核对号码")
    assert list(tmp_path.iterdir()) == []
    open_database(db_url)
    assert AuditLog.select().where(AuditLog.verb == "export").count() == 0
    assert AuditLog.select().where(AuditLog.verb == "denied").count() == 2


def test_the_school_itself_prints_its_own_student(tmp_path, db_url, capsys, admin, registrar, make_entry):
    own = school(name="源潭镇第三初级中学")
    accounts.add(admin, "yt3", "源潭三中", "school", "411328", school=own.name)
    eid = full_case(registrar, make_entry, own.id, name="赵六", letter=False)
    out = tmp_path / "o.xlsx"
    rc, _, err = kongcuo(capsys, db_url, "yt3", "export", "forms", "--kind", "notice", "--ids",
                         Entry.get_by_id(eid).id_number, "-o", str(out))
    assert rc == 0, err
    ws = openpyxl.load_workbook(out)["赵六"]
    assert any(c.value == "发送单位（盖章）：源潭镇第三初级中学" for row in ws.iter_rows() for c in row)
