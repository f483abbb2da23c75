"""Hostile cells: escape sequences, controls and bidi overrides are cleaned with a reason
and never reach the registrar's terminal, in the CLI report or its JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

from kongcuo_tui.db.models import Entry
from kongcuo_tui.domain.terminal import BIDI
from kongcuo_tui.imports.upstream import import_file
from imports.upstream_xlsx import valid_row, write_xlsx

TODAY = date(2026, 11, 29)
TITLE = "\x1b]0;已被接管\x07"
UNSAFE = set("\x1b\x07\x9b" + BIDI)


def _hostile_rows():
    rows = [valid_row(n) for n in range(1, 5)]
    rows[0][1] = TITLE + rows[0][1]
    rows[1][3] = "\u202e" + rows[1][3]
    rows[2][5] = "\x1b[31m" + rows[2][5] + "\x1b[0m"
    return rows


def test_controls_are_cleaned_with_a_reason(tmp_path, registrar):
    rows = _hostile_rows()
    report = import_file(registrar, write_xlsx(tmp_path / "h.xlsx", rows), today=TODAY)
    assert report.inserted == 4 and not report.rejected
    codes = {(w.row, w.reason_code) for w in report.warnings}
    assert {(2, "name_control"), (3, "id_control"), (4, "text_control")} <= codes
    stored = {e.seq: e for e in Entry.select()}
    assert stored[1].name == valid_row(1)[1]
    assert stored[2].id_number == valid_row(2)[3] and stored[2].id_ok
    assert stored[3].address == valid_row(3)[5]
    for e in stored.values():
        for value in (e.name, e.id_number, e.id_raw, e.address):
            assert not set(value) & UNSAFE


def test_a_name_of_controls_only_is_refused(tmp_path, registrar):
    rows = [valid_row(1)]
    rows[0][1] = TITLE
    report = import_file(registrar, write_xlsx(tmp_path / "h.xlsx", rows), today=TODAY)
    assert [i.reason_code for i in report.rejected] == ["name_blank"]


def _cli(db_url, *argv):
    return subprocess.run([sys.executable, "-m", "kongcuo_tui.cli", "--db", db_url, "--login", "tanghe", *argv],
                          capture_output=True, timeout=120)


def test_cli_report_and_json_carry_no_raw_controls(tmp_path, db_url, registrar):
    path = write_xlsx(tmp_path / "h.xlsx", _hostile_rows())
    done = _cli(db_url, "import", str(path), "--dry-run")
    out = done.stdout.decode()
    assert done.returncode == 0, done.stderr.decode()
    assert "name_control" in out and "\\x1b]0;" in out  # shown, escaped
    assert not set(out + done.stderr.decode()) & UNSAFE
    done = _cli(db_url, "import", str(path), "--dry-run", "--json")
    assert not set(done.stdout.decode()) & UNSAFE
    values = {i["value"] for i in json.loads(done.stdout)["warnings"]}
    assert TITLE + valid_row(1)[1] in values  # JSON escapes keep the value exact


def test_error_line_with_a_hostile_file_name_is_escaped(tmp_path, db_url, registrar):
    done = _cli(db_url, "import", str(tmp_path / f"{TITLE}\u202e.xlsx"))
    err = done.stderr.decode()
    assert done.returncode == 2 and len(err.strip().splitlines()) == 1
    assert not set(err) & UNSAFE and "\\x1b]0;" in err
