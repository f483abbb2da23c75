"""A PostgreSQL server that accepts and never answers is a Chinese error, not a hang."""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
import time

import pytest

from kongcuo_tui.db.connection import open_database


def _silent_server():
    """A loopback listener that accepts connections and never says a word."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    held, stop = [], threading.Event()

    def serve():
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()

    def close():
        stop.set()
        thread.join()
        for s in held + [server]:
            s.close()

    return server.getsockname()[1], close


@pytest.mark.parametrize("query, bound", [("?connect_timeout=2", 8), ("", 25)])  # "": the default 10 s
def test_a_server_that_never_answers_is_reported_within_the_timeout(query, bound):
    port, close = _silent_server()
    try:
        url = f"postgresql://postgres@127.0.0.1:{port}/kongcuo{query}"
        start = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "kongcuo_tui.cli", "--db", url, "report", "summary"],
                              capture_output=True, text=True, timeout=30)
        took = time.monotonic() - start
    finally:
        close()
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and len(lines) == 1 and "超时" in lines[0], done.stderr
    assert took < bound


def test_connections_get_a_timeout_unless_the_url_sets_one():
    assert open_database("postgresql://postgres@127.0.0.1:5432/x").connect_params["connect_timeout"] == 10
    assert open_database("postgresql://postgres@127.0.0.1:5432/x?connect_timeout=3").connect_params[
        "connect_timeout"] in (3, "3")
