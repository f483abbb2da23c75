"""Errors whose message is meant for the user (Chinese, specific)."""


class ServiceError(Exception):
    """A user mistake or a refused request; str(e) is shown as is."""


class PermissionDenied(ServiceError):
    pass


class NotFound(ServiceError):
    pass


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
    if isinstance(error, OSError):
        return f"文件读写失败（{text}）"
    return f"程序出错（{type(error).__name__}: {text}），请稍后重试；仍不行请联系管理员"
