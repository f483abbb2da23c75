"""Bad input at the edges of the `kongcuo` command: database URLs, settings, start-up weight.

Each case goes through the real entry point, in-process (`cli.main`) or as the installed
script in a subprocess, and expects one Chinese line on stderr and a non-zero exit.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kongcuo_tui.cli import main

KONGCUO = str(Path(sys.executable).parent / "kongcuo")


def one_line(rc: int, err: str) -> str:
    assert rc != 0
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    return lines[0]


def script(*argv: str, env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([KONGCUO, *argv], env=full_env, cwd=cwd, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=60)


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    """No settings from the developer's shell; the data directory is a fresh temporary one."""
    for var in ("KONGCUO_DB", "KONGCUO_CUTOFF", "KONGCUO_HOLIDAYS", "KONGCUO_LOW_BANDWIDTH", "SSH_CONNECTION"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("KONGCUO_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("KONGCUO_USER", "registrar")
    return tmp_path


# -- a database file that does not exist ----------------------------------------------------

@pytest.mark.parametrize("argv", [
    ["report", "summary"],
    ["user", "list"],
    ["export", "ledger", "-o", "{tmp}/out.xlsx"],
    ["import", "{tmp}/upstream.xlsx", "--dry-run"],
])
def test_a_typo_in_the_sqlite_path_is_refused_and_nothing_is_created(clean_env, capsys, argv):
    missing = clean_env / "data" / "kongcuo.db"
    (clean_env / "data").mkdir()
    typo = clean_env / "data" / "kongcou.db"
    rc = main(["--db", f"sqlite:///{typo}", *(a.format(tmp=clean_env) for a in argv)])
    line = one_line(rc, capsys.readouterr().err)
    assert "kongcuo init" in line and str(typo) in line
    assert not typo.exists() and not missing.exists()
    assert not (clean_env / "out.xlsx").exists()


def test_a_missing_directory_is_not_created(clean_env, capsys):
    url = f"sqlite:///{clean_env / 'no' / 'such' / 'dir' / 'k.db'}"
    line = one_line(main(["--db", url, "report", "summary"]), capsys.readouterr().err)
    assert "kongcuo init" in line
    assert not (clean_env / "no").exists()


def test_a_relative_sqlite_url_that_does_not_exist_is_refused_by_the_script(clean_env):
    r = script("--db", "sqlite:///relative.db", "report", "summary", cwd=clean_env)
    line = one_line(r.returncode, r.stderr)
    assert "relative.db" in line and "kongcuo init" in line
    assert list(clean_env.iterdir()) == []


def test_the_ui_does_not_open_an_empty_ledger_as_administrator(clean_env):
    # The default command with no database yet: before, this created one and opened the UI.
    r = script(env={"KONGCUO_HOME": str(clean_env / "home"), "KONGCUO_USER": "registrar"})
    line = one_line(r.returncode, r.stderr)
    assert "kongcuo init" in line
    assert not (clean_env / "home" / "kongcuo.db").exists()


def test_init_creates_the_default_database_and_its_directory(clean_env, capsys):
    assert main(["init"]) == 0
    assert (clean_env / "home" / "kongcuo.db").is_file()
    capsys.readouterr()
    assert main(["report", "summary"]) == 0
    assert "没有台账记录" in capsys.readouterr().out


# -- settings are validated once --------------------------------------------------------------

@pytest.mark.parametrize("value", ["0831", "02-30", "13-01", "8月31日", "08-31-01", "-"])
def test_a_bad_cutoff_is_one_line_for_every_command(clean_env, capsys, value, monkeypatch):
    monkeypatch.setenv("KONGCUO_CUTOFF", value)
    assert main(["init"]) != 0
    line = one_line(2, capsys.readouterr().err)
    assert "KONGCUO_CUTOFF" in line and value in line and "08-31" in line
    assert not (clean_env / "home" / "kongcuo.db").exists()


@pytest.mark.parametrize("value", ["02-29", "8-31", " 09-01 "])
def test_a_good_cutoff_is_accepted(clean_env, capsys, value, monkeypatch):
    monkeypatch.setenv("KONGCUO_CUTOFF", value)
    assert main(["init"]) == 0


def test_a_bad_cutoff_in_an_import_is_one_line_from_the_script(clean_env):
    r = script("import", "whatever.xlsx", env={"KONGCUO_CUTOFF": "0831"})
    line = one_line(r.returncode, r.stderr)
    assert "KONGCUO_CUTOFF" in line


@pytest.mark.parametrize("content, fragment", [
    (None, "不存在"),
    ("{not json", "JSON"),
    (json.dumps({"holidays": ["2027-02-30"]}), "2027-02-30"),
    (json.dumps({"holidays": ["2027-01-01"], "workdays": ["2027-01-01"]}), "2027-01-01"),
])
def test_a_bad_holidays_file_is_one_line(clean_env, capsys, monkeypatch, content, fragment):
    path = clean_env / "holidays.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    monkeypatch.setenv("KONGCUO_HOLIDAYS", str(path))
    line = one_line(main(["init"]), capsys.readouterr().err)
    assert "KONGCUO_HOLIDAYS" in line and str(path) in line and fragment in line


def test_a_missing_default_holidays_file_means_no_corrections(clean_env, capsys):
    from kongcuo_tui.config import Settings

    assert main(["init"]) == 0
    s = Settings.from_env()
    assert s.extra_holidays == () and s.extra_workdays == ()


def test_the_holidays_file_is_read_into_the_settings(clean_env, monkeypatch):
    from datetime import date

    from kongcuo_tui.config import Settings

    path = clean_env / "h.json"
    path.write_text('{"holidays": ["2031-03-04"], "workdays": ["2031-03-08"]}', encoding="utf-8")
    monkeypatch.setenv("KONGCUO_HOLIDAYS", str(path))
    s = Settings.from_env()
    assert s.extra_holidays == (date(2031, 3, 4),) and s.extra_workdays == (date(2031, 3, 8),)


@pytest.mark.parametrize("value", ["maybe", "2", "ture"])
def test_a_bad_low_bandwidth_value_is_one_line(clean_env, capsys, monkeypatch, value):
    monkeypatch.setenv("KONGCUO_LOW_BANDWIDTH", value)
    line = one_line(main(["init"]), capsys.readouterr().err)
    assert "KONGCUO_LOW_BANDWIDTH" in line and value in line


@pytest.mark.parametrize("value, on", [("1", True), ("yes", True), ("ON", True), ("0", False), ("off", False), ("", False)])
def test_low_bandwidth_values(clean_env, monkeypatch, value, on):
    from kongcuo_tui.config import Settings

    monkeypatch.setenv("KONGCUO_LOW_BANDWIDTH", value)
    assert Settings.from_env().low_bandwidth is on


# -- non-UI commands stay light ---------------------------------------------------------------

_PROBE = (
    "import sys\n"
    "from kongcuo_tui.cli import main\n"
    "try:\n"
    "    rc = main(sys.argv[1:])\n"
    "except SystemExit as e:  # --help, --version\n"
    "    rc = e.code\n"
    "heavy = ('textual', 'openpyxl', 'xlsxwriter', 'psycopg', 'psycopg2', 'holidays', 'python_calamine')\n"
    "print(' '.join(m for m in heavy if sys.modules.get(m) is not None) or '-')\n"
    "sys.exit(rc)\n"
)


@pytest.mark.parametrize("argv, needed", [
    (["report", "summary"], set()),
    (["user", "list"], set()),
    (["init"], set()),
    (["import", "{file}", "--dry-run", "--region", "411328"], {"python_calamine"}),  # the file is read with it
    (["export", "ledger", "-o", "{out}"], {"xlsxwriter"}),
    (["export", "summary", "-o", "{out}"], {"xlsxwriter"}),
    (["due"], set()),  # no case on this ledger: no working day to count, so no holidays
    (["duplicates"], set()),
    (["review", "counts"], set()),
    (["--help"], set()),
    (["--version"], set()),
])
def test_non_ui_commands_on_sqlite_load_neither_textual_nor_unused_libraries(clean_env, argv, needed):
    from imports.upstream_xlsx import valid_row, write_xlsx

    env = {**os.environ, "KONGCUO_HOME": str(clean_env / "home"), "KONGCUO_USER": "registrar"}
    for var in ("KONGCUO_DB", "KONGCUO_CUTOFF", "KONGCUO_HOLIDAYS", "KONGCUO_LOW_BANDWIDTH"):
        env.pop(var, None)
    subprocess.run([KONGCUO, "init"], env=env, check=True, capture_output=True)
    upstream = write_xlsx(clean_env / "upstream.xlsx", [valid_row(1), valid_row(2)])
    argv = [a.format(file=upstream, out=clean_env / "out.xlsx") for a in argv]
    r = subprocess.run([sys.executable, "-c", _PROBE, *argv], env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    loaded = r.stdout.strip().splitlines()[-1]
    assert set(loaded.split()) - {"-"} == needed


def test_help_loads_no_driver_even_for_a_postgresql_database(clean_env):
    # peewee imports psycopg when it is itself imported; --help never gets that far.
    env = {**os.environ, "KONGCUO_HOME": str(clean_env / "home"),
           "KONGCUO_DB": "postgresql://nobody@127.0.0.1:1/none"}
    r = subprocess.run([sys.executable, "-X", "importtime", "-m", "kongcuo_tui.cli", "--help"], env=env,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and "用法" in r.stdout
    imported = {line.split("|")[-1].strip().split(".")[0] for line in r.stderr.splitlines() if "|" in line}
    assert "kongcuo_tui" in imported
    assert not imported & {"peewee", "psycopg", "psycopg2", "openpyxl", "textual", "xlsxwriter", "python_calamine"}


def test_the_calendar_of_the_settings_applies_the_corrections(clean_env, monkeypatch):
    from datetime import date

    from kongcuo_tui.config import Settings

    path = clean_env / "h.json"
    path.write_text('{"holidays": ["2031-03-04"], "workdays": ["2031-03-08"]}', encoding="utf-8")
    monkeypatch.setenv("KONGCUO_HOLIDAYS", str(path))
    cal = Settings.from_env().calendar()
    assert not cal.is_workday(date(2031, 3, 4)) and cal.is_workday(date(2031, 3, 8))  # a Tuesday, a Saturday
