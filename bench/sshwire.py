"""Bytes on the wire when the app runs over SSH, with and without `ssh -C`, low-bandwidth mode.

Starts a private sshd on 127.0.0.1 (own host key, own config: key login only, no PAM, no
passwords, ForceCommand runs the app on a copy of the 2,000-row bench ledger), puts a small
TCP relay in front of it that counts the bytes in both directions, then drives the same key
sequence as bench/tui_bytes.py through `ssh -tt` on a 120×40 pty. Bench only (CI does not
run it); it says so and exits when sshd is not installed (apt-get install openssh-server).

Usage: .venv/bin/python bench/sshwire.py [--dir /tmp/kongcuo-bench]
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from ptydriver import PtyApp  # noqa: E402
from tui_bytes import KONGCUO, LOGIN, database, drive  # noqa: E402

SSHD = shutil.which("sshd") or "/usr/sbin/sshd"
SSH = shutil.which("ssh") or "/usr/bin/ssh"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Relay:
    """Loopback TCP relay to `target`, counting bytes in both directions."""

    def __init__(self, target: int) -> None:
        self.target = target
        self.up = self.down = 0
        self._lock = threading.Lock()
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def total(self) -> int:
        with self._lock:
            return self.up + self.down

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.target))
            threading.Thread(target=self._pump, args=(client, server, "up"), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, "down"), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket, direction: str) -> None:
        while True:
            try:
                data = src.recv(65536)
            except OSError:
                data = b""
            if not data:
                for s in (src, dst):
                    try:
                        s.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass
                return
            with self._lock:
                setattr(self, direction, getattr(self, direction) + len(data))
            dst.sendall(data)

    def close(self) -> None:
        self.server.close()


class PrivateSshd:
    """sshd -D on a free loopback port; every login runs `command`."""

    def __init__(self, folder: Path, command: str) -> None:
        self.folder, self.port = folder, free_port()
        for name in ("host_key", "client_key"):
            subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(folder / name)], check=True)
        shutil.copy(folder / "client_key.pub", folder / "authorized_keys")
        os.chmod(folder / "authorized_keys", 0o600)
        (folder / "sshd_config").write_text(
            f"Port {self.port}\nListenAddress 127.0.0.1\nHostKey {folder / 'host_key'}\n"
            f"AuthorizedKeysFile {folder / 'authorized_keys'}\nPidFile {folder / 'sshd.pid'}\n"
            "PubkeyAuthentication yes\nPasswordAuthentication no\nKbdInteractiveAuthentication no\n"
            "UsePAM no\nStrictModes no\nPermitRootLogin prohibit-password\nPrintMotd no\nPrintLastLog no\n"
            "AcceptEnv LANG\nX11Forwarding no\nAllowTcpForwarding no\n"
            f"ForceCommand {command}\n")
        Path("/run/sshd").mkdir(exist_ok=True)  # privilege-separation directory
        self.proc = subprocess.Popen([SSHD, "-D", "-e", "-f", str(folder / "sshd_config")],
                                     stderr=open(folder / "sshd.log", "w"))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"sshd did not start: {(folder / 'sshd.log').read_text()}")

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(5)


def over_ssh(sshd: PrivateSshd, compress: bool) -> list[tuple[str, int | None, float, int | None]]:
    relay = Relay(sshd.port)
    argv = [SSH, "-tt", "-p", str(relay.port), "-i", str(sshd.folder / "client_key"),
            "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
            "-o", "LogLevel=ERROR", "-o", f"Compression={'yes' if compress else 'no'}",
            f"{os.environ.get('USER') or 'root'}@127.0.0.1"]
    env = {k: v for k, v in os.environ.items() if k not in ("SSH_CONNECTION", "COLORTERM", "NO_COLOR")}
    env.update(TERM="xterm-256color", LANG="C.UTF-8")
    app = PtyApp(argv, env, cols=120, rows=40)
    try:
        while app.offset == 0 and time.monotonic() - app.started < 20:
            time.sleep(0.005)
        handshake = relay.total  # key exchange and login, before the app's first byte
        steps = drive(app, wire=lambda: relay.total)
        label, n, took, wire = steps[0]
        return [("SSH 握手与登录", None, 0.0, handshake), (label, n, took, wire - handshake)] + steps[1:]
    finally:
        app.close()
        relay.close()


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--dir", default="/tmp/kongcuo-bench", help="where the demo databases are kept")
    args = p.parse_args()
    if not (os.path.exists(SSHD) and shutil.which("ssh-keygen") and os.path.exists(SSH)):
        print("跳过：本机没有 sshd/ssh（apt-get install openssh-server openssh-client 后再运行）")
        return 0
    folder = Path(args.dir)
    folder.mkdir(parents=True, exist_ok=True)
    source = database(folder, 2000).split("///", 1)[1]
    results = {}
    with tempfile.TemporaryDirectory(prefix="kongcuo-sshwire-") as tmp:
        work = Path(tmp)
        db = work / "ledger.db"
        launcher = work / "kongcuo-over-ssh"
        launcher.write_text(
            "#!/bin/sh\nexec env LANG=C.UTF-8 PYTHONUTF8=1 ESCDELAY=200 "
            f"{KONGCUO} --db sqlite:///{db} --login {LOGIN} --low-bandwidth tui\n")
        launcher.chmod(0o755)
        try:
            sshd = PrivateSshd(work, str(launcher))
        except (RuntimeError, OSError, subprocess.CalledProcessError) as e:
            print(f"跳过：无法启动私有 sshd（{e}）")
            return 0
        try:
            for compress in (False, True):
                shutil.copy(source, db)  # the batch step changes the ledger: each run starts alike
                results[compress] = over_ssh(sshd, compress)
        finally:
            sshd.close()

    print("低带宽模式经 SSH（120×40，2,000 行台账）：线上字节为两个方向合计，含 SSH 加密与协议开销")
    print()
    print("| 操作 | 写给终端 字节 | ssh 线上字节 | ssh -C 线上字节 |")
    print("|---|---:|---:|---:|")
    for (label, n, _, plain), (_, _, _, packed) in zip(results[False], results[True]):
        shown = "—" if n is None else f"{n:,}"
        print(f"| {label} | {shown} | {plain:,} | {packed:,} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
