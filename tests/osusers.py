"""Real Unix accounts for tests of identity: `kongcuo` run as another user through runuser.

Importable as `osusers` from any test (see support.py for why). Only root can create
accounts and switch to them; tests that need this skip with that reason otherwise.
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PREFIX = "kgtest_h7_"


def need_root() -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root: creates Unix accounts with useradd and runs kongcuo as them with runuser")


def create_user() -> str:
    name = f"{PREFIX}{uuid.uuid4().hex[:8]}"
    subprocess.run(["useradd", "-m", name], check=True, capture_output=True)
    return name


def delete_user(name: str) -> None:
    subprocess.run(["userdel", "-r", name], capture_output=True)


def _runs_for(user: str, path: str) -> bool:
    return subprocess.run(["runuser", "-u", user, "--", "test", "-x", path]).returncode == 0


def command_for(user: str) -> list[str]:
    """How `user` starts kongcuo: the venv's script, or (when the venv's interpreter lives
    under a home other accounts cannot enter, like /root/.pyenv) the same Python version
    from /usr/bin with the venv's packages and this checkout on PYTHONPATH."""
    script = Path(sys.executable).with_name("kongcuo")
    if _runs_for(user, str(Path(sys.executable).resolve())) and script.exists():
        return [str(script)]
    same = f"/usr/bin/python{sys.version_info.major}.{sys.version_info.minor}"
    if not _runs_for(user, same):
        pytest.skip(f"no Python {sys.version_info.major}.{sys.version_info.minor} that {user} may run")
    path = os.pathsep.join([str(ROOT), *site.getsitepackages()])
    return ["env", f"PYTHONPATH={path}", same, "-m", "kongcuo_tui.cli"]


def run_as(user: str, *argv: str, env: dict[str, str] | None = None, timeout: int = 120):
    """Run `kongcuo argv…` as the Unix account `user`; bytes out, text err."""
    extra = [f"{k}={v}" for k, v in (env or {}).items()]
    cmd = ["runuser", "-u", user, "--", "env", *extra, *command_for(user), *argv]
    done = subprocess.run(cmd, capture_output=True, timeout=timeout, cwd="/tmp")
    return done.returncode, done.stdout, done.stderr.decode("utf-8", "replace")


@contextmanager
def shared_database(db_url: str) -> Iterator[str]:
    """`db_url`, or for SQLite a fresh file other Unix accounts may write (a shared county
    file is group-writable). Not under pytest's temporary folder: every pytest session
    started as root resets that to 0700."""
    if not db_url.startswith("sqlite:"):
        yield db_url
        return
    from kongcuo_tui.db.connection import open_database
    from kongcuo_tui.db.migrations import upgrade
    from kongcuo_tui.services.setup import _load_regions

    folder = Path(tempfile.mkdtemp(prefix=PREFIX, dir="/tmp"))
    try:
        folder.chmod(0o777)
        url = f"sqlite:///{folder / 'kongcuo.db'}"
        database = open_database(url)
        database.connect(reuse_if_open=True)
        upgrade()
        _load_regions()
        for f in folder.iterdir():
            f.chmod(0o666)
        yield url
        database.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
