"""Outputs that can be a file or stdout (cells that stay text live in layout.py)."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def output_path(output: str):
    """Yield a path to write to; for '-' a temp file that is then copied to stdout.

    xlsx is a zip whose directory sits at the end, so it cannot be written to a pipe
    directly; the temporary file keeps memory flat however large the ledger is.
    """
    if output != "-":
        yield Path(output)
        return
    fd, name = tempfile.mkstemp(suffix=".xlsx", prefix="kongcuo-export-")
    os.close(fd)
    try:
        yield Path(name)
        with open(name, "rb") as f:
            shutil.copyfileobj(f, sys.stdout.buffer, 1 << 20)
        sys.stdout.buffer.flush()
    finally:
        os.unlink(name)
