"""The real SSH path: a private sshd on loopback whose ForceCommand runs `kongcuo ssh-command`.

Needs root (to add test Unix accounts and run sshd) and openssh-server; `.ci/run` installs it.
Outside CI the test skips when either is missing; in CI it fails instead.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

import kongcuo_tui

REGISTRAR, STRANGER = "kgssh_reg", "kgssh_none"
SSHD = "/usr/sbin/sshd"


def _missing() -> str | None:
    if os.geteuid() != 0:
        return "needs root to add test Unix accounts and run sshd"
    if not (Path(SSHD).exists() and shutil.which("ssh") and shutil.which("ssh-keygen")):
        return "openssh-server / openssh-client not installed"
    return None


@pytest.fixture(scope="module")
def server():
    why = _missing()
    if why:
        if os.environ.get("CI"):
            pytest.fail(why)
        pytest.skip(why)
    for user in (REGISTRAR, STRANGER):
        try:
            pwd.getpwnam(user)
        except KeyError:
            subprocess.run(["useradd", "--create-home", "--shell", "/bin/sh", user], check=True)
        # A locked password ("!") makes sshd refuse even key logins; "*" means no password.
        subprocess.run(["usermod", "-p", "*", user], check=True)
    home = Path(tempfile.mkdtemp(prefix="kgssh-", dir="/tmp"))
    home.chmod(0o755)
    package = Path(kongcuo_tui.__file__).parent
    readable = subprocess.run(["runuser", "-u", REGISTRAR, "--", "test", "-r", str(package / "cli.py")])
    if readable.returncode != 0:
        pytest.skip(f"the checkout {package} is not readable by other Unix users")
    # The venv's interpreter may live under /root (mode 700); the system one with the venv's
    # packages added runs the same code for any user.
    wrapper = home / "kongcuo"
    wrapper.write_text(
        f"#!{sys.base_prefix}/bin/python3\nimport site, sys\n"
        f"site.addsitedir({sysconfig.get_paths()['purelib']!r})\n"
        "from kongcuo_tui.cli import main\nsys.exit(main())\n")
    base_python = Path(sys.base_prefix) / "bin" / "python3"
    if subprocess.run(["runuser", "-u", REGISTRAR, "--", "test", "-x", str(base_python)]).returncode != 0:
        wrapper.write_text(wrapper.read_text().replace(f"#!{sys.base_prefix}/bin/python3", "#!/usr/bin/python3"))
    wrapper.chmod(0o755)
    data = home / "db"
    data.mkdir()
    data.chmod(0o777)
    url = f"sqlite:///{data / 'kongcuo.db'}"
    run = lambda *a: subprocess.run([str(wrapper), "--db", url, *a], check=True, capture_output=True)  # noqa: E731
    run("init")
    run("demo", "--no-tui", "--rows", "300")
    run("user", "add", REGISTRAR, "--role", "county", "--region", "411328", "--name", "张丽")
    for f in data.iterdir():
        f.chmod(0o666)
    keys = home / "keys"
    keys.mkdir()
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(home / "client")], check=True)
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(home / "host")], check=True)
    for user in (REGISTRAR, STRANGER):
        shutil.copy(home / "client.pub", keys / user)
    (keys / REGISTRAR).chmod(0o644)
    (keys / STRANGER).chmod(0o644)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = home / "sshd_config"
    config.write_text(f"""Port {port}
ListenAddress 127.0.0.1
HostKey {home / 'host'}
PidFile {home / 'sshd.pid'}
AuthorizedKeysFile {keys}/%u
StrictModes no
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
AllowUsers {REGISTRAR} {STRANGER}
PermitUserEnvironment no
X11Forwarding no
AllowTcpForwarding no
ForceCommand {wrapper} ssh-command
SetEnv KONGCUO_DB={url} LANG=C.UTF-8 PYTHONUTF8=1
""")
    Path("/run/sshd").mkdir(exist_ok=True)
    daemon = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.05)
    else:
        daemon.kill()
        pytest.fail("sshd did not start: " + daemon.stderr.read().decode(errors="replace"))

    def ssh(user: str, *command: str, tty: bool = False, **kw):
        argv = ["ssh", "-i", str(home / "client"), "-p", str(port), "-o", "BatchMode=yes",
                "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                "-o", "LogLevel=ERROR", *(["-tt"] if tty else []), f"{user}@127.0.0.1", *command]
        return argv

    yield ssh, data / "kongcuo.db"
    daemon.terminate()
    daemon.wait(timeout=10)
    shutil.rmtree(home, ignore_errors=True)


def test_export_over_ssh_is_a_workbook_scoped_to_the_account(server, tmp_path):
    ssh, database = server
    out = tmp_path / "f.xlsx"
    with out.open("wb") as f:
        r = subprocess.run(ssh(REGISTRAR, "kongcuo", "export", "ledger", "-o", "-"), stdout=f,
                           stderr=subprocess.PIPE, timeout=120)
    assert r.returncode == 0, r.stderr.decode(errors="replace")
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_index(0).to_python()
    header = next(i for i, row in enumerate(rows) if "证件号码" in [str(c) for c in row])
    col = [str(c) for c in rows[header]].index("证件号码")
    exported = {str(row[col]) for row in rows[header + 1:] if row[col]}
    import sqlite3

    with sqlite3.connect(database) as con:
        mine = {r[0] for r in con.execute("SELECT CASE WHEN id_raw != '' THEN id_raw ELSE id_number END"
                                          " FROM entry WHERE region = '411328'")}
        others = con.execute("SELECT count(*) FROM entry WHERE region != '411328'").fetchone()[0]
    assert others > 0, "the demo must have rows of other counties for this test to mean anything"
    assert exported == mine


def test_an_account_without_a_ledger_login_is_refused(server):
    ssh, _ = server
    r = subprocess.run(ssh(STRANGER, "kongcuo", "report", "summary"), capture_output=True, timeout=60)
    assert r.returncode != 0
    err = r.stderr.decode()
    assert STRANGER in err and "没有账号" in err
    assert "Traceback" not in err and r.stdout == b""


@pytest.mark.parametrize("command", [["cat", "/etc/passwd"], ["kongcuo;", "cat", "/etc/passwd"],
                                     ["kongcuo", "--login", "root", "report", "summary"],
                                     ["kongcuo", "--db", "sqlite:////tmp/other.db", "report", "summary"]])
def test_ssh_original_command_cannot_run_anything_else(server, command):
    ssh, _ = server
    r = subprocess.run(ssh(REGISTRAR, *command), capture_output=True, timeout=60)
    assert r.returncode != 0
    assert b"root:x:0" not in r.stdout and r.stdout == b""
    assert "kongcuo:" in r.stderr.decode() and "Traceback" not in r.stderr.decode()


def test_the_ledger_ui_opens_through_ssh_tt(server):
    ssh, _ = server
    proc = subprocess.Popen(ssh(REGISTRAR, tty=True), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    seen = b""
    os.set_blocking(proc.stdout.fileno(), False)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and "待本级处理".encode() not in seen:
        chunk = proc.stdout.read()
        if chunk:
            seen += chunk
        elif proc.poll() is not None:
            break
        else:
            time.sleep(0.05)
    try:
        assert "待本级处理".encode() in seen, seen[-2000:].decode(errors="replace")
        assert "唐河县".encode() in seen
        proc.stdin.write(b"\x11")  # Ctrl+Q
        proc.stdin.flush()
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
