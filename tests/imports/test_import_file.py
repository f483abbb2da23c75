"""Whole-file behaviour: headers, formats, idempotence, updates, all-or-nothing, scope, CLI."""

from __future__ import annotations

import json
from datetime import date

import openpyxl
import pytest

from kongcuo_tui.cli import main
from kongcuo_tui.db.models import AuditLog, Entry, ImportBatch
from kongcuo_tui.imports import upstream
from kongcuo_tui.imports.upstream import import_file
from kongcuo_tui.services import accounts
from kongcuo_tui.services.errors import PermissionDenied, ServiceError
from imports.upstream_xlsx import HEADERS, valid_row, write_ods, write_xlsx
from print_check import convert, printed

TODAY = date(2026, 11, 29)


def _import(registrar, path, **kw):
    return import_file(registrar, path, today=TODAY, **kw)


def test_header_found_under_title_rows_with_sloppy_names(tmp_path, registrar):
    sloppy = [f" {h[0]}　{h[1:]}：" if i % 2 else h for i, h in enumerate(HEADERS)]
    path = write_xlsx(tmp_path / "t.xlsx", [valid_row(1), valid_row(2)], headers=sloppy,
                      above=[["唐河县控辍保学工作台账"], ["导出时间：2026-11-01 09:30"], []])
    wb = openpyxl.load_workbook(path)
    wb.active.merge_cells("A1:K1")
    wb.save(path)
    report = _import(registrar, path)
    assert (report.inserted, report.rejected) == (2, [])
    assert Entry.select().count() == 2


def test_columns_in_any_order_and_row_numbers_follow_the_sheet(tmp_path, registrar):
    order = [3, 1, 0, 2, 10, 9, 8, 7, 6, 5, 4]
    rows = [valid_row(1), valid_row(2), valid_row(3)]
    rows[2][1] = ""
    path = write_xlsx(tmp_path / "t.xlsx", [[r[i] for i in order] for r in rows],
                      headers=[HEADERS[i] for i in order], above=[["标题"]])
    report = _import(registrar, path)
    assert [(i.row, i.reason_code) for i in report.rejected] == [(5, "name_blank")]
    e = Entry.get(Entry.seq == 2)
    assert (e.name, e.id_number, e.prov_no) == (valid_row(2)[1], valid_row(2)[3], valid_row(2)[9])


def test_unknown_column_is_reported_as_ignored(tmp_path, registrar):
    path = write_xlsx(tmp_path / "t.xlsx", [valid_row(1) + ["备注甲"]], headers=HEADERS + ("备注",))
    report = _import(registrar, path)
    assert [(i.row, i.column, i.reason_code) for i in report.warnings] == [(1, "备注", "column_ignored")]


def test_missing_required_column_stops_with_clear_message(tmp_path, registrar):
    path = write_xlsx(tmp_path / "t.xlsx", [valid_row(1)[:3] + valid_row(1)[4:]],
                      headers=HEADERS[:3] + HEADERS[4:])
    with pytest.raises(ServiceError, match="缺少必需的列 “证件号码”"):
        _import(registrar, path)
    assert Entry.select().count() == 0


def test_blank_and_formatted_empty_rows_are_skipped(tmp_path, registrar):
    path = write_xlsx(tmp_path / "t.xlsx", [valid_row(1), [None] * 11, ["", "  "], valid_row(2)])
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    for r in range(6, 40):  # formatted but empty, as WPS leaves them
        ws.cell(r, 2).number_format = "@"
        ws.cell(r, 4).font = openpyxl.styles.Font(bold=True)
    wb.save(path)
    report = _import(registrar, path)
    assert (report.rows, report.inserted, report.rejected, report.warnings) == (2, 2, [], [])


def test_ods_files_from_wps_are_read(tmp_path, registrar):
    rows = [valid_row(1), valid_row(2)]
    rows[1][1] = ""
    report = _import(registrar, write_ods(tmp_path / "t.ods", rows))
    assert report.inserted == 1
    assert [(i.row, i.reason_code) for i in report.rejected] == [(3, "name_blank")]
    assert Entry.get().birth_date == valid_row(1)[2]


def test_xls_files_saved_by_a_spreadsheet_program_are_read(tmp_path, registrar):
    rows = [valid_row(n) for n in range(1, 5)]
    rows[2][1] = ""
    xls = convert(write_xlsx(tmp_path / "t.xlsx", rows, above=[["唐河县控辍保学工作台账"]]), "xls")
    report = _import(registrar, xls)
    assert (report.rows, report.inserted) == (4, 3)
    assert [(i.row, i.reason_code) for i in report.rejected] == [(5, "name_blank")]
    got = {e.id_number: (e.name, e.birth_date, e.prov_no) for e in Entry.select()}
    assert got == {r[3]: (r[1], r[2], r[9]) for r in rows if r[1]}


def test_second_import_of_the_same_file_changes_nothing(tmp_path, registrar):
    path = write_xlsx(tmp_path / "t.xlsx", [valid_row(n) for n in range(1, 6)])
    first = _import(registrar, path)
    before = list(Entry.select().order_by(Entry.id).dicts())
    second = _import(registrar, path)
    assert (first.inserted, second.inserted, second.updated, second.unchanged) == (5, 0, 0, 5)
    assert list(Entry.select().order_by(Entry.id).dicts()) == before


def test_known_id_updates_upstream_columns_and_keeps_the_work(tmp_path, registrar, make_entry):
    row = valid_row(1)
    eid = make_entry(id_number=row[3], name=row[1], birth_date=row[2], status="processed", code="B2",
                     action="实际就读", notes="在校就读，已核实", address="旧地址")
    report = _import(registrar, write_xlsx(tmp_path / "t.xlsx", [row]))
    assert (report.inserted, report.updated) == (0, 1)
    e = Entry.get_by_id(eid)
    assert (e.address, e.code, e.status, e.notes) == (row[5], "B2", "processed", "在校就读，已核实")
    log = AuditLog.get(AuditLog.verb == "import_update")
    assert log.target == str(eid)
    assert json.loads(log.detail)["changes"]["家庭住址"] == ["旧地址", row[5]]


def test_dry_run_changes_nothing(tmp_path, registrar):
    logs = AuditLog.select().count()
    report = _import(registrar, write_xlsx(tmp_path / "t.xlsx", [valid_row(1), valid_row(2)]), dry_run=True)
    assert report.inserted == 2
    assert (Entry.select().count(), ImportBatch.select().count(), AuditLog.select().count()) == (0, 0, logs)


def test_failure_mid_way_applies_nothing(tmp_path, registrar, monkeypatch):
    monkeypatch.setattr(upstream, "CHUNK", 2)
    real, calls = upstream._insert, []

    def failing(*args):
        calls.append(1)
        if len(calls) == 3:  # rows 5–6 of the sheet
            raise RuntimeError("disk full")
        real(*args)

    monkeypatch.setattr(upstream, "_insert", failing)
    with pytest.raises(RuntimeError):
        _import(registrar, write_xlsx(tmp_path / "t.xlsx", [valid_row(n) for n in range(1, 8)]))
    assert len(calls) == 3
    assert (Entry.select().count(), ImportBatch.select().count()) == (0, 0)


def test_rows_belong_to_the_importing_county_even_for_migrant_children(tmp_path, registrar):
    migrant = valid_row(1, region="320321")
    migrant[4] = "江苏省徐州市丰县"
    _import(registrar, write_xlsx(tmp_path / "t.xlsx", [migrant]))
    assert Entry.get().region == "411328"


def test_region_rules(tmp_path, admin, registrar):
    path = write_xlsx(tmp_path / "t.xlsx", [valid_row(1)])
    with pytest.raises(ServiceError, match="--region"):
        _import(admin, path)
    with pytest.raises(PermissionDenied):
        _import(registrar, path, region="411330")
    city = accounts.add(admin, "nanyang", "市级", "city", "411300")
    with pytest.raises(PermissionDenied):
        _import(city, path, region="411328")
    assert _import(admin, path, region="411330").inserted == 1
    assert Entry.get().region == "411330"


def test_cli_json_and_errors_workbook(tmp_path, db_url, registrar, capsys):
    rows = [valid_row(1), valid_row(2)]
    rows[1][2] = "去年"
    path = write_xlsx(tmp_path / "t.xlsx", rows)
    errors = tmp_path / "errors.xlsx"
    code = main(["--db", db_url, "--login", "tanghe", "import", str(path), "--json", "--errors", str(errors)])
    out = json.loads(capsys.readouterr().out)
    assert code == 1
    assert {k: out[k] for k in ("file", "rows", "accepted", "inserted", "updated", "unchanged")} == {
        "file": "t.xlsx", "rows": 2, "accepted": 1, "inserted": 1, "updated": 0, "unchanged": 0}
    assert out["rejected"][0] | {"reason": ""} == {
        "row": 3, "column": "出生日期", "value": "去年", "reason_code": "birth_unreadable", "reason": ""}
    sheet = openpyxl.load_workbook(errors).active
    assert [c.value for c in sheet[2]][:6] == [3, rows[1][1], "出生日期", "去年", "拒收", "birth_unreadable"]


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # a layout test: one engine is enough
def test_errors_workbook_names_each_child_and_prints_on_a4_landscape(tmp_path, db_url, registrar, capsys):
    rows = [valid_row(n) for n in range(1, 41)]
    for r in rows[::2]:
        r[2] = "2014年3月份左右（家长记不清）"
    path = write_xlsx(tmp_path / "t.xlsx", rows)
    errors = tmp_path / "问题清单.xlsx"
    assert main(["--db", db_url, "--login", "tanghe", "import", str(path), "--errors", str(errors)]) == 1
    capsys.readouterr()
    sheet = openpyxl.load_workbook(errors).active
    assert [c.value for c in sheet[1]][:3] == ["行号", "姓名", "列"]
    assert [(r[0].value, r[1].value) for r in sheet.iter_rows(min_row=2, max_row=3)] == [
        (2, rows[0][1]), (4, rows[2][1])]
    pages = printed(errors, landscape=True)
    assert all("建议处理" in p.text for p in pages)
    assert "".join(p.text for p in pages).count("2014年3月份左右（家长记不清）") == 20
    assert [w.text for p in pages for w in p.words].count("这样的日期后重新导入") == 20  # the fix beside it
