"""A registrar whose SSH connection dies mid-form finds the form as it was at the next start.

sshd sends SIGHUP to the session when the link drops; here the app runs on a real pty and
gets the same signal while a form is open.
"""

from __future__ import annotations

import os
import pty
import signal
import sqlite3
import subprocess
import sys
import time


# Long enough for any row of the demo (a cross-province case needs 20 characters of detail).
TYPED = "入户核实中 家长在外务工 户籍地与现住地不同 已联系转入学校 电话已接通"


class Terminal:
    def __init__(self, argv, env):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execvpe(argv[0], argv, env)
        os.set_blocking(self.fd, False)
        self.seen = b""

    def wait_for(self, text: str, timeout: float = 60) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                self.seen += os.read(self.fd, 65536)
            except BlockingIOError:
                time.sleep(0.02)
            except OSError:
                break
            if text.encode() in self.seen:
                return
        raise AssertionError(f"{text!r} never appeared; last output: {self.seen[-1500:]!r}")

    def send(self, data: str) -> None:
        os.write(self.fd, data.encode())

    def hang_up(self) -> int:
        os.kill(self.pid, signal.SIGHUP)
        return self._wait()

    def _wait(self, timeout: float = 30) -> int:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                os.close(self.fd)
                return status
            try:
                os.read(self.fd, 65536)
            except OSError:
                time.sleep(0.02)
        os.kill(self.pid, signal.SIGKILL)
        raise AssertionError("the app did not end")


def _drafts(db) -> list[str]:
    with sqlite3.connect(db) as con:
        return [p for (p,) in con.execute("SELECT payload FROM draft")]


def test_sighup_mid_form_loses_nothing_typed(tmp_path):
    db = tmp_path / "k.db"
    url = f"sqlite:///{db}"
    kongcuo = [sys.executable, "-m", "kongcuo_tui.cli", "--db", url]
    subprocess.run([*kongcuo, "demo", "--rows", "50", "--no-tui"], check=True, capture_output=True, timeout=120)
    env = dict(os.environ, TERM="xterm-256color", LANG="C.UTF-8", COLUMNS="100", LINES="30",
               KONGCUO_HOME=str(tmp_path))

    app = Terminal(kongcuo, env)
    app.wait_for("待本级处理")
    app.send("w")
    app.wait_for("处理说明")
    app.send(TYPED)
    end = time.monotonic() + 30  # stored at the pause after typing: poll the database, bounded
    while time.monotonic() < end and not any(TYPED in d for d in _drafts(db)):
        time.sleep(0.05)
    assert any(TYPED in d for d in _drafts(db)), "the typing was never kept as a draft"
    app.hang_up()

    again = Terminal(kongcuo, env)
    again.wait_for("待本级处理")
    again.send("w")
    again.wait_for("已恢复")
    again.wait_for("电话已接通")  # the notes field shows what was typed before the hang-up
    again.send("\r")  # Enter in 处理说明 saves the form
    end = time.monotonic() + 30
    while time.monotonic() < end and _drafts(db):
        time.sleep(0.05)
    assert _drafts(db) == []
    with sqlite3.connect(db) as con:
        saved = con.execute("SELECT count(*) FROM entry WHERE code = '99' AND notes = ?", (TYPED,)).fetchone()[0]
    assert saved == 1
    again.hang_up()
