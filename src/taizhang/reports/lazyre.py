"""Regular expressions compiled on first use, so that importing the engine stays fast.

Compiling the engine's patterns costs tens of milliseconds (a class over the CJK range alone
builds a 64K-entry map); `import taizhang.reports` should not pay that for a caller that only
needs the data classes. After the first call a `lazy` pattern is as fast as a compiled one: its
methods are the compiled pattern's bound methods, stored on the instance.
"""

from __future__ import annotations

import re
from typing import Any, cast

_METHODS = (
    "search",
    "match",
    "fullmatch",
    "finditer",
    "findall",
    "sub",
    "subn",
    "split",
    "pattern",
    "groupindex",
)


class _Lazy:
    def __init__(self, source: str, flags: int) -> None:
        self._source = source
        self._flags = flags

    def __getattr__(self, name: str) -> Any:
        compiled = re.compile(self._source, self._flags)
        for method in _METHODS:
            setattr(self, method, getattr(compiled, method))
        return getattr(compiled, name)


def lazy(source: str, flags: int = 0) -> re.Pattern[str]:
    """A pattern that compiles itself when first used (typed as the compiled pattern it becomes)."""
    return cast(re.Pattern[str], _Lazy(source, flags))
