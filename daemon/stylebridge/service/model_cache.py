"""Warm models: VGG and style networks loaded once, evicted least-recently-used over a budget."""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

log = logging.getLogger(__name__)


def size_bytes(value: Any) -> int:
    """Bytes held by a module's parameters and buffers (0 for anything else)."""
    total = 0
    for name in ("parameters", "buffers"):
        method: Any = getattr(value, name, None)
        if callable(method):
            tensors: Any = method()
            total += sum(t.numel() * t.element_size() for t in tensors)
    network = getattr(value, "network", None)  # core.model_file.LoadedModel
    return total if total or network is None else size_bytes(network)


@dataclass(frozen=True)
class CachedModel:
    """One cache entry as `status` shows it: a public name, never a server path."""

    name: str
    size_mb: float


class ModelCache:
    """A thread-safe LRU of loaded models under `budget_mb` (the newest entry always stays)."""

    def __init__(self, budget_mb: int) -> None:
        self._budget_bytes = budget_mb * 1024 * 1024
        self._entries: OrderedDict[Hashable, tuple[Any, int, str]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, load: Callable[[], Any], name: str = "") -> Any:
        """The cached value for `key`, loading it with `load()` on a miss; `name` is what
        `status` shows (clients never see keys: they may hold server paths)."""
        with self._lock:
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key][0]
        value = load()  # outside the lock: loading can take seconds
        with self._lock:
            shown = name or (key if isinstance(key, str) else "model")
            self._entries[key] = (value, size_bytes(value), shown)
            self._entries.move_to_end(key)
            self._evict()
        return value

    def _evict(self) -> None:
        while len(self._entries) > 1 and self.total_bytes() > self._budget_bytes:
            key, _ = self._entries.popitem(last=False)
            log.info("evicted %s from the model cache", key)

    def total_bytes(self) -> int:
        """Bytes held by every entry."""
        return sum(entry[1] for entry in self._entries.values())

    def discard_if(self, is_stale: Callable[[Hashable], bool]) -> None:
        """Drop every entry whose key `is_stale` (a model file that changed on disk)."""
        with self._lock:
            for key in [k for k in self._entries if is_stale(k)]:
                del self._entries[key]

    def clear(self) -> None:
        """Drop every entry (after an out-of-memory error)."""
        with self._lock:
            self._entries.clear()

    def entries(self) -> list[CachedModel]:
        """The cached models, least recently used first."""
        with self._lock:
            return [
                CachedModel(name, round(size / 1024 / 1024, 2))
                for _, size, name in self._entries.values()
            ]
