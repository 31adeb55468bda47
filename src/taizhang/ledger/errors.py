"""Domain errors: each carries a Chinese message fit to show the user as is."""

from __future__ import annotations


class DomainError(Exception):
    """A refused operation (bad input, not allowed, wrong state). ``str(err)`` is the Chinese message."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class PermissionDenied(DomainError):
    """The user may not do this to this object."""

    def __init__(self, message: str = "您没有权限执行此操作") -> None:
        super().__init__(message)


class StaleVersion(DomainError):
    """Someone else saved the object since this user loaded it (optimistic locking)."""

    def __init__(self, message: str = "该记录已被他人修改，请刷新页面后重新操作，以免覆盖他人的修改") -> None:
        super().__init__(message)


class AlreadyPosted(DomainError):
    """The same submission arrived twice (a double click): the first one stands."""

    def __init__(self, message: str = "该内容刚刚已提交，未重复保存") -> None:
        super().__init__(message)
