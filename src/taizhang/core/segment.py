"""jieba, loaded once per process for every caller — the archive's index and queries, 对账's words —
so one dictionary sits in memory (about 60 MB; a second ``jieba.Tokenizer`` would add 70 MB more).
No Django, no app: the pure pipelines may use it. A user dictionary added here would serve both."""

from __future__ import annotations

import logging
import threading
from typing import Any

_lock = threading.Lock()
_ready: list[Any] = []


def jieba() -> Any:
    """The jieba module with its dictionary loaded (the first load in a data folder's temp dir builds
    a cache file; later ones read it). Quiet: jieba announces the loading on stderr otherwise."""
    if not _ready:
        with _lock:
            if not _ready:
                import jieba as module

                module.setLogLevel(logging.WARNING)
                module.initialize()
                _ready.append(module)
    return _ready[0]
