"""A registrar without the right permission is told so, not that the file is damaged.

Root reads and writes everything, so the command runs as `nobody`: the process starts
as root (the interpreter lives in root's home), loads what it needs, then drops to
nobody's uid before the command runs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from imports.upstream_xlsx import valid_row, write_xlsx

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root to switch to the nobody account")

_AS_NOBODY = """
import os, sys
import encodings.idna, encodings.utf_16_le, encodings.gb18030  # noqa: F401  (loaded lazily, unreadable after setuid)
import kongcuo_tui.cli as cli
import kongcuo_tui.db.migrations, kongcuo_tui.domain.ids as ids, kongcuo_tui.exports.command  # noqa: F401
import kongcuo_tui.imports.command, kongcuo_tui.imports.upstream, kongcuo_tui.services.setup  # noqa: F401
import openpyxl, python_calamine, tabulate, xlsxwriter.workbook  # noqa: F401
ids.preload()
os.setgid(65534)
os.setuid(65534)
sys.exit(cli.main(sys.argv[1:]))
"""


@pytest.fixture
def shared(tmp_path):
    """A folder nobody may write to, holding a ledger database made by root."""
    folder = Path(tempfile.mkdtemp(prefix="kongcuo-perm-"))
    folder.chmod(0o777)
    url = f"sqlite:///{folder / 'k.db'}"
    done = subprocess.run([sys.executable, "-m", "kongcuo_tui.cli", "--db", url, "--login", "nobody",
                           "demo", "--rows", "5", "--no-tui"], capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    (folder / "k.db").chmod(0o666)
    yield folder, url
    shutil.rmtree(folder)


def _as_nobody(url, *argv):
    # nobody's own data folder (for the holidays file), not root's inherited HOME.
    env = dict(os.environ, KONGCUO_HOME=str(Path(url.split("///", 1)[1]).parent))
    done = subprocess.run([sys.executable, "-c", _AS_NOBODY, "--db", url, "--login", "nobody", *argv],
                          capture_output=True, text=True, timeout=120, env=env)
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and len(lines) == 1 and lines[0].startswith("kongcuo: "), done.stderr
    return lines[0]


def test_unreadable_import_file_is_a_permission_problem(shared):
    folder, url = shared
    path = write_xlsx(folder / "in.xlsx", [valid_row(1)])
    path.chmod(0o600)
    line = _as_nobody(url, "import", str(path), "--region", "411328")
    assert "没有权限读取" in line and "损坏" not in line


def test_export_into_a_folder_without_write_permission(shared):
    folder, url = shared
    (folder / "ro").mkdir(mode=0o755)
    assert "没有权限写入" in _as_nobody(url, "export", "ledger", "-o", str(folder / "ro" / "x.xlsx"))
    assert list((folder / "ro").iterdir()) == []


def test_export_with_a_read_only_database_delivers_nothing(shared):
    folder, url = shared
    (folder / "k.db").chmod(0o644)
    assert "readonly" in _as_nobody(url, "export", "ledger", "-o", str(folder / "x.xlsx"))
    assert not (folder / "x.xlsx").exists()
    assert not [p for p in folder.iterdir() if p.name.startswith(".kongcuo-")]
