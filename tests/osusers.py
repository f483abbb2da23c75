"""Real Unix accounts for tests of identity: `kongcuo` run as another user through runuser.

Importable as `osusers` from any test (see support.py for why). Only root can create
accounts and switch to them; tests that need this skip with that reason otherwise.
"""

from __future__ import annotations

import os
import site
import subprocess
import sys
import uuid
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


def open_sqlite_to_everyone(url: str) -> None:
    """Let other Unix accounts use a test's SQLite file (a shared county file is group-writable)."""
    if not url.startswith("sqlite:///"):
        return
    path = Path(url.split("///", 1)[1])
    for f in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if f.exists():
            f.chmod(0o666)
    path.parent.chmod(0o777)
    for parent in path.parents:
        if parent == Path("/tmp") or parent == Path("/"):
            break
        parent.chmod(parent.stat().st_mode | 0o011)
