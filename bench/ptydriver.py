"""Run a terminal program under a pseudo-terminal and count the bytes it writes.

What a registrar's SSH link carries is exactly what the program writes to its terminal,
so counting those bytes (before compression) measures the app's cost on a slow link.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import signal
import struct
import termios
import threading
import time


class PtyApp:
    """A child process on a pty of `cols`×`rows`; output is recorded with arrival times."""

    def __init__(self, argv: list[str], env: dict[str, str], cols: int = 120, rows: int = 40) -> None:
        self.started = time.monotonic()
        pid, fd = pty.fork()
        if pid == 0:  # child: size the terminal before the app asks for it
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
            os.execvpe(argv[0], argv, env)
        self.pid, self.fd = pid, fd
        self.output = bytearray()
        self.last_byte_at = self.started
        self.arrivals: list[tuple[int, float]] = []  # (bytes so far, when) after each read
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            with self._lock:
                self.output += chunk
                self.last_byte_at = time.monotonic()
                self.arrivals.append((len(self.output), self.last_byte_at))

    @property
    def offset(self) -> int:
        with self._lock:
            return len(self.output)

    def send(self, data: str | bytes) -> None:
        os.write(self.fd, data.encode() if isinstance(data, str) else data)

    def wait_for(self, pattern: bytes, start: int = 0, timeout: float = 60.0) -> float:
        """Seconds since start-up when `pattern` first appears after byte `start`."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            with self._lock:
                if self.output.find(pattern, start) >= 0:
                    return time.monotonic() - self.started
            time.sleep(0.005)
        raise TimeoutError(f"{pattern!r} did not appear within {timeout} s")

    def arrived_at(self, pattern: bytes | re.Pattern, start: int = 0) -> tuple[float, int] | None:
        """(when, at which byte) the first `pattern` (bytes or a compiled bytes regex) after
        byte `start` arrived, or None."""
        with self._lock:
            if isinstance(pattern, bytes):
                at = self.output.find(pattern, start)
                end = at + len(pattern)
            else:
                m = pattern.search(self.output, start)
                at, end = (m.start(), m.end()) if m else (-1, 0)
            if at < 0:
                return None
            return next(t for n, t in self.arrivals if n >= end), end

    def wait_quiet(self, quiet: float = 0.4, timeout: float = 30.0) -> None:
        """Return once nothing has been written for `quiet` seconds."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            time.sleep(0.02)
            with self._lock:
                if time.monotonic() - self.last_byte_at >= quiet:
                    return
        raise TimeoutError("the app kept writing")

    def step(self, keys: str | bytes, quiet: float = 0.3, answer_within: float = 5.0,
             until: bytes | None = None) -> tuple[int, float]:
        """Send `keys`, wait for an answer and for the screen to settle.

        `until`: text that shows the answer is complete (a screen drawn by a worker can come
        later than a quiet spell); without it, the first byte written is the answer.
        Returns (bytes written, seconds from sending to the last byte).
        """
        self.wait_quiet(quiet)
        before, sent_at = self.offset, time.monotonic()
        self.send(keys)
        if until is not None:
            self.wait_for(until, before)
        end = sent_at + answer_within
        while self.offset == before and time.monotonic() < end:
            time.sleep(0.005)
        self.wait_quiet(quiet)
        with self._lock:
            n = len(self.output) - before
            took = max(0.0, self.last_byte_at - sent_at) if n else 0.0
        return n, took

    def idle(self, seconds: float) -> int:
        self.wait_quiet()
        before = self.offset
        time.sleep(seconds)
        return self.offset - before

    def close(self) -> None:
        try:
            os.kill(self.pid, signal.SIGTERM)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        try:
            os.close(self.fd)
        except OSError:
            pass
