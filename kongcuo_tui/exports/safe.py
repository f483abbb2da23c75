"""Cells that can never become formulas, and outputs that can be a file or stdout.

Ledger text comes from other people's spreadsheets: a value like '=HYPERLINK(…)' or
'+8613800000000' must reach Excel and WPS as the same text, never as a formula.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: str) -> bool:
    return value.startswith(FORMULA_START)


def openpyxl_text(cell, value: str) -> None:
    """Put ``value`` into an openpyxl cell as text, whatever it starts with.

    openpyxl turns a str starting with '=' into a formula on assignment; forcing the data
    type back to 's' stores a shared string, and quotePrefix keeps it text when a user
    later edits the cell in Excel or WPS.
    """
    cell.value = value
    cell.data_type = "s"
    if looks_like_formula(value):
        cell.quotePrefix = True


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
