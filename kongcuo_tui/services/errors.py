"""Errors whose message is meant for the user (Chinese, specific)."""


class ServiceError(Exception):
    """A user mistake or a refused request; str(e) is shown as is."""


class PermissionDenied(ServiceError):
    pass


class NotFound(ServiceError):
    pass


class DatabaseBusy(ServiceError):
    """Another registrar's write held the database longer than the busy timeout; nothing was changed."""


SAVE_BUSY = ("未保存：数据库正忙（其他登记员正在保存或导入，排队等候已超时）。"
             "已填写的内容都还在，请稍后再按 Ctrl+S 保存。")
IMPORT_BUSY = ("未导入：数据库正忙（其他登记员正在保存或导入，排队等候已超时）；"
               "台账未做任何改动，请稍后重新导入。")


def write_or_busy(work, busy_message: str = SAVE_BUSY):
    """Run the write transaction ``work()``; once more if PostgreSQL chose it as a deadlock
    victim; SQLite's busy timeout passing becomes DatabaseBusy(``busy_message``): nothing was saved."""
    from ..db.transactions import is_lock_error, once_more_on_deadlock

    try:
        return once_more_on_deadlock(work)
    except Exception as e:
        if is_lock_error(e):
            raise DatabaseBusy(busy_message) from None
        raise


def explain_failure(error: BaseException) -> str:
    """Why a unit of work failed, in words a registrar can act on (the original in brackets)."""
    from peewee import InterfaceError, OperationalError

    text = str(error).strip()
    low = text.lower()
    if isinstance(error, ServiceError):
        return text
    if "database is locked" in low or "database table is locked" in low:
        return f"数据库被锁定（{text}），可能有其他人正在写入，请稍后重试"
    if isinstance(error, InterfaceError) or any(
            w in low for w in ("connection", "server closed", "terminating", "could not connect")):
        return f"与数据库的连接已断开（{text}），请稍后重试；仍不行请联系管理员"
    if isinstance(error, OperationalError):
        return f"数据库操作失败（{text}），请稍后重试；仍不行请联系管理员"
    os_error = _os_error(error)
    if isinstance(os_error, FileNotFoundError):
        return f"文件读写失败：找不到该文件或所在的文件夹（{os_error}），请检查路径"
    if isinstance(os_error, PermissionError):
        return f"文件读写失败：没有权限（{os_error}），文件可能正被 Excel/WPS 打开，请关闭后重试"
    if os_error is not None:
        return f"文件读写失败（{os_error}）"
    return f"程序出错（{type(error).__name__}: {text}），请稍后重试；仍不行请联系管理员"


def _os_error(error: BaseException | None) -> OSError | None:
    """The OSError behind `error`, also when a library wrapped it (xlsxwriter's FileCreateError)."""
    seen = 0
    while error is not None and seen < 5:
        if isinstance(error, OSError):
            return error
        error, seen = error.__cause__ or error.__context__, seen + 1
    return None
