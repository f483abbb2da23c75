"""Errors whose message is meant for the user (Chinese, specific)."""


class ServiceError(Exception):
    """A user mistake or a refused request; str(e) is shown as is."""


class PermissionDenied(ServiceError):
    pass


class NotFound(ServiceError):
    pass
