"""Files we write for people, delivered whole or not at all, with causes told in Chinese.

Used by exports and by the import's problem list alike.
"""

from __future__ import annotations

import errno
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from ..db.transactions import write_transaction
from .errors import ServiceError

FILE_MODE = 0o640  # the county's registrars may share a group; nobody else reads a ledger


def os_error_text(e: OSError, target: str) -> str:
    """One Chinese line for a failed read or write of ``target``: the cause, not a guess."""
    code = e.errno
    target = target or "标准输出"
    if code == errno.ENOSPC:
        return f"磁盘已满，无法写入“{target}”；请清理磁盘空间后重试"
    if code in (errno.EACCES, errno.EPERM):
        return f"没有权限写入“{target}”；请换一个自己有写权限的文件夹"
    if code == errno.EROFS:
        return f"“{target}”所在的磁盘是只读的；请换一个文件夹"
    if code == errno.EISDIR:
        return f"“{target}”是文件夹；请在后面加上文件名，如 {target.rstrip('/')}/台账.xlsx"
    if code == errno.ENOENT:
        return f"找不到文件夹“{os.path.dirname(target) or '.'}”；请先创建它或换一个文件夹"
    if code == errno.EPIPE:
        return "标准输出已关闭（接收方提前退出），输出不完整"
    return f"无法写入“{target}”：{e.strerror or e}"


def quiet_stdout() -> None:
    """After a failed write to stdout: Python would flush the same bytes again at exit and
    print a traceback, so stdout now leads nowhere."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


class Output:
    """Where a written file goes, delivered whole or not at all.

    The file is written under a temporary name in the target's own folder (so the final
    rename is atomic and a failure leaves no half file), or for '-' in the temp folder and
    then copied to stdout: xlsx is a zip whose directory sits at the end, so it cannot be
    written to a pipe as it is made. Opening checks the target before any work is done.
    """

    def __init__(self, target: str):
        self.target = target
        self.to_stdout = target == "-"
        self.shown = "标准输出" if self.to_stdout else target
        # A device or a pipe (/dev/stdout, a FIFO) is written through, never replaced by a rename.
        self.to_device = not self.to_stdout and os.path.exists(target) and not os.path.isfile(target) \
            and not os.path.isdir(target)
        self.path: Path | None = None

    def __enter__(self) -> Output:
        if self.to_stdout:
            if sys.stdout is None:
                raise ServiceError("标准输出已关闭，无法导出到 -；请用 -o 文件名 写入文件")
            folder = None
        elif self.to_device:
            folder = None
        else:
            if os.path.isdir(self.target):
                raise ServiceError(os_error_text(OSError(errno.EISDIR, ""), self.target))
            folder = os.path.dirname(os.path.abspath(self.target))
        try:
            fd, name = tempfile.mkstemp(dir=folder, prefix=".kongcuo-", suffix=".part")
            os.fchmod(fd, FILE_MODE)
            os.close(fd)
        except OSError as e:
            raise ServiceError(os_error_text(e, self.target)) from None
        self.path = Path(name)
        return self

    def deliver(self, record: Callable[[], None] = lambda: None) -> None:
        """Put the finished file in place, with ``record`` (the audit) kept only if that worked."""
        try:
            if self.to_stdout or self.to_device:
                # Streaming under an open write transaction would hold SQLite's writer lock for
                # the whole transfer; the audit follows a complete, flushed copy instead.
                self._stream()
                record()
            else:
                with write_transaction():
                    record()
                    os.replace(self.path, self.target)
        except OSError as e:
            raise ServiceError(os_error_text(e, self.shown)) from None

    def _stream(self) -> None:
        if self.to_device:
            with open(self.path, "rb") as f, open(self.target, "wb") as out:
                shutil.copyfileobj(f, out, 1 << 20)
            return
        try:
            with open(self.path, "rb") as f:
                shutil.copyfileobj(f, sys.stdout.buffer, 1 << 20)
            sys.stdout.buffer.flush()
        except OSError:
            quiet_stdout()
            raise

    def __exit__(self, *exc) -> None:
        if self.path is not None and self.path.exists():
            self.path.unlink()
