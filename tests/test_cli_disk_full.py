"""A database on a full disk is told as a full disk, not as "cannot rollback"."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from imports.upstream_xlsx import valid_row, write_xlsx

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root to mount a small tmpfs")


@pytest.fixture
def small_disk():
    """A 3 MB tmpfs of our own, unmounted afterwards."""
    where = Path(tempfile.mkdtemp(prefix="kongcuo-full-"))
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(where)], check=True)
    try:
        yield where
    finally:
        subprocess.run(["umount", str(where)], check=True)
        where.rmdir()


def _cli(url, *argv):
    return subprocess.run([sys.executable, "-m", "kongcuo_tui.cli", "--db", url, "--login", "boss", *argv],
                          capture_output=True, text=True, timeout=300)


def test_import_into_a_database_on_a_full_disk(small_disk, tmp_path):
    url = f"sqlite:///{small_disk / 'k.db'}"
    assert _cli(url, "init").returncode == 0
    free = shutil.disk_usage(small_disk).free
    with open(small_disk / "filler", "wb") as f:
        f.write(b"\0" * (free - 40 * 1024))
    path = write_xlsx(tmp_path / "t.xlsx", [valid_row(n) for n in range(1, 3001)])
    done = _cli(url, "import", str(path), "--region", "411328")
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and len(lines) == 1, done.stderr
    assert "磁盘已满" in lines[0] and "rollback" not in lines[0]
