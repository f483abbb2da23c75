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
