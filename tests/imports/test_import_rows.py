"""Each kind of defect is caught on the Excel row the user sees, with a stable reason code."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from kongcuo_tui.db.models import Entry
from kongcuo_tui.imports.upstream import import_file
from imports.upstream_xlsx import make_id, valid_row, write_xlsx

TODAY = date(2026, 11, 29)


def _x_id(birth: date) -> str:
    """An ID of 唐河县 whose check character is X."""
    return next(i for i in (make_id("411328", birth, n) for n in range(1000)) if i.endswith("X"))


def _run(tmp_path, registrar, rows, dry_run=False):
    path = write_xlsx(tmp_path / "ledger.xlsx", rows)
    return import_file(registrar, path, dry_run=dry_run, today=TODAY)


def _codes(issues, row):
    return {i.reason_code for i in issues if i.row == row}


def _broken(n: int, column: int, value) -> list:
    row = valid_row(n)
    row[column] = value
    return row


BAD_CHECK = valid_row(3)[3][:-1] + ("1" if valid_row(3)[3][-1] != "1" else "2")
WARNINGS = [
    ("check digit", 3, BAD_CHECK, "id_checksum"),
    ("lowercase x", 3, _x_id(date(2012, 4, 4)).lower(), "id_normalized"),
    ("full-width digits", 3, valid_row(4)[3].translate(str.maketrans("0123456789", "０１２３４５６７８９")), "id_normalized"),
    ("zero-width space", 3, valid_row(4)[3][:6] + "\u200b" + valid_row(4)[3][6:], "id_normalized"),
    ("15-digit legacy", 3, "411328100505123", "id_upgraded_15"),
    ("wrong region", 3, "999999" + valid_row(4)[3][6:], "id_region"),
    ("short ID", 3, "41132820120404", "id_length"),
    ("birth date differs from ID", 2, date(2009, 1, 1), "id_birth_mismatch"),
    ("name with stray spaces", 1, " 王　小明 ", "name_whitespace"),
]


@pytest.mark.parametrize("what,column,value,code", WARNINGS, ids=[w[0] for w in WARNINGS])
def test_flagged_rows_are_stored_and_explained(tmp_path, registrar, what, column, value, code):
    rows = [valid_row(1), valid_row(2), _broken(4, column, value), valid_row(5)]
    report = _run(tmp_path, registrar, rows)
    assert code in _codes(report.warnings, 4), report.warnings
    assert report.rejected == []
    assert report.inserted == 4  # the platform's row never vanishes


def test_bad_check_digit_is_stored_flagged(tmp_path, registrar):
    _run(tmp_path, registrar, [valid_row(1), _broken(3, 3, BAD_CHECK)])
    e = Entry.get(Entry.id_number == BAD_CHECK)
    assert (e.id_ok, e.id_issue_code) == (False, "id_checksum")
    assert "校验位应为" in e.id_issue


REJECTIONS = [
    ("ID turned into an Excel number", 3, float(valid_row(3)[3][:15] + "000"), "id_excel_number"),
    ("ID in scientific text", 3, "4.11328E+17", "id_excel_number"),
    ("blank ID", 3, "", "id_blank"),
    ("blank name", 1, "  ", "name_blank"),
    ("unreadable birth date", 2, "2014年13月5日", "birth_unreadable"),
    ("birth date in the future", 2, "2030-01-01", "birth_future"),
]


@pytest.mark.parametrize("what,column,value,code", REJECTIONS, ids=[r[0] for r in REJECTIONS])
def test_rejected_rows_name_row_column_and_reason(tmp_path, registrar, what, column, value, code):
    rows = [valid_row(1), None, _broken(3, column, value), valid_row(4)]
    rows[1] = valid_row(2)
    report = _run(tmp_path, registrar, rows)
    assert [(i.row, i.reason_code) for i in report.rejected] == [(4, code)]
    assert report.rejected[0].column == ("姓名", "出生日期", "证件号码")[column - 1]
    assert report.rejected[0].reason and report.rejected[0].fix
    assert (report.inserted, Entry.select().count()) == (3, 3)


BIRTH = date(2014, 3, 5)


@pytest.mark.parametrize("typed", [
    datetime(2014, 3, 5), "2014-3-5", "2014/03/05", "2014年3月5日", "20140305", 20140305,
    float((BIRTH - date(1899, 12, 30)).days), " 2014.3.5 ",
])
def test_birth_dates_in_every_format_people_type(tmp_path, registrar, typed):
    row = valid_row(1)
    row[2], row[3] = typed, make_id("411328", BIRTH, 7)
    report = _run(tmp_path, registrar, [row])
    assert report.rejected == [] and _codes(report.warnings, 2) == set()
    assert Entry.get().birth_date == BIRTH


def test_age_far_outside_compulsory_age_is_flagged(tmp_path, registrar):
    row = valid_row(1)
    row[2], row[3] = date(1990, 6, 1), make_id("411328", date(1990, 6, 1), 1)
    report = _run(tmp_path, registrar, [valid_row(2), row])
    assert "age_out_of_range" in _codes(report.warnings, 3)


def test_same_id_twice_reports_both_rows(tmp_path, registrar):
    rows = [valid_row(1), valid_row(2), valid_row(3), valid_row(2)]
    report = _run(tmp_path, registrar, rows)
    dup = [i for i in report.warnings if i.reason_code == "dup_id"]
    assert [i.row for i in dup] == [5] and "第 3 行" in dup[0].reason
    assert Entry.select().count() == 3


def test_same_id_with_other_name_is_an_error_not_a_merge(tmp_path, registrar):
    other = valid_row(2)
    other[1] = "赵明明"
    report = _run(tmp_path, registrar, [valid_row(1), valid_row(2), other])
    assert [(i.row, i.reason_code) for i in report.rejected] == [(4, "dup_id_other_name")]
    assert "第 3 行" in report.rejected[0].reason
    assert Entry.get(Entry.id_number == valid_row(2)[3]).name == valid_row(2)[1]


def test_id_in_database_under_other_name_is_rejected(tmp_path, registrar, make_entry):
    make_entry(id_number=valid_row(2)[3], name="赵明明")
    report = _run(tmp_path, registrar, [valid_row(1), valid_row(2)])
    assert [(i.row, i.reason_code) for i in report.rejected] == [(3, "db_id_other_name")]
    assert Entry.select().where(Entry.name == valid_row(2)[1]).count() == 0


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\",\"点我\")", "+8613800000000", "-5组", "@SUM(A1)"])
def test_formula_like_text_is_stored_as_given(tmp_path, registrar, text):
    row = valid_row(1)
    row[5] = text
    report = _run(tmp_path, registrar, [row])
    assert report.rejected == []
    assert Entry.get().address == text


def test_ages_are_counted_at_the_cutoff_of_the_settings_given(tmp_path, registrar):
    from kongcuo_tui.config import Settings

    born = date(2007, 10, 1)  # 18 on 2026-08-31, 19 on 2026-11-01
    row = valid_row(1)
    row[2], row[3] = born, make_id("411328", born, 1)
    path = write_xlsx(tmp_path / "ledger.xlsx", [valid_row(2), row])
    at_august = import_file(registrar, path, dry_run=True, today=TODAY)
    at_november = import_file(registrar, path, dry_run=True, today=TODAY,
                              settings=Settings(cutoff_month=11, cutoff_day=1))
    assert "age_out_of_range" not in _codes(at_august.warnings, 3)
    assert "age_out_of_range" in _codes(at_november.warnings, 3)


def test_imported_rows_get_their_stage_from_the_grade_or_the_age(tmp_path, registrar):
    from imports.upstream_xlsx import HEADERS

    rows = [valid_row(n) + [grade] for n, grade in ((1, "2021级1班"), (2, ""), (5, "七年级1班"))]
    path = write_xlsx(tmp_path / "ledger.xlsx", rows, headers=HEADERS + ("年级班级",))
    assert import_file(registrar, path, today=TODAY).inserted == 3
    got = {e.seq: (e.birth_date, e.stage) for e in Entry.select()}
    # The grade wins over the age (2021级 is grade 6 in the 2026 school year, though born 2011);
    # with no grade, a child born 2012 is 14 at 2026-08-31.
    assert got[1] == (date(2011, 2, 2), "小学") and got[5] == (date(2015, 6, 6), "初中")
    assert got[2] == (date(2012, 3, 3), "初中")
