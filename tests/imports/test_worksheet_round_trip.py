"""Worksheets out, verified results in: export → fill with openpyxl (or LibreOffice) → import."""

from __future__ import annotations

import json
from datetime import date, datetime

import openpyxl
import pytest
from stdnum.cn import ric

from kongcuo_tui.cli import main
from kongcuo_tui.db.models import AuditLog, Entry, EvidenceItem, History, IdVerificationRecord, School
from kongcuo_tui.domain.codes import CODE_LIST, Action
from kongcuo_tui.domain.rules import Classification
from kongcuo_tui.exports.worksheet import export_worksheet
from kongcuo_tui.exports.worksheet_layout import HEADERS, INSTRUCTIONS_SHEET, KEY_HEADER
from kongcuo_tui.imports.results import import_results
from kongcuo_tui.services import classify
from print_check import convert

TODAY = date(2026, 11, 29)
PROOF = date(2026, 11, 20)


def _id(n: int, birth=date(2013, 5, 1)) -> str:
    body = f"411328{birth:%Y%m%d}{n:03d}"
    return body + ric.calc_check_digit(body + "0")


@pytest.fixture
def ledger(registrar, make_entry):
    """Two schools, three pupils each; 王五's ID has a wrong check character."""
    a = School.create(name="源潭镇中心小学", county="411328").id
    b = School.create(name="城郊乡第二小学", county="411328").id
    rows = {}
    for n, (name, school) in enumerate((("张三", a), ("李四", a), ("王五", a), ("赵六", b), ("钱七", b),
                                        ("孙八", b)), 1):
        ident = _id(n)
        if name == "王五":
            ident = ident[:17] + ("0" if ident[17] != "0" else "1")
        rows[name] = make_entry(name=name, school=school, id_number=ident, id_ok=name != "王五",
                                id_issue="" if name != "王五" else "校验位错误")
    return rows


def _export(actor, tmp_path, **kw):
    out = tmp_path / "ws.xlsx"
    export_worksheet(actor, out, today=TODAY, **kw)
    return out


def _fill(path, values: dict[str, dict[str, object]], clear_key: set[str] = frozenset()):
    """Fill the rows of the named pupils: name → {header: value}; returns the Excel row numbers."""
    wb = openpyxl.load_workbook(path)
    at = {}
    for ws in wb.worksheets[1:]:
        col = {c.value: c.column for c in ws[2]}
        for row in ws.iter_rows(min_row=3):
            name = row[col["姓名"] - 1].value
            if name in values:
                at[name] = (ws.title, row[0].row)
                for header, v in values[name].items():
                    ws.cell(row[0].row, col[header], v)
            if name in clear_key:
                ws.cell(row[0].row, col[KEY_HEADER], None)
    wb.save(path)
    return at


B2 = {"核查结果": "B2 在校有学籍", "就读省县": "河南省南阳市唐河县", "就读学校": "源潭镇中心小学",
      "证明材料": "学校盖章学籍卡", "证明人": "王老师", "证明日期": datetime(2026, 11, 20), "处理说明": "已在本校就读"}
UNCONFIRMED = {"核查结果": "99", "证明人": "李老师", "证明日期": "2026-11-21", "处理说明": "正在联系监护人核实"}


def test_one_sheet_per_school_with_drop_down_protection_hidden_key_and_instructions(db_url, registrar, ledger,
                                                                                    tmp_path):
    wb = openpyxl.load_workbook(_export(registrar, tmp_path))
    assert wb.sheetnames == [INSTRUCTIONS_SHEET, "城郊乡第二小学", "源潭镇中心小学"]
    ws = wb["源潭镇中心小学"]
    assert [c.value for c in ws[2]] == list(HEADERS)
    assert [ws.cell(r, 2).value for r in (3, 4, 5)] == ["张三", "李四", "王五"]
    assert ws.protection.sheet and not ws.protection.password
    result = HEADERS.index("核查结果") + 1
    assert not ws.cell(3, result).protection.locked and ws.cell(3, 2).protection.locked
    dv = ws.data_validations.dataValidation[0]
    assert dv.type == "list" and "B2 在校有学籍" in dv.formula1 and "J3:J5" in str(dv.sqref)
    key = openpyxl.utils.get_column_letter(HEADERS.index(KEY_HEADER) + 1)
    assert ws.column_dimensions[key].hidden and ws[f"{key}3"].value == f"K{ledger['张三']}-1"
    assert "校验位错误" in ws.cell(5, HEADERS.index("证件号码核验") + 1).value
    text = "\n".join(str(c.value) for row in wb[INSTRUCTIONS_SHEET].iter_rows() for c in row if c.value)
    for code in CODE_LIST:
        assert code.label.split()[1] in text
    assert "辖区派出所证明；村（居）委会证明" in text and "家长签字证明材料；转学联系函/控辍保学的函" in text


def test_filled_rows_are_applied_as_classifications_and_a_second_import_changes_nothing(db_url, registrar, ledger,
                                                                                      tmp_path):
    path = _export(registrar, tmp_path)
    _fill(path, {"张三": B2, "赵六": UNCONFIRMED,
                 "王五": {**UNCONFIRMED, "核实证件号码": _id(3)}})
    r = import_results(registrar, path, today=TODAY)
    assert (r.filled, r.classified, r.verified, r.unchanged, r.rejected, r.conflicts) == (3, 3, 1, 0, [], [])
    assert r.blank == 3  # 李四, 钱七, 孙八: nothing filled, skipped silently
    e = Entry.get_by_id(ledger["张三"])
    assert (e.code, e.proof_person, e.proof_date, e.study_region, e.study_school, e.handled_by) == (
        "B2", "王老师", PROOF, "411328", "源潭镇中心小学", "tanghe")
    assert History.get(History.entry == e.id).proof_person == "王老师"
    assert EvidenceItem.get(EvidenceItem.entry == e.id).kind == "registry_card"
    w = Entry.get_by_id(ledger["王五"])
    assert (w.code, w.verified_id, w.id_ok, w.version) == ("99", _id(3), False, 3)
    assert w.id_number != _id(3)  # the upstream number is kept
    assert IdVerificationRecord.get().proof_person == "李老师"
    assert AuditLog.select().where(AuditLog.verb == "classify").count() == 3
    assert Entry.get_by_id(ledger["李四"]).status == "pending"
    again = import_results(registrar, path, today=TODAY)
    assert (again.classified, again.verified, again.unchanged, again.conflicts, again.rejected) == (0, 0, 3, [], [])
    assert History.select().count() == 3 and Entry.get_by_id(ledger["王五"]).version == 3


def test_a_row_changed_in_the_ledger_since_the_export_is_a_conflict_never_overwritten(db_url, registrar, ledger,
                                                                                      tmp_path):
    path = _export(registrar, tmp_path)
    at = _fill(path, {"张三": B2, "赵六": UNCONFIRMED})
    classify.classify(registrar, {ledger["张三"]: 1}, Classification(
        Action.UNCONFIRMED, "99", "张丽", PROOF, "县里正在核查"), today=TODAY)
    r = import_results(registrar, path, today=TODAY)
    assert [(c.sheet, c.row, c.name) for c in r.conflicts] == [(*at["张三"], "张三")]
    assert "tanghe" in r.conflicts[0].reason and r.classified == 1
    assert Entry.get_by_id(ledger["张三"]).code == "99"


def test_each_problem_is_reported_with_its_excel_row_and_column_and_the_rest_goes_in(db_url, registrar, ledger,
                                                                                      tmp_path):
    path = _export(registrar, tmp_path)
    at = _fill(path, {
        "张三": {**B2, "证明材料": ""},  # B2 without its registry card
        "李四": {**UNCONFIRMED, "证明日期": "2027-01-05"},  # a future date
        "王五": {**UNCONFIRMED, "核实证件号码": _id(3)[:17] + "9" if _id(3)[17] != "9" else "8"},
        "赵六": {"核查结果": "Z9", "证明人": "x", "证明日期": PROOF, "处理说明": "x"},
        "钱七": {"证明人": "只写了证明人"},
        "孙八": UNCONFIRMED,
    })
    r = import_results(registrar, path, today=TODAY)
    got = {(i.name, i.column): (i.sheet, i.row) for i in r.rejected}
    assert got == {("张三", "证明材料"): at["张三"], ("李四", "证明日期"): at["李四"],
                   ("王五", "核实证件号码"): at["王五"], ("赵六", "核查结果"): at["赵六"],
                   ("钱七", "核查结果"): at["钱七"]}
    assert all(i.reason and i.fix for i in r.rejected)
    assert r.classified == 1 and Entry.get_by_id(ledger["孙八"]).code == "99"
    # 王五's row goes in whole or not at all: its valid 99 was not applied without the ID.
    assert Entry.get_by_id(ledger["王五"]).status == "pending"


def test_rows_match_by_key_after_re_sorting_and_by_id_without_a_key(db_url, registrar, ledger, tmp_path):
    path = _export(registrar, tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb["源潭镇中心小学"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=3)]
    for i, values in enumerate(reversed(rows), 3):  # sorted the other way round
        for c, v in enumerate(values, 1):
            ws.cell(i, c, v)
    wb.save(path)
    _fill(path, {"张三": B2, "赵六": UNCONFIRMED}, clear_key={"赵六"})
    r = import_results(registrar, path, today=TODAY)
    assert (r.classified, r.rejected) == (2, [])
    assert Entry.get_by_id(ledger["张三"]).code == "B2" and Entry.get_by_id(ledger["赵六"]).code == "99"


def test_the_worksheet_survives_a_libreoffice_round_trip(db_url, registrar, ledger, tmp_path):
    path = _export(registrar, tmp_path)
    _fill(path, {"张三": B2})
    saved = convert(path, "xlsx:Calc MS Excel 2007 XML", outdir=tmp_path / "lo")
    wb = openpyxl.load_workbook(saved)
    ws = wb["源潭镇中心小学"]
    assert ws.protection.sheet
    dv = ws.data_validations.dataValidation
    assert dv and dv[0].type == "list" and "B2 在校有学籍" in dv[0].formula1
    # LibreOffice keeps the open style on the column (blank cells get no record of their own).
    assert not ws.cell(3, HEADERS.index("核查结果") + 1).protection.locked and ws.cell(3, 2).protection.locked
    key = openpyxl.utils.get_column_letter(HEADERS.index(KEY_HEADER) + 1)
    assert ws.column_dimensions[key].hidden
    r = import_results(registrar, saved, today=TODAY)
    assert (r.classified, r.rejected) == (1, [])
    assert Entry.get_by_id(ledger["张三"]).code == "B2"


def test_cli_exports_a_worksheet_and_imports_results_with_json_and_errors(db_url, registrar, ledger, tmp_path,
                                                                          capsys, monkeypatch):
    monkeypatch.setenv("KONGCUO_DB", db_url)
    monkeypatch.setattr("kongcuo_tui.config.current_login", lambda: "tanghe")
    out = tmp_path / "ws.xlsx"
    assert main(["export", "worksheet", "--school", "源潭镇中心小学", "-o", str(out)]) == 0
    assert openpyxl.load_workbook(out).sheetnames == [INSTRUCTIONS_SHEET, "源潭镇中心小学"]
    _fill(out, {"张三": B2, "李四": {**B2, "核查结果": "B4 省外就读无学籍"}})
    assert main(["import", "results", str(out), "--dry-run"]) == 1
    assert Entry.get_by_id(ledger["张三"]).status == "pending"
    capsys.readouterr()
    errors = tmp_path / "err.xlsx"
    assert main(["import", "results", str(out), "--json", "--errors", str(errors)]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["classified"] == 1 and {i["column"] for i in report["rejected"]} >= {"就读省县"}
    sheet = openpyxl.load_workbook(errors).active
    assert [c.value for c in sheet[1]][:4] == ["工作表", "行号", "姓名", "列"]
    assert sheet.cell(2, 3).value == "李四" and sheet.cell(2, 2).value == 4


def test_cells_never_become_formulas_and_control_characters_are_dropped(db_url, registrar, make_entry, tmp_path):
    school = School.create(name="源潭镇中心小学", county="411328").id
    eid = make_entry(name="=HYPERLINK(1)", school=school, address="+86 3组")
    path = _export(registrar, tmp_path)
    ws = openpyxl.load_workbook(path)["源潭镇中心小学"]
    assert (ws["B3"].value, ws["B3"].data_type) == ("=HYPERLINK(1)", "s")
    assert ws["G3"].data_type == "s"
    _fill(path, {"=HYPERLINK(1)": {**UNCONFIRMED, "处理说明": "正在核实_x001B_]0;标题_x0007_监护人\u202e情况"}})  # OOXML's ESC … BEL
    r = import_results(registrar, path, today=TODAY)
    assert r.classified == 1
    assert Entry.get_by_id(eid).notes == "正在核实监护人情况"


def test_read_only_accounts_cannot_import_results(db_url, admin, registrar, ledger, tmp_path):
    from kongcuo_tui.services import accounts
    from kongcuo_tui.services.errors import PermissionDenied

    path = _export(registrar, tmp_path)
    _fill(path, {"张三": UNCONFIRMED})
    city = accounts.add(admin, "nanyang", "市局", "city", "411300")
    with pytest.raises(PermissionDenied):
        import_results(city, path, today=TODAY)
    assert Entry.get_by_id(ledger["张三"]).status == "pending"
    assert AuditLog.get(AuditLog.verb == "denied").login == "nanyang"


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # a layout test: one engine is enough
def test_the_worksheet_prints_a4_landscape_with_no_words_over_each_other(registrar, ledger, tmp_path):
    from print_check import printed

    pages = printed(_export(registrar, tmp_path), landscape=True)
    text = "".join(p.text for p in pages)
    assert "填表说明" in text and "县残疾人教育专家委员会认定证明" in text
    for school in ("源潭镇中心小学", "城郊乡第二小学"):
        page = next(p for p in pages if school in p.text and "证件号码核验" in p.text)
        assert "序号" in page.text and "核实证件号码" in page.text  # one page wide
