"""File path errors: one Chinese line, non-zero exit, nothing committed, no half file, audit on delivery."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from kongcuo_tui.cli import main
from kongcuo_tui.db.connection import open_database
from kongcuo_tui.db.models import AuditLog, Entry, ImportBatch
from imports.upstream_xlsx import valid_row, write_xlsx


def _one_line(rc, err):
    lines = err.strip().splitlines()
    assert rc != 0 and len(lines) == 1 and lines[0].startswith("kongcuo: ") and "Traceback" not in err, err
    return lines[0]


def _run(db_url, *argv, **kw):
    kw = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, **kw}
    return subprocess.run([sys.executable, "-m", "kongcuo_tui.cli", "--db", db_url, "--login", "tanghe", *argv],
                          timeout=120, **kw)


def _exports():
    return AuditLog.select().where(AuditLog.verb == "export").count()


def test_import_with_an_unwritable_errors_path_commits_nothing(tmp_path, db_url, registrar, capsys):
    path = write_xlsx(tmp_path / "t.xlsx", [valid_row(1)])
    rc = main(["--db", db_url, "--login", "tanghe", "import", str(path), "--errors", str(tmp_path / "无此目录" / "e.xlsx")])
    line = _one_line(rc, capsys.readouterr().err)
    assert "无此目录" in line and "找不到文件夹" in line
    rc = main(["--db", db_url, "--login", "tanghe", "import", str(path), "--errors", str(tmp_path)])
    assert "文件夹" in _one_line(rc, capsys.readouterr().err)
    rc = main(["--db", db_url, "--login", "tanghe", "import", str(path), "--errors", "/dev/full"])
    assert "磁盘已满" in _one_line(rc, capsys.readouterr().err)
    open_database(db_url)
    assert Entry.select().count() == 0 and ImportBatch.select().count() == 0


def test_import_of_a_folder_is_not_a_missing_file(tmp_path, db_url, registrar, capsys):
    (tmp_path / "d.xlsx").mkdir()
    rc = main(["--db", db_url, "--login", "tanghe", "import", str(tmp_path / "d.xlsx")])
    line = _one_line(rc, capsys.readouterr().err)
    assert "文件夹" in line and "找不到" not in line


@pytest.mark.parametrize("where, says", [("missing", "找不到文件夹"), ("folder", "文件夹"), ("full", "磁盘已满")])
def test_export_to_a_bad_place_is_one_line_and_not_audited(tmp_path, db_url, registrar, make_entry, where, says):
    make_entry()
    target = {"missing": str(tmp_path / "无此目录" / "o.xlsx"), "folder": str(tmp_path), "full": "/dev/full"}[where]
    done = _run(db_url, "export", "ledger", "-o", target)
    assert says in _one_line(done.returncode, done.stderr.decode())
    open_database(db_url)
    assert _exports() == 0
    assert [p.name for p in tmp_path.iterdir()] == []  # no half file
    assert not os.path.isfile("/dev/full")  # written through, never replaced


def test_export_to_a_full_or_closed_stdout(tmp_path, db_url, registrar, make_entry):
    make_entry()
    with open("/dev/full", "wb") as full:
        done = _run(db_url, "export", "ledger", "-o", "-", stdout=full)
    assert "磁盘已满" in _one_line(done.returncode, done.stderr.decode())
    done = subprocess.run(
        [sys.executable, "-m", "kongcuo_tui.cli", "--db", db_url, "--login", "tanghe", "export", "ledger", "-o", "-"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120, preexec_fn=lambda: os.close(1))
    assert "标准输出" in _one_line(done.returncode, done.stderr.decode())
    read, write = os.pipe()
    os.close(read)  # the receiver has gone: every write is a broken pipe
    done = _run(db_url, "export", "ledger", "-o", "-", stdout=write)
    os.close(write)
    assert "标准输出已关闭" in _one_line(done.returncode, done.stderr.decode())
    open_database(db_url)
    assert _exports() == 0


def test_exported_files_are_not_world_readable(tmp_path, db_url, registrar, make_entry, capsys):
    make_entry()
    out = tmp_path / "o.xlsx"
    assert main(["--db", db_url, "--login", "tanghe", "export", "ledger", "-o", str(out)]) == 0
    assert os.stat(out).st_mode & 0o777 <= 0o640 and not os.stat(out).st_mode & 0o027
    assert [p.name for p in tmp_path.iterdir()] == ["o.xlsx"]
    open_database(db_url)
    assert _exports() == 1
    path = write_xlsx(tmp_path / "t.xlsx", [valid_row(1), valid_row(2)[:1]])
    errors = tmp_path / "e.xlsx"
    main(["--db", db_url, "--login", "tanghe", "import", str(path), "--errors", str(errors)])
    assert errors.exists() and not os.stat(errors).st_mode & 0o027


def test_report_to_a_full_or_broken_stdout_is_one_line(db_url, registrar, make_entry):
    make_entry()
    with open("/dev/full", "wb") as full:
        done = _run(db_url, "report", "summary", stdout=full)
    assert "磁盘已满" in _one_line(done.returncode, done.stderr.decode())
    read, write = os.pipe()
    os.close(read)
    done = _run(db_url, "report", "summary", stdout=write)
    os.close(write)
    assert "标准输出已关闭" in _one_line(done.returncode, done.stderr.decode())
