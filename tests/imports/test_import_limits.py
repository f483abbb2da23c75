"""Sheets that claim to be enormous are refused before they are read; memory stays bounded."""

from __future__ import annotations

import resource
import subprocess
import sys

import pytest

from imports.crafted_xlsx import crafted_ods, crafted_xlsx
from imports.upstream_xlsx import HEADERS, valid_row, write_xlsx

PEAK_MB = 300
# The child may not take the machine down while the test still fails.
_LIMIT_AS = 3 << 30
_RUN = ("import resource, sys\n"
        "from kongcuo_tui.cli import main\n"
        "rc = main(sys.argv[1:])\n"
        "print('MAXRSS', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
        "sys.exit(rc)\n")


def _import(tmp_path, path):
    url = f"sqlite:///{tmp_path / 'k.db'}"
    if not (tmp_path / "k.db").exists():  # only init and demo create a database
        subprocess.run([sys.executable, "-m", "kongcuo_tui.cli", "--db", url, "--login", "boss", "init"],
                       check=True, capture_output=True, timeout=120)
    done = subprocess.run(
        [sys.executable, "-c", _RUN, "--db", url, "--login", "boss", "import", str(path), "--region", "411328"],
        capture_output=True, timeout=300, text=True,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_AS, (_LIMIT_AS, _LIMIT_AS)),
    )
    lines = done.stderr.strip().splitlines()
    peak = [int(line.split()[1]) // 1024 for line in lines if line.startswith("MAXRSS")]
    return done, [line for line in lines if not line.startswith("MAXRSS")], peak


def _rows(n):
    return [list(map(str, HEADERS))] + [[str(v) for v in valid_row(i)] for i in range(1, n + 1)]


# P1048576: one column more than a province's full sheet holds (16 × 1,048,576 cells); AZ400000:
# a row number the province's quick box lets through, a column it does not (52 × 400,000 cells).
@pytest.mark.parametrize("ref, rows", [("XFD1048576", 1048576), ("Z1048576", 1048576), ("P1048576", 1048576),
                                       ("AZ400000", 400000)])
def test_a_sheet_claiming_a_far_cell_is_refused_in_one_line(tmp_path, ref, rows):
    path = crafted_xlsx(tmp_path / "far.xlsx", _rows(3), extra={ref: "x"})
    assert path.stat().st_size < 8000
    done, err, peak = _import(tmp_path, path)
    assert done.returncode == 2, err
    assert len(err) == 1 and err[0].startswith("kongcuo: ") and f"{rows} 行" in err[0], err
    assert peak and peak[0] < PEAK_MB


def test_a_false_dimension_alone_does_not_stop_a_good_file(tmp_path):
    path = crafted_xlsx(tmp_path / "dim.xlsx", _rows(3), dimension="A1:XFD1048576")
    done, err, peak = _import(tmp_path, path)
    assert done.returncode == 0, err
    assert "新增 3" in done.stdout and peak[0] < PEAK_MB


def test_an_ordinary_large_import_stays_under_the_memory_limit(tmp_path):
    path = write_xlsx(tmp_path / "big.xlsx", [valid_row(n) for n in range(1, 20001)])
    done, err, peak = _import(tmp_path, path)
    assert done.returncode == 0, err
    assert peak[0] < PEAK_MB


def test_an_ods_repeating_a_full_row_a_million_times_is_refused(tmp_path):
    path = crafted_ods(tmp_path / "tall.ods", _rows(3), repeated=(1048570, 26, True))
    assert path.stat().st_size < 4000
    done, err, peak = _import(tmp_path, path)
    assert done.returncode == 2 and len(err) == 1 and "1048574 行" in err[0], err
    assert peak and peak[0] < PEAK_MB


def test_an_ods_padded_with_empty_rows_imports(tmp_path):
    path = crafted_ods(tmp_path / "padded.ods", _rows(3), repeated=(1048570, 1024, False))
    done, err, peak = _import(tmp_path, path)
    assert done.returncode == 0, err
    assert "新增 3" in done.stdout and peak[0] < PEAK_MB
