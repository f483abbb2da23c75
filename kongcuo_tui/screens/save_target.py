"""The file a dialog is about to write: a .xlsx name, and asking before replacing a file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.screen import Screen
from textual.widgets import Input, Static

from .form_dialogs import Confirm


def write_to(screen: Screen, path_box: str, result: str, go: Callable[[str], None]) -> None:
    """Call ``go(path)`` with the name in ``path_box`` once it is a .xlsx name that may be written;
    an existing file is replaced only when the user says so (else the name box has the focus)."""
    path = screen.query_one(path_box, Input).value.strip()
    if not path.lower().endswith(".xlsx"):
        screen.query_one(result, Static).update("文件名须以 .xlsx 结尾")
        return
    if Path(path).exists():
        screen.app.push_screen(
            Confirm("文件已存在，覆盖吗？", [f"{Path(path).resolve()} 已存在，导出将替换其中的全部内容。"],
                    yes="覆盖", no="换个文件名"),
            lambda yes: go(path) if yes else screen.query_one(path_box, Input).focus())
        return
    go(path)
