"""One cache of renderings for the oracle and the verifier: by title and text hash, bounded."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from typing import Generic, TypeVar

T = TypeVar("T")


def text_key(title: str, text: str) -> tuple[str, str]:
    """The cache key of a rendering: the title (it matters to ``{{PAGENAME}}``) and a hash."""
    return title, hashlib.sha256(text.encode("utf-8")).hexdigest()


class RenderCache(Generic[T]):
    """Renderings (HTML, parse results, visible tokens) by :func:`text_key`, so that a text is
    rendered once (thread-safe).

    The cache keeps the ``size`` most recently used renderings (they hold the page's HTML, so
    a long run must not keep them all); a batch of changes fits in it many times over.
    """

    def __init__(self, size: int = 512) -> None:
        self.size = size
        self._items: OrderedDict[tuple[str, str], T] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, title: str, text: str) -> T | None:
        """The cached rendering, or None."""
        key = text_key(title, text)
        with self._lock:
            found = self._items.get(key)
            if found is None:
                self.misses += 1
            else:
                self.hits += 1
                self._items.move_to_end(key)
            return found

    def put(self, title: str, text: str, result: T) -> None:
        """Remember a rendering (forgetting the least recently used beyond ``size``)."""
        key = text_key(title, text)
        with self._lock:
            self._items[key] = result
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)
