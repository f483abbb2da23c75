"""The ledger sent back upstream: round trip, text cells, formula safety, scope, stdout."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import date, datetime

import openpyxl
import pytest

from kongcuo_tui.db.models import AuditLog
from kongcuo_tui.exports.ledger import HEADERS, export_ledger
from kongcuo_tui.imports.upstream import import_file
from kongcuo_tui.services.errors import PermissionDenied
from imports.upstream_xlsx import HEADERS as UPSTREAM, valid_row, write_xlsx
from print_check import printed

TODAY = date(2026, 11, 29)
TRICKY = ["=1+2", "+8613800000000", "-3组", "@SUM(A1)", "\t=HYPERLINK(\"x\")", "\r=cmd"]


def _sheet(path):
    return openpyxl.load_workbook(path).active


def _plain(v):
    return v.date() if isinstance(v, datetime) else v


def test_round_trip_gives_back_every_upstream_cell(tmp_path, registrar):
    rows = [valid_row(n) for n in range(1, 30)]
    rows[4][5] = "=HYPERLINK(\"http://x\")"
    rows[5][8] = "+86 学校"
    src = write_xlsx(tmp_path / "in.xlsx", rows)
    assert not import_file(registrar, src, today=TODAY).rejected
    out = tmp_path / "out.xlsx"
    assert export_ledger(registrar, out).rows == len(rows)
    ws = _sheet(out)
    assert [c.value for c in ws[1]][:11] == list(UPSTREAM)
    back = [[_plain(c.value) for c in r[:11]] for r in ws.iter_rows(min_row=2)]
    assert back == [[v if v != "" else None for v in r] for r in rows]


def test_ids_and_student_numbers_are_text_and_dates_are_dates(tmp_path, registrar, make_entry):
    make_entry(national_no="G411328201305010016", prov_no="411328000000001", birth_date=date(2013, 5, 1))
    ws = _sheet(export_ledger(registrar, tmp_path / "o.xlsx").path and tmp_path / "o.xlsx")
    row = ws[2]
    assert [row[i].data_type for i in (3, 7, 9)] == ["s", "s", "s"]
    assert row[2].is_date and row[2].value == datetime(2013, 5, 1)


def test_result_columns_follow_the_upstream_ones(tmp_path, registrar, make_entry):
    make_entry(status="processed", action="实际就读", code="B3", study_place="河南省南阳市宛城区",
               study_school="宛城区第一小学", proof_person="李明", proof_date=date(2026, 10, 9),
               notes="在省内就读", handled_by="tanghe", handled_at=datetime(2026, 10, 9, 10, 30))
    ws = _sheet(export_ledger(registrar, tmp_path / "o.xlsx").path and tmp_path / "o.xlsx")
    assert [c.value for c in ws[1]] == list(HEADERS)
    values = [c.value for c in ws[2]][11:]
    assert values == ["实际就读", "B3", "省内就读无学籍", "河南省南阳市宛城区", "宛城区第一小学", "李明",
                      datetime(2026, 10, 9), "在省内就读", "tanghe", datetime(2026, 10, 9, 10, 30), "通过", None]


def test_id_check_and_verified_id_come_last_and_the_export_imports_again(tmp_path, registrar):
    from kongcuo_tui.db.models import Entry
    from kongcuo_tui.domain.verified_ids import IdVerification
    from kongcuo_tui.services import verified_ids

    rows = [valid_row(n) for n in range(1, 4)]
    good = rows[1][3]
    rows[1][3] = good[:17] + ("0" if good[17] != "0" else "1")
    import_file(registrar, write_xlsx(tmp_path / "in.xlsx", rows), today=TODAY)
    e = Entry.get(Entry.seq == 2)
    assert verified_ids.record(registrar, e.id, e.version, IdVerification(good, "派出所", date(2026, 11, 2)),
                               today=TODAY).ok
    out = tmp_path / "out.xlsx"
    export_ledger(registrar, out)
    ws = _sheet(out)
    assert [c.value for c in ws[1]][-2:] == ["证件号码核验", "核实证件号码"]
    second = [c.value for c in ws[3]]
    assert second[3] == rows[1][3] and "校验位应为" in second[-2] and second[-1] == good
    assert [c.value for c in ws[2]][-2:] == ["通过", None]
    # Sent back in: the two columns are ignored with a note, every row is found, nothing changes.
    report = import_file(registrar, out, today=TODAY)
    assert (report.inserted, report.updated, report.unchanged, report.rejected) == (0, 0, 3, [])
    assert {i.column for i in report.warnings if i.reason_code == "column_ignored"} >= {"证件号码核验", "核实证件号码"}


@pytest.mark.parametrize("text", TRICKY)
def test_no_cell_ever_becomes_a_formula(tmp_path, registrar, make_entry, text):
    make_entry(name=text, address=text, notes=text, prov_school=text, status="processed", code="99",
               action="未确认完成")
    out = tmp_path / "o.xlsx"
    export_ledger(registrar, out)
    row = _sheet(out)[2]
    for i in (1, 5, 8, 18):
        # xlsx stores a carriage return as _x000D_; Excel and WPS decode it, openpyxl does not.
        assert (row[i].data_type, row[i].value.replace("_x000D_", "\r")) == ("s", text)


def test_export_never_leaves_the_account_region(tmp_path, admin, registrar, make_entry):
    make_entry(region="411328", name="唐河甲")
    make_entry(region="411330", name="桐柏乙")
    out = tmp_path / "o.xlsx"
    assert export_ledger(registrar, out).rows == 1
    assert [r[1].value for r in _sheet(out).iter_rows(min_row=2)] == ["唐河甲"]
    with pytest.raises(PermissionDenied):
        export_ledger(registrar, out, region="411330")
    assert export_ledger(admin, out, region="411330").rows == 1
    assert [r[1].value for r in _sheet(out).iter_rows(min_row=2)] == ["桐柏乙"]


def test_status_filter_and_audit_record(tmp_path, registrar, make_entry):
    make_entry(name="待处理")
    make_entry(name="已处理", status="processed", code="B2", action="实际就读")
    out = tmp_path / "o.xlsx"
    assert export_ledger(registrar, out, status="pending").rows == 1
    assert [r[1].value for r in _sheet(out).iter_rows(min_row=2)] == ["待处理"]
    log = AuditLog.select().where(AuditLog.verb == "export").get()
    assert log.login == "tanghe"
    detail = json.loads(log.detail)
    assert (detail["rows"], detail["status"], detail["output"]) == (1, "pending", "o.xlsx")


def test_keyset_pages_lose_and_repeat_nothing(tmp_path, registrar, make_entry, monkeypatch):
    from kongcuo_tui.exports import ledger

    for n in range(7):
        make_entry(seq=n // 3, name=f"学生{n}")  # equal 序号 across page borders
    real = ledger.iter_rows
    monkeypatch.setattr(ledger, "iter_rows", lambda cond, page=2: real(cond, page))
    out = tmp_path / "o.xlsx"
    assert export_ledger(registrar, out).rows == 7
    assert sorted(r[1].value for r in _sheet(out).iter_rows(min_row=2)) == [f"学生{n}" for n in range(7)]


def test_dash_o_streams_the_workbook_to_stdout(db_url, registrar, make_entry):
    make_entry(name="管道甲")
    done = subprocess.run(
        [sys.executable, "-m", "kongcuo_tui.cli", "--db", db_url, "--login", "tanghe",
         "export", "ledger", "-o", "-"], capture_output=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert done.stdout[:2] == b"PK"
    ws = openpyxl.load_workbook(io.BytesIO(done.stdout)).active
    assert ws["B2"].value == "管道甲"
    assert "已导出台账 1 行" in done.stderr.decode()


def _id_cells(path) -> dict[str, object]:
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    col = rows[0].index("证件号码")
    return {r[1]: r[col] for r in rows[1:]}


def test_the_platform_gets_back_the_id_exactly_as_it_sent_it(tmp_path, registrar):
    """A 15-digit ID is checked as 18 digits, but the export returns the received value."""
    from kongcuo_tui.db.models import Entry
    from imports.upstream_xlsx import make_id

    wide = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")
    x_id = next(i for i in (make_id("411328", date(2013, 5, 1), n) for n in range(1000)) if i.endswith("X"))
    received = {  # name → (birth date, ID cell as the platform sent it)
        "十五位": (date(1984, 3, 5), "411328840305123"),
        "十五位数字": (date(1985, 4, 6), 411328850406124),  # a number cell: its digits come back as text
        "全角": (valid_row(3)[2], valid_row(3)[3].translate(wide)),
        "小写": (date(2013, 5, 1), x_id.lower()),
        "有空格": (valid_row(5)[2], f" {valid_row(5)[3][:6]} {valid_row(5)[3][6:]} "),
        "原样": (valid_row(6)[2], valid_row(6)[3]),
    }
    rows = []
    for n, (name, (born, ident)) in enumerate(received.items(), 1):
        row = valid_row(n)
        row[1], row[2], row[3] = name, born, ident
        rows.append(row)
    report = import_file(registrar, write_xlsx(tmp_path / "in.xlsx", rows), today=TODAY)
    assert not report.rejected, report.rejected
    checked = dict(Entry.select(Entry.name, Entry.id_number).tuples())
    assert checked["十五位"].startswith("41132819840305123") and len(checked["十五位"]) == 18
    assert checked["全角"] == valid_row(3)[3] and checked["小写"] == x_id
    assert checked["有空格"] == valid_row(5)[3]
    out = tmp_path / "out.xlsx"
    export_ledger(registrar, out)
    assert _id_cells(out) == {name: str(ident) for name, (_, ident) in received.items()}


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # a layout test: one engine is enough
def test_ledger_prints_on_a4_landscape_one_page_wide_header_on_every_page(tmp_path, registrar, make_entry):
    notes = "已入户核实：该生随父母在江苏省苏州市务工地就读，学校出具在读证明，班主任电话回访确认在校"
    for n in range(70):
        make_entry(name=f"学生{n}", address=f"河南省南阳市唐河县源潭镇东王庄村{n}组{n}号", status="processed",
                   code="B3", action="实际就读", study_place="江苏省苏州市吴中区", study_school="苏州市吴中区木渎实验小学",
                   proof_person="李明", proof_date=date(2026, 10, 9), notes=notes, handled_by="tanghe",
                   handled_at=datetime(2026, 10, 9, 10, 30))
    out = tmp_path / "台账.xlsx"
    export_ledger(registrar, out)
    pages = printed(out, landscape=True)
    assert len(pages) >= 2
    for page in pages:
        # The header on every page, its first and last columns on the same page: one page wide.
        assert "序号" in page.text and "处理时间" in page.text
    text = "".join(p.text for p in pages)
    assert text.count(notes) == 70 and text.count("苏州市吴中区木渎实验小学") == 70
