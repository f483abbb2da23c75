"""三统一 on a generated poverty list and a school roster (openpyxl-written, both engines):
every kind of finding, tagging (audited, scoped, one transaction), bad files, the CLI and its workbook."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest
from stdnum.cn import ric

from kongcuo_tui.cli import main
from kongcuo_tui.db.connection import open_database
from kongcuo_tui.db.models import AuditLog, Entry
from kongcuo_tui.domain.reconcile import Finding
from kongcuo_tui.imports.reconcile import reconcile
from kongcuo_tui.services import accounts
from kongcuo_tui.services.errors import PermissionDenied, ServiceError
from support import TODAY


def valid(body17: str) -> str:
    return body17 + ric.calc_check_digit(body17 + "0")


KEPT = valid("41132820130501012")  # on the list and in the ledger, all agrees
RENAMED = valid("41132820120304031")  # in both, names differ
REBORN = valid("41132820110708053")  # in both, birth dates differ
NEW_CHILD = valid("41132820140909064")  # on the list only, of compulsory age
ADULT = valid("41132819800101071")  # on the list only, a parent
TAGGED_ONLY = valid("41132820100202082")  # tagged 建档立卡 in the ledger, not on the list
BAD_ID = KEPT[:17] + ("0" if KEPT[17] != "0" else "1")


def write_list(path, rows, header=("序号", "户主姓名", "姓名", "身份证号", "出生日期")):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["唐河县脱贫户家庭成员名单"])
    ws.append(list(header))
    for r in rows:
        ws.append(list(r))
    for row in ws.iter_rows():
        for c in row:
            if isinstance(c.value, str) and c.value.startswith("="):
                c.data_type = "s"  # as a registrar's text, not a formula
    wb.save(path)
    return path


@pytest.fixture
def poverty(tmp_path, make_entry):
    ids = {
        "kept": make_entry(name="王丽", birth_date=date(2013, 5, 1), id_number=KEPT),
        "renamed": make_entry(name="张伟", birth_date=date(2012, 3, 4), id_number=RENAMED, watch_groups="留守"),
        "reborn": make_entry(name="刘洋", birth_date=date(2011, 7, 8), id_number=REBORN),
        "tagged_only": make_entry(name="陈静", birth_date=date(2010, 2, 2), id_number=TAGGED_ONLY,
                                  watch_groups="留守,建档立卡"),
        "other_county": make_entry(name="李明", region="411330", birth_date=date(2012, 1, 1),
                                   id_number=valid("41133020120101093"), watch_groups="建档立卡"),
    }
    path = write_list(tmp_path / "脱贫户名单.xlsx", [
        (1, "王大山", "王丽", KEPT, "2013-05-01"),
        (2, "张大海", "张卫", RENAMED, "2012-03-04"),
        (3, "刘大河", "刘洋", REBORN, "2011-07-09"),
        (4, "赵大地", "=HYPERLINK(\"http://x\")", NEW_CHILD, None),
        (5, "赵大地", "赵大地", ADULT, "1980-01-01"),
        (6, "孙大江", "孙小江", BAD_ID, "2013-05-01"),
        (7, "孙大江", "孙小河", "", "2014-01-01"),
    ])
    return ids, path


def test_a_poverty_list_finds_each_kind_of_difference(poverty, registrar):
    ids, path = poverty
    report = reconcile(registrar, path, "poverty", today=TODAY)
    assert report.list_rows == 7 and report.adults == 1
    assert [i.listed.id_number for i in report.of(Finding.NOT_IN_LEDGER)] == [NEW_CHILD]
    assert [i.ledger.id for i in report.of(Finding.NOT_ON_LIST)] == [ids["tagged_only"]]  # not another county's
    differs = {i.ledger.id: i.note for i in report.of(Finding.DIFFERS)}
    assert set(differs) == {ids["renamed"], ids["reborn"]}
    assert "张卫" in differs[ids["renamed"]] and "2011-07-09" in differs[ids["reborn"]]
    unreadable = {i.listed.row: i.note for i in report.of(Finding.UNREADABLE)}
    assert set(unreadable) == {5, 8, 9} and "校验位" in unreadable[8] and "证件号码为空" in unreadable[9]
    assert "不一致" in unreadable[5]  # the list's own ID and 出生日期 disagree
    assert report.matched == 3 and report.tagged is None
    assert Entry.select().where(Entry.watch_groups.contains("建档立卡")).count() == 2  # nothing written


def test_tag_marks_matching_rows_audited_once_and_only_in_scope(poverty, registrar, admin):
    ids, path = poverty
    report = reconcile(registrar, path, "poverty", tag=True, today=TODAY)
    assert sorted(report.tagged.tagged) == sorted([ids["kept"], ids["renamed"], ids["reborn"]])
    renamed = Entry.get_by_id(ids["renamed"])
    assert (renamed.watch_groups, renamed.version) == ("留守,建档立卡", 2)
    audits = list(AuditLog.select().where(AuditLog.verb == "reconcile_tag"))
    assert len(audits) == 3 and "脱贫户名单.xlsx" in audits[0].detail
    again = reconcile(registrar, path, "poverty", tag=True, today=TODAY)
    assert again.tagged.tagged == [] and again.tagged.already == 3
    city = accounts.add(admin, "nanyang", "南阳市", "city", "411300")
    with pytest.raises(PermissionDenied, match="只能查看和导出"):
        reconcile(city, path, "poverty", tag=True, today=TODAY)
    assert Entry.get_by_id(ids["kept"]).version == 2


def test_a_school_roster_lists_pending_rows_that_are_on_it(tmp_path, make_entry, registrar):
    pending = make_entry(name="王丽", birth_date=date(2013, 5, 1), id_number=KEPT)
    make_entry(name="张伟", birth_date=date(2012, 3, 4), id_number=RENAMED, status="processed", code="B2")
    path = write_list(tmp_path / "在校生.xlsx", [(1, "", "王丽", KEPT, "2013-05-01"), (2, "", "张伟", RENAMED, "2012-03-04"),
                                                (3, "", "赵敏", NEW_CHILD, "2014-09-09")],
                      header=("序号", "班级", "姓名", "证件号码", "出生日期"))
    report = reconcile(registrar, path, "roster", today=TODAY)
    assert [i.ledger.id for i in report.of(Finding.ON_ROSTER)] == [pending]
    assert report.of(Finding.NOT_IN_LEDGER) == [] and report.matched == 2
    with pytest.raises(ServiceError, match="不能使用 --tag"):
        reconcile(registrar, path, "roster", tag=True, today=TODAY)


def test_a_list_without_an_id_column_is_refused_in_chinese(tmp_path, registrar):
    path = write_list(tmp_path / "名单.xlsx", [("王", "王丽", "2013")], header=("户主", "成员", "年龄"))
    with pytest.raises(ServiceError, match="没有找到表头行"):
        reconcile(registrar, path, "poverty", today=TODAY)
    path = write_list(tmp_path / "名单2.xlsx", [(1, "王丽", "2013-05-01")], header=("序号", "姓名", "出生日期"))
    with pytest.raises(ServiceError, match="缺少必需的列 “证件号码”，已停止核对"):
        reconcile(registrar, path, "poverty", today=TODAY)


def kongcuo(capsys, *argv):
    rc = main(list(argv))
    out, err = capsys.readouterr()
    return rc, out, err


def test_cli_prints_the_findings_and_writes_a_text_safe_workbook(poverty, db_url, capsys, tmp_path):
    _, path = poverty
    assert kongcuo(capsys, "--db", db_url, "--login", "boss", "init")[0] == 0
    open_database(db_url)
    accounts.add(accounts.resolve("boss"), "tanghe2", "张丽", "county", "411328")
    out_path = tmp_path / "核对结果.xlsx"
    rc, out, err = kongcuo(capsys, "--db", db_url, "--login", "tanghe2", "reconcile", str(path), "--kind", "poverty",
                           "-o", str(out_path), "--tag")
    assert rc == 0, err
    assert "名单上有、台账中没有" in out and "台账标记为建档立卡、名单上没有" in out and "姓名或出生日期不一致" in out
    assert "已加上“建档立卡”：3 行" in out and "全部 7 条核对结果已写入" in out
    ws = openpyxl.load_workbook(out_path).active
    values = [[c.value for c in row] for row in ws.iter_rows(min_row=4)]
    assert len(values) == 7
    formula = next(c for row in ws.iter_rows(min_row=4) for c in row if str(c.value).startswith("=HYPERLINK"))
    assert formula.data_type == "s"
    assert AuditLog.select().where((AuditLog.verb == "export") & (AuditLog.target == "reconcile")).count() == 1
    rc, _, err = kongcuo(capsys, "--db", db_url, "--login", "tanghe2", "reconcile", str(tmp_path / "无.xlsx"),
                         "--kind", "poverty")
    assert rc == 2 and "找不到文件" in err
